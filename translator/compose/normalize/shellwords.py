"""Split a string ``command:``/``entrypoint:`` exactly like Compose does.

Compose decodes a string command with ``shellwords.Parse`` from
github.com/mattn/go-shellwords (no environment or backtick expansion). Its rules,
checked against Docker Compose v2.40.3:

- blanks (space, tab, CR, LF) separate words; a backslash escapes the next
  character anywhere except inside single quotes;
- ``'...'`` and ``"..."`` group (``""`` is an empty word); the other quote
  character is literal inside them;
- `` `...` `` and ``$(...)`` are kept verbatim, blanks included;
- an unquoted ``;``, ``&``, ``|``, ``<`` or ``>`` ends the command: the rest is
  silently dropped (a ``2>``-style fd number before ``>`` is dropped too);
- an unbalanced quote, a trailing backslash or a stray ``(``/``)`` is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_BLANKS = frozenset(" \t\r\n")
_STOPS = frozenset(";&|<>")


class ShellSplitError(ValueError):
    """The command line has unbalanced quotes, parentheses or a trailing backslash."""


@dataclass
class _State:
    words: list[str] = field(default_factory=list)
    buf: list[str] = field(default_factory=list)
    got: bool = False
    escaped: bool = False
    single: bool = False
    double: bool = False
    backquote: bool = False
    dollar: bool = False

    @property
    def grouped(self) -> bool:
        return self.single or self.double or self.backquote or self.dollar

    def flush(self) -> None:
        if self.got:
            self.words.append("".join(self.buf))
        self.buf = []
        self.got = False


def shell_split(line: str) -> tuple[list[str], str | None]:
    """The words of ``line`` and the dropped remainder (None when nothing was dropped)."""
    state = _State()
    for index, char in enumerate(line):
        if state.escaped:
            state.buf.append(char)
            state.escaped = False
            state.got = True
            continue
        if char == "\\" and not state.single:
            state.escaped = True
            continue
        if char in _BLANKS and not state.grouped:
            state.flush()
            continue
        if char in _STOPS and not state.grouped:
            if char == ">" and state.buf and state.buf[0].isdigit():
                state.buf, state.got = [], False
            return _finish(state), line[index:]
        if _special(state, char):
            continue
        state.buf.append(char)
        state.got = True
    return _finish(state), None


def _special(state: _State, char: str) -> bool:
    """Apply quote and grouping rules; True when ``char`` is consumed, not kept."""
    if char == "'" and not (state.double or state.dollar):
        if state.single:
            state.got = True
        state.single = not state.single
        return True
    if char == '"' and not (state.single or state.dollar):
        if state.double:
            state.got = True
        state.double = not state.double
        return True
    if state.single or state.double:
        return False
    if char == "`" and not state.dollar:
        state.backquote = not state.backquote
    elif char == "(" and not state.backquote:
        if state.dollar or not state.buf or state.buf[-1] != "$":
            raise ShellSplitError("unexpected '('")
        state.dollar = True
    elif char == ")" and not state.backquote:
        state.dollar = not state.dollar
    return False


def _finish(state: _State) -> list[str]:
    if state.escaped or state.grouped:
        raise ShellSplitError("unbalanced quotes, parentheses or trailing backslash")
    state.flush()
    return state.words
