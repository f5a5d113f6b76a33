"""The indented JSON writer is byte for byte json.dumps(indent=2), errors included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.emit_json import dumps_indented

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)
# What json.dumps also takes: tuples, non-string keys, subclasses; and what it refuses.
unusual = st.recursive(
    plain | st.floats() | st.tuples(st.integers(), st.text()),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.integers() | st.booleans() | st.none() | st.text(), inner, max_size=3),
    max_leaves=12,
)


def _reference(value: Any) -> tuple[str, str]:
    try:
        return ("ok", json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        return ("error", type(exc).__name__)


def _ours(value: Any) -> tuple[str, str]:
    try:
        return ("ok", dumps_indented(value))
    except (TypeError, ValueError) as exc:
        return ("error", type(exc).__name__)


@settings(max_examples=500, deadline=None)
@given(plain)
def test_plain_data_is_written_like_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False,
                                               allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(unusual)
def test_everything_else_is_left_to_json_dumps(value: Any) -> None:
    assert _ours(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    [{}, [], {"a": {}}, [[]], "\u2028\x00\"\\", 1e16, -0.0, 10**40, True, {"k": [1, [2, {}]]},
     float("nan"), {1: 2}, (1, 2), {"deep": [[[[[[[[[[1]]]]]]]]]]}],
)
def test_edge_values(value: Any) -> None:
    assert _ours(value) == _reference(value)


def test_deep_nesting_falls_back() -> None:
    value: Any = 1
    for _ in range(450):
        value = [value]
    assert _ours(value) == _reference(value)
