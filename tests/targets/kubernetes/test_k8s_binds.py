"""Bind mounts on Kubernetes, end to end from a project on disk: what each bind becomes,
the diagnostic that says so (at the bind's line), the overrides, and the objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import K8S_VERSIONS, make_plan, planned, render, service, validate_strict
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.errors import Severity, TranslatorError
from translator.model import Environment, Mount, ServiceSettings, Storage, UpdateConfig
from translator.model.hostfiles import HostFile, HostSource
from translator.targets.base import Document

COMPOSE = """\
name: binds
services:
  web:
    image: nginx:1.25
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - ./prometheus:/etc/prometheus
      - ./pgdata:/var/lib/postgresql/data
      - ./missing:/cache
      - /var/run/docker.sock:/var/run/docker.sock
      - ./site:/usr/share/nginx/html
      - ./tools:/opt/tools:ro
"""
# line of each bind in COMPOSE -> (what it becomes, severity)
TABLE: list[tuple[int, str, Severity]] = [
    (6, "becomes the ConfigMap web-nginx-conf", Severity.INFO),
    (7, "becomes the ConfigMap web-prometheus", Severity.INFO),
    (8, "becomes the PersistentVolumeClaim web-pgdata (a read-write data folder)", Severity.INFO),
    (9, "becomes the PersistentVolumeClaim web-missing (its source does not exist yet",
     Severity.INFO),
    (10, "is dropped: it is the host's own state", Severity.WARNING),
    (11, "becomes the PersistentVolumeClaim web-site (its files cannot be shipped (a folder "
     "with sub-folders", Severity.WARNING),
    (12, "becomes the ConfigMap web-tools", Severity.INFO),
]


def _project(root: Path, compose: str = COMPOSE, environment: str | None = None) -> Path:
    (root / "compose.yaml").write_text(compose)
    (root / "nginx.conf").write_text("events {}\n")
    (root / "prometheus").mkdir()
    (root / "prometheus" / "prometheus.yml").write_text("global: {}\n")
    (root / "prometheus" / "rules.yml").write_text("groups: []\n")
    (root / "pgdata").mkdir()
    (root / "site" / "css").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<html></html>\n")
    (root / "tools").mkdir()
    (root / "tools" / "tool.bin").write_bytes(b"\x7fELF\x00\xff")
    if environment is not None:
        (root / "environments").mkdir()
        (root / "environments" / "local.yaml").write_text(environment)
    return root / "compose.yaml"


def _render(compose: Path) -> tuple[list[Document], list[Any]]:
    loaded = api.load_project([compose])
    rendered = api.render(api.resolve(loaded), "kubernetes")
    return rendered.documents, api.locate(loaded, list(rendered.diagnostics))


def _about(diagnostics: list[Any], line: int) -> list[Any]:
    return [d for d in diagnostics if d.location is not None and d.location.line == line
            and d.key == "volumes"]


@pytest.mark.parametrize(("line", "outcome", "severity"), TABLE, ids=[t[1][:40] for t in TABLE])
def test_each_bind_is_said_at_its_line(
    tmp_path: Path, line: int, outcome: str, severity: Severity
) -> None:
    _docs, diagnostics = _render(_project(tmp_path))
    found = _about(diagnostics, line)
    assert [d.severity for d in found] == [severity], [d.message for d in found]
    assert outcome in found[0].message
    assert "services.web.mounts in the environment file" in found[0].message


def test_bind_objects_snapshot(tmp_path: Path, snapshot_yaml: SnapshotAssertion) -> None:
    docs, _ = _render(_project(tmp_path))
    for doc in docs:
        for version in K8S_VERSIONS:
            assert validate_strict(doc.content, version) == [], (doc.filename, version)
    assert api.to_text(docs) == snapshot_yaml


def test_config_maps_hold_the_files(tmp_path: Path) -> None:
    docs, _ = _render(_project(tmp_path))
    maps = {d.name: d.content for d in docs if d.kind == "ConfigMap"}
    assert maps["web-prometheus"]["data"] == {"prometheus.yml": "global: {}\n",
                                             "rules.yml": "groups: []\n"}
    assert maps["web-tools"]["binaryData"] == {"tool.bin": "f0VMRgD/"}
    pod = next(d.content for d in docs if d.kind == "Deployment")["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["/etc/nginx/nginx.conf"] == {"name": "bind-0", "mountPath":
                                               "/etc/nginx/nginx.conf", "readOnly": True,
                                               "subPath": "nginx.conf"}
    assert "/var/run/docker.sock" not in mounts


def test_read_write_claim_recreates_the_deployment(tmp_path: Path) -> None:
    docs, diagnostics = _render(_project(tmp_path))
    deployment = next(d.content for d in docs if d.kind == "Deployment")
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert any("strategy Recreate" in d.message and d.severity is Severity.INFO
               for d in diagnostics)


def test_update_config_lost_to_recreate_is_a_warning() -> None:
    svc = service(volumes=(Mount(type="bind", source="./data", target="/data",
                                 host=HostSource(kind="missing")),))
    plan = make_plan(planned(svc, topology=svc.topology.model_copy(
        update={"update_config": UpdateConfig(parallelism=2)})))
    docs, diagnostics = render(plan)
    assert docs[-1].content["spec"]["strategy"] == {"type": "Recreate"}
    assert any(d.severity is Severity.WARNING and "update_config is not applied" in d.message
               for d in diagnostics)


ENVIRONMENT = """\
services:
  web:
    mounts:
      /var/lib/postgresql/data: emptyDir
      /etc/prometheus: pvc
      /cache: hostPath
