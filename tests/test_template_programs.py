"""The shipped direct programs: current, looked up by exact text, and jinja2-free.

A run whose templates are all built-in (or identical copies) renders from
:mod:`translator.template_programs` and never imports jinja2; any other template, and any
render a program leaves to Jinja, behaves exactly as it does through Jinja.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from translator.errors import TranslatorError
from translator.template_compile import compile_data
from translator.template_direct import from_data, to_data
from translator.template_jinja import environment, load
from translator.template_programs import PROGRAMS
from translator.template_table import TABLE, builtin_sources, generate
from translator.templating import Templates, builtin_templates_dir, shipped_program

REPO = Path(__file__).resolve().parent.parent
ENV = environment(None, str(builtin_templates_dir()))
SOURCES = builtin_sources()


def test_shipped_table_is_what_the_generator_writes_now() -> None:
    # Fails after a built-in template changes until `python -m translator.template_table`.
    assert TABLE.read_text(encoding="utf-8") == generate(), (
        "translator/template_programs.py is stale: run python -m translator.template_table"
    )


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_builtin_template_has_its_compiled_program(name: str) -> None:
    source = SOURCES[name]
    data = compile_data(ENV, source)
    assert data is not None and PROGRAMS[source] == data
    assert to_data(from_data(data)) == data  # the data form loses nothing


def test_program_ops_keep_their_kind() -> None:
    data = compile_data(ENV, "{% for k, v in d.items() %}{{ k }}{% if v is none %}-"
                             "{% else %}{{ x }}{% endif %}{% endfor %}"
                             "{% for k, v in e.items() %}{{ v }}{% endfor %}")
    assert data is not None
    kinds = [type(op).__name__ for op in from_data(data).body]
    assert kinds == ["_Loop", "_FlatLoop"]
    with pytest.raises(ValueError, match="not a template program op"):
        from_data(((), (("while", "x"),)))


def _copy(tmp_path: Path, name: str, text: str) -> Templates:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    return Templates(tmp_path)


def test_identical_user_copy_uses_the_shipped_program(tmp_path: Path) -> None:
    name = "kubernetes/service.yaml.j2"
    templates = _copy(tmp_path, name, SOURCES[name])
    doc = templates.render("kubernetes", "service", metadata={"name": "a"},
                           spec={"type": "ClusterIP"}, selector={"app": "a"})
    assert doc["spec"] == {"type": "ClusterIP", "selector": {"app": "a"}}
    entry = templates._entries[name]
    assert entry.direct is shipped_program(SOURCES[name]) and entry.jinja is None


def test_changed_user_template_is_used_first_and_compiled(tmp_path: Path) -> None:
    name = "kubernetes/service.yaml.j2"
    templates = _copy(tmp_path, name, SOURCES[name] + "mine: {{ selector }}\n")
    doc = templates.render("kubernetes", "service", metadata={}, spec={}, selector={"a": 1})
    assert doc["mine"] == {"a": 1}
    entry = templates._entries[name]
    assert entry.direct is not None and entry.direct is not shipped_program(SOURCES[name])
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


def test_renders_a_shipped_program_leaves_to_jinja_get_jinjas_errors() -> None:
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


def test_a_changed_user_template_goes_through_jinja(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    name = "kubernetes/service.yaml.j2"
    mine = SOURCES[name].replace("kind: Service\n", "kind: Service\nx-mine: {{ 6 * 7 }}\n")
    assert mine != SOURCES[name]
    (tmp_path / "tpl" / "kubernetes").mkdir(parents=True)
    (tmp_path / "tpl" / name).write_text(mine)
    used, out = _imports_jinja(tmp_path, ["convert", "--to", "kubernetes", "--templates", "tpl"])
    assert used
    assert "x-mine: 42" in out and "kind: Deployment" in out
