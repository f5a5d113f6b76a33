"""Measures of work that a loaded machine cannot change, for tests of how work grows.

``calls`` counts every Python function call (cProfile), which is deterministic: a test
can compare the counts at n and 2n items and bound the ratio tightly. Work done inside C
(a regular expression, ``str.find``) is not counted; for those the tests bound memory
(``peak_bytes``) or make the input so large that anything worse than linear could not
finish, with ``hang_guard`` turning such a hang into a failure instead of a stuck run.
"""

from __future__ import annotations

import cProfile
import pstats
import signal
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Long enough that no machine, however loaded, reaches it doing linear work on the
# inputs of these tests (they take milliseconds); it only ends a hang.
HANG_SECONDS = 60


def calls(function: Callable[[], Any]) -> int:
    """How many Python function calls ``function()`` makes."""
    profile = cProfile.Profile()
    profile.runcall(function)
    stats: Any = pstats.Stats(profile).stats  # {function: (primitive, total, ...)}
    return sum(entry[1] for entry in stats.values())


def growth(function: Callable[[int], Any], n: int) -> float:
    """``calls`` at 2n over ``calls`` at n: 2.0 for linear work (less with fixed costs)."""
    function(n)  # imports and caches are not per-item work
    return calls(lambda: function(2 * n)) / calls(lambda: function(n))


def peak_bytes(function: Callable[[], Any]) -> int:
    """The peak of memory allocated through Python's allocators while ``function()`` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class Hang(Exception):
    """Raised by :func:`hang_guard` when the guarded code runs past its limit."""


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail the guarded block instead of hanging when it runs ``seconds`` (SIGALRM; the
    regular expression engine checks for signals while it matches)."""

    def _raise(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s: the work is not linear")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
