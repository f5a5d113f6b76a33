"""The emitter writes any document so that YAML 1.2 (yaml-rs) and YAML 1.1 (PyYAML, as
kubectl-era tools read) readers both get it back unchanged: keys, values and types."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.emit import dump

# Every character a document may carry (YAML's printable set plus what escapes can write).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TRICKY_WORDS = st.sampled_from(
    ["0o17", "0O17", "0b1", "+0o1", "1_000", "0x1F", "1e3", ".inf", "-.nan", "yes", "No", "ON",
     "null", "~", "true", "", " ", "- x", "? x", ": x", "a: b", "#c", "&a", "*a", "!t", "|", ">",
     "---", "...", "%YAML", "@x", "`x", "'", '"', "\\", "a\nb", "\n", "a\r\nb", "\u2028",
     "\x85", "\ufeff", "\0", "k" * 1100, "2001-12-14", "12:30", "0755", "1.0", "-1",
     "\ufffe", "\uffff", "\x9f", "\x07", "\x1b", "\U0001f600", "a\u2029b",
     # found by tests/test_emit_speed_invariants.py's exhaustive run: typed by some reader
     "_0", "__0", "_.0", "+.inf", "+.INF", "-.Nan", "1e_5", "+_0", "0._"]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False), TEXT, TRICKY_WORDS,
)
KEYS = st.one_of(TEXT, TRICKY_WORDS)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
).filter(lambda d: isinstance(d, dict | list))


def _same(a: Any, b: Any) -> bool:
    # Compare as JSON: 1.0 == 1 is fine for readers, but the type must survive.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_any_document_reads_back_unchanged(doc: Any) -> None:
    text = dump(doc, "yaml")
    assert text.startswith("---\n") and text.endswith("\n")
    assert _same(yaml_rs.loads(text, parse_datetime=False), doc), text
    assert _same(yaml.safe_load(text), doc), text
    assert list(yaml.safe_load_all(text)) != [] and len(list(yaml.safe_load_all(text))) == 1


# Cases the fuzzers and the property above found (regressions).
FOUND = [
    {"labels": {"a\nb": "v"}},  # a key with a line break was written as a block scalar
    {"labels": {"443:4x\nconfigs: y": ""}},  # ...which turned the key into a new mapping
    {"labels": {"k" * 1100: "v"}},  # keys over 1024 characters are not implicit keys
    {"env": {"A": "0o17"}},  # plain 0o17 is an int to YAML 1.2 readers
    {"env": {"A": "0b1", "B": "1_000", "C": "+0o1", "D": "0O17"}},
    {"0o17": "key"},
    {"env": {"A": "2001-12-14", "B": "0000-00-00"}},  # dates to YAML 1.1 readers
    {"env": {"A": "\ufffe"}},  # yaml-rs wrote U+FFFE raw, which readers refuse
    {"ratio": 1e-05},  # a YAML 1.1 float needs a dot (the flow fallback writes 1.0e-05)
    {"k\nk": 1e-05},
]


@pytest.mark.parametrize("doc", FOUND, ids=range(len(FOUND)))
def test_found_cases_read_back_unchanged(doc: Any) -> None:
    text = dump(doc, "yaml")
    assert yaml_rs.loads(text, parse_datetime=False) == doc
    assert yaml.safe_load(text) == doc
