"""The fast path of template rendering: parse each distinct skeleton once.

While a template renders, ``finalize`` (see :mod:`translator.template_jinja`) keeps each
value's JSON aside and prints a placeholder instead: a JSON string holding a control
character and a per-process nonce, which no template text can forge and no output ever
contains. Templates render one skeleton per shape of their values (a Deployment's
skeleton is the same for every service with the same spec keys), so the skeleton text
is parsed once and cached; each render then only decodes its values (one ``json.loads``)
and puts them in their places.

This is exact, not approximate: a whole YAML scalar that is a JSON string placeholder
parses to the same place the value's JSON would, and JSON decodes the same under YAML
1.2. Whenever that argument does not hold, :meth:`Skeletons.fill` returns None and the
caller renders and parses the full text as before:
- a placeholder inside a larger scalar, in a comment, or used twice (an alias);
- a skeleton that does not parse, or is not a mapping (the slow path reports it);
- a value used as a key that is not a scalar, or keys that clash once values are in.
"""

from __future__ import annotations

import json
import os
import threading
from _json import make_encoder
from json.encoder import encode_basestring_ascii
from typing import Any

import yaml_rs


class _Slots(threading.local):
    """The values of the render in progress on this thread; None: not collecting."""

    values: list[Any] | None = None


SLOTS = _Slots()
_NONCE = "\x01tr" + os.urandom(8).hex() + ":"  # os, not secrets: same bytes, no hashlib
_NONCE_LEN = len(_NONCE)
_ESCAPED = "\\u0001" + _NONCE[1:]  # the nonce as JSON text (encode is ASCII-only)
_MAX_SHAPES = 4096  # skeletons kept per template set; more are parsed but not kept
_KEY_TYPES = (str, int, float, bool, type(None))
# The one encoder of template values, here and in template_jinja's full path: the fast path
# equals the full parse only because both encode alike (ASCII-only, no NaN).
ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False)
# The fast path calls ENCODER's C encoder directly, built once with ENCODER's settings, and
# without the circular check: values are trees built per render, and a cycle (a renderer
# bug) ends in RecursionError, a RuntimeError as "not JSON-encodable" is. Its text is one
# JSON value with no whitespace around it: raw_decode reads it, skipping json.loads's checks.
_ENCODE = make_encoder(
    None, ENCODER.default, encode_basestring_ascii, None, ENCODER.key_separator,
    ENCODER.item_separator, ENCODER.sort_keys, ENCODER.skipkeys, ENCODER.allow_nan,
)
_DECODE = json.JSONDecoder().raw_decode


def placeholder(index: int) -> str:
    """The JSON text printed in place of the ``index``-th value."""
    return PLACEHOLDERS[index] if index < _KEPT else f'"{_ESCAPED}{index}"'


_KEPT = 256  # templates print a few dozen values; the texts of the first ones are kept
PLACEHOLDERS = tuple(f'"{_ESCAPED}{index}"' for index in range(_KEPT))


_COPY = object()  # a value that needs the JSON round trip
_CONTAINERS = (dict, list)


class _Unfit(Exception):
    """The fast path cannot vouch for this render; the slow path decides."""


