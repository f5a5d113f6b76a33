"""The simplest templates, run without Jinja's runtime: the same text and values.

Every built-in template is text, printed names, ``{% if x %}`` and ``{% if x is (not)
none %}`` blocks, and ``{% for k, v in d.items() %}`` loops. Rendering one through the
sandbox builds a Jinja Context per object, about as costly as everything else the template
does (3,000 objects for 1,000 services); :func:`compile_direct` turns the parsed template
into a small program that writes exactly the text the sandbox writes and collects values
in the order ``finalize`` would, with the same placeholders.

It declines (None) any other construct: filters, calls, attributes, ``loop``, ``else`` on
a loop, nested loops, another test, an ``elif``. At render time it bails out (None) when a
name is missing from the context (a global, or an undefined name Jinja reports) or a loop
runs over anything but a plain dict; the caller then renders with Jinja, which decides,
errors included. tests/test_template_direct.py checks both give the same text and values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, TemplateError, nodes
from jinja2.tests import test_none

from translator.template_skeletons import PLACEHOLDERS, placeholder

_LOOP = "loop"  # Jinja's loop variable: not a plain name inside a for block
# Names Jinja binds itself (the loop, the template reference, block and macro names).
_SPECIAL = frozenset({_LOOP, "self", "super", "caller", "varargs", "kwargs"})
_KEPT = len(PLACEHOLDERS)


class _Unsupported(Exception):
    """The template uses something the direct program does not do."""


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

    __slots__ = ("name", "parts")

    def __init__(self, name: str, parts: tuple[str | int, ...]) -> None:
        self.name, self.parts = name, parts  # an int: the item's key (0) or value (1)

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


def compile_direct(env: Environment, source: str) -> Direct | None:
    """The direct program of ``source`` in ``env``; None if only Jinja can run it."""
    if env.tests.get("none") is not test_none:
        return None  # the test means something else in this environment
    names: set[str] = set()
    try:
        body = _body(env.parse(source).body, names, ())
    except (_Unsupported, TemplateError):  # a syntax error is Jinja's to report
        return None
    return Direct(body, frozenset(names))


def _body(nodes_: Sequence[nodes.Node], names: set[str], loop: tuple[str, ...]) -> list[_Op]:
    ops: list[_Op] = []
    for node in nodes_:
        if type(node) is nodes.Output:
            ops.extend(_output(child, names, loop) for child in node.nodes)
        elif type(node) is nodes.If:
            ops.append(_if(node, names, loop))
        elif type(node) is nodes.For and not loop:
            ops.append(_for(node, names))
        else:
            raise _Unsupported
    return ops


def _output(node: nodes.Node, names: set[str], loop: tuple[str, ...]) -> _Op:
    if type(node) is nodes.TemplateData:
        return _Text(node.data)  # template data skips finalize, as in Jinja's compiler
    return _Print(_name(node, names, loop))


def _name(node: nodes.Node, names: set[str], loop: tuple[str, ...]) -> str:
    """A plain name read; context names (not the loop's) are noted in ``names``."""
    if type(node) is not nodes.Name or node.ctx != "load" or node.name in _SPECIAL:
        raise _Unsupported
    if node.name not in loop:
        names.add(node.name)
    return str(node.name)


def _if(node: nodes.If, names: set[str], loop: tuple[str, ...]) -> _If:
    if node.elif_:
        raise _Unsupported
    test, negate = node.test, False
    if type(test) is nodes.Not:
        test, negate = test.node, True
    none_test = False
    if type(test) is nodes.Test:
        if test.name != "none" or test.args or test.kwargs or test.dyn_args or test.dyn_kwargs:
            raise _Unsupported
        test, none_test = test.node, True
    name = _name(test, names, loop)
    return _If(name, none_test, negate, _body(node.body, names, loop),
               _body(node.else_, names, loop))


def _for(node: nodes.For, names: set[str]) -> _Loop | _FlatLoop:
    target, call = node.target, node.iter
    if (
        node.else_ or node.test is not None or node.recursive
        or type(target) is not nodes.Tuple or len(target.items) != 2
        or type(call) is not nodes.Call or call.args or call.kwargs
        or call.dyn_args is not None or call.dyn_kwargs is not None
        or type(call.node) is not nodes.Getattr or call.node.attr != "items"
    ):
        raise _Unsupported
    key, value = target.items
    if type(key) is not nodes.Name or type(value) is not nodes.Name or key.name == value.name:
        raise _Unsupported
    if key.name in _SPECIAL or value.name in _SPECIAL:
        raise _Unsupported
    mapping = _name(call.node.node, names, ())
    loop = (str(key.name), str(value.name))
    body = _body(node.body, names, loop)
    parts = [_flat(op, loop) for op in body]
    if None not in parts:
        return _FlatLoop(mapping, tuple(part for part in parts if part is not None))
    return _Loop(mapping, loop[0], loop[1], body)


def _flat(op: _Op, loop: tuple[str, str]) -> str | int | None:
    """``op`` as a part of a :class:`_FlatLoop`; None if it is anything else."""
    if isinstance(op, _Text):
        return op.text
    if isinstance(op, _Print) and op.name in loop:
        return loop.index(op.name)
    return None
