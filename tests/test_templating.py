"""Values enter templates JSON-encoded: none can change a document's structure.

Built-in templates run in a plain Jinja environment, a user's folder in Jinja's sandbox;
both JSON-encode every value they print.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from translator import templating
from translator.errors import TranslatorError
from translator.templating import TEMPLATE_SUFFIX, Templates, builtin_templates_dir

REPO = Path(__file__).resolve().parent.parent
SOURCES = {
    path.relative_to(builtin_templates_dir()).as_posix(): path.read_text(encoding="utf-8")
    for path in sorted(builtin_templates_dir().rglob(f"*{TEMPLATE_SUFFIX}"))
}

SKELETON = """\
kind: Probe
metadata:
  name: {{ name }}
  labels: {{ labels }}
spec:
  items:
{% for item in items %}
    - {{ item ~ "-x" }}
{% endfor %}
  count: {{ items | length }}
"""

HOSTILE = [
    "a\n---\nkind: Secret",
    "key: value",
    "{{ 7 * 7 }}",
    "{% raw %}x",
    "' \" \\",
    "# comment",
    "a\x00b",
    "- item",
    "[1, 2]",
    "{a: b}",
    "&anchor *alias",
    "!!python/object:os.system",
    "\u2028\u0085\ufeff",
    "x" * 10_000,
    "k" * 2_000 + "\n: x",
    "${VAR}",
    "@`|>%",
]


@pytest.fixture
def user_templates(tmp_path: Path) -> Templates:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text(SKELETON)
    return Templates(tmp_path)


def _render(templates: Templates, name: Any, labels: Any, items: list[Any]) -> dict[str, Any]:
    return templates.render("probe", "doc", name=name, labels=labels, items=items)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_arrives_verbatim(user_templates: Templates, value: str) -> None:
    doc = _render(user_templates, value, {value: value}, [value, value])
    assert doc == {
        "kind": "Probe",
        "metadata": {"name": value, "labels": {value: value}},
        "spec": {"items": [value + "-x", value + "-x"], "count": 2},
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=json_values, labels=json_values, items=st.lists(st.text(), max_size=3))
def test_any_json_value_keeps_the_skeleton(
    user_templates: Templates, name: Any, labels: Any, items: list[str]
) -> None:
    doc = _render(user_templates, name, labels, items)
    assert list(doc) == ["kind", "metadata", "spec"]
    assert doc["metadata"] == {"name": name, "labels": labels}
    # An empty loop leaves "items:" with no entries, which YAML reads as null.
    assert doc["spec"]["items"] == ([i + "-x" for i in items] or None)


def test_undefined_value_is_an_error_not_an_empty_string(user_templates: Templates) -> None:
    with pytest.raises(TranslatorError, match=r"probe/doc\.yaml\.j2"):
        user_templates.render("probe", "doc", name="x", labels={})


def test_template_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text("- {{ name }}\n")
    with pytest.raises(TranslatorError, match="must render one mapping"):
        Templates(tmp_path).render("probe", "doc", name="x")


def test_missing_templates_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError, match="does not exist"):
        Templates(tmp_path / "nope")


def test_user_template_overrides_builtin_only_where_present(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text("kind: Mine\nname: {{ name }}\n")
    assert Templates(tmp_path).render("probe", "doc", name="n") == {"kind": "Mine", "name": "n"}
    with pytest.raises(TranslatorError):
        Templates(tmp_path).render("probe", "missing", name="n")


def test_sandbox_blocks_attribute_escapes(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text(
        "x: {{ name.__class__.__mro__[1].__subclasses__() }}\n"
    )
    with pytest.raises(TranslatorError):
        Templates(tmp_path).render("probe", "doc", name="n")


@pytest.mark.parametrize(
    "text",
    ["kind: K\nname: {{ nme }}\n",  # a direct program: it leaves the missing name to Jinja
     "kind: K\nname: {{ nme }}\nlen: {{ name | length }}\n"],  # Jinja only: a filter
)
def test_undefined_name_is_a_positioned_template_error(tmp_path: Path, text: str) -> None:
    # finalize sees the undefined value first; it must not reach the JSON encoder.
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text(text)
    with pytest.raises(TranslatorError) as caught:
        Templates(tmp_path).render("probe", "doc", name="x")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "template probe/doc.yaml.j2: 'nme' is undefined"
    assert diagnostic.code == "templates"
    location = diagnostic.location
    assert location is not None and location.line == 2
    assert Path(location.file) == (tmp_path / "probe" / "doc.yaml.j2").resolve()


def test_undefined_name_in_a_user_template_exits_1(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    (tmp_path / "tpl" / "swarm").mkdir(parents=True)
    (tmp_path / "tpl" / "swarm" / "stack.yaml.j2").write_text("version: {{ versoin }}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "translator", "convert", "--to", "swarm", "--templates", "tpl"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 1, proc.stderr
    assert "stack.yaml.j2:1:1: template swarm/stack.yaml.j2: 'versoin' is undefined" in proc.stderr
    assert "internal error" not in proc.stderr and "StrictUndefined" not in proc.stderr


def test_template_syntax_error_is_positioned(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "doc.yaml.j2").write_text("kind: K\n\nname: {{ name }\n")
    with pytest.raises(TranslatorError) as caught:
        Templates(tmp_path).render("probe", "doc", name="x")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith("template probe/doc.yaml.j2: unexpected '}'")
    assert diagnostic.location is not None and diagnostic.location.line == 3


def _copy(tmp_path: Path, name: str, text: str) -> Templates:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    return Templates(tmp_path)


def test_builtin_templates_run_plain_and_user_templates_in_the_sandbox(tmp_path: Path) -> None:
    assert not isinstance(Templates()._env, SandboxedEnvironment)
    assert isinstance(Templates(tmp_path)._env, ImmutableSandboxedEnvironment)
    # One environment per template set and process: compiled templates are reused.
    assert Templates()._env is Templates()._env


def test_changed_user_template_is_used_first(tmp_path: Path) -> None:
    name = "kubernetes/configmap.yaml.j2"
    templates = _copy(tmp_path, name, SOURCES[name] + "mine: {{ data }}\n")
    meta = {"name": "n", "namespace": None, "labels": {}, "annotations": None}
    doc = templates.render("kubernetes", "configmap", **meta, data={"a": "1"})
    assert doc["mine"] == {"a": "1"}
    # Other templates still come from the built-ins.
    assert Templates(tmp_path).render("kubernetes", "namespace", **meta) == {
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "labels": {}}}


def _error(call: Any) -> str:
    with pytest.raises(TranslatorError) as caught:
        call()
    return caught.value.diagnostics[0].message


def test_missing_template_is_a_template_error(tmp_path: Path) -> None:
    expected = "template kubernetes/nope.yaml.j2: kubernetes/nope.yaml.j2"
    assert _error(lambda: Templates().render("kubernetes", "nope")) == expected
    assert _error(lambda: Templates(tmp_path).render("kubernetes", "nope")) == expected


def test_a_missing_value_is_jinjas_undefined_error() -> None:
    meta = {"name": "n", "namespace": None, "labels": {}, "annotations": None}
    missing = _error(lambda: Templates().render("kubernetes", "configmap", **meta))
    assert missing == "template kubernetes/configmap.yaml.j2: 'data' is undefined"


@pytest.mark.parametrize("key", ["k" * 1500, "\u00e9" * 200, "a\u2028" * 300])
def test_over_long_keys_arrive_verbatim(user_templates: Templates, key: str) -> None:
    # Over 1,000 characters once JSON-encoded: YAML cannot take it as an implicit key.
    doc = _render(user_templates, "n", {key: key, "short": 1}, [])
    assert doc["metadata"]["labels"] == {key: key, "short": 1}


def test_values_are_walked_for_long_keys_only_when_the_text_does_not_parse(
    user_templates: Templates, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked: list[Any] = []
    original = templating._has_long_key
    monkeypatch.setattr(templating, "_has_long_key", lambda v: walked.append(v) or original(v))
    big = {f"label-{i}": "v" * 50 for i in range(100)}  # encodes to far over 1,000 characters
    _render(user_templates, "n", big, [])
    assert walked == []
    _render(user_templates, "n", {"k" * 1500: 1}, [])
    assert walked  # the failed parse rendered again, walking the values
