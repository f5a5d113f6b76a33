"""Plain-scalar typing as Docker Compose (go-yaml v3) does it, on both parse paths."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from translator.compose import yamlio
from translator.compose.yaml_scalars import go_parse_int
from translator.compose.yamlio import parse, parse_fast, parse_precise

Same = Callable[[Any, Any], bool]

SCALARS: list[tuple[str, Any]] = [
    ("0o10", 8),
    ("010", 8),
    ("0440", 288),
    ("-010", -8),
    ("08", 8.0),
    ("0o8", "0o8"),
    ("0x1F", 31),
    ("0X1F", 31),
    ("0O17", 15),
    ("0b101", 5),
    ("+0x10", 16),
    ("-0o10", -8),
    ("0xff_ff", 65535),
    ("0x_1F", 31),
    ("1_000", 1000),
    ("1_", 1),
    ("_1", "_1"),
    ("1_0.5", 10.5),
    (".5_0", 0.5),
    ("._5", "._5"),
    ("+12", 12),
    ("-0", 0),
    ("80", 80),
    ("9223372036854775807", 9223372036854775807),
    ("9223372036854775808", 9223372036854775808),
    ("123456789012345678901234567890", 1.2345678901234568e29),
    ("0777777777777777777777777", 7.777777777777778e23),
    ("1e400", "1e400"),
    ("1.", 1.0),
    (".5", 0.5),
    ("0.1", 0.1),
    ("1e3", 1000.0),
    ("1e+3", 1000.0),
    ("12e03", 12000.0),
    ("1.5e-7", 1.5e-7),
    ("1e", "1e"),
    (".inf", math.inf),
    ("+.inf", math.inf),
    ("-.Inf", -math.inf),
    (".NaN", math.nan),
    (".iNf", ".iNf"),
    ("-.INf", "-.INf"),
    (".Nan", ".Nan"),
    ("yes", "yes"),
    ("No", "No"),
    ("off", "off"),
    ("True", True),
    ("TRUE", True),
    ("tRue", "tRue"),
    ("false", False),
    ("~", None),
    ("Null", None),
    ("NULL", None),
    ("22:22", "22:22"),
    ("1,000", "1,000"),
    ("1#2", "1#2"),
    ("2024-01-01", "2024-01-01"),  # Compose makes a time.Time; we keep the text
    ('"010"', "010"),
    ("'0x1F'", "0x1F"),
    ('"\\x41\\u00e9\\t"', "A\u00e9\t"),
    ("!!str 010", "010"),
    ('!!int "12"', 12),
    ("!!float 1", 1.0),
    ('!!null ""', None),
    ("!!binary aGVsbG8=", "hello"),
]


@pytest.mark.parametrize(("scalar", "expected"), SCALARS)
def test_scalar_typing_on_every_path(scalar: str, expected: Any, same: Same) -> None:
    text = f"x: {scalar}\n"
    assert same(parse_precise(text, "f.yml")[0], {"x": expected})
    assert same(parse(text, "f.yml"), {"x": expected})
    if yamlio.fast_path_ok(text):  # whenever the router trusts yaml-rs, it must be right
        assert same(parse_fast(text), {"x": expected})


# Keys and flow items: no tags, nulls or floats as keys, and "," splits flow items.
KEY_SCALARS = [
    (s, v)
    for s, v in SCALARS
    if not s.startswith("!!") and v is not None and not isinstance(v, float) and "," not in s
]


@pytest.mark.parametrize(("scalar", "expected"), KEY_SCALARS)
def test_scalar_typing_as_mapping_key_and_flow_item(scalar: str, expected: Any, same: Same) -> None:
    text = f"{scalar}: k\nl: [{scalar}, {scalar}]\n"
    assert same(parse(text, "f.yml"), {expected: "k", "l": [expected, expected]})


def test_scalar_table_matches_docker_compose(
    tmp_path: Path, compose_config: Callable[..., dict[str, Any]], same: Same
) -> None:
    """The table above is what the real Compose binary produces (JSON cannot carry inf/nan)."""
    rows = [
        (scalar, expected)
        for scalar, expected in SCALARS
        if not (isinstance(expected, float) and not math.isfinite(expected))
        and scalar != "2024-01-01"
    ]
    body = "".join(f"  k{i}: {scalar}\n" for i, (scalar, _) in enumerate(rows))
    file = tmp_path / "compose.yaml"
    file.write_text(f"services:\n  web:\n    image: nginx\nx-t:\n{body}")
    got = compose_config(file, {})["x-t"]
    for i, (scalar, expected) in enumerate(rows):
        value = got[f"k{i}"]
        if isinstance(expected, float) and isinstance(value, int):
            value = float(value)  # JSON prints 8.0 as 8
        if (
            isinstance(expected, int)
            and not isinstance(expected, bool)
            and isinstance(value, float)
        ):
            value = int(value)
        assert same(value, expected), scalar


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("-9223372036854775808", -(2**63)),
        ("-9223372036854775809", None),
        ("18446744073709551615", 2**64 - 1),
        ("18446744073709551616", None),
        ("+9223372036854775808", None),
        ("0x", None),
        ("0b2", None),
        ("09", None),
        ("0o777", 511),
        ("0777", 511),
    ],
)
def test_go_parse_int(text: str, expected: int | None) -> None:
    assert go_parse_int(text) == expected
