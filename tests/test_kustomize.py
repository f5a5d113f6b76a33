"""The Kustomize layout: every overlay, built by the real kubectl, gives what convert renders."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from project_files import write_project
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.emit_files import is_managed
from translator.errors import Diagnostics, TranslatorError
from translator.kustomize import EnvInfo, build_layout, set_image
from translator.kustomize.merge import MISSING, additions, common
from translator.targets.base import Document, OutputFormat, RenderOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.parent.name for p in (ROOT / "samples").glob("*/compose.yaml"))
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl (with its built-in Kustomize) is not installed"
)


def render_all(
    sample: str | Path, options: RenderOptions | None = None, images: Sequence[str] = ()
) -> tuple[dict[str, list[Document]], dict[str, EnvInfo]]:
    """Every environment's Kubernetes objects, for a sample's name or a compose file."""
    compose = sample if isinstance(sample, Path) else ROOT / "samples" / sample / "compose.yaml"
    loaded = api.load_project([compose])
    inputs = api.PlanInputs(images=tuple(images))
    rendered: dict[str, list[Document]] = {}
    infos: dict[str, EnvInfo] = {}
    for env in api.list_environments(loaded, inputs):
        plan = api.resolve(loaded, env, inputs)
        rendered[env] = api.render(plan, "kubernetes", options=options).documents
        infos[env] = EnvInfo.of(plan.environment)
    return rendered, infos


def kustomize(folder: Path) -> list[dict[str, Any]]:
    assert KUBECTL is not None
    done = subprocess.run(
        [KUBECTL, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def by_identity(contents: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], Any]:
    return {(c["kind"], c["metadata"]["name"]): c for c in contents}


def expected(documents: Sequence[Document]) -> dict[tuple[str, str], Any]:
    """The objects as a reader of convert's YAML output sees them."""
    return by_identity([yaml.safe_load(api.to_text([d])) for d in documents])


def write_layout(documents: Sequence[Document], out: Path, fmt: OutputFormat = "yaml") -> Path:
    api.write(documents, out, fmt)
    return out


CASES = [
    (sample, env)
    for sample in SAMPLES
    for env in api.list_environments(api.load_project([ROOT / "samples" / sample
                                                       / "compose.yaml"]))
]


@needs_kubectl
@pytest.mark.parametrize(("sample", "env"), CASES, ids=[f"{s}-{e}" for s, e in CASES])
def test_overlay_builds_what_convert_renders(sample: str, env: str, tmp_path: Path) -> None:
    rendered, infos = render_all(sample)
    out = write_layout(build_layout(rendered, infos), tmp_path / "out")
    got = by_identity(kustomize(out / "overlays" / env))
    assert got == expected(rendered[env])


def assert_invariant(
    rendered: Mapping[str, list[Document]], infos: Mapping[str, EnvInfo], out: Path
) -> None:
    write_layout(build_layout(rendered, infos), out)
    for env, documents in rendered.items():
        assert by_identity(kustomize(out / "overlays" / env)) == expected(documents), env


@needs_kubectl
def test_policies_namespaces_and_secrets_keep_the_invariant(tmp_path: Path) -> None:
    options = RenderOptions(
        embed_secrets=True, extra={"network_policies": True, "create_namespace": True}
    )
    rendered, infos = render_all("shop", options)
    kinds = {d.kind for d in rendered["production"]}
    assert {"NetworkPolicy", "Namespace", "Secret"} <= kinds
    assert_invariant(rendered, infos, tmp_path / "out")
    secrets = [d for d in build_layout(rendered, infos) if d.kind == "Secret"]
    assert secrets and all(d.sensitive for d in secrets)


def test_layout_snapshot(snapshot_yaml: SnapshotAssertion) -> None:
    """The shop's whole layout, file by file, as users would review it."""
    documents = build_layout(*render_all("shop"))
    assert "".join(f"# {d.filename}\n{api.to_text([d])}" for d in documents) == snapshot_yaml


def files(documents: Sequence[Document]) -> dict[str, str]:
    return {d.filename: api.to_text([d]) for d in documents}


def test_every_file_carries_the_marker_prune_looks_for(tmp_path: Path) -> None:
    written = api.write(build_layout(*render_all("shop")), tmp_path / "out")
    assert written and [p for p in written if not is_managed(p)] == []