volume_defaults:
  size: 5Gi
  storage_class: fast
"""


def test_environment_overrides_each_mount(tmp_path: Path) -> None:
    docs, diagnostics = _render(_project(tmp_path, environment=ENVIRONMENT))
    pod = next(d.content for d in docs if d.kind == "Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["bind-2"] == {"name": "bind-2", "emptyDir": {}}
    assert volumes["bind-1"]["persistentVolumeClaim"] == {"claimName": "web-prometheus"}
    claim = next(d.content for d in docs if d.name == "web-prometheus")
    assert claim["kind"] == "PersistentVolumeClaim"
    assert claim["spec"]["resources"]["requests"]["storage"] == "5Gi"
    assert claim["spec"]["storageClassName"] == "fast"
    # hostPath needs allow_host_paths: refused, said as a warning, and decided as usual.
    refused = _about(diagnostics, 9)
    assert [d.severity for d in refused] == [Severity.WARNING]
    assert "asks for hostPath, but the environment does not allow host paths" in \
        refused[0].message


def test_a_bad_mount_type_in_the_environment_is_positioned(tmp_path: Path) -> None:
    compose = _project(tmp_path, environment="services:\n  web:\n    mounts:\n"
                                             "      /cache: configmap\n")
    loaded = api.load_project([compose])
    with pytest.raises(TranslatorError) as err:
        api.resolve(loaded)
    [diagnostic] = err.value.diagnostics
    assert diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.col) == (4, 7)
    assert "'configMap'" in diagnostic.message


LABELLED = """\
services:
  web:
    image: nginx:1.25
    labels:
      kompose.volume.type: {kind}
      kompose.volume.subpath: {subpath}
    volumes:
      - ./pgdata:/var/lib/postgresql/data
      - db:/db
volumes:
  db: {{}}
