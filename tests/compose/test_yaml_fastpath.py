"""The cheaper fast-path gate decides exactly as the gate it replaced (fastpath_reference)."""

from __future__ import annotations

from pathlib import Path

import fastpath_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.compose import yaml_fastpath

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Fragments where the two parsers part ways, or the gate's shortcuts could slip: document
# markers, block headers, shell pipes, flow punctuation against ':' and '?', numbers.
_FRAGMENTS = [
    "---", "--- ", "----", "---x", "...", "%YAML 1.2", "# c", "#---", "", " ", "\t",
    "a: 1", "  b: 2", "- x", "- - y", "k: |", "k: >-", "  text", "|", ">", "||", "a || b",
    "cmd: curl -f x || exit 1", "- >", ": v", "? k", "[a, b]", "{a: 1}", "[::1]", "{r:, b}",
    "[?x]", "[>x]", "k: [a]: b", "x]: y", "}: z", "k: 0o17", "k: 1_000", "k: .inF", "k: 0x1F",
    "k: 1e3", "k: -.5", "k: +1", "k: 2001-12-14", "'q': \"d\"", "k: v # |", "k: a,b",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8), st.booleans())
def test_random_texts_decide_as_before(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    assert yaml_fastpath.fast_path_ok(text) == reference.fast_path_ok(text)


@pytest.mark.parametrize("final_newline", [True, False])
def test_corpus_and_samples_decide_as_before(conformance_dir: Path, final_newline: bool) -> None:
    files = sorted(p for p in (conformance_dir / "corpus").rglob("*") if p.suffix in
                   (".yml", ".yaml"))
    files += sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yml", ".yaml"))
    accepted = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").rstrip("\n")
        text += "\n" if final_newline else ""
        decision = yaml_fastpath.fast_path_ok(text)
        assert decision == reference.fast_path_ok(text), path
        accepted += decision
    assert accepted > len(files) // 2  # the gate must let real files through


@pytest.mark.parametrize(
    ("text", "single"),
    [
        ("a: 1\n", True), ("---\na: 1\n", True), ("# c\n---\na: 1\n", True),
        ("a: 1\n---\nb: 2\n", False), ("----\na: 1\n", True), ("---x: 1\n", True),
        ("---\t\na: 1\n", True), ("---", True), ("a: 1\n...\n", False), ("%YAML 1.2\n---\n", False),
        ("x: 1\n--- \n", False),
    ],
)
def test_single_document_shortcut(text: str, single: bool) -> None:
    assert yaml_fastpath._single_document(text) is single
    assert reference._single_document(text) is single
