"""The one emitter: canonical text for documents, to a stream or atomically to a folder.

Output is deterministic: keys keep the order the templates give them, strings
are quoted whenever a YAML 1.1 or 1.2 reader could take them for anything else
(yaml-rs quotes conservatively), and nothing carries a time, version or host path.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any

import yaml_rs
from pydantic_core import to_json

from translator.emit_yaml import dumps as dumps_yaml
from translator.targets.base import (
    Document,
    OutputFormat,
)


def dump(content: Any, fmt: OutputFormat) -> str:
    """One document as canonical YAML (starting with ``---``) or indented JSON."""
    if fmt == "json":
        # pydantic-core's serializer writes what json.dumps(indent=2, ensure_ascii=False)
        # writes for manifest data, five times faster than the stdlib's indenting encoder.
        return to_json(content, indent=2, inf_nan_mode="strings").decode() + "\n"
    text = dumps_yaml(content)
    if _needs_flow(text, content):
        return "---\n" + _flow(content) + "\n"
    if not text.startswith("---"):
        text = "---\n" + text
    return text if text.endswith("\n") else text + "\n"


# JSON escapes C0 controls only; YAML also refuses DEL, C1 controls and non-characters,
# and YAML 1.1 readers break lines at NEL, LS and PS: flow output escapes all of them.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# The same characters (and C0 controls) left raw in yaml-rs's text: U+FFFE is written as
# is, which YAML readers refuse (found by tests/hardening/test_properties.py).
_RAW_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_MAX_IMPLICIT_KEY = 1000  # YAML caps implicit keys at 1024 characters


def _needs_flow(text: str, content: Any) -> bool:
    """Whether yaml-rs's ``text`` for ``content`` could be misread, so flow style is written.

    Raw unsafe characters always are. Otherwise only the walk over ``content`` decides, and
    :func:`_suspect` (a superset of what the walk can flag, on yaml-rs's text) spares it for
    nearly every document.
    """
    classes = text.encode("utf-8", "surrogatepass").translate(_CLASSES)
    if b"!" in classes if text.isascii() else _RAW_UNSAFE.search(text):
        return True
    return _suspect(text, classes) and _has_unsafe_key(content)


def _class_table() -> bytes:
    """Byte classes for :func:`_suspect`: "!" a C0 control or DEL, " " a separator before a
    plain scalar, "0" a digit, "+" or ".", "-" itself, "u" an underscore, "_" the other
    marks of :func:`_number_like`, "a" anything else (bytes of non-ASCII characters too)."""
    table = bytearray(b"a" * 256)
    for chars, cls in (
        (range(0x20), "!"), ((0x7F,), "!"), (b" \t\r\n[{", " "), (b"+.0123456789", "0"),
        (b"-", "-"), (b"_", "u"), (b":oObB", "_"),
    ):  # fmt: skip
        for c in chars:
            table[c] = ord(cls)
    return bytes(table)


_CLASSES = _class_table()
# Plain scalars a reader may type, as classes: "+", "." or a digit first, then a mark of
# _number_like within the first word; or "-" then a digit, ".", "_" or a mark ("-_1" is -1
# to yaml-rs; "-x" and "--x" are words to every reader). Each pattern starts with a
# literal, which the regex engine skips ahead to: trying every position is 10 times slower.
_NUMBER_WORD = re.compile(rb" 0[0a]*[-_u]")
_DASH_WORD = re.compile(rb" -[0_u]")
_FIRST_WORD = re.compile(rb"0[0a]*[-_u]|-[0_u]")  # the same at the very start of the text
_UNDERSCORE_WORD = re.compile(rb" u")  # a plain scalar starting with "_"
_BLOCK_HEADERS = (("|", re.compile(r"\|[-+0-9]*\n")), (">", re.compile(r">[-+0-9]*\n")))


def _suspect(text: str, classes: bytes) -> bool:
    """Whether yaml-rs's text may hold what :func:`_has_unsafe_key` flags: a number-like
    plain scalar, a block scalar header alone on a line (a key with a line break) or a
    line long enough for an over-long key. Linear in the text; false alarms only cost
    the walk. tests/test_emit_speed_invariants.py checks it is a superset of the walk."""
    return bool(
        (not text.startswith("---") and _FIRST_WORD.match(classes))
        or _NUMBER_WORD.search(classes)
        or _DASH_WORD.search(classes)
        or _has_block_key(text)
        or _has_long_line(text)
        # "_0" is a number to yaml-rs, "+.inf" infinity to every reader: both rare in
        # manifests, so a plain substring test is enough before the walk decides.
        or _UNDERSCORE_WORD.search(classes) is not None
        or (not text.startswith("---") and classes[:1] == b"u")
        or "+." in text
        or "-." in text
    )


def _has_block_key(text: str) -> bool:
    """A block scalar header alone on a line: yaml-rs writes a key with a line break so."""
    for mark, header in _BLOCK_HEADERS:
        if mark in text:  # rare characters: search only where they occur
            for match in header.finditer(text):
                line = text.rfind("\n", 0, match.start())
                if line >= 0 and not text[line + 1 : match.start()].strip(" -"):
                    return True
    return False


def _has_long_line(text: str) -> bool:
    """Whether a line is longer than any implicit key may be, jumping a window at a time
    (the last line break within reach) rather than splitting the text into lines."""
    start, limit = 0, _MAX_IMPLICIT_KEY
    while len(text) - start > limit:
        end = text.rfind("\n", start, start + limit + 1)
        if end < 0:
            return True
        start = end + 1
    return False


@functools.lru_cache(maxsize=4096)
def _unsafe_key(key: str) -> bool:
    """Keys yaml-rs would not write back as themselves: over-long keys, keys with a line
    break it writes as a block scalar (which cannot be a key; it escapes some breaks, and
    the probe tells which), and plain keys that a YAML 1.1 or 1.2 reader types as something
    else (``0o17``). Found by the swarm fuzzer."""
    if len(key) > _MAX_IMPLICIT_KEY:
        return True
    breaks = any(c in key for c in "\n\r\x85\u2028\u2029")
    return (breaks or _number_like(key)) and not _reads_back({key: 0})


def _number_like(text: str) -> bool:
    """A superset of the strings whose quoting yaml-rs gets wrong: ``0o17``, ``0b1``,
    ``1_000`` (ints to some reader), ``2001-12-14`` (a date to YAML 1.1 readers), ``_0``
    (a number to yaml-rs) and ``+.inf`` (infinity to every reader)."""
    first = text[:1]
    if first == "_":
        return any(c.isdigit() for c in text)
    return first in _NUMBER_START and (
        any(c in text for c in "_oObB-:") or text[1:].lower() in (".inf", ".nan")
    )


@functools.lru_cache(maxsize=4096)
def _unsafe_value(value: str) -> bool:
    """Number-like strings yaml-rs writes plain although readers type them (``0o17``,
    ``0b1``, ``1_000``, ``2001-12-14``): found by tests/hardening/test_emit_properties.py."""
    return not _reads_back({"k": value})


def _reads_back(probe: dict[str, Any]) -> bool:
    """Whether yaml-rs's text for ``probe`` reads back as ``probe`` in YAML 1.2 and 1.1."""
    import yaml  # PyYAML, as a YAML 1.1 reader: only for the rare probe

    try:
        text = yaml_rs.dumps(probe)
        return bool(
            yaml_rs.loads(text, parse_datetime=False) == probe and yaml.safe_load(text) == probe
        )
    except Exception:  # anything the emitter or a reader chokes on goes the safe way
        return False


_NUMBER_START = frozenset("+-.0123456789")


def _has_unsafe_key(content: Any) -> bool:
    """Whether ``content`` holds a key or a value that yaml-rs would not write back as itself."""
    stack = [content]
    while stack:
        node = stack.pop()
        if type(node) is str:
            if len(node) < _MAX_IMPLICIT_KEY and _number_like(node) and _unsafe_value(node):
                return True
        elif isinstance(node, dict):
            if any(isinstance(k, str) and _unsafe_key(k) for k in node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _flow(value: Any) -> str:
    """JSON-style flow YAML, read alike by YAML 1.1 and 1.2 readers: long keys explicit."""
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            text = _scalar(key)
            items.append(f"{'? ' if len(text) > _MAX_IMPLICIT_KEY else ''}{text}: {_flow(item)}")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if isinstance(value, float) and "e" in text and "." not in text:
        return text.replace("e", ".0e")  # YAML 1.1 floats need the dot: 1e-05 is a string
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps_stream(documents: Sequence[Document], fmt: OutputFormat) -> str:
    """All documents as one stream: YAML documents, or concatenated JSON objects."""
    return "".join(dump(doc.content, fmt) for doc in documents)
