"""The direct program of a template writes exactly what Jinja writes, or declines.

Each case renders one template both ways: :class:`Direct` and the sandbox with the
collecting ``finalize``. When the direct program answers, its text and its values (the
very same objects, in the same order) must equal Jinja's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import meta

from translator.errors import TranslatorError
from translator.template_compile import compile_data, compile_direct
from translator.template_direct import from_data
from translator.template_jinja import environment
from translator.template_skeletons import SLOTS
from translator.templating import TEMPLATE_SUFFIX, Templates, builtin_templates_dir

ENV = environment(None, str(builtin_templates_dir()))
BUILTIN = sorted(
    str(path.relative_to(builtin_templates_dir()))
    for path in builtin_templates_dir().rglob(f"*{TEMPLATE_SUFFIX}")
)


def _jinja(source: str, context: dict[str, Any]) -> tuple[str, list[Any]] | str:
    """What the sandbox renders while collecting values, or the error it raises."""
    values: list[Any] = []
    SLOTS.values = values
    try:
        return ENV.from_string(source).render(**context), values
    except Exception as exc:  # the error is the outcome compared
        return f"error: {type(exc).__name__}"
    finally:
        SLOTS.values = None


def _same(direct: tuple[str, list[Any]], jinja: tuple[str, list[Any]] | str) -> bool:
    if isinstance(jinja, str):
        return False  # Jinja refused what the direct program rendered
    return direct[0] == jinja[0] and len(direct[1]) == len(jinja[1]) and all(
        a is b for a, b in zip(direct[1], jinja[1], strict=True)
    )


values = st.none() | st.booleans() | st.integers(-1, 1) | st.text(max_size=2) | st.lists(
    st.integers(), max_size=2
) | st.dictionaries(st.text(max_size=2), st.integers() | st.none(), max_size=3)


def _names(source: str) -> list[str]:
    return sorted(meta.find_undeclared_variables(ENV.parse(source)))


@pytest.mark.parametrize("name", BUILTIN)
def test_every_builtin_template_runs_directly(name: str) -> None:
    source = (builtin_templates_dir() / name).read_text()
    assert compile_direct(ENV, source) is not None, name


@settings(max_examples=40, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_templates_equal_jinja(name: str, data: st.DataObject) -> None:
    source = (builtin_templates_dir() / name).read_text()
    program = compile_direct(ENV, source)
    assert program is not None
    names = _names(source)
    context = data.draw(st.fixed_dictionaries(dict.fromkeys(names, values)))
    direct = program.render(context)
    if direct is None:  # with every name given, only a loop over a non-dict bails out
        assert type(context["spec"]) is not dict
    else:
        assert _same(direct, _jinja(source, context))


# Pieces of template text: the direct program must decline or agree with Jinja.
PIECES = [
    "a: {{ x }}\n", "{{ y }}", "text ", "{% if x %}x{% endif %}", "{% if not y %}n{% endif %}",
    "{% if x is none %}N{% else %}{{ x }}{% endif %}", "{% if y is not none %}{{ y }}{% endif %}",
    "{% for k, v in x.items() %}{{ k }}={{ v }};{% endfor %}",
    "{% for k, v in y.items() %}{% if v %}{{ k }}{% endif %}{{ x }}{% endfor %}",
    "{% for x, v in y.items() %}{{ x }}{% endfor %}{{ x }}",  # a loop name shadows x inside
    # declined: filters, calls, attributes, loop, elif, other tests, range, nested loops
    "{{ x | tojson }}", "{{ x.a }}", "{{ range(2) }}", "{% if x %}a{% elif y %}b{% endif %}",
    "{% for k, v in x.items() %}{{ loop.index }}{% endfor %}", "{% if x is defined %}d{% endif %}",
    "{% for k in x %}{{ k }}{% endfor %}", "{% set z = 1 %}", "{{ 'c' }}",
    "{% for k, v in x.items() %}{% for a, b in y.items() %}{% endfor %}{% endfor %}",
    "{#- a comment #}\n", "  {%- if x %} t{% endif -%}  \n", "{% if x %}", "{{ self }}",
]


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(PIECES), max_size=5),
    context=st.fixed_dictionaries({}, optional={"x": values, "y": values}),
)
def test_template_pieces_equal_jinja(parts: list[str], context: dict[str, Any]) -> None:
    source = "".join(parts)
    program = compile_direct(ENV, source)
    direct = None if program is None else program.render(context)
    if direct is not None:
        assert _same(direct, _jinja(source, context)), source


@pytest.mark.parametrize(
    "source",
    ["{{ x | tojson }}", "{{ x.a }}", "{% if x %}a{% elif y %}b{% endif %}",
     "{% for k, v in x.items() %}{{ loop.index }}{% endfor %}", "{% if x is defined %}{% endif %}",
     "{% for k in x %}{% endfor %}", "{% if x %}", "{% extends 'base' %}", "{{ self }}",
     "{% for self, v in x.items() %}{% endfor %}"],
)
def test_other_constructs_are_left_to_jinja(source: str) -> None:
    assert compile_direct(ENV, source) is None


def test_renders_that_only_jinja_can_decide_bail_out() -> None:
    source = "{{ x }}{% for k, v in y.items() %}{{ k }}{% endfor %}"
    program = compile_direct(ENV, source)
    assert program is not None
    context = {"x": 1, "y": {"a": 2}}
    rendered = program.render(context)
    assert rendered is not None and rendered[1] == [1, "a"]
    assert _same(rendered, _jinja(source, context))
    assert program.render({"x": 1}) is None  # undefined: Jinja reports it
    assert program.render({"x": 1, "y": [("a", 2)]}) is None  # not a dict: the sandbox rules


def test_user_template_is_rendered_directly_and_errors_stay_jinjas(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / f"t{TEMPLATE_SUFFIX}").write_text("kind: K\nname: {{ name }}\n")
    templates = Templates(tmp_path)
    assert templates.render("probe", "t", name="a") == {"kind": "K", "name": "a"}
    entry = templates._entries["probe/t.yaml.j2"]
    assert entry.direct is not None and entry.jinja is None  # Jinja not needed yet
    # A missing name goes to Jinja, which reports it by name.
    with pytest.raises(TranslatorError, match="'name' is undefined"):
        templates.render("probe", "t")
    assert entry.jinja is not None


def test_loops_that_only_write_their_names_are_flat_and_agree() -> None:
    flat = "{% for k, v in x.items() %}- {{ k }}: {{ v }}\n{% endfor %}"
    mixed = "{% for k, v in x.items() %}{{ k }}{{ y }}{% if v %}+{% endif %}{% endfor %}"
    context = {"x": {"a": 0, "b": [1]}, "y": "why"}
    for source, kind in ((flat, "_FlatLoop"), (mixed, "_Loop")):
        program = compile_direct(ENV, source)
        assert program is not None and type(program.body[0]).__name__ == kind
        rendered = program.render(context)
        assert rendered is not None and _same(rendered, _jinja(source, context))


def test_program_ops_keep_their_kind() -> None:
    data = compile_data(ENV, "{% for k, v in d.items() %}{{ k }}{% if v is none %}-"
                             "{% else %}{{ x }}{% endif %}{% endfor %}"
                             "{% for k, v in e.items() %}{{ v }}{% endfor %}")
    assert data is not None
    kinds = [type(op).__name__ for op in from_data(data).body]
    assert kinds == ["_Loop", "_FlatLoop"]
    with pytest.raises(ValueError, match="not a template program op"):
        from_data(((), (("while", "x"),)))
