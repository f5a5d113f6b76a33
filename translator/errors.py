"""Diagnostics and the one exception type for bad input.

Every problem the tool reports is a :class:`Diagnostic`. A diagnostic names the
place it concerns as a *path* into the compose document (``services.web.ports[1]``)
and, once a source map has been consulted, a :class:`Location` (``file:line:col``).

Library code never prints and never exits: it raises :class:`TranslatorError`
for bad input, or collects warnings in a :class:`Diagnostics` list. Only
``translator.cli`` turns them into text and exit codes.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

PathPart = str | int
Path = tuple[PathPart, ...]


# How much of a value a message quotes: a megabyte service name or label key (valid YAML)
# must not make a megabyte error line.
QUOTE_LIMIT = 80
# Messages longer than this have their long quoted spans shortened when they are made, for
# the places that quote a value without :func:`quote`; no message of the tool's own is
# this long.
_MESSAGE_LIMIT = 1000
_LONG_QUOTED = re.compile(rf"'[^'\n]{{{QUOTE_LIMIT + 1},}}'|\"[^\"\n]{{{QUOTE_LIMIT + 1},}}\"")


def shorten(value: str, limit: int = QUOTE_LIMIT) -> str:
    """``value`` as a message shows it: whole up to ``limit`` characters, else its start,
    an ellipsis and its length."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value)} characters)"


def quote(value: str, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, shortened like :func:`shorten` past ``limit`` characters."""
    if len(value) <= limit:
        return repr(value)
    head = repr(value[:limit])
    return f"{head[:-1]}…{head[-1]} ({len(value)} characters)"


def _shorten_quoted(message: str) -> str:
    def one(match: re.Match[str]) -> str:
        mark, inner = match.group()[0], match.group()[1:-1]
        return f"{mark}{inner[:QUOTE_LIMIT]}…{mark} ({len(inner)} characters)"

    return _LONG_QUOTED.sub(one, message)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def format_path(path: Sequence[PathPart]) -> str:
    """Render a document path the way users read it: ``services.web.ports[1]``; a long
    key is shortened (:func:`shorten`)."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out.append(f"[{part}]")
        elif not isinstance(part, str):  # a YAML key that is null, a float, a bool ...
            out.append(f"[{part!r}]")  # (found by fuzz/fuzz_loader.py)
        elif not out:
            out.append(shorten(part))
        elif _plain_key(part):
            out.append(f".{shorten(part)}")
        else:
            out.append(f"[{quote(part)}]")
    return "".join(out)


def _plain_key(key: str) -> bool:
    return bool(key) and all(c.isalnum() or c in "_-/@" for c in key)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: an error (the input cannot be used) or a warning (something is lost).

    ``code`` is a stable machine-readable identifier (``unknown-key``,
    ``kubernetes.unmapped``, ``TR001``). ``service``/``key`` name the compose
    service and key a lossy mapping concerns; ``target`` names the renderer.
    """

    severity: Severity
    message: str
    path: Path = ()
    location: Location | None = None
    code: str = ""
    service: str | None = None
    key: str | None = None
    target: str | None = None
    hint: str | None = None
    # The environment the finding belongs to, when a run covers several (``--all-envs``).
    environment: str | None = None

    def __post_init__(self) -> None:
        if len(self.message) > _MESSAGE_LIMIT:
            object.__setattr__(self, "message", _shorten_quoted(self.message))

    def format(self) -> str:
        """``file:line:col: services.web.ports[1]: message`` (parts omitted when unknown)."""
        head: list[str] = []
        if self.location is not None:
            head.append(str(self.location))
        if self.path:
            head.append(format_path(self.path))
        text = self.message
        if self.target:
            text = f"[{self.target}] {text}"
        if self.hint:
            text = f"{text} ({self.hint})"
        line = ": ".join([*head, text])
        return f"[{self.environment}] {line}" if self.environment else line

    def at(self, location: Location | None) -> Diagnostic:
        if location is None:
            return self
        # Built directly: dataclasses.replace cost more than the locating it follows, for
        # thousands of warnings.
        return Diagnostic(
            self.severity, self.message, self.path, location, self.code, self.service,
            self.key, self.target, self.hint, self.environment,
        )

    def escalated(self) -> Diagnostic:
        return replace(self, severity=Severity.ERROR)


Locator = Callable[[Path], Location | None]


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics, shared by one load or render."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def warn(self, message: str, path: Path = (), **kw: object) -> None:
        self.items.append(Diagnostic(Severity.WARNING, message, path, **kw))  # type: ignore[arg-type]

    def error(self, message: str, path: Path = (), **kw: object) -> None:
        self.items.append(Diagnostic(Severity.ERROR, message, path, **kw))  # type: ignore[arg-type]

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def located(self, locate: Locator) -> list[Diagnostic]:
        """Attach source positions to every diagnostic that has a path but no location."""
        return [
            d.at(locate(d.path)) if d.location is None and d.path else d for d in self.items
        ]


class TranslatorError(Exception):
    """Bad input. Carries one or more error diagnostics; the CLI exits 1."""

    def __init__(self, diagnostics: Diagnostic | Sequence[Diagnostic]) -> None:
        items = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        if not items:
            raise ValueError("TranslatorError needs at least one diagnostic")
        self.diagnostics: list[Diagnostic] = items
        super().__init__("\n".join(d.format() for d in items))

    @classmethod
    def at(
        cls,
        message: str,
        path: Path = (),
        location: Location | None = None,
        *,
        code: str = "invalid",
        hint: str | None = None,
    ) -> TranslatorError:
        return cls(Diagnostic(Severity.ERROR, message, path, location, code=code, hint=hint))

    def located(self, locate: Locator) -> TranslatorError:
        items = [
            d.at(locate(d.path)) if d.location is None and d.path else d for d in self.diagnostics
        ]
        return TranslatorError(items)


class UsageError(Exception):
    """A command line that cannot work (unknown target, conflicting flags). Exit 2."""
