"""Indented JSON for the emitter: exactly what ``json.dumps(value, indent=2,
ensure_ascii=False, allow_nan=False)`` writes, in about half the time.

CPython 3.11 only has a C encoder for compact JSON; with ``indent`` it falls back to a
pure-Python generator, which cost 75 ms for a 1,000-app Marathon group. This writer
handles plain JSON data (str keys; str, int, float, bool, None, dict, list values) with
one list of parts, strings escaped by the C escaper; anything else (tuples, other key
types, NaN, very deep nesting) goes to ``json.dumps``, which then decides as before.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

_MAX_DEPTH = 400  # beyond this, json.dumps (and its recursion limit) decides


class _Unusual(Exception):
    """Not plain JSON data: json.dumps writes it (or refuses it) as it always has."""


def dumps_indented(value: Any) -> str:
    """``value`` as 2-space indented JSON, without a final line break."""
    parts: list[str] = []
    try:
        _write(value, parts, "\n")
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return "".join(parts)


def _write(value: Any, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        _write_dict(value, out, newline)
    elif kind is list:
        _write_list(value, out, newline)
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is bool:
        out.append("true" if value else "false")
    elif value is None:
        out.append("null")
    elif kind is float and math.isfinite(value):
        out.append(float.__repr__(value))
    else:
        raise _Unusual


def _write_dict(value: dict[Any, Any], out: list[str], newline: str) -> None:
    if not value:
        out.append("{}")
        return
    if len(newline) > 2 * _MAX_DEPTH:
        raise _Unusual
    inner = newline + "  "
    separator = "{" + inner
    for key, item in value.items():
        if type(key) is not str:
            raise _Unusual
        out.append(separator)
        out.append(encode_basestring(key))
        out.append(": ")
        _write(item, out, inner)
        separator = "," + inner
    out.append(newline + "}")


def _write_list(value: list[Any], out: list[str], newline: str) -> None:
    if not value:
        out.append("[]")
        return
    if len(newline) > 2 * _MAX_DEPTH:
        raise _Unusual
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        out.append(separator)
        _write(item, out, inner)
        separator = "," + inner
    out.append(newline + "]")
