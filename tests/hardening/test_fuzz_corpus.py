"""Every seed and every past finding of the fuzzers (fuzz/corpus/), replayed through the
fuzzers' own checks: only TranslatorError may escape, emitted text parses back to the
documents, and `config` output loads back to the same model."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))

from fuzz_common import render_and_check, round_trip_differences  # noqa: E402

CORPUS = sorted(p for p in (FUZZ / "corpus").glob("*/*") if p.is_file())


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name[:24]}")
def test_corpus_entry(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert round_trip_differences(text) == []
    for target in ("kubernetes", "swarm", "marathon"):
        render_and_check(text, target)
