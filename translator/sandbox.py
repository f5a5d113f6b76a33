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
import re
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
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Bounds per rendered document; far above what a manifest template needs.
MAX_STEPS = 1_000_000  # loop iterations, calls, operators, filters, includes
MAX_SECONDS = 3.0  # checked every _CLOCK_EVERY steps: a backstop for slow single steps
MAX_SIZE = 4_000_000  # characters of a string, items of a list a template makes grow
MAX_INT_BITS = 14_000  # about the 4,300 digits Python converts to text
MAX_RANGE = 100_000  # items of one range(), as Jinja's own sandbox
MAX_DEPTH = 64  # nested calls (a recursive macro)
MAX_OUTPUT = 32_000_000  # characters printed into one document
MAX_TEMPLATE_BYTES = 1 << 20
_CLOCK_EVERY = 1024

# String methods that pad or repeat to a size given by an argument.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
# Filters whose integer arguments say how much to build.
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "batch", "slice", "truncate"})
# A printf width or precision (https://docs.python.org/3/library/stdtypes.html#old-string-formatting).
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"\d+")
_NESTED_FIELD = re.compile(r"\{[^{}]*[:.]\{")


class TemplateLimitError(SecurityError):
    """A user template went past one of the sandbox's bounds."""


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
    if current is None:  # a render outside budget(): bound it all the same
        current = Budget()
        _BUDGET.set(current)
    current.tick(count)
    return current


def _too_big(what: str, size: int, limit: int = MAX_SIZE) -> TemplateLimitError:
    """``what`` has a ``{}`` for the size: "a range of {} items"."""
    return TemplateLimitError(
        f"the template builds {what.format(f'{size:,}')} (the limit is {limit:,})"
    )


_SIZED = (str, bytes, list, tuple, dict, set)


def check_size(value: Any, *inputs: Any) -> Any:
    """``value`` unless it is an integer past the bound, or a string or list that grew past
    the bound from ``inputs`` (a value the project gave may be larger; it is not grown)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise _too_big("an integer of {} bits", value.bit_length(), MAX_INT_BITS)
    elif (
        isinstance(value, _SIZED)
        and len(value) > MAX_SIZE
        and len(value) > max((len(i) for i in inputs if isinstance(i, _SIZED)), default=0)
    ):
        raise _too_big(f"a {type(value).__name__} of length {{}}", len(value))
    return value


def _check_repeat(left: Any, right: Any) -> None:
    """``left * right`` for a sequence and a count: refuse before building it."""
    for seq, count in ((left, right), (right, left)):
        sequence = isinstance(seq, str | list | tuple) and isinstance(count, int)
        size = len(seq) * count if sequence else 0
        if size > MAX_SIZE:
            raise _too_big(f"a repeated {type(seq).__name__} of length {{}}", size)


def _check_power(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        bits = (abs(left).bit_length() - 1) * right
        if bits > MAX_INT_BITS:
            raise _too_big("an integer of {} bits", bits, MAX_INT_BITS)


def _check_printf(text: str, args: Any) -> None:
    """``text % args``: a width or precision (literal or ``*``) larger than the bound."""
    values = args if isinstance(args, tuple) else (args,)
    star_ok = all(not _is_int(v) or abs(v) <= MAX_SIZE for v in values)
    for match in _PRINTF_SPEC.finditer(text):
        for part in match.groups():
            if part == "*" and not star_ok:
                raise _too_big("a printf width of {}", max(abs(v) for v in values if _is_int(v)))
            if part and part != "*" and int(part) > MAX_SIZE:
                raise _too_big("a printf width of {}", int(part))


def _check_format(text: str, args: Iterable[Any]) -> None:
    """``text.format(...)``: a width in a field, or given by an argument, too large."""
    for spec in _FORMAT_FIELD.findall(text):
        for digits in _DIGITS.findall(spec.partition(":")[2]):
            if len(digits) > 7 or int(digits) > MAX_SIZE:
                raise _too_big("a format width of {}", int(digits[:20]))
    if _NESTED_FIELD.search(text):  # a width given by an argument: "{:{w}}"
        _check_ints(args)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_ints(args: Iterable[Any]) -> None:
    for value in args:
        if _is_int(value) and abs(value) > MAX_SIZE:
            raise _too_big("a width or count of {}", value)


def _check_join(separator: Any, items: Any) -> None:
    sized = isinstance(separator, str) and hasattr(items, "__len__")
    size = len(separator) * len(items) if sized else 0
    if size > MAX_SIZE:
        raise _too_big("a joined string of length {}", size)


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = len(text) + 1 if old == "" else text.count(old)
        if count * len(new) > MAX_SIZE:
            raise _too_big("a replaced string of length {}", count * len(new))


def _precheck_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Methods of strings whose result an argument makes large."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _WIDTH_METHODS:
        _check_ints((*args, *kwargs.values()))
    elif name == "join" and args:
        _check_join(owner, args[0])
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` counted as a step, its size-making arguments and its result checked."""

    @wraps(function)  # keeps Jinja's pass_context / pass_environment marker
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        values = [a for a in args if not isinstance(a, Context | EvalContext | Environment)]
        if name in _WIDTH_FILTERS:
            _check_ints((*values[1:], *kwargs.values()))
        elif name == "join" and len(values) >= 2:
            _check_join(values[1], values[0])
        elif name == "replace" and len(values) >= 3:
            _check_replace(values[0], values[1], values[2])
        elif name == "format" and values and isinstance(values[0], str):
            _check_printf(values[0], tuple(values[1:]))
        return check_size(function(*args, **kwargs), *values)

    return bounded


def bounded_range(*args: int) -> range:
    """``range`` with at most :data:`MAX_RANGE` items."""
    _tick()
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _too_big("a range of {} items", len(numbers), MAX_RANGE)
    return numbers


def bounded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """Each item of a ``for`` loop is a step."""
    for item in iterable:
        _tick()
        yield item


def bounded_join(parts: tuple[Any, ...]) -> str:
    """Jinja's ``~``: the joined length is checked before the string is built."""
    _tick()
    texts = [str(p) for p in parts]
    total = sum(map(len, texts))
    if total > MAX_SIZE:
        raise _too_big("a joined string of length {}", total)
    return "".join(texts)


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
        self.filters = {k: _bounded_filter(k, f) for k, f in self.filters.items()}

    @staticmethod
    def _finalizer(encode: Callable[[Any], str]) -> Callable[[Any], str]:
        def finalize(value: Any) -> str:
            current = _tick()
            text = encode(value)
            current.output += len(text)
            if current.output > MAX_OUTPUT:
                raise _too_big("a document of {} characters", current.output, MAX_OUTPUT)
            return text

        return finalize

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
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
            _check_format(text, (*args, *kwargs.values()))
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
        raise _too_big("a template file of {} bytes", info.st_size, MAX_TEMPLATE_BYTES)
