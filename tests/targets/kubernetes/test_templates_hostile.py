"""A hostile value cannot change a document's structure, in our templates or a user's copy."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs
from conftest import make_plan, planned, render, service

from translator.emit import dumps_stream
from translator.targets.base import Document
from translator.templating import Templates, builtin_templates_dir

HOSTILE = [
    "a\nkind: Secret",
    "a\n---\nkind: Secret",
    "---\napiVersion: v1\nkind: Pod",
    "key: value",
    "{{ 7 * 7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "\"quoted' \\\" end",
    "# comment",
    "nul\x00byte",
    "}}]]{{ ]: [",
    "\u2028line\u2029separators",
]


def _plan(value: str) -> Any:
    svc = service(
        name=f"web{value}",
        command=("echo", value),
        entrypoint=(value,),
        environment={"HOSTILE": value},
        labels={"com.example.note": value},
        working_dir=f"/srv/{value}",
    )
    return make_plan(planned(svc))


def _render(value: str, templates: Templates | None = None) -> list[Document]:
    docs, _ = render(_plan(value), templates=templates)
    return docs


def _check(docs: list[Document], value: str) -> None:
    assert [d.kind for d in docs] == ["Deployment"]
    content = docs[0].content
    assert set(content) == {"apiVersion", "kind", "metadata", "spec"}
    assert content["kind"] == "Deployment"
    pod = content["spec"]["template"]
    c = pod["spec"]["containers"][0]
    assert c["args"] == ["echo", value]
    assert c["command"] == [value]
    assert c["env"] == [{"name": "HOSTILE", "value": value}]
    assert c["workingDir"] == f"/srv/{value}"
    assert pod["metadata"]["annotations"] == {"com.example.note": value}
    # The emitted stream still holds exactly one document with the same content.
    assert list(yaml.safe_load_all(dumps_stream(docs, "yaml"))) == [content]
    assert yaml_rs.loads(dumps_stream(docs, "yaml")) == content


@pytest.mark.parametrize("value", HOSTILE)
def test_builtin_templates_keep_structure(value: str) -> None:
    _check(_render(value), value)


@pytest.fixture
def user_templates(tmp_path: Path) -> Templates:
    folder = tmp_path / "kubernetes"
    folder.mkdir()
    source = (builtin_templates_dir() / "kubernetes" / "deployment.yaml.j2").read_text()
    # An innocuous change a user might make: keep fewer old ReplicaSets.
    modified = source.replace("spec:\n", "spec:\n  revisionHistoryLimit: 3\n", 1)
    assert modified != source
    (folder / "deployment.yaml.j2").write_text("# my copy\n" + modified)
    return Templates(tmp_path)


@pytest.mark.parametrize("value", HOSTILE)
def test_user_template_keeps_structure(value: str, user_templates: Templates) -> None:
    docs = _render(value, user_templates)
    assert docs[0].content["spec"]["revisionHistoryLimit"] == 3  # the user's copy was used
    _check(docs, value)


def test_user_template_is_sandboxed(tmp_path: Path) -> None:
    """A user's template cannot reach Python internals through the values we pass."""
    folder = tmp_path / "kubernetes"
    folder.mkdir()
    shutil.copy(builtin_templates_dir() / "kubernetes" / "deployment.yaml.j2", folder)
    text = (folder / "deployment.yaml.j2").read_text()
    (folder / "deployment.yaml.j2").write_text(
        text + "x: {{ labels.__class__.__mro__[1].__subclasses__() }}\n")
    from translator.errors import TranslatorError

    with pytest.raises(TranslatorError, match="unsafe"):
        _render("v", Templates(tmp_path))
