"""Direct programs from Jinja's parse tree (see :mod:`translator.template_direct`).

:func:`compile_data` turns a template that uses only text, printed names, ``{% if [not]
x [is [not] none] %}`` blocks (with an optional ``else``) and ``{% for k, v in
d.items() %}`` loops into the plain data of its program; it declines (None) any other
construct: filters, calls, attributes, ``loop``, ``else`` on a loop, nested loops, another
test, an ``elif``. It needs jinja2, so only runs with a template that
:mod:`translator.template_text` cannot read import this module; it is also the oracle that
module's program is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, TemplateError, nodes
from jinja2.tests import test_none

from translator.template_direct import Direct, OpData, ProgramData, from_data

_LOOP = "loop"  # Jinja's loop variable: not a plain name inside a for block
# Names Jinja binds itself (the loop, the template reference, block and macro names).
_SPECIAL = frozenset({_LOOP, "self", "super", "caller", "varargs", "kwargs"})


class _Unsupported(Exception):
    """The template uses something the direct program does not do."""


def compile_direct(env: Environment, source: str) -> Direct | None:
    """The direct program of ``source`` in ``env``; None if only Jinja can run it."""
    data = compile_data(env, source)
    return None if data is None else from_data(data)


def compile_data(env: Environment, source: str) -> ProgramData | None:
    """The plain data of the direct program of ``source`` in ``env``; None: Jinja only."""
    if env.tests.get("none") is not test_none:
        return None  # the test means something else in this environment
    names: set[str] = set()
    try:
        body = _body(env.parse(source).body, names, ())
    except (_Unsupported, TemplateError):  # a syntax error is Jinja's to report
        return None
    return tuple(sorted(names)), body


def _body(
    nodes_: Sequence[nodes.Node], names: set[str], loop: tuple[str, ...]
) -> tuple[OpData, ...]:
    ops: list[OpData] = []
    for node in nodes_:
        if type(node) is nodes.Output:
            ops.extend(_output(child, names, loop) for child in node.nodes)
        elif type(node) is nodes.If:
            ops.append(_if(node, names, loop))
        elif type(node) is nodes.For and not loop:
            ops.append(_for(node, names))
        else:
            raise _Unsupported
    return tuple(ops)


def _output(node: nodes.Node, names: set[str], loop: tuple[str, ...]) -> OpData:
    if type(node) is nodes.TemplateData:
        return str(node.data)  # template data skips finalize, as in Jinja's compiler
    return ("print", _name(node, names, loop))


def _name(node: nodes.Node, names: set[str], loop: tuple[str, ...]) -> str:
    """A plain name read; context names (not the loop's) are noted in ``names``."""
    if type(node) is not nodes.Name or node.ctx != "load" or node.name in _SPECIAL:
        raise _Unsupported
    if node.name not in loop:
        names.add(node.name)
    return str(node.name)


def _if(node: nodes.If, names: set[str], loop: tuple[str, ...]) -> OpData:
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
    return ("if", name, none_test, negate, _body(node.body, names, loop),
            _body(node.else_, names, loop))


def _for(node: nodes.For, names: set[str]) -> OpData:
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
    return ("loop", mapping, loop[0], loop[1], _body(node.body, names, loop))
