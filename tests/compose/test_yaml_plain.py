"""The gate in front of the indentation walk: linear on hostile text, and its possessive
patterns decide exactly as the backtracking ones they replaced."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from translator.compose import yaml_plain

# The flow patterns as they were before they became possessive (reference only: they
# backtrack exponentially on runs of quotes, so they only see short texts here).
_ATOM = r"""[^\n"'\[\]{}#]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'"""
_FLOW1 = rf"[\[{{](?:{_ATOM})*[\]}}]"
_FLOW2 = rf"[\[{{](?:{_ATOM}|{_FLOW1})*[\]}}]"
_FLOW3 = rf"[\[{{](?:{_ATOM}|{_FLOW2})*[\]}}]"
_OLD_CLOSED = re.compile(rf"{_FLOW3} *(?:#[^\n]*)?(?:\n|\Z)")
_NEW_CLOSED = re.compile(rf"{yaml_plain._FLOW3} *(?:#[^\n]*)?(?:\n|\Z)")

FLOW_TEXT = st.text(alphabet="[]{}'\"\\# a,:\n", max_size=14).map(lambda t: "[" + t)


@settings(max_examples=3000, deadline=None)
@given(FLOW_TEXT)
def test_possessive_flow_pattern_decides_as_the_backtracking_one(text: str) -> None:
    assert bool(_NEW_CLOSED.match(text)) == bool(_OLD_CLOSED.match(text))


def test_a_run_of_quotes_is_linear() -> None:
    # the marathon fuzzer: this line took over 6 s before the patterns were possessive.
    for quotes in (80, 100_000):
        text = "services:\n  web:\n    ports: ['8[80:80',<</t" + "'" * quotes + "cc']\n"
        start = time.perf_counter()
        yaml_plain.plain_block(text)
        assert time.perf_counter() - start < 0.5