class Skeletons:
    """Parsed skeletons of one template set, by rendered skeleton text."""

    def __init__(self) -> None:
        self._parsed: dict[str, dict[Any, Any] | None] = {}
        # Documents this template set made that no render has embedded yet, by id. They are
        # plain JSON data already, so a later render that embeds them (a stack's services,
        # a group's apps) takes them as they are instead of a second JSON round trip. Each
        # is handed out once, so no two documents share an object.
        self._fresh: dict[int, dict[str, Any]] = {}

    def produced(self, document: dict[str, Any]) -> dict[str, Any]:
        """Record ``document`` as made here and not embedded anywhere yet."""
        self._fresh[id(document)] = document
        return document

    def _take(self, value: Any) -> Any:
        """``value`` without a copy if it is a fresh document, or a dict (str keys) or list
        of distinct fresh documents; else _COPY."""
        kind = type(value)
        if kind is not dict and kind is not list:
            return _COPY  # documents are dicts: scalars, the common case, leave at once
        fresh = self._fresh
        if fresh.get(id(value), _COPY) is value:
            return fresh.pop(id(value))
        items: Any = value.values() if kind is dict else value
        # Most values are not collections of documents: their first item tells, cheaply.
        first = next(iter(items), _COPY)
        if first is _COPY or fresh.get(id(first), _COPY) is not first:
            return _COPY
        if len({id(v) for v in items}) != len(items):
            return _COPY
        if not all(fresh.get(id(v), _COPY) is v for v in items):
            return _COPY
        if kind is list:
            return [fresh.pop(id(v)) for v in items]
        if not all(type(k) is str for k in value):
            return _COPY
        return {k: fresh.pop(id(v)) for k, v in value.items()}

    def fill(self, text: str, values: list[Any], record: bool = True) -> dict[str, Any] | None:
        """The document ``text`` stands for with ``values`` in place; None if unsure.
        ``record``: keep it as fresh, for a later render to embed without a copy."""
        if text in self._parsed:
            skeleton = self._parsed[text]
        else:
            skeleton = _parse(text, len(values))
            if len(self._parsed) < _MAX_SHAPES:
                self._parsed[text] = skeleton
        if skeleton is None:
            return None
        decoded = self._decode(values)
        if decoded is None:
            return None
        try:
            filled: dict[str, Any] = _fill(skeleton, decoded)
        except _Unfit:
            return None
        return self.produced(filled) if record else filled

    def _decode(self, values: list[Any]) -> list[Any] | None:
        """Each value as the full parse would give it; None if only that parse can tell."""
        if not self._fresh:  # no document to take (none kept, or all embedded): copy all
            return _round_trip(values)
        take = self._take
        # Only a dict or a list can be a fresh document: scalars (keys, names) skip the call.
        taken = [take(v) if type(v) in _CONTAINERS else _COPY for v in values]
        copied = _round_trip([v for v, t in zip(values, taken, strict=True) if t is _COPY])
        if copied is None:
            return None
        copies = iter(copied)
        return [next(copies) if t is _COPY else t for t in taken]


def _round_trip(values: list[Any]) -> list[Any] | None:
    """``values`` through one JSON encode and decode, which gives them exactly the types and
    keys the full parse would (tuples become lists, keys strings); None for surrogates."""
    try:
        encoded = "".join(_ENCODE(values, 0))
    except (TypeError, ValueError) as exc:  # a renderer bug, not bad input
        raise RuntimeError(f"template value is not JSON-encodable: {exc}") from exc
    if "\\ud" in encoded:
        return None  # surrogates: the full parse refuses lone ones; let it decide
    decoded: list[Any] = _DECODE(encoded)[0]
    return decoded


class _Slot:
    """Where the ``index``-th value goes, in a parsed skeleton."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def _parse(text: str, count: int) -> dict[Any, Any] | None:
    """The skeleton with a :class:`_Slot` for each placeholder, if every value's
    placeholder stands alone, exactly once; else None."""
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except (yaml_rs.YAMLDecodeError, TypeError):  # TypeError: a collection as a key
        return None
    if not isinstance(data, dict):
        return None
    found: list[int] = []
    try:
        skeleton: dict[Any, Any] = _compile(data, found)
    except _Unfit:
        return None
    return skeleton if sorted(found) == list(range(count)) else None


def _index(text: str) -> int | None:
    """The slot a whole string stands for; None if it is no placeholder."""
    if text.startswith(_NONCE) and text[_NONCE_LEN:].isascii() and text[_NONCE_LEN:].isdigit():
        return int(text[_NONCE_LEN:])
    return None


def _compile(node: Any, found: list[int]) -> Any:
    """``node`` with placeholders as slots; _Unfit if the nonce shows up anywhere else.
    Recursion is bounded: skeletons are template text, not user data."""
    if isinstance(node, str):
        if _NONCE not in node:
            return node
        index = _index(node)
        if index is None:
            raise _Unfit
        found.append(index)
        return _Slot(index)
    if isinstance(node, dict):
        return {_compile(k, found): _compile(v, found) for k, v in node.items()}
    if isinstance(node, list):
        return [_compile(item, found) for item in node]
    return node


def _fill(node: Any, values: list[Any]) -> Any:
    # Containers are always new: documents never share objects with the cached skeleton.
    kind = type(node)
    if kind is _Slot:
        return values[node.index]
    if kind is dict:
        out = {}
        for key, value in node.items():
            if type(key) is _Slot:
                key = values[key.index]
                if not isinstance(key, _KEY_TYPES):
                    raise _Unfit
            # Slots and scalars inline: most entries are leaves, a call each would double
            # the cost of filling.
            leaf = type(value)
            if leaf is _Slot:
                out[key] = values[value.index]
            elif leaf is dict or leaf is list:
                out[key] = _fill(value, values)
            else:
                out[key] = value
        if len(out) != len(node):
            raise _Unfit  # two keys became one: the full parse refuses duplicates
        return out
    if kind is list:
        return [_fill(item, values) for item in node]
    return node
