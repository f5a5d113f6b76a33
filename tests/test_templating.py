"""Values enter templates JSON-encoded: none can change a document's structure.

A run whose templates are all in the subset :mod:`translator.template_text` reads (every
built-in one, and identical copies) never imports jinja2; any other template, and any
render a program leaves to Jinja, behaves exactly as it does through Jinja.
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

from translator.errors import TranslatorError
from translator.template_jinja import environment, load
from translator.template_text import compile_text
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


def test_identical_user_copy_is_read_without_jinja(tmp_path: Path) -> None:
    name = "kubernetes/service.yaml.j2"
    templates = _copy(tmp_path, name, SOURCES[name])
    doc = templates.render("kubernetes", "service", metadata={"name": "a"},
                           spec={"type": "ClusterIP"}, selector={"app": "a"})
    assert doc["spec"] == {"type": "ClusterIP", "selector": {"app": "a"}}
    entry = templates._entries[name]
    assert entry.direct is compile_text(SOURCES[name]) and entry.jinja is None


def test_changed_user_template_is_used_first(tmp_path: Path) -> None:
    name = "kubernetes/service.yaml.j2"
    templates = _copy(tmp_path, name, SOURCES[name] + "mine: {{ selector }}\n")
    doc = templates.render("kubernetes", "service", metadata={}, spec={}, selector={"a": 1})
    assert doc["mine"] == {"a": 1}
    entry = templates._entries[name]
    assert entry.direct is not None and entry.direct is not compile_text(SOURCES[name])
    assert entry.jinja is None  # still in the subset: read without Jinja
    # Other templates still come from the built-ins.
    assert Templates(tmp_path).render("kubernetes", "configmap", metadata={}, data={}) == {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {}, "data": {}}


def _error(call: Any) -> str:
    with pytest.raises(TranslatorError) as caught:
        call()
    return caught.value.diagnostics[0].message


def test_missing_template_is_jinjas_error(tmp_path: Path) -> None:
    jinja = _error(lambda: load(environment(str(tmp_path), str(builtin_templates_dir())),
                                "kubernetes/nope.yaml.j2"))
    assert jinja == "template kubernetes/nope.yaml.j2: kubernetes/nope.yaml.j2"
    assert _error(lambda: Templates().render("kubernetes", "nope")) == jinja
    assert _error(lambda: Templates(tmp_path).render("kubernetes", "nope")) == jinja


def test_renders_a_program_leaves_to_jinja_get_jinjas_errors() -> None:
    templates = Templates()
    # a missing name, and a loop over something the sandbox must judge (no .items on a list)
    missing = _error(lambda: templates.render("kubernetes", "service", metadata={}, spec={}))
    assert missing == "template kubernetes/service.yaml.j2: 'selector' is undefined"
    listed = _error(lambda: templates.render("kubernetes", "service", metadata={},
                                             spec=[("a", 1)], selector={}))
    assert listed.startswith("template kubernetes/service.yaml.j2:") and "items" in listed
    # A mapping the sandbox accepts renders as the program would.
    doc = templates.render("kubernetes", "service", metadata={}, spec={"a": 1}, selector={})
    assert doc["spec"] == {"a": 1, "selector": {}}


SCRIPT = """\
import sys
from translator import cli
for argv in {argvs!r}:
    try:
        cli.main(argv)
    except SystemExit as done:
        assert not done.code, (argv, done.code)
print('jinja2' in sys.modules, file=sys.stderr)
"""


def _imports_jinja(cwd: Path, *argvs: list[str]) -> tuple[bool, str]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(argvs=list(argvs))], capture_output=True,
        text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=cwd,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.strip().splitlines()[-1] == "True", proc.stdout


COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment: {A: "1"}
    volumes: [data:/data]
  db:
    image: postgres:16
    depends_on: [web]
volumes:
  data: {}
"""


def test_builtin_templates_render_without_jinja(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    argvs = [["convert", "--to", target] for target in ("kubernetes", "swarm", "marathon")]
    used, out = _imports_jinja(tmp_path, *argvs, ["validate"])
    assert not used
    assert "kind: Deployment" in out and "nginx:1.27" in out  # it did render


def test_a_user_template_outside_the_subset_goes_through_jinja(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    name = "kubernetes/service.yaml.j2"
    mine = SOURCES[name].replace("kind: Service\n", "kind: Service\nx-mine: {{ 6 * 7 }}\n")
    assert mine != SOURCES[name]
    (tmp_path / "tpl" / "kubernetes").mkdir(parents=True)
    (tmp_path / "tpl" / name).write_text(mine)
    used, out = _imports_jinja(tmp_path, ["convert", "--to", "kubernetes", "--templates", "tpl"])
    assert used
    assert "x-mine: 42" in out and "kind: Deployment" in out