def test_two_builds_are_byte_identical() -> None:
    first = files(build_layout(*render_all("shop")))
    second = files(build_layout(*render_all("shop")))
    assert first == second
    assert str(ROOT) not in "".join(first.values())


def test_an_object_of_one_environment_lands_in_that_overlay_only() -> None:
    names = files(build_layout(*render_all("shop")))
    ingress = [n for n in names if n.endswith("ingress-customer-service.yaml")]
    assert ingress == ["overlays/production/ingress-customer-service.yaml"]
    assert "ingress-customer-service.yaml" in names["overlays/production/kustomization.yaml"]
    assert "ingress" not in names["overlays/uat/kustomization.yaml"]


def test_base_holds_repositories_and_overlays_hold_versions() -> None:
    names = files(build_layout(*render_all("shop")))
    assert "image: registry.example.com/shop/accounts\n" in names["base/deployment-accounts.yaml"]
    assert "namespace" not in names["base/deployment-accounts.yaml"]
    overlay = yaml.safe_load(names["overlays/uat/kustomization.yaml"])
    assert {"name": "registry.example.com/shop/accounts", "newTag": "1.4.2"} in overlay["images"]
    assert overlay["namespace"] == "shop-uat"


def changed_lines(before: Mapping[Path, str], folder: Path) -> list[tuple[Path, str, str]]:
    after = {p: p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert after.keys() == before.keys()
    changes = []
    for path, text in after.items():
        old, new = before[path].splitlines(), text.splitlines()
        assert len(old) == len(new), path
        changes += [(path, a, b) for a, b in zip(old, new, strict=True) if a != b]
    return changes


def snapshot_folder(folder: Path) -> dict[Path, str]:
    return {p: p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_kubectl
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_version_bump_is_one_line_and_the_labels_follow(
    fmt: OutputFormat, tmp_path: Path
) -> None:
    out = write_layout(build_layout(*render_all("shop")), tmp_path / "out", fmt)
    before = snapshot_folder(out)
    overlay = out / "overlays" / "production" / "kustomization.yaml"
    assert set_image(overlay, "registry.example.com/shop/accounts", "1.5.0") == []
    [(path, old, new)] = changed_lines(before, out)
    assert path == overlay
    assert (old.strip(), new.strip()) == (
        ("newTag: 1.4.2", "newTag: 1.5.0") if fmt == "yaml"
        else ('"newTag": "1.4.2"', '"newTag": "1.5.0"')
    )
    bumped, _ = render_all("shop", images=["accounts=1.5.0"])
    assert by_identity(kustomize(out / "overlays" / "production")) == expected(
        bumped["production"]
    )
    # The other environments did not move.
    rendered, _ = render_all("shop")
    assert by_identity(kustomize(out / "overlays" / "uat")) == expected(rendered["uat"])


def test_a_bump_to_a_number_like_tag_stays_a_string(tmp_path: Path) -> None:
    out = write_layout(build_layout(*render_all("shop")), tmp_path / "out")
    overlay = out / "overlays" / "uat" / "kustomization.yaml"
    set_image(overlay, "postgres", "17.0")
    entries = yaml.safe_load(overlay.read_text())["images"]
    assert {"name": "postgres", "newTag": "17.0"} in entries


def test_a_digest_bump_is_one_line_but_says_the_label_stays(tmp_path: Path) -> None:
    out = write_layout(build_layout(*render_all("shop")), tmp_path / "out")
    before = snapshot_folder(out)
    overlay = out / "overlays" / "uat" / "kustomization.yaml"
    digest = "sha256:" + "ab" * 32
    notes = set_image(overlay, "registry.example.com/shop/invoicing", digest)
    assert [n.code for n in notes] == ["kustomize.fixed-version"]
    assert [(p, b.strip()) for p, _, b in changed_lines(before, out)] == [
        (overlay, f'digest: "{digest}"')
    ]


def test_a_tagged_image_is_not_moved_to_a_digest(tmp_path: Path) -> None:
    out = write_layout(build_layout(*render_all("shop")), tmp_path / "out")
    overlay = out / "overlays" / "uat" / "kustomization.yaml"
    before = overlay.read_text()
    with pytest.raises(TranslatorError, match="deployed by tag"):
        set_image(overlay, "registry.example.com/shop/accounts", "sha256:" + "ab" * 32)
    assert overlay.read_text() == before


def test_digests_are_reported_as_fixed_versions() -> None:
    diagnostics = Diagnostics()
    build_layout(*render_all("shop"), diagnostics=diagnostics)
    assert [d.message.split(":")[0] for d in diagnostics] == [
        "the version label of Deployment invoicing is written as rendered in overlays "
        "local, production, uat"
    ]


COMPOSE = """
    name: edge
    services:
      web:
        image: nginx:1.27
        ports: ["8080:80"]
      proxy:
        image: nginx:1.25
      api:
        image: localhost:5000/team/api:2.0
        ports: ["9000:9000"]
      cache:
        image: redis
"""
ENVIRONMENTS = {
    "a": """
        namespace: edge-a
        labels: {tier: front, team: edge}
        annotations: {example.com/owner: edge-team}
        defaults: {replicas: 2}
        services:
          web: {labels: {tier: special}, replicas: 5}
          api: {exposure: {type: ingress, host: api.example.com}}
    """,
    "b": """
        labels: {team: edge}
        defaults: {replicas: 1}
    """,
}


@needs_kubectl
def test_what_kustomize_cannot_say_stays_in_the_objects(tmp_path: Path) -> None:
    """A label one service overrides, a repository at two tags, an untagged image,
    a registry with a port: all keep the invariant."""
    compose = write_project(tmp_path / "project", COMPOSE, ENVIRONMENTS)
    rendered, infos = render_all(compose)
    assert_invariant(rendered, infos, tmp_path / "out")
    overlay_a = yaml.safe_load((tmp_path / "out/overlays/a/kustomization.yaml").read_text())
    assert overlay_a["labels"][0]["pairs"] == {"team": "edge"}  # tier differs for web
    assert [i["name"] for i in overlay_a["images"]] == ["localhost:5000/team/api"]
    assert overlay_a["replacements"][0]["source"]["options"] == {"delimiter": ":", "index": 2}
    assert "namespace" not in yaml.safe_load(
        (tmp_path / "out/overlays/b/kustomization.yaml").read_text()
    )


@needs_kubectl
def test_a_bump_behind_a_registry_port_keeps_the_invariant(tmp_path: Path) -> None:
    compose = write_project(tmp_path / "project", COMPOSE, ENVIRONMENTS)
    out = write_layout(build_layout(*render_all(compose)), tmp_path / "out")
    set_image(out / "overlays/a/kustomization.yaml", "localhost:5000/team/api", "2.1")
    bumped, _ = render_all(compose, images=["api=2.1"])
    assert by_identity(kustomize(out / "overlays" / "a")) == expected(bumped["a"])


def test_an_overlay_that_is_not_there_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError, match="cannot read the overlay"):
        set_image(tmp_path / "kustomization.yaml", "nginx", "1.27")


def test_common_keeps_equal_values_of_equal_types_only() -> None:
    assert common([{"a": 1, "b": 1, "c": [1]}, {"a": 1, "b": True, "c": [1]}], False) == {
        "a": 1, "c": [1]
    }
    assert common([{"a": 1.0}, {"a": 1}], False) == {}


def test_containers_are_merged_by_name_and_other_lists_whole() -> None:
    def pod(cpu: str, args: list[str]) -> dict[str, Any]:
        container = {"name": "web", "image": "nginx", "args": args, "resources": {"cpu": cpu}}
        return {"template": {"spec": {"containers": [container]}}}

    a, b = pod("1", ["-v"]), pod("2", ["-q"])
    base = common([a, b], True)
    assert base == {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx", "resources": {}}
    ]}}}
    assert additions(a, base, True) == {"template": {"spec": {"containers": [
        {"name": "web", "args": ["-v"], "resources": {"cpu": "1"}}
    ]}}}
    # Kustomize merges by name only for kinds whose schema it knows.
    assert common([a, b], False) == {"template": {"spec": {}}}
    assert additions(a, a, True) is MISSING


