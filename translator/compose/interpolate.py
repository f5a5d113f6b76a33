"""Variable interpolation in compose data, as Docker Compose (compose-go) does it.

Spec: https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md.
Semantics checked against ``docker compose config`` v2.40.3:

* ``$VAR`` / ``${VAR}``; names are ``[_A-Za-z][_A-Za-z0-9]*``. A ``$`` followed by
  anything else (``$1``, ``$-``, a trailing ``$``) stays literal; ``$$`` is one ``$``.
* ``${VAR:-d}`` (unset or empty), ``${VAR-d}`` (unset), ``${VAR:+r}`` / ``${VAR+r}``
  (set and non-empty / set), ``${VAR:?msg}`` / ``${VAR?msg}`` (required). Words nest
  (``${A:-${B:-x}}``); a braced expression must close on its own line.
* Only values are interpolated, never mapping keys, and a substituted value is not
  interpolated again (``REF='${S}'`` stays ``${S}``).
* compose-go always expands the words of ``?`` and ``+`` (even when unused) and the
  ``-`` default only when used; this matters for warnings and nested ``?`` errors.

The expander is iterative (an explicit stack of frames), so nesting depth is bounded
only by the string length, never by Python's recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from translator.compose.yaml_construct import Tagged
from translator.errors import TranslatorError
from translator.redact import shown

Lookup = Callable[[str], str | None]
DocPath = tuple[str | int, ...]
Warn = Callable[[str, DocPath], None]

_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_HEAD = re.compile(r"([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?)([-+?]))?")
# Exact-type checks first (fast for parser output), isinstance for anything else.
_CONTAINERS = frozenset((dict, list, Tagged))
_LEAVES = frozenset((str, int, float, bool, type(None)))
_BRACES = re.compile(r"\$\{|\}|\n")


def unset_message(name: str) -> str:
    return f'The "{name}" variable is not set. Defaulting to a blank string.'


_UNSET = re.compile(r'The "([^"]+)" variable is not set\.')


def unset_variable(message: str) -> str | None:
    """The variable an :func:`unset_message` names, or None for any other message."""
    found = _UNSET.match(message)
    return found.group(1) if found else None


def interpolate(data: Any, lookup: Lookup, *, path: DocPath = (), warn: Warn) -> Any:
    """A copy of ``data`` with every string value interpolated (keys are left alone).

    Containers are always copied (callers may change the result); strings without ``$``
    and other scalars are shared. Values are visited in document order, so warnings and
    the first error come out in that order.
    """
    return _copy(data, path, 0, lookup, warn)


# Recursion is several times cheaper than an explicit task stack for the shallow data of
# real compose files; anything nested deeper than this goes to the iterative walk, so no
# input can exhaust Python's stack.
_RECURSION_LIMIT = 48


def _copy(value: Any, where: DocPath, depth: int, lookup: Lookup, warn: Warn) -> Any:
    kind = type(value)
    if kind is str:
        return _expand(value, lookup, where, warn) if "$" in value else value
    if kind in _LEAVES:
        return value
    if depth > _RECURSION_LIMIT:
        return _interpolate_iterative(value, lookup, where, warn)
    if kind is dict:
        return _copy_items(dict(value), value.items(), where, depth, lookup, warn)
    if kind is list:
        return _copy_items(list(value), enumerate(value), where, depth, lookup, warn)
    if isinstance(value, Tagged):
        inner = value.value
        # Like the iterative walk, one level of tag is unwrapped (tags never nest).
        result = inner if isinstance(inner, Tagged) else _copy(inner, where, depth, lookup, warn)
        return Tagged(value.tag, result)
    if isinstance(value, str):
        return _expand(value, lookup, where, warn) if "$" in value else value
    if isinstance(value, dict):
        return _copy_items(dict(value), value.items(), where, depth, lookup, warn)
    if isinstance(value, list):
        return _copy_items(list(value), enumerate(value), where, depth, lookup, warn)
    return value


_C = TypeVar("_C", dict[Any, Any], list[Any])


def _copy_items(
    out: _C, items: Iterable[tuple[Any, Any]], where: DocPath, depth: int, lookup: Lookup,
    warn: Warn,
) -> _C:
    """``out`` (a shallow copy) with each interpolated entry replaced; entries without a
    ``$`` and other leaves stay shared."""
    for key, item in items:
        kind = type(item)
        if kind is str:
            if "$" in item:
                out[key] = _expand(item, lookup, (*where, key), warn)
        elif kind not in _LEAVES:
            out[key] = _copy(item, (*where, key), depth + 1, lookup, warn)
    return out


def _interpolate_iterative(data: Any, lookup: Lookup, path: DocPath, warn: Warn) -> Any:
    """:func:`interpolate` with an explicit stack, for data nested past the recursion limit.

    Only containers and strings holding ``$`` become tasks (other values are copied on
    the spot), and tasks run in document order, so warnings come out in that order.
    """
    out: list[Any] = [None]
    tasks: list[tuple[Any, Any, Any, DocPath]] = [(data, out, 0, path)]
    while tasks:
        value, container, slot, where = tasks.pop()
        tag = None
        if isinstance(value, Tagged):
            tag, value = value.tag, value.value
        result: Any = value
        if isinstance(value, str):
            result = _expand(value, lookup, where, warn) if "$" in value else value
        elif isinstance(value, dict):
            result = dict(value)
            _queue(tasks, result, result.items(), where)
        elif isinstance(value, list):
            result = list(value)
            _queue(tasks, result, enumerate(result), where)
        container[slot] = result if tag is None else Tagged(tag, result)
    return out[0]


def _queue(tasks: list[Any], copy: Any, items: Any, where: DocPath) -> None:
    """Queue the children of ``copy`` that need work, so the first is popped first."""
    pending = [
        (item, copy, key, (*where, key))
        for key, item in items
        if (type(item) is str and "$" in item)
        or type(item) in _CONTAINERS
        or (type(item) not in _LEAVES and isinstance(item, str | dict | list | Tagged))
    ]
    tasks.extend(reversed(pending))


def substitute(text: str, lookup: Lookup, path: DocPath = (), warn: Warn | None = None) -> str:
    """Interpolate one string; unset variables warn through ``warn`` when given."""
    if "$" not in text:
        return text
    return _expand(text, lookup, path, warn or _ignore)


def _ignore(message: str, path: DocPath) -> None:
    """Default ``warn``: callers of :func:`substitute` that do not collect warnings."""


@dataclass(slots=True)
class _Frame:
    """One string segment being expanded; ``pending`` is the operator awaiting its word."""

    pos: int
    end: int
    out: list[str] = field(default_factory=list)
    pending: tuple[str, str, bool, int] | None = None  # name, op, colon, resume position


class _Expander:
    def __init__(self, text: str, lookup: Lookup, path: DocPath, warn: Warn) -> None:
        self.text = text
        self.lookup = lookup
        self.path = path
        self.warn = warn
        self.closing = _closing_braces(text)

    def run(self) -> str:
        stack = [_Frame(0, len(self.text))]
        word: str | None = None
        while True:
            frame = stack[-1]
            if word is not None and frame.pending is not None:
                frame.out.append(self._apply(frame.pending, word))
                frame.pos = frame.pending[3]
                frame.pending = None
            word = None
            child = self._scan(frame)
            if child is not None:
                stack.append(child)
                continue
            word = "".join(frame.out)
            stack.pop()
            if not stack:
                return word

    def _scan(self, frame: _Frame) -> _Frame | None:
        """Expand ``frame`` until its end (returns None) or until a word must be expanded."""
        text, end = self.text, frame.end
        while True:
            dollar = text.find("$", frame.pos, end)
            if dollar < 0:
                frame.out.append(text[frame.pos : end])
                frame.pos = end
                return None
            frame.out.append(text[frame.pos : dollar])
            following = text[dollar + 1 : dollar + 2] if dollar + 1 < end else ""
            if following == "$":
                frame.out.append("$")
                frame.pos = dollar + 2
            elif following == "{":
                child = self._braced(frame, dollar)
                if child is not None:
                    return child
            else:
                match = _NAME.match(text, dollar + 1, end)
                if match is None:
                    frame.out.append("$")
                    frame.pos = dollar + 1
                else:
                    frame.out.append(self._value(match.group()))
                    frame.pos = match.end()

    def _braced(self, frame: _Frame, dollar: int) -> _Frame | None:
        close = self.closing.get(dollar, -1)
        if close < 0 or close >= frame.end:
            raise self._invalid()
        head = _HEAD.match(self.text, dollar + 2, close)
        if head is None:
            raise self._invalid()
        name, colon, op = head.group(1), head.group(2) == ":", head.group(3)
        if op is None:
            if head.end() != close:
                raise self._invalid()
            frame.out.append(self._value(name))
            frame.pos = close + 1
            return None
        value = self.lookup(name)
        if op == "-" and not _missing(value, colon):
            frame.out.append(value or "")
            frame.pos = close + 1
            return None
        frame.pending = (name, op, colon, close + 1)
        return _Frame(head.end(), close)

    def _apply(self, pending: tuple[str, str, bool, int], word: str) -> str:
        name, op, colon, _ = pending
        value = self.lookup(name)
        if op == "-":
            return word
        if op == "+":
            return word if not _missing(value, colon) else (value or "")
        if _missing(value, colon):
            reason = f": {word}" if word else ""
            raise TranslatorError.at(
                f"required variable {name} is missing a value{reason}",
                self.path,
                code="interpolation",
                hint=f"set {name} in the environment or the .env file",
            )
        return value or ""

    def _value(self, name: str) -> str:
        value = self.lookup(name)
        if value is None:
            self.warn(unset_message(name), self.path)
            return ""
        return value

    def _invalid(self) -> TranslatorError:

        return TranslatorError.at(
            f"invalid interpolation format in {shown(self.text, self.path)}",
            self.path,
            code="interpolation",
            hint="use $VAR, ${VAR}, ${VAR:-default}, ${VAR:?error} or ${VAR:+other}; "
            "write $$ for a literal $",
        )


def _missing(value: str | None, colon: bool) -> bool:
    return value is None or (colon and value == "")


def _expand(text: str, lookup: Lookup, path: DocPath, warn: Warn) -> str:
    return _Expander(text, lookup, path, warn).run()


def _closing_braces(text: str) -> dict[int, int]:
    """Map each ``${`` position to the ``}`` that closes it (``${`` opens, any ``}`` closes).

    This mirrors compose-go's ``getFirstBraceClosingIndex``: a bare ``{`` does not count.
    compose-go's pattern cannot cross a line end, so a pair spanning lines maps to -1.
    """
    if "${" not in text:
        return {}
    closing: dict[int, int] = {}
    opened: list[tuple[int, int]] = []
    line = 0
    for match in _BRACES.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token == "${":
            opened.append((match.start(), line))
        elif opened:
            start, start_line = opened.pop()
            closing[start] = match.start() if start_line == line else -1
    return closing
