"""The one emitter: canonical text, and folders written atomically and only inside -o DIR."""

from __future__ import annotations

import json

import pytest
import yaml
import yaml_rs

from translator.emit import dump, dumps_stream
from translator.targets.base import Document

TRICKY = [
    "yes", "no", "on", "off", "22:22", "0123", "1e3", "null", "~", "", "- x", "a: b", "#c", "010",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY)
def test_yaml_strings_survive_yaml_1_1_and_1_2_readers(value: str) -> None:
    text = dump({"v": value}, "yaml")
    assert yaml.safe_load(text) == {"v": value}  # PyYAML reads YAML 1.1, as kubectl's reader does
    assert yaml_rs.loads(text, parse_datetime=False) == {"v": value}


def test_stream_is_deterministic_and_keeps_key_order() -> None:
    docs = [Document("a.yaml", {"kind": "A", "z": 1, "a": 2}), Document("b.yaml", {"kind": "B"})]
    first = dumps_stream(docs, "yaml")
    assert first == dumps_stream(docs, "yaml")
    assert first.count("---") == 2
    assert first.index("z:") < first.index("a:")
    assert [d for d in yaml.safe_load_all(first)] == [d.content for d in docs]


def test_json_stream_is_concatenated_objects() -> None:
    docs = [Document("a", {"x": "é"}), Document("b", {"y": [1]})]
    text = dumps_stream(docs, "json")
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(text)
    second, _ = decoder.raw_decode(text, end + 1)
    assert (first, second) == ({"x": "é"}, {"y": [1]})


@pytest.mark.parametrize("word", ["_0", "__0", "_.0", "_0_", "+.inf", "+.INF", "-.Nan", "1e_5"])
def test_strings_some_reader_types_are_quoted(word: str) -> None:
    text = dump({"k": word, word: "v"}, "yaml")
    assert yaml_rs.loads(text, parse_datetime=False) == {"k": word, word: "v"}
    assert yaml.safe_load(text) == {"k": word, word: "v"}