def obj(kind: str, name: str, annotations: dict[str, str] | None = None) -> Document:
    meta: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/name": name}}
    if annotations:
        meta["annotations"] = annotations
    content: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": meta}
    if kind == "Deployment":
        content["apiVersion"] = "apps/v1"
        content["spec"] = {"template": {"metadata": {"labels": {"app.kubernetes.io/name": name}},
                                        "spec": {"containers": [{"name": name, "image": "x"}]}}}
    return Document(f"{kind.lower()}-{name}.yaml", content, kind, name)


@needs_kubectl
def test_annotations_no_target_can_select_go_in_patches(tmp_path: Path) -> None:
    owner = {"example.com/owner": "me"}
    rendered = {
        "blue": [obj("Deployment", "a", owner), obj("Service", "a"), obj("Service", "b", owner)],
        "green": [obj("Deployment", "a"), obj("Service", "a"), obj("Service", "b")],
    }
    infos = {"blue": EnvInfo(annotations=owner), "green": EnvInfo()}
    assert_invariant(rendered, infos, tmp_path / "out")
    names = files(build_layout(rendered, infos))
    assert "overlays/blue/patches/annotations.yaml" not in names
    assert "example.com/owner" in names["overlays/blue/patches/service-b.yaml"]


# ---- through the command line ---------------------------------------------------------------
def translator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    return subprocess.run(
        [sys.executable, "-m", "translator", *args], capture_output=True, text=True,
        cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120, check=False,
    )


