"""Safe output: nothing outside -o DIR, symlinks not followed, --prune only removes our
files, and a stdout stream carries documents only (diagnostics go to stderr)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hardening_helpers import BASE, assert_clean_failure, run_cli, write

from translator import api
from translator.emit_files import is_managed, write_tree
from translator.errors import TranslatorError
from translator.targets.base import Document, RenderOptions

ESCAPING = ["../../x", "..", ".", "/etc/passwd", "a/b", "a\\b", "x" * 300, "%2e%2e", "a\nb",
            ".hidden", "-dash", "CON", "a:b", "~root", "$HOME"]


def _compose(kind: str, name: str) -> str:
    svc: dict[str, object] = {"image": "nginx:1.27"}
    doc: dict[str, object] = {"services": {"web": svc}}
    escaped = name.replace("$", "$$")
    if kind == "service":
        doc["services"] = {escaped: dict(svc), "web": svc}
    elif kind == "volume":
        svc["volumes"] = [{"type": "volume", "source": escaped, "target": "/data"}]
        doc["volumes"] = {escaped: {}}
    elif kind == "config":
        svc["configs"] = [escaped]
        doc["configs"] = {escaped: {"content": "x"}}
    elif kind == "secret":
        svc["secrets"] = [escaped]
        doc["secrets"] = {escaped: {"environment": "TOKEN"}}
    elif kind == "project":
        doc["name"] = escaped
    return json.dumps(doc)


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("name", ESCAPING)
@pytest.mark.parametrize("kind", ["service", "volume", "config", "secret", "project"])
def test_names_never_write_outside_the_output_folder(kind: str, name: str, tmp_path: Path) -> None:
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir()
    before = _tree(tmp_path)
    try:
        loaded = api.load_project(["-"], stdin=_compose(kind, name), environ={"TOKEN": "t"},
                                  working_dir=work)
        plan = api.resolve(loaded, "local")
    except TranslatorError:
        return  # refused at load: nothing written
    for target in api.target_names():
        for layout in ("group", "apps"):
            options = RenderOptions(embed_secrets=True, extra={"marathon_layout": layout})
            try:
                docs = api.render(plan, target, options=options).documents
                written = api.write(docs, out / target / layout)
            except TranslatorError:
                continue
            for path in written:
                resolved = path.resolve()
                assert resolved.is_relative_to((out / target / layout).resolve()), path
                assert len(path.name.encode()) <= 255
    created = _tree(tmp_path) - before
    assert all(p == "out" or p.startswith("out/") for p in created), sorted(created)


def test_too_long_file_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError, match="longer than 250 bytes"):
        write_tree([Document("x" * 300, {"a": 1})], tmp_path / "out", "yaml")
    assert not (tmp_path / "out").exists()


def test_names_differing_only_in_case_are_one_file_on_some_systems(tmp_path: Path) -> None:
    docs = [Document("deployment-Web", {"a": 1}), Document("deployment-web", {"b": 2})]
    with pytest.raises(TranslatorError, match="two documents would be written"):
        write_tree(docs, tmp_path / "out", "yaml")


@pytest.mark.parametrize("service", ["Web", "WEB", "wEb"])
def test_services_differing_only_in_case_through_the_cli(service: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml",
          f"services:\n  web:\n    image: nginx\n  {service}:\n    image: nginx\n")
    for target in ("kubernetes", "marathon"):
        run = run_cli(["convert", "--to", target, "-f", "compose.yaml", "-o", "out"], tmp_path)
        assert_clean_failure(run)
    assert not (tmp_path / "out").exists()


# A symlinked file inside DIR: tests/test_emit.py::test_symlink_inside_output_is_not_followed.


def test_symlinked_folder_inside_output_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(outside, target_is_directory=True)
    write_tree([Document("sub/deployment-web", {"kind": "Deployment"})], out, "yaml")
    assert list(outside.iterdir()) == []
    assert (out / "sub" / "deployment-web.yaml").is_file()


def test_special_file_in_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "pipe")
    (out / "keep.yaml").write_text("old")
    with pytest.raises(TranslatorError, match="not a regular file"):
        write_tree([Document("keep", {"new": 1})], out, "yaml")
    assert (out / "keep.yaml").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ---- prune --------------------------------------------------------------------------------
OURS_K8S = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "old", "labels": {"app.kubernetes.io/managed-by":
                                                   "compose-translator"}}}
NOT_OURS = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "theirs"}}
MIXED = [OURS_K8S, NOT_OURS]


@pytest.mark.parametrize(
    ("name", "text", "ours"),
    [
        ("ours.yaml", yaml.safe_dump(OURS_K8S), True),
        ("ours.json", json.dumps(OURS_K8S), True),
        ("stack.yml", yaml.safe_dump({"x-managed-by": "compose-translator", "services": {}}), True),
        ("app.json", json.dumps({"id": "/a", "labels": {"managed-by": "compose-translator"}}),
         True),
        ("group.json", json.dumps({"id": "/g", "apps": [
            {"id": "/g/a", "labels": {"managed-by": "compose-translator"}}]}), True),
        ("group-mixed.json", json.dumps({"id": "/g", "apps": [
            {"id": "/g/a", "labels": {"managed-by": "compose-translator"}}, {"id": "/g/b"}]}),
         False),
        ("group-empty.json", json.dumps({"id": "/g", "apps": []}), False),
        ("theirs.yaml", yaml.safe_dump(NOT_OURS), False),
        ("mixed.yaml", yaml.safe_dump_all(MIXED), False),
        ("ours.txt", yaml.safe_dump(OURS_K8S), False),  # not a manifest suffix
        ("broken.yaml", "a: [", False),
        ("bomb.yaml", "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg",
                                                                          strict=True)), False),
        ("empty.yaml", "", False),
        ("marker-in-a-comment.yaml", "# app.kubernetes.io/managed-by: compose-translator\n"
                                     "kind: Secret\n", False),
        ("marker-as-a-value.yaml", yaml.safe_dump({"data": {"x": "compose-translator"}}), False),
    ],
)
def test_is_managed(name: str, text: str, ours: bool, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert is_managed(path) is ours


def test_without_prune_nothing_is_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.yaml").write_text(yaml.safe_dump(OURS_K8S))
    write_tree([Document("new", {"kind": "X"})], out, "yaml")
    assert sorted(p.name for p in out.iterdir()) == ["new.yaml", "stale.yaml"]


def test_prune_removes_only_our_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "stale.yaml").write_text(yaml.safe_dump(OURS_K8S))
    (out / "sub" / "stale.json").write_text(json.dumps(OURS_K8S))
    (out / "theirs.yaml").write_text(yaml.safe_dump(NOT_OURS))
    (out / "notes.txt").write_text("mine")
    outside = tmp_path / "outside.yaml"
    outside.write_text(yaml.safe_dump(OURS_K8S))
    (out / "link.yaml").symlink_to(outside)
    write_tree([Document("new", {"kind": "X"})], out, "yaml", prune=True)
    assert _tree(out) == {"new.yaml", "theirs.yaml", "notes.txt", "link.yaml", "sub"}
    assert outside.exists()  # a symlink is never ours, nor followed


def test_prune_after_a_real_render_removes_a_deleted_service(tmp_path: Path) -> None:
    two = BASE + "  api:\n    image: busybox\n"
    out = tmp_path / "out"
    for text, prune in ((two, False), (BASE, True)):
        loaded = api.load_project(["-"], stdin=text, environ={}, working_dir=tmp_path,
                                  project_name="p")
        docs = api.render(api.resolve(loaded, "local"), "kubernetes").documents
        api.write(docs, out, prune=prune)
    assert sorted(p.name for p in out.iterdir()) == ["deployment-web.yaml"]


# ---- stdout carries documents only --------------------------------------------------------
def test_stdout_has_documents_only_and_diagnostics_go_to_stderr(tmp_path: Path) -> None:
    # Keys each target cannot express produce warnings; unknown keys too.
    write(tmp_path, "compose.yaml", BASE + "    privileged: true\n    cap_add: [NET_ADMIN]\n"
          "    unknown_key: 1\n    environment:\n      PASSWORD: hunter2\n")
    for target in ("kubernetes", "swarm", "marathon"):
        run = run_cli(["convert", "--to", target, "-f", "compose.yaml", "--format", "json"],
                      tmp_path)
        assert run.code == 0, run.stderr
        assert "warning:" in run.stderr
        decoder, index, docs = json.JSONDecoder(), 0, []
        while index < len(run.stdout):
            if run.stdout[index].isspace():
                index += 1
                continue
            doc, index = decoder.raw_decode(run.stdout, index)
            docs.append(doc)
        assert docs and all(isinstance(d, dict) for d in docs)
        assert "warning" not in run.stdout


def test_errors_leave_stdout_empty(tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", BASE + "    ports: ['not a port']\n")
    run = run_cli(["convert", "--to", "kubernetes", "-f", "compose.yaml"], tmp_path)
    assert_clean_failure(run)
    assert run.stdout == ""
