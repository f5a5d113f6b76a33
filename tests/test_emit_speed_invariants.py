"""The emitter's cheap pre-check may only skip work, never change or weaken output.

``_suspect`` runs on yaml-rs's text so that the walk over a document (slow in Python) runs
only when the text may hold what the walk flags. These properties pin that down: the
pre-check is a superset of the walk, every output reads back as its document, and rendered
manifests of the benchmark shape never need the walk at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from work_counts import hang_guard

from translator import api
from translator.emit import (
    _CLASSES,
    _RAW_UNSAFE,
    _has_block_key,
    _has_long_line,
    _has_unsafe_key,
    _suspect,
    dump,
)

# Characters that make strings number-like, typed by some reader, or quoted by yaml-rs.
NUMBERISH = st.text(
    st.sampled_from("+-._:0123456789oObBeExXfinI aé\n\r\\|>#'\"\u2028\x85"), max_size=8
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
WORDS = st.sampled_from(
    ["0o17", "+0o1", "1_000", "2001-12-14", "1e_5", "+_0", "0._", "0Xb", "-_1", "+.inf", "-",
     "- x", "a\nb", "a\rb", "a\n", "k" * 1001, "1_0\n2", "\ufffe", "10000:8080", "--port"]
)  # fmt: skip
STRINGS = st.one_of(NUMBERISH, TEXT, WORDS)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), STRINGS)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(STRINGS, inner, max_size=4),
    max_leaves=16,
)
SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _classes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").translate(_CLASSES)


def _reads_back(text: str, doc: Any) -> bool:
    try:
        same = yaml_rs.loads(text, parse_datetime=False) == doc and yaml.safe_load(text) == doc
    except Exception:
        return False
    return bool(same) and json.dumps(yaml.safe_load(text)) == json.dumps(doc)


@SETTINGS
@given(DOCS)
@example({"k": "1e_5"})
@example({"+_0": ["0._", {"a\rb": "0o17"}]})
def test_pre_check_is_a_superset_of_the_walk(doc: Any) -> None:
    text = yaml_rs.dumps(doc)
    if _RAW_UNSAFE.search(text):
        return  # written in flow style without asking the walk
    if _has_unsafe_key(doc):
        assert _suspect(text, _classes(text)), text


@SETTINGS
@given(st.dictionaries(STRINGS, DOCS, max_size=4))  # every document is a mapping
@example({"a\rb": "x1-y", "k": "1b"})
@example({"a\rb": "1b"})
@example({"a\nb": 1, "c": "x\ry"})
def test_output_reads_back_as_the_document(doc: Any) -> None:
    text = dump(doc, "yaml")
    assert _reads_back(text, doc), text


# The old pre-check let these through; yaml-rs reads them back as numbers.
MISSED_BEFORE = ["1e_5", "1E_5", "+1e_5", "1.5e_3", "+_0", "0._", "0Xb", "+._0", "9X_9"]


@pytest.mark.parametrize("value", MISSED_BEFORE)
def test_number_like_strings_the_old_pre_check_missed_read_back(value: str) -> None:
    for doc in ({"k": value}, {value: "v"}, {"l": [value]}):
        text = dump(doc, "yaml")
        assert yaml_rs.loads(text, parse_datetime=False) == doc, text
        assert yaml.safe_load(text) == doc, text


LINES = st.text(st.sampled_from("a\n"), max_size=3000) | st.builds(
    lambda a, b, c: "x" * a + "\n" + "y" * b + "\n" + "z" * c,
    st.integers(0, 1100), st.integers(0, 1100), st.integers(0, 1100),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(LINES)
@example("k" * 1000)
@example("k" * 1001)
@example("\n" + "k" * 1001)
@example("k" * 1000 + "\n" + "k" * 1000)
def test_long_line_check_is_the_split_it_replaces(text: str) -> None:
    assert _has_long_line(text) == (max(map(len, text.split("\n"))) > 1000)


BLOCKS = st.text(st.sampled_from("|>-+09 \na:"), max_size=30)


@settings(max_examples=1000, deadline=None)
@given(BLOCKS)
def test_block_key_check_is_the_regex_it_replaces(text: str) -> None:
    assert _has_block_key(text) == bool(re.search(r"\n[ -]*[|>][-+0-9]*(?=\n)", text))


@pytest.mark.parametrize(
    "hostile",
    [" 0" * 2_000_000, " 1" * 1_000_000 + "_", "1" * 4_000_000, " -" * 2_000_000,
     "|\n" * 2_000_000, "a" * 4_000_000, ("x" * 999 + "\n") * 4000],
)  # fmt: skip
def test_pre_check_is_linear_on_hostile_text(hostile: str) -> None:
    # 4 MB of text: linear work takes milliseconds, quadratic would take hours.
    with hang_guard():
        _suspect(hostile, _classes(hostile))


def test_benchmark_shaped_manifests_never_need_the_walk(tmp_path: Path) -> None:
    from benchmarks.generate import write_project

    loaded = api.load_project([write_project(tmp_path, 30)])
    plan = api.resolve(loaded, "local")
    for target in api.target_names():
        for document in api.render(plan, target).documents:
            text = yaml_rs.dumps(document.content)
            assert not _suspect(text, _classes(text)), (target, document.filename)