@needs_kubectl
def test_convert_and_deploy_with_the_kustomize_layout(tmp_path: Path) -> None:
    shop = ROOT / "samples" / "shop"
    out = tmp_path / "deploy"
    done = translator("convert", "--to", "k8s", "--all-envs", "--layout", "kustomize",
                      "-o", str(out), cwd=shop)
    assert done.returncode == 0, done.stderr
    rendered, _ = render_all("shop")
    for env, documents in rendered.items():
        assert by_identity(kustomize(out / "overlays" / env)) == expected(documents), env
    # Up to date: --check passes, as the pre-commit hook runs it.
    check = translator("convert", "--all-envs", "--layout", "kustomize", "-o", str(out),
                       "--check", cwd=shop)
    assert check.returncode == 0, check.stdout + check.stderr
    before = snapshot_folder(out)
    bump = translator("deploy", "returns", "v457", "production", "--layout", "kustomize",
                      "-o", str(out), cwd=shop)
    assert (bump.returncode, bump.stdout) == (0, "")
    [(path, old, new)] = changed_lines(before, out)
    assert path == out / "overlays" / "production" / "kustomization.yaml"
    assert (old.strip(), new.strip()) == ("newTag: 1.0.8", "newTag: v457")
    # Now stale against a render at the old version: --check says so.
    stale = translator("convert", "--all-envs", "--layout", "kustomize", "-o", str(out),
                       "--check", cwd=shop)
    assert stale.returncode == 1 and "v457" in stale.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["convert", "--all-envs", "--layout", "kustomize"], "--layout kustomize needs -o DIR"),
     (["convert", "--layout", "kustomize", "-o", "x"], "needs --all-envs"),
     (["convert", "--all-envs", "--layout", "kustomize", "--to", "swarm", "-o", "x"],
      "writes Kubernetes objects, not swarm"),
     (["deploy", "returns", "v1", "--layout", "kustomize"], "needs -o DIR")],
)
def test_kustomize_layout_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    done = translator(*args, cwd=ROOT / "samples" / "shop")
    assert done.returncode == 2 and message in done.stderr
    assert not (ROOT / "samples" / "shop" / "x").exists()


def test_prune_removes_stale_layout_files_and_keeps_the_users(tmp_path: Path) -> None:
    shop = ROOT / "samples" / "shop"
    out = tmp_path / "deploy"
    args = ("convert", "--all-envs", "--layout", "kustomize", "-o", str(out))
    assert translator(*args, cwd=shop).returncode == 0
    patches = out / "overlays" / "uat" / "patches"
    stale = patches / "deployment-gone.yaml"
    stale.write_text((patches / "deployment-accounts.yaml").read_text())  # carries the marker
    mine = out / "overlays" / "uat" / "NOTES.md"
    mine.write_text("kept\n")
    assert translator(*args, "--prune", cwd=shop).returncode == 0
    assert not stale.exists() and mine.read_text() == "kept\n"
    assert (patches / "deployment-accounts.yaml").is_file()
