"""The sandbox a user's templates (``--templates DIR``) run in: Jinja's immutable sandbox,
bounded so that no template can exhaust the process.

Jinja's sandbox stops a template from reaching Python internals, not from using all memory
or time (https://jinja.palletsprojects.com/en/3.1.x/sandbox/#operator-intercepting). The
bounds here use its hooks: operators (:meth:`call_binop`), calls of functions, methods and
macros (:meth:`call`), attribute reads, every filter, every ``for`` loop, every include and
every printed value. Each counts against a budget of steps and time per document, and each
checks the size of what it builds (strings, lists, integers) before it builds it where the
result could be much larger than the operands. A template that exceeds a bound fails with
:class:`TemplateLimitError`, which the caller reports at the template's file and line.

User files are read only from inside the folder: a template or folder that is a symlink
leading outside it, or a FIFO or device, is refused, not followed or skipped.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from jinja2 import FileSystemLoader, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from translator.sandbox_sizes import (
    MAX_INT_BITS,
    MAX_SIZE,
    TemplateLimitError,
    check_format,
    check_growth,
    check_insert,
    check_ints,
    check_join,
    check_power,
    check_printf,
    check_repeat,
    check_replace,
    check_size,
    hint,
    too_big,
)

__all__ = ["MAX_INT_BITS", "MAX_SIZE", "BoundedSandbox", "TemplateLimitError", "budget"]

# Bounds per rendered document; far above what a manifest template needs.
MAX_STEPS = 1_000_000  # loop iterations, calls, operators, filters, includes
MAX_SECONDS = 3.0  # checked every _CLOCK_EVERY steps: a backstop for slow single steps
MAX_RANGE = 100_000  # items of one range(), as Jinja's own sandbox
MAX_DEPTH = 64  # nested calls (a recursive macro)
MAX_OUTPUT = 32_000_000  # characters printed into one document
MAX_TEMPLATE_BYTES = 1 << 20
_CLOCK_EVERY = 1024

# String methods that pad or repeat to a size given by an argument.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
# Filters whose integer arguments say how much to build.
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "batch", "slice", "truncate"})


@dataclass
class Budget:
    """What one document's render has used so far."""

    steps: int = 0
    depth: int = 0
    output: int = 0
    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)

    def tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(
                f"the template takes more than {MAX_STEPS:,} steps (loop iterations, calls, "
                "operators) for one document"
            )
        if self.steps % _CLOCK_EVERY < count and time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"the template runs longer than {MAX_SECONDS:g} s for one document"
            )


_BUDGET: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def budget() -> Iterator[Budget]:
    """A fresh budget for the render of one document."""
    current = Budget()
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


def _tick(count: int = 1) -> Budget:
    current = _BUDGET.get()
    if current is None:  # loading a template before a render: nothing to count yet
        return Budget()
    current.tick(count)
    return current


def _precheck_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Methods of strings whose result an argument makes large."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _WIDTH_METHODS:
        check_ints((*args, *kwargs.values()))
    elif name == "join" and args:
        check_join(owner, args[0])
    elif name == "replace" and len(args) >= 2:
        check_replace(owner, args[0], args[1])


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` counted as a step, its size-making arguments and its result checked."""

    @wraps(function)  # keeps Jinja's pass_context / pass_environment marker
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        values = [a for a in args if not isinstance(a, Context | EvalContext | Environment)]
        if name in _WIDTH_FILTERS:
            check_ints((*values[1:], *kwargs.values()))
            if name in ("indent", "wordwrap") and values:
                check_insert(values[0], (*values[1:], *kwargs.values()))
        elif name == "join" and values:
            check_join(values[1] if len(values) > 1 else kwargs.get("d", ""), values[0])
        elif name == "replace" and len(values) >= 3:
            check_replace(values[0], values[1], values[2])
        elif name == "format" and values and isinstance(values[0], str):
            check_printf(values[0], tuple(values[1:]))
        return check_size(function(*args, **kwargs), *values)

    return bounded


def bounded_range(*args: int) -> range:
    """``range`` with at most :data:`MAX_RANGE` items."""
    _tick()
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise too_big("a range of {} items", len(numbers), MAX_RANGE)
    return numbers


def bounded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """Each item of a ``for`` loop is a step."""
    for item in iterable:
        _tick()
        yield item


def bounded_join(parts: tuple[Any, ...]) -> str:
    """Jinja's ``~``: the joined length is checked before the string is built."""
    _tick()
    check_growth("a joined string of length {}", sum(hint(p) for p in parts), parts)
    return "".join(map(str, parts))


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``for`` loops and ``~`` through the environment's bounded helpers."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guard = nodes.EnvironmentAttribute("bounded_iter")
        wrapped = nodes.Call(guard, [node.iter], [], None, None)
        node.iter = wrapped.set_lineno(node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the bounds of this module."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    bounded_iter = staticmethod(bounded_iter)
    bounded_join = staticmethod(bounded_join)

    def __init__(self, **options: Any) -> None:
        finalize = options.pop("finalize")
        super().__init__(finalize=self._finalizer(finalize), **options)
        self.globals["range"] = bounded_range
        # lipsum(n) writes n paragraphs of filler: nothing a manifest needs, and a way round
        # the size bounds.
        self.globals.pop("lipsum", None)
        self.filters = {k: _bounded_filter(k, f) for k, f in self.filters.items()}

    @staticmethod
    def _finalizer(encode: Callable[[Any], str]) -> Callable[[Any], str]:
        def finalize(value: Any) -> str:
            current = _tick()
            if current.output + hint(value, MAX_OUTPUT) > MAX_OUTPUT:
                raise too_big("a document of {} characters", current.output + hint(value),
                              MAX_OUTPUT)  # fmt: skip
            text = encode(value)
            current.output += len(text)
            if current.output > MAX_OUTPUT:
                raise too_big("a document of {} characters", current.output, MAX_OUTPUT)
            return text

        return finalize

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "*":
            check_repeat(left, right)
        elif operator == "**":
            check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right)
        return check_size(super().call_binop(context, operator, left, right), left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        current = _tick()
        _precheck_call(__obj, args, kwargs)
        if current.depth >= MAX_DEPTH:
            raise TemplateLimitError(f"calls nest deeper than {MAX_DEPTH} (a recursive macro?)")
        current.depth += 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            current.depth -= 1

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            check_format(text, (*args, *kwargs.values()))
            return wrapper(*args, **kwargs)

        return checked

    def get_template(self, *args: Any, **kwargs: Any) -> Any:
        # Every include, import and extends: a template that includes itself twice would
        # otherwise double its work at each level before the recursion limit.
        _tick()
        return super().get_template(*args, **kwargs)


class ContainedLoader(FileSystemLoader):
    """Loads templates of one folder, refusing what leads outside it or is not a file."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.root = os.path.realpath(folder)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.root
        for piece in split_template_path(template):
            path = os.path.join(path, piece)
            if os.path.islink(path) and not _inside(os.path.realpath(path), self.root):
                raise TemplateLimitError(
                    f"{path!r} is a symlink leading outside the templates folder {self.root!r}; "
                    "it is not followed"
                )
        if os.path.lexists(path):
            _check_file(path)
        return super().get_source(environment, template)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _check_file(path: str) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise TemplateLimitError(f"cannot read template {path!r}: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise TemplateLimitError(f"template {path!r} is not a regular file (a FIFO, device "
                                 "or folder); it is not read")
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise too_big("a template file of {} bytes", info.st_size, MAX_TEMPLATE_BYTES)
