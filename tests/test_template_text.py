"""Programs read from a template's text equal those made from Jinja's parse, or decline.

:func:`compile_text_data` must give exactly what :func:`compile_data` gives from Jinja's
parse tree, or None: on every built-in template (never None there) and on generated
templates that mix text, whitespace and every whitespace-control form with the accepted
tags and near misses. Accepted programs must also render as Jinja does.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import tests as jinja_tests
from test_template_direct import ENV, _jinja, _same, values

from translator.template_compile import compile_data
from translator.template_direct import from_data, to_data
from translator.template_text import compile_text, compile_text_data
from translator.templating import TEMPLATE_SUFFIX, builtin_templates_dir

SOURCES = {
    path.relative_to(builtin_templates_dir()).as_posix(): path.read_text(encoding="utf-8")
    for path in sorted(builtin_templates_dir().rglob(f"*{TEMPLATE_SUFFIX}"))
}


def _agrees(source: str) -> bool:
    """The text compiler declines ``source`` or gives Jinja's parse's program; True if
    it gave one."""
    mine = compile_text_data(source)
    if mine is not None:
        assert mine == compile_data(ENV, source), source
        assert to_data(from_data(mine)) == mine  # the data form loses nothing
    return mine is not None


def test_the_environment_is_the_one_the_compiler_reads_for() -> None:
    # template_text hard-codes these settings; a change here must change it too.
    assert (ENV.block_start_string, ENV.block_end_string) == ("{%", "%}")
    assert (ENV.variable_start_string, ENV.variable_end_string) == ("{{", "}}")
    assert (ENV.comment_start_string, ENV.comment_end_string) == ("{#", "#}")
    assert ENV.line_statement_prefix is None and ENV.line_comment_prefix is None
    assert ENV.trim_blocks and ENV.lstrip_blocks and ENV.keep_trailing_newline
    assert ENV.newline_sequence == "\n" and not ENV.extensions
    assert ENV.tests["none"] is jinja_tests.test_none


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_builtin_template_is_read_without_jinja(name: str) -> None:
    assert _agrees(SOURCES[name]), name
    program = compile_text(SOURCES[name])
    assert program is not None and program is compile_text(SOURCES[name])  # cached


WHITESPACE_CONTROL = [
    "a:\n  {% if x %}\n  b\n  {% endif %}\nc\n",  # lstrip_blocks and trim_blocks
    "\t \t{% if x %}b{% endif %}",  # lstrip at the template's start
    "a  {% if x %}b{% endif %}",  # not at a line's start: kept
    "{{ y }}  {% if x %}b{% endif %}",
    "a\n  {%- if x %}b\n{% endif -%}\n\n  c",
    "a\n  {%+ if x %}\nb{% endif +%}\nc",
    "a\n \u00a0\x0b{% if x %}b{% endif %}",  # Unicode whitespace is whitespace to lstrip
    "a\n  {{ x }}\n  {{- y -}}\n  {{+ x }}\nb",  # no lstrip or trim for {{ }}
    "{{x}}{{-x-}}{{ x-}}{{-x }}",
    "{# c #}\na\n  {# c -#}\n\n  b  {#- c #}c\n  {#+ c +#}\nd{#-#}{#+-#}",
    "a\r\nb\r{% if x %}\r\n{{ x }}\r{% endif %}\r\n",  # line breaks normalized first
    "{% if x %}a{% else %}b{% endif %}{% if not x %}c{% endif %}",
    "{% if x is none %}a{% endif %}{% if x is not none %}b{% endif %}",
    "{% if not x is none %}c{% endif %}{%if\tx\n%}d{%endif%}",
    "{% for k, v in d.items() %}\n  {{ k }}: {{ v }}\n{% endfor %}\n",
    "{%for k,v in d . items ( )%}{{k}}{% if v %}{{ x }}{% endif %}{%endfor%}",
    "{% if x %}{% for k, v in x.items() %}{{ k }}{% endfor %}{% endif %}",
    "{% for x, v in x.items() %}{{ x }}{% endfor %}{{ x }}",
    "", "\n", "a}}b%}c#}", "{{ x }}}",
]


@pytest.mark.parametrize("source", WHITESPACE_CONTROL)
def test_whitespace_control_and_spellings_are_jinjas(source: str) -> None:
    assert _agrees(source), source


DECLINED = [
    "{{ x | tojson }}", "{{ x.a }}", "{{ x() }}", "{{ 'c' }}", "{{ 1 }}", "{{ none }}",
    "{{ True }}", "{{ loop }}", "{{ self }}", "{{ x, y }}", "{{ }}", "{{ x }", "{{ x +}}",
    "{{ é }}", "{{ x·y }}", "{% raw %}{{ x }}{% endraw %}", "{%- raw -%}x{% endraw %}",
    "{% if x %}a{% elif y %}b{% endif %}", "{% if x is defined %}{% endif %}",
    "{% if x is None %}{% endif %}", "{% if not x is not none %}{% endif %}",
    "{% if not not x %}{% endif %}", "{% if x: %}{% endif %}", "{% if (x) %}{% endif %}",
    "{% if x %}", "{% if x %}{% endif x %}", "{% if x %}{% else %}{% else %}{% endif %}",
    "{% if x %}{% endfor %}", "{% endif %}", "{% else %}", "{% if x and y %}{% endif %}",
    "{% for k in x %}{% endfor %}", "{% for k, v in x.items() %}{% else %}{% endfor %}",
    "{% for k, v in x.items() recursive %}{% endfor %}",
    "{% for k, v in x.items() if k %}{% endfor %}", "{% for k, v, in x.items() %}{% endfor %}",
    "{% for (k, v) in x.items() %}{% endfor %}", "{% for k, k in x.items() %}{% endfor %}",
    "{% for k, v in x.values() %}{% endfor %}", "{% for k, v in x.items(1) %}{% endfor %}",
    "{% for loop, v in x.items() %}{% endfor %}", "{% for k, v in loop.items() %}{% endfor %}",
    "{% for k, v in x.items() %}{{ loop.index }}{% endfor %}",
    "{% for k, v in x.items() %}{% for a, b in y.items() %}{% endfor %}{% endfor %}",
    "{% for k, v in x.items() %}", "{% set z = 1 %}", "{% extends 'base' %}", "{# open",
    "{%- if x -%}{%- endif --%}", "{{ x }}{% if x %}{{- 'a' }}{% endif %}",
]


@pytest.mark.parametrize("source", DECLINED)
def test_other_constructs_and_syntax_errors_are_left_to_jinja(source: str) -> None:
    assert compile_text_data(source) is None, source
    _agrees(source)


# Generated templates: pieces in Jinja's syntax, including spellings and whitespace the
# compiler must read exactly as Jinja does and near misses it must decline.
NAMES = ["x", "y", "d", "k", "v", "_a", "x1", "none", "loop", "in", "é"]
# What a printed name may be instead: a filter, an attribute, a call, literals.
NEAR_NAMES = ["x | tojson", "x|e", "x.a", "x()", "'s'", "1", "x, y", "not x", "x is none"]
TEXT = ["", "a", " ", "  ", "\t", "\n", "\n  ", " \n", "\r\n", "\r", "\u00a0", "}", "-", "{"]
SIGNS = ["", "", "", "-", "+"]
SPACE = ["", " ", " ", "  ", "\n", "\t"]


def _tag(rng: random.Random, open_: str, inner: str, close: str) -> str:
    before, after = rng.choice(SPACE), rng.choice(SPACE)
    end = rng.choice(SIGNS)
    return f"{open_}{rng.choice(SIGNS)}{before}{inner}{after}{end}{close}"


def _if_words(rng: random.Random, name: str) -> str:
    return rng.choice([
        "if {n}", "if {n}", "if not {n}", "if {n} is none", "if {n} is not none",
        "if not {n} is none", "if not {n} is not none", "if {n} is defined", "if {n}.a",
        "if {n} | length", "if {n}:", "if  not  {n}",
    ]).format(n=name)


def _for_words(rng: random.Random, key: str, value: str, name: str) -> str:
    return rng.choice([
        "for {k}, {v} in {n}.items()", "for {k}, {v} in {n}.items()", "for {k},{v} in {n}.items()",
        "for {k} , {v} in {n} . items ( )", "for {k} in {n}", "for {k}, {v} in {n}.keys()",
        "for {k}, {v} in {n}.items() recursive",
    ]).format(k=key, v=value, n=name)


def _body(rng: random.Random, depth: int, loop: bool) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.35:
            parts.append("".join(rng.choice(TEXT) for _ in range(rng.randint(1, 3))))
        elif roll < 0.6:
            roll = rng.random()
            names = NAMES[:7] if roll < 0.8 else NAMES if roll < 0.9 else NEAR_NAMES
            parts.append(_tag(rng, "{{", rng.choice(names), "}}"))
        elif roll < 0.67:
            parts.append(_tag(rng, "{#", rng.choice(["c", "", "{{ x }}", "#"]), "#}"))
        elif roll < 0.87 and depth < 3:
            parts.append(_block_if(rng, depth, loop))
        elif depth < 3:
            parts.append(_block_for(rng, depth, loop))
    return "".join(parts)


def _block_if(rng: random.Random, depth: int, loop: bool) -> str:
    name = rng.choice(NAMES[:5] if rng.random() < 0.9 else NAMES)
    text = _tag(rng, "{%", _if_words(rng, name), "%}") + _body(rng, depth + 1, loop)
    if rng.random() < 0.3:
        text += _tag(rng, "{%", rng.choice(["else", "else", "elif y"]), "%}")
        text += _body(rng, depth + 1, loop)
    return text + _tag(rng, "{%", rng.choice(["endif"] * 8 + ["endfor", "end if"]), "%}")


def _block_for(rng: random.Random, depth: int, loop: bool) -> str:
    key, value = rng.sample(["k", "v", "x", "key", "value"], 2)
    words = _for_words(rng, key, value, rng.choice(["d", "x", "y"]))
    text = _tag(rng, "{%", words, "%}") + _body(rng, depth + 1, True)
    return text + _tag(rng, "{%", rng.choice(["endfor"] * 8 + ["endif", "else"]), "%}")


def _generated(seed: int) -> str:
    rng = random.Random(seed)
    return _body(rng, 0, False) + rng.choice(["", "\n", "a\n"])


def test_generated_templates_agree_and_mostly_compile() -> None:
    sources = [_generated(seed) for seed in range(3000)]
    compiled = sum(_agrees(source) for source in sources)
    # The generator must exercise the compiler, not only its refusals.
    assert compiled >= 0.3 * len(sources), compiled


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32), data=st.data())
def test_accepted_programs_render_as_jinja(seed: int, data: st.DataObject) -> None:
    source = _generated(seed)
    program = compile_text(source)
    if program is None:
        return
    # Every context name given (else the program leaves the render to Jinja), some missing.
    context = data.draw(st.fixed_dictionaries(
        dict.fromkeys(sorted(program.names), values), optional={"z": values}
    ))
    if data.draw(st.booleans()) and context:
        del context[sorted(context)[0]]
    direct = program.render(context)
    if direct is not None:
        assert _same(direct, _jinja(source, context)), source
    else:
        assert not program.names <= context.keys() or any(
            type(value) is not dict for value in context.values()
        )


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="{}%#-+ \t\n\rxdk,.()ifnotsmvlu", max_size=40))
def test_arbitrary_text_agrees(text: str) -> None:
    _agrees(text)
