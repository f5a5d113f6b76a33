"""The simplest templates, run without Jinja's runtime: the same text and values.

Every built-in template is text, printed names, ``{% if x %}`` and ``{% if x is (not)
none %}`` blocks, and ``{% for k, v in d.items() %}`` loops. Rendering one through the
sandbox builds a Jinja Context per object, about as costly as everything else the template
does (3,000 objects for 1,000 services); a :class:`Direct` program writes exactly the text
the sandbox writes and collects values in the order ``finalize`` would, with the same
placeholders.

Programs come from the template's text (:func:`translator.template_text.compile_text`,
no Jinja, so a run whose templates are all in that subset never imports jinja2) or from
Jinja's parse tree (:func:`translator.template_compile.compile_direct`); both decline every
other construct and give the same program (tests/test_template_text.py). At render time a
program bails out (None) when a name is missing from the context (a global, or an undefined
name Jinja reports) or a loop runs over anything but a plain dict; the caller then renders
with Jinja, which decides, errors included. tests/test_template_direct.py checks both give
the same text and values.

This module must not import jinja2: it is what runs when Jinja is not loaded.
"""

from __future__ import annotations

from typing import Any

from translator.template_skeletons import PLACEHOLDERS, placeholder

_KEPT = len(PLACEHOLDERS)

# The plain-data form of a program (no classes, so tests compare programs as values):
# an op is a str (text), ("print", name), ("if", name, none_test, negate, body, orelse) or
# ("loop", name, key, value, body); a program is (names, body). Whether a loop runs flat
# is decided here, from its body (:func:`_loop`), not by the compilers.
OpData = str | tuple[Any, ...]
ProgramData = tuple[tuple[str, ...], tuple[OpData, ...]]


class _Bail(Exception):
    """This render needs Jinja (a loop over something other than a dict)."""


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def run(self, scope: dict[str, Any], out: list[str], values: list[Any]) -> None:
        out.append(self.text)


class _Print:
    """``{{ name }}``: what the collecting ``finalize`` does with the name's value."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, scope: dict[str, Any], out: list[str], values: list[Any]) -> None:
        index = len(values)
        out.append(PLACEHOLDERS[index] if index < _KEPT else placeholder(index))
        values.append(scope[self.name])


class _If:
    """``{% if [not] name [is [not] none] %}`` with an optional ``else``."""

    __slots__ = ("body", "name", "negate", "none_test", "orelse")

    def __init__(
        self, name: str, none_test: bool, negate: bool, body: list[_Op], orelse: list[_Op]
    ) -> None:
        self.name, self.none_test, self.negate = name, none_test, negate
        self.body, self.orelse = body, orelse

    def run(self, scope: dict[str, Any], out: list[str], values: list[Any]) -> None:
        value = scope[self.name]
        # Jinja evaluates ``if x`` with Python's truth and ``x is none`` as ``x is None``.
        held = (value is None) if self.none_test else bool(value)
        for op in self.body if held != self.negate else self.orelse:
            op.run(scope, out, values)


class _Loop:
    """``{% for key, value in name.items() %}`` over a plain dict; else Jinja decides."""

    __slots__ = ("body", "key", "name", "value")

    def __init__(self, name: str, key: str, value: str, body: list[_Op]) -> None:
        self.name, self.key, self.value, self.body = name, key, value, body

    def run(self, scope: dict[str, Any], out: list[str], values: list[Any]) -> None:
        mapping = scope[self.name]
        if type(mapping) is not dict:
            raise _Bail  # the sandbox's attribute and call rules apply: let it run
        inner = dict(scope)  # loop names shadow the context's inside the block only
        key, value, body = self.key, self.value, self.body
        for inner[key], inner[value] in mapping.items():
            for op in body:
                op.run(inner, out, values)


class _FlatLoop:
    """A loop whose block only writes text and the loop's two names, the common case:
    the same output as :class:`_Loop` without a call or a name binding per piece."""

    __slots__ = ("key", "name", "parts", "value")

    def __init__(self, name: str, key: str, value: str, parts: tuple[str | int, ...]) -> None:
        self.name, self.key, self.value = name, key, value
        self.parts = parts  # an int: the item's key (0) or value (1)

    def run(self, scope: dict[str, Any], out: list[str], values: list[Any]) -> None:
        mapping = scope[self.name]
        if type(mapping) is not dict:
            raise _Bail
        parts = self.parts
        for item in mapping.items():
            for part in parts:
                if isinstance(part, str):
                    out.append(part)
                else:
                    index = len(values)
                    out.append(PLACEHOLDERS[index] if index < _KEPT else placeholder(index))
                    values.append(item[part])


_Op = _Text | _Print | _If | _Loop | _FlatLoop


class Direct:
    """A template's direct program: :meth:`render` gives Jinja's text and values, or None."""

    __slots__ = ("body", "names")

    def __init__(self, body: list[_Op], names: frozenset[str]) -> None:
        self.body, self.names = body, names

    def render(self, context: dict[str, Any]) -> tuple[str, list[Any]] | None:
        """The text with placeholders and the values they stand for; None: ask Jinja."""
        if not self.names <= context.keys():
            return None  # a global or an undefined name: Jinja resolves or reports it
        out: list[str] = []
        values: list[Any] = []
        try:
            for op in self.body:
                op.run(context, out, values)
        except _Bail:
            return None
        return "".join(out), values


def to_data(program: Direct) -> ProgramData:
    """``program`` as plain data (what the compilers build, and tests compare)."""
    return tuple(sorted(program.names)), _ops_data(program.body)


def _ops_data(ops: list[_Op]) -> tuple[OpData, ...]:
    return tuple(_op_data(op) for op in ops)


def _op_data(op: _Op) -> OpData:
    if isinstance(op, _Text):
        return op.text
    if isinstance(op, _Print):
        return ("print", op.name)
    if isinstance(op, _If):
        return ("if", op.name, op.none_test, op.negate, _ops_data(op.body), _ops_data(op.orelse))
    if isinstance(op, _Loop):
        return ("loop", op.name, op.key, op.value, _ops_data(op.body))
    names = (op.key, op.value)
    body = tuple(p if isinstance(p, str) else ("print", names[p]) for p in op.parts)
    return ("loop", op.name, op.key, op.value, body)


def from_data(data: ProgramData) -> Direct:
    """The program :func:`to_data` gave ``data`` for."""
    names, body = data
    return Direct(_ops(body), frozenset(names))


def _ops(data: tuple[OpData, ...]) -> list[_Op]:
    return [_op(item) for item in data]


def _op(data: OpData) -> _Op:
    if isinstance(data, str):
        return _Text(data)
    kind = data[0]
    if kind == "print":
        return _Print(data[1])
    if kind == "if":
        return _If(data[1], data[2], data[3], _ops(data[4]), _ops(data[5]))
    if kind == "loop":
        return _loop(data[1], data[2], data[3], data[4])
    raise ValueError(f"not a template program op: {kind!r}")


def _loop(name: str, key: str, value: str, body: tuple[OpData, ...]) -> _Op:
    """A :class:`_FlatLoop` when the block only writes text and the loop's two names,
    else a :class:`_Loop`."""
    parts: list[str | int] = []
    for op in body:
        if isinstance(op, str):
            parts.append(op)
        elif op[0] == "print" and op[1] in (key, value):
            parts.append(0 if op[1] == key else 1)
        else:
            return _Loop(name, key, value, _ops(body))
    return _FlatLoop(name, key, value, tuple(parts))
