"""Interpolation: every form, nesting, errors, warnings, and agreement with Docker Compose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from work_counts import growth

from translator.compose.interpolate import interpolate, substitute, unset_message
from translator.compose.yamlio import Tagged
from translator.errors import TranslatorError

ENV = {"E": "", "S": "set", "REF": "${S}", "N": "1"}

# (template, expected) with ENV above: E set but empty, S set, U/U2 unset.
FORMS: list[tuple[str, str]] = [
    ("plain text", "plain text"),
    ("$S", "set"),
    ("${S}", "set"),
    ("${S}x", "setx"),
    ("$Sx", ""),  # the name is "Sx"
    ("$S$S", "setset"),
    ("$$S", "$S"),
    ("$$$S", "$set"),
    ("$${S}", "${S}"),
    ("$1", "$1"),
    ("cost $", "cost $"),
    ("$-x", "$-x"),
    ("a $ b", "a $ b"),
    ("${E-d}", ""),
    ("${E:-d}", "d"),
    ("${U-d}", "d"),
    ("${U:-d}", "d"),
    ("${S-d}", "set"),
    ("${S:-d}", "set"),
    ("${E+r}", "r"),
    ("${E:+r}", ""),
    ("${U+r}", ""),
    ("${U:+r}", ""),
    ("${S+r}", "r"),
    ("${S:+r}", "r"),
    ("${S?err}", "set"),
    ("${S:?err}", "set"),
    ("${E?err}", ""),
    ("${U-}", ""),
    ("${S:-${U:-nested}}", "set"),
    ("${U:-${U2:-${S}}}", "set"),
    ("${U:-${U2:-deep}}", "deep"),
    ("${U:-{x}}", "{x}"),
    ("${U:-a}b}", "ab}"),
    ("${S:-$${S}}", "set"),
    ("${U:-$${S}}", "${S}"),
    ("${U:-x} }", "x }"),
    ("${U:-${U2:-y}}}", "y}"),
    ("${U:-a}\nb}\n", "a\nb}\n"),
    ("${REF}", "${S}"),  # substituted values are never interpolated again
    ("${U:-${REF}}", "${S}"),
    ("${S:+${N}-${S}}", "1-set"),
    ("http://${S}:${N}/x", "http://set:1/x"),
    ("${lower_case9}", ""),
]


@pytest.mark.parametrize(("template", "expected"), FORMS)
def test_forms(template: str, expected: str) -> None:
    assert substitute(template, ENV.get) == expected


def test_forms_match_docker_compose(
    tmp_path: Path, compose_config: Callable[..., dict[str, Any]]
) -> None:
    """Compose writes a literal $ as $$ in `config` output; undo that to compare."""
    labels = "".join(
        f"      - {_quote('L' + str(i) + '=' + t)}\n" for i, (t, _) in enumerate(FORMS)
    )
    file = tmp_path / "compose.yaml"
    file.write_text(f"services:\n  web:\n    image: nginx\n    labels:\n{labels}")
    got = compose_config(file, ENV)["services"]["web"]["labels"]
    for i, (template, expected) in enumerate(FORMS):
        assert got[f"L{i}"].replace("$$", "$") == expected, template


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("${U:?}", "required variable U is missing a value"),
        ("${U:?boom}", "required variable U is missing a value: boom"),
        ("${U:?boom ${S}}", "required variable U is missing a value: boom set"),
        ("${U?x}", "required variable U is missing a value: x"),
        ("${E:?empty}", "required variable E is missing a value: empty"),
        ("${U:+${U2:?inner}}", "required variable U2 is missing a value: inner"),
    ],
)
def test_required_variables(template: str, message: str) -> None:
    path = ("services", "web", "image")
    with pytest.raises(TranslatorError) as info:
        substitute(template, ENV.get, path)
    diagnostic = info.value.diagnostics[0]
    assert diagnostic.message == message
    assert diagnostic.path == path


@pytest.mark.parametrize(
    "template",
    ["${", "${}", "${A.B}", "${A B}", "${1A}", "${A:x}", "${A", "${A:-x", "x ${A:-a\nb}", "${-A}"],
)
def test_invalid_formats(template: str) -> None:
    with pytest.raises(TranslatorError, match="invalid interpolation format") as info:
        substitute(template, ENV.get, ("services", "web", "command"))
    assert info.value.diagnostics[0].path == ("services", "web", "command")


def test_unset_variables_warn_with_path() -> None:
    warnings: list[tuple[str, tuple[str | int, ...]]] = []
    data = {"services": {"web": {"image": "${U}", "command": ["a", "$U2", "${U:-ok}"]}}}
    result = interpolate(data, ENV.get, warn=lambda m, p: warnings.append((m, p)))
    assert result == {"services": {"web": {"image": "", "command": ["a", "", "ok"]}}}
    assert warnings == [
        (unset_message("U"), ("services", "web", "image")),
        (unset_message("U2"), ("services", "web", "command", 1)),
    ]
    assert unset_message("U") == 'The "U" variable is not set. Defaulting to a blank string.'


def test_interpolate_keeps_keys_types_and_tags() -> None:
    data = {
        "${S}": "${S}",
        "n": 5,
        "b": True,
        "none": None,
        "t": Tagged("!override", ["${S}", {"k": "$N"}]),
        "r": Tagged("!reset", None),
    }
    result = interpolate(data, ENV.get, warn=lambda m, p: None)
    assert result == {
        "${S}": "set",
        "n": 5,
        "b": True,
        "none": None,
        "t": Tagged("!override", ["set", {"k": "1"}]),
        "r": Tagged("!reset", None),
    }
    assert list(result) == list(data)


def test_interpolate_does_not_mutate_input() -> None:
    data = {"a": ["${S}"]}
    interpolate(data, ENV.get, warn=lambda m, p: None)
    assert data == {"a": ["${S}"]}


def test_interpolate_error_carries_full_path() -> None:
    data = {"services": {"web": {"ports": ["80", "${P:?port needed}"]}}}
    with pytest.raises(TranslatorError) as info:
        interpolate(data, ENV.get, path=("root",), warn=lambda m, p: None)
    assert info.value.diagnostics[0].path == ("root", "services", "web", "ports", 1)


@pytest.mark.parametrize("depth", [1_000, 20_000])
def test_deeply_nested_defaults_do_not_crash(depth: int) -> None:
    template = "${A:-" * depth + "x" + "}" * depth
    assert substitute(template, ENV.get) == "x"


def test_nested_defaults_take_linear_work() -> None:
    # 28 calls per level, measured; re-scanning the text per level would double that at
    # every doubling of the depth.
    def nested(depth: int) -> None:
        assert substitute("${A:-" * depth + "x" + "}" * depth, ENV.get) == "x"

    ratio = growth(nested, 2_000)
    assert ratio <= 2.2, f"4,000 nested defaults make {ratio:.2f}x the calls of 2,000"


def test_deeply_nested_data_does_not_crash() -> None:
    data: Any = "${S}"
    for _ in range(5_000):
        data = [data]
    result = interpolate(data, ENV.get, warn=lambda m, p: None)
    for _ in range(5_000):
        result = result[0]
    assert result == "set"


def test_strings_without_dollar_are_returned_as_is() -> None:
    text = "no variables here"
    assert substitute(text, ENV.get) is text


def test_subclassed_containers_and_strings_are_interpolated() -> None:
    from collections import OrderedDict

    class Text(str):
        pass

    data = {"a": OrderedDict(b="${S}"), "c": [Text("$S")]}
    result = interpolate(data, ENV.get, warn=lambda m, p: None)
    assert result == {"a": {"b": "set"}, "c": ["set"]}


def test_warnings_keep_document_order_across_the_recursion_limit() -> None:
    # Past a few dozen levels the walk switches to an explicit stack; order must not change.
    deep: Any = {"x": "$U2"}
    for _ in range(100):
        deep = {"d": deep}
    data = {"a": "$U1", "b": [deep, "$U3"], "c": {"e": "$U4"}}
    seen: list[str] = []
    result = interpolate(data, ENV.get, warn=lambda m, p: seen.append(m.split('"')[1]))
    assert seen == ["U1", "U2", "U3", "U4"]
    assert result["b"][1] == "" and result is not data and result["c"] is not data["c"]


def test_tagged_values_are_interpolated_inside_their_tag() -> None:
    data = {"a": Tagged("!override", ["$S", 1]), "b": Tagged("!reset", None)}
    result = interpolate(data, ENV.get, warn=lambda m, p: None)
    assert isinstance(result["a"], Tagged) and result["a"].tag == "!override"
    assert result["a"].value == ["set", 1]
    assert isinstance(result["b"], Tagged) and result["b"].value is None
