"""Dumping a large document in parts gives yaml-rs's text for the whole, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from translator import emit_yaml

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["a\n\n", "\n", "", " x", "- y", "|", "on", "1e3"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(["services", "on", "a: b", "1", "- x"]))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, st.one_of(_VALUES, st.dictionaries(_KEYS, _VALUES, max_size=5)),
                       max_size=4))
def test_parts_join_to_the_whole(content: dict[Any, Any]) -> None:
    assert emit_yaml.dumps(content, chunk_from=1) == yaml_rs.dumps(content)


def test_a_stack_with_many_services_is_dumped_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    stack = {"version": "3.13", "services": {f"svc{i}": {"image": f"img:{i}", "ports": [80]}
                                             for i in range(emit_yaml.CHUNK_FROM)}}
    calls: list[Any] = []
    real = yaml_rs.dumps

    def counting(value: Any) -> Any:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(emit_yaml.yaml_rs, "dumps", counting)
    text = emit_yaml.dumps(stack)
    assert len(calls) == 1 + emit_yaml.CHUNK_FROM  # version, then one per service
    assert text == real(stack)


@pytest.mark.parametrize("key", ["on", "a: b", "1"])
def test_a_key_yaml_rs_must_quote_falls_back_to_one_call(key: str) -> None:
    content = {key: {f"k{i}": i for i in range(3)}}
    assert emit_yaml._entries(key, content[key]) is None  # yaml-rs writes "on": and so on
    assert emit_yaml.dumps(content, chunk_from=1) == yaml_rs.dumps(content)
