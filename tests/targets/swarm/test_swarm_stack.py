"""The stack document: file name, top-level resources, the key table, templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from swarm_helpers import (
    NO_DAEMON,
    UNSUPPORTED_MARKERS,
    client_side_deploy,
    kitchen_sink,
    plan,
    planned,
    render,
    require_client,
    run_client,
    schema_errors,
    service,
)

from translator.errors import Diagnostics
from translator.model import (
    Environment,
    Exposure,
    FileObject,
    Mount,
    Network,
    Port,
    PortRange,
    ServiceNetwork,
    Storage,
    Volume,
)
from translator.model.project import Ipam
from translator.model.service import FileReference
from translator.targets import get
from translator.targets.base import RenderOptions, Target, handling_of
from translator.targets.swarm import TARGET, sanitize
from translator.templating import Templates

KEYS = TARGET.keys


def test_registry_and_protocol() -> None:
    target: Target = TARGET  # mypy checks that SwarmTarget implements the protocol
    assert get("swarm") is target
    assert TARGET.name == "swarm"


@pytest.mark.parametrize(
    ("project", "filename"),
    [
        ("shop", "shop.stack.yml"),
        ("my_app-2", "my_app-2.stack.yml"),
        ("../evil/x", "evil-x.stack.yml"),
        ("...", "stack.stack.yml"),
    ],
)
def test_one_document_named_after_the_project(project: str, filename: str) -> None:
    # The stack (namespace) name is chosen apart, so only the file name depends on the project.
    result = render(plan(service(), name=project, environment=Environment(namespace="demo")))
    assert result.filename == filename
    assert sanitize(project) + ".stack.yml" == filename
    assert result.content["version"] == "3.13"
    # The marker lets `convert --prune` tell our stack files from others.
    assert list(result.content) == ["version", "x-managed-by", "services"]
    assert result.content["x-managed-by"] == "compose-translator"


def _used(**fields: Any) -> Any:
    return service(**fields)


# (id, service fields, top-level declarations, expected top-level sections)
TOP: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "network-overlay-default",
        {"networks": {"back": None}},
        {"networks": {"back": Network()}},
        {"networks": {"back": {"driver": "overlay"}}},
    ),
    (
        "network-bridge-becomes-overlay",
        {"networks": {"b": None}},
        {
            "networks": {
                "b": Network(
                    driver="bridge",
                    internal=True,
                    attachable=True,
                    labels={"x": "y"},
                    driver_opts={"encrypted": ""},
                )
            }
        },
        {
            "networks": {
                "b": {
                    "driver": "overlay",
                    "driver_opts": {"encrypted": ""},
                    "internal": True,
                    "attachable": True,
                    "labels": {"x": "y"},
                }
            }
        },
    ),
    (
        "network-external",
        {"networks": {"edge": None}},
        {"networks": {"edge": Network(external=True, name="traefik-public")}},
        {"networks": {"edge": {"external": True, "name": "traefik-public"}}},
    ),
    (
        "network-ipam-subnet",
        {"networks": {"n": ServiceNetwork(aliases=("a",))}},
        {"networks": {"n": Network(ipam=Ipam(config=({"subnet": "10.9.0.0/24"},)))}},
        {"networks": {"n": {"driver": "overlay", "ipam": {"config": [{"subnet": "10.9.0.0/24"}]}}}},
    ),
    ("unused-network-left-out", {}, {"networks": {"unused": Network()}}, {}),
    (
        "declared-default-network",
        {},
        {"networks": {"default": Network(driver_opts={"a": "b"})}},
        {"networks": {"default": {"driver": "overlay", "driver_opts": {"a": "b"}}}},
    ),
    (
        "volumes-used-only",
        {"volumes": (Mount(type="volume", source="data", target="/d"),)},
        {"volumes": {"data": Volume(driver="local", labels={"k": "v"}), "other": Volume()}},
        {"volumes": {"data": {"driver": "local", "labels": {"k": "v"}}}},
    ),
    (
        "volume-external",
        {"volumes": (Mount(type="volume", source="data", target="/d"),)},
        {"volumes": {"data": Volume(external=True)}},
        {"volumes": {"data": {"external": True, "name": "data"}}},
    ),
    (
        "secret-file-as-written",
        {"secrets": (FileReference(source="pw"),)},
        {"secrets": {"pw": FileObject(file="./secrets/pw.txt", labels={"a": "b"})}},
        {"secrets": {"pw": {"file": "./secrets/pw.txt", "labels": {"a": "b"}}}},
    ),
    (
        "secret-external",
        {"secrets": (FileReference(source="pw"),)},
        {"secrets": {"pw": FileObject(external=True, name="prod_pw")}},
        {"secrets": {"pw": {"external": True, "name": "prod_pw"}}},
    ),
    (
        "config-template-driver",
        {"configs": (FileReference(source="c"),)},
        {"configs": {"c": FileObject(file="c.tmpl", template_driver="golang")}},
        {"configs": {"c": {"file": "c.tmpl", "template_driver": "golang"}}},
    ),
]


@pytest.mark.parametrize(
    ("fields", "declared", "expected"), [c[1:] for c in TOP], ids=[c[0] for c in TOP]
)
def test_top_level_resources(
    fields: dict[str, Any], declared: dict[str, Any], expected: dict[str, Any]
) -> None:
    result = render(plan(service(**fields), **declared))
    got = {k: v for k, v in result.content.items()
           if k not in ("version", "x-managed-by", "services")}
    assert got == expected
    assert schema_errors(result.content) == []


def test_project_dir_option_prefixes_relative_files_only() -> None:
    p = plan(
        service(secrets=(FileReference(source="a"), FileReference(source="b"))),
        secrets={"a": FileObject(file="./a.txt"), "b": FileObject(file="/abs/b.txt")},
    )
    result = render(p, RenderOptions(extra={"project_dir": ".."}))
    assert result.content["secrets"] == {"a": {"file": "../a.txt"}, "b": {"file": "/abs/b.txt"}}


@pytest.mark.parametrize("source", [{"environment": "PW"}, {"content": "s3cret"}])
def test_secret_without_stack_form_is_dropped_with_its_uses(source: dict[str, Any]) -> None:
    p = plan(
        service(secrets=(FileReference(source="pw"), FileReference(source="ok"))),
        secrets={"pw": FileObject.model_validate(source), "ok": FileObject(file="ok.txt")},
    )
    result = render(p)
    assert result.content["secrets"] == {"ok": {"file": "ok.txt"}}
    assert result.service()["secrets"] == [{"source": "ok"}]
    keys = {(d.path, d.key) for d in result.diagnostics}
    assert (("secrets", "pw", next(iter(source))), next(iter(source))) in keys
    assert (("services", "web", "secrets"), "secrets") in keys
    assert schema_errors(result.content) == []


def test_keys_cover_every_compose_service_key(conformance_dir: Path) -> None:
    schema = json.loads((conformance_dir / "schemas" / "compose-spec.json").read_text())
    spec_keys = set(schema["definitions"]["service"]["properties"])
    assert set(KEYS) == spec_keys
    assert len(KEYS) == 92


@pytest.mark.parametrize("key", sorted(k for k, s in KEYS.items() if handling_of(s) != "mapped"))
def test_every_unmapped_key_is_diagnosed(key: str) -> None:
    result = render(plan(service(source_keys=("image", key))))
    [diagnostic] = result.diagnostics
    assert (diagnostic.service, diagnostic.key, diagnostic.target) == ("web", key, "swarm")
    assert diagnostic.path == ("services", "web", key)
    assert diagnostic.code == f"swarm.{handling_of(KEYS[key])}"


def test_mapped_keys_are_silent() -> None:
    mapped = tuple(k for k, s in KEYS.items() if handling_of(s) == "mapped")
    assert render(plan(service(source_keys=mapped))).diagnostics.items == []


def test_user_template_overrides_service_and_cannot_inject(tmp_path: Path) -> None:
    (tmp_path / "swarm").mkdir()
    (tmp_path / "swarm" / "service.yaml.j2").write_text(
        "image: {{ image }}\nhostname: {{ hostname }}\nx-note: {{ user }}\n"
        "deploy:\n  mode: {{ mode }}\n"
    )
    hostile = 'a"\nprivileged: true\n- b: {c'
    svc = service(hostname=hostile, user="bob\n---\nkind: x")
    docs = TARGET.render(plan(svc), RenderOptions(), Templates(tmp_path), Diagnostics())
    got = docs[0].content["services"]["web"]
    assert got == {
        "image": "nginx:1.27",
        "hostname": hostile,
        "x-note": "bob\n---\nkind: x",
        "deploy": {"mode": "replicated"},
    }


def test_kitchen_sink_passes_the_docker_cli(tmp_path: Path) -> None:
    require_client()
    result = render(kitchen_sink())
    assert schema_errors(result.content) == []
    # Everything maps but shm_size, which becomes a tmpfs mount at /dev/shm, and the start
    # interval of the health check, which needs Engine API 1.44 on the managers.
    assert [(d.key, d.code) for d in result.diagnostics] == [
        ("shm_size", "swarm.approximated"), ("healthcheck", "swarm.approximated")]
    (tmp_path / "pw.txt").write_text("pw")
    (tmp_path / "conf.txt").write_text("conf")
    stack = tmp_path / result.filename
    stack.write_text(result.text)
    config = run_client(["stack", "config", "-c", stack.name], tmp_path)
    assert config.returncode == 0, config.stderr
    # The CLI reads `$$` back as a literal `$`.
    assert "--flag=$literal" in config.stdout
    deploy = client_side_deploy(stack)
    output = deploy.stdout + deploy.stderr
    assert not [m for m in UNSUPPORTED_MARKERS if m in output], output
    assert NO_DAEMON in output, output


# (id, exposure type, expected diagnostic code or None)
EXPOSURES: list[tuple[str, str, str | None]] = [
    ("internal", "internal", None),
    ("node-port-is-the-routing-mesh", "node-port", None),
    ("load-balancer", "load-balancer", "swarm.approximated"),
    ("ingress", "ingress", "swarm.dropped"),
]


@pytest.mark.parametrize(
    ("kind", "code"), [c[1:] for c in EXPOSURES], ids=[c[0] for c in EXPOSURES]
)
def test_environment_exposure(kind: str, code: str | None) -> None:
    exposure = Exposure.model_validate({"type": kind, "host": "a.example.com"})
    p = planned(service(ports=(Port(target=80, published=PortRange(start=80, end=80)),)))
    result = render(plan(p.model_copy(update={"exposure": exposure})))
    assert [d.code for d in result.diagnostics] == ([] if code is None else [code])
    assert result.service()["ports"] == [
        {"target": 80, "published": 80, "protocol": "tcp", "mode": "ingress"}
    ]


@pytest.mark.parametrize(
    ("storage", "warned"),
    [(Storage(), False), (Storage(size=2 << 30), True), (Storage(storage_class="ssd"), True)],
    ids=["none", "size", "class"],
)
def test_environment_storage_is_diagnosed(storage: Storage, warned: bool) -> None:
    svc = service(volumes=(Mount(type="volume", source="data", target="/d"),))
    p = plan(svc, volumes={"data": Volume()}).model_copy(update={"storage": {"data": storage}})
    result = render(p)
    assert [(d.path, d.key) for d in result.diagnostics] == (
        [(("volumes", "data"), "storage")] if warned else []
    )
    assert result.content["volumes"] == {"data": None}


def test_environment_annotations_are_diagnosed() -> None:
    p = planned(service()).model_copy(update={"annotations": {"a": "b"}})
    [diagnostic] = render(plan(p)).diagnostics
    assert (diagnostic.key, diagnostic.path) == ("annotations", ("services", "web", "annotations"))
