"""The gate in front of the indentation walk: linear on hostile text, and its possessive
patterns decide exactly as the backtracking ones they replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from work_counts import hang_guard, peak_bytes

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
    # the marathon fuzzer: this line took over 6 s before the patterns were possessive,
    # and each further quote doubled that: at 100,000 quotes only linear work ends.
    for quotes in (80, 100_000):
        text = "services:\n  web:\n    ports: ['8[80:80',<</t" + "'" * quotes + "cc']\n"
        with hang_guard():
            peak = peak_bytes(lambda: yaml_plain.plain_block(text))  # noqa: B023
        # One copy of the text at most (measured: a byte per quote); a backtracking
        # match keeps hundreds of bytes of state per character it may return to.
        assert peak <= 2 * len(text) + 10_000, f"{quotes} quotes: {peak:,} bytes"


def test_flow_pattern_keeps_no_backtracking_state() -> None:
    # The regex engine saves a backtracking point per iteration of a greedy repeat (its
    # memory grows with the text); a possessive repeat saves none. The old pattern shows
    # that the measure sees the difference.
    def peaks(pattern: re.Pattern[str]) -> tuple[int, int]:
        texts = ("[" + "'a'," * n + "]\n" for n in (1000, 2000))
        return tuple(peak_bytes(lambda: pattern.match(t)) for t in texts)  # type: ignore[return-value]  # noqa: B023

    old_small, old_large = peaks(_OLD_CLOSED)
    assert old_large - old_small > 100_000  # ~600 bytes per item
    new_small, new_large = peaks(_NEW_CLOSED)
    assert new_large - new_small < 1_000, (new_small, new_large)