"""


def test_kompose_volume_type_and_subpath_labels(tmp_path: Path) -> None:
    docs, diagnostics = _render(_project(
        tmp_path, LABELLED.format(kind="persistentVolumeClaim", subpath="pg")))
    pod = next(d.content for d in docs if d.kind == "Deployment")["spec"]["template"]["spec"]
    mounts = pod["containers"][0]["volumeMounts"]
    assert [m.get("subPath") for m in mounts] == ["pg", "pg"]
    assert any("as the label kompose.volume.type asks" in d.message for d in diagnostics)


@pytest.mark.parametrize(("kind", "subpath", "label", "line"), [
    ("bucket", "pg", "kompose.volume.type", 5),
    ("emptyDir", "/abs", "kompose.volume.subpath", 6),
])
def test_unusable_kompose_labels_are_warnings_at_the_label(
    tmp_path: Path, kind: str, subpath: str, label: str, line: int
) -> None:
    _docs, diagnostics = _render(_project(tmp_path, LABELLED.format(kind=kind,
                                                                    subpath=subpath)))
    found = [d for d in diagnostics if label in d.message and d.severity is Severity.WARNING]
    assert found and found[0].location is not None and found[0].location.line == line


def test_a_volume_type_label_without_a_bind_mount_is_a_warning(tmp_path: Path) -> None:
    text = LABELLED.format(kind="emptyDir", subpath="pg").replace(
        "      - ./pgdata:/var/lib/postgresql/data\n", "")
    _docs, diagnostics = _render(_project(tmp_path, text))
    [found] = [d for d in diagnostics if "the service has none" in d.message]
    assert found.severity is Severity.WARNING
    assert found.location is not None and found.location.line == 5


def test_allowed_host_paths_keep_absolute_binds() -> None:
    mount = Mount(type="bind", source="/srv/data", target="/data",
                  host=HostSource(kind="outside"))
    plan = make_plan(planned(service(volumes=(mount,))),
                     environment=Environment(allow_host_paths=True))
    docs, diagnostics = render(plan)
    pod = docs[-1].content["spec"]["template"]["spec"]
    assert pod["volumes"] == [{"name": "host-0", "hostPath": {"path": "/srv/data"}}]
    assert [d.severity for d in diagnostics if d.key == "volumes"] == [Severity.INFO]


def test_files_that_would_share_a_key_fall_back_to_a_claim() -> None:
    files = (HostFile(name="a b", text="1"), HostFile(name="a-b", text="2"))
    mount = Mount(type="bind", source="./conf", target="/etc/app", read_only=True,
                  host=HostSource(kind="folder", files=files))
    docs, diagnostics = render(make_plan(planned(service(volumes=(mount,)))))
    assert [d.kind for d in docs] == ["PersistentVolumeClaim", "Deployment"]
    assert any("cannot all be ConfigMap keys" in d.message for d in diagnostics)


def test_file_names_that_are_not_keys_are_mapped_by_items() -> None:
    mount = Mount(type="bind", source="./conf", target="/etc/app", read_only=True,
                  host=HostSource(kind="folder", files=(HostFile(name="my app.ini", text="x"),)))
    docs, _ = render(make_plan(planned(service(volumes=(mount,)))))
    config_map = docs[0].content
    assert config_map["data"] == {"my-app.ini": "x"}
    pod = docs[-1].content["spec"]["template"]["spec"]
    assert pod["volumes"][0]["configMap"]["items"] == [{"key": "my-app.ini",
                                                         "path": "my app.ini"}]


def test_claim_names_avoid_named_volumes() -> None:
    mount = Mount(type="bind", source="./data", target="/data", host=HostSource(kind="missing"))
    named = Mount(type="volume", source="web-data", target="/other")
    docs, _ = render(make_plan(planned(service(volumes=(mount, named)))))
    claims = sorted(d.name for d in docs if d.kind == "PersistentVolumeClaim")
    assert claims == ["web-data", "web-data-bind"]


def test_environment_defaults_size_bind_claims() -> None:
    mount = Mount(type="bind", source="./data", target="/data", host=HostSource(kind="missing"))
    env = Environment(volume_defaults=Storage(size=3 << 30),
                      defaults=ServiceSettings(mounts={"/data": "pvc"}))
    docs, diagnostics = render(make_plan(planned(service(volumes=(mount,))), environment=env))
    assert docs[0].content["spec"]["resources"]["requests"]["storage"] == "3Gi"
    assert any("as the environment's defaults.mounts asks" in d.message for d in diagnostics)


def test_explain_shows_what_each_bind_becomes(tmp_path: Path) -> None:
    from translator.explain import explain

    environment = "services:\n  web:\n    mounts:\n      /cache: emptyDir\n"
    loaded = api.load_project([_project(tmp_path, environment=environment)])
    rows = {(r.key, r.target): r for r in explain(api.resolve(loaded), ["kubernetes", "swarm"])}
    volumes = rows[("volumes", "kubernetes")]
    assert "becomes the ConfigMap web-prometheus" in volumes.note
    assert "becomes an emptyDir (as the environment's services.web.mounts asks)" in volumes.note
    assert rows[("environment.mounts", "kubernetes")].handling != "dropped"
    assert rows[("environment.mounts", "swarm")].handling == "dropped"


def test_one_source_mounted_twice_gets_two_objects() -> None:
    host = HostSource(kind="folder", files=(HostFile(name="a.conf", text="x"),))
    mounts = (Mount(type="bind", source="./conf", target="/etc/a", host=host),
              Mount(type="bind", source="./conf", target="/etc/b", host=host))
    docs, _ = render(make_plan(planned(service(volumes=mounts))))
    assert sorted(d.name for d in docs if d.kind == "ConfigMap") == ["web-conf", "web-conf-1"]
