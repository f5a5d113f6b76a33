"""``.env`` files as Docker Compose (compose-go ``dotenv``) reads them.

Rules checked against ``docker compose config`` v2.40.3
(https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):

* blank lines and lines starting with ``#`` are skipped; ``export KEY=v`` is ``KEY=v``;
  ``KEY: v`` (yaml style) works too; spaces around the key and after ``=`` are dropped.
* keys are letters, digits, ``_``, ``.`` and ``-``; anything else is an error.
* unquoted values end at the line end, lose trailing blanks, and lose an inline comment
  only when ``#`` follows a space (``a#b`` and ``a<TAB>#b`` keep the ``#``).
* ``'single'`` values are literal (only ``\\'`` is unescaped); ``"double"`` values expand
  ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\" \\$`` and keep other backslashes. Both may span lines.
  Whatever follows the closing quote on the line is read as a new statement.
* ``$VAR``/``${VAR...}`` in unquoted and double-quoted values are interpolated with the
  full syntax of :mod:`translator.compose.interpolate`, looking a name up in ``lookup``
  (the process environment) first, then in the keys already read from this file.
* ``KEY`` alone takes its value from ``lookup`` (``None`` when unset).

Deviation: compose-go reads a bare ``KEY`` on the last line without a newline as the
value of an empty key; here it is the bare key, as on any other line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from translator.compose.interpolate import Warn, substitute
from translator.compose.yamlio import read_text
from translator.errors import Location, TranslatorError
from translator.redact import is_secret_value, placeholder

MAX_ENV_FILE_BYTES = 1024 * 1024

Lookup = Callable[[str], str | None]

_SPACE = " \t\v\f\r\x85\xa0"  # compose-go's isSpace: blanks but not the line feed
_KEY_END = "=:\n"
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPES.update({"\\": "\\", '"': '"', "$": "$$"})  # "$$": a literal $ for substitute()
_ESCAPE = re.compile(r"\\(.)", re.S)


def read_env_file(path: Path, lookup: Lookup, *, warn: Warn | None = None) -> dict[str, str | None]:
    """Read and parse one ``.env`` file (refusing huge or non-regular files)."""
    text = read_text(path, what="env file", limit=MAX_ENV_FILE_BYTES)
    return parse_dotenv(text, str(path), lookup=lookup, warn=warn)


def parse_dotenv(
    text: str, filename: str, *, lookup: Lookup, warn: Warn | None = None
) -> dict[str, str | None]:
    """The variables of a ``.env`` text, in file order."""
    return _Parser(text.replace("\r\n", "\n"), filename, lookup, warn).run()


class _Parser:
    def __init__(self, text: str, filename: str, lookup: Lookup, warn: Warn | None) -> None:
        self.text = text
        self.filename = filename
        self.lookup = lookup
        self.warn = warn
        self.out: dict[str, str | None] = {}
        self.pos = 0
        self.key = ""

    def run(self) -> dict[str, str | None]:
        while self._statement_start():
            key, inherited = self._key()
            self.key = key  # for _expand's errors: a secret-looking value is not shown
            if inherited:
                self.out[key] = self.lookup(key)
                continue
            self.out[key] = self._value()
        return self.out

    def _statement_start(self) -> bool:
        """Skip blanks and comment lines; False at the end of the text."""
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(text):
                return False
            if text[self.pos] != "#":
                return True
            newline = text.find("\n", self.pos)
            self.pos = len(text) if newline < 0 else newline

    def _key(self) -> tuple[str, bool]:
        text = self.text
        if text.startswith("export", self.pos) and text[self.pos + 6 : self.pos + 7] in (" ", "\t"):
            self.pos += 6
        while self.pos < len(text) and text[self.pos] in _SPACE:
            self.pos += 1
        start = self.pos
        index = start
        while index < len(text) and text[index] not in _KEY_END:
            char = text[index]
            if not (char in _SPACE or char in "_.-" or char.isalnum()):
                raise self._error(
                    f"unexpected character {char!r} in variable name",
                    index,
                    "names may use letters, digits, '_', '.' and '-'",
                )
            index += 1
        key = text[start:index].rstrip(_SPACE)
        if any(char in _SPACE for char in key):
            raise self._error("a variable name cannot contain a space", start, "remove the space")
        inherited = index >= len(text) or text[index] == "\n"
        self.pos = index + 1
        return key, inherited

    def _value(self) -> str:
        text = self.text
        while self.pos < len(text) and text[self.pos] in _SPACE:
            self.pos += 1
        quote = text[self.pos : self.pos + 1]
        if quote in ("'", '"'):
            return self._quoted(quote)
        newline = text.find("\n", self.pos)
        end = len(text) if newline < 0 else newline
        start, self.pos = self.pos, end
        value = text[start:end]
        comment = value.find(" #")
        if comment >= 0:
            value = value[:comment]
        return self._expand(value.rstrip(), start)

    def _quoted(self, quote: str) -> str:
        text = self.text
        start = self.pos
        close = start + 1
        while True:
            close = text.find(quote, close)
            if close < 0:
                raise self._error(
                    f"unterminated quoted value (missing closing {quote})",
                    start,
                    f"add the closing {quote}",
                )
            if text[close - 1] != "\\":
                break
            close += 1
        self.pos = close + 1
        raw = text[start + 1 : close]
        if quote == "'":
            return raw.replace("\\'", "'")
        escaped = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), raw)
        return self._expand(escaped, start)

    def _expand(self, value: str, offset: int) -> str:
        if "$" not in value:
            return value
        try:
            return substitute(value, self._resolve, (), self._warn)
        except TranslatorError as exc:

            message = exc.diagnostics[0].message
            if is_secret_value(value, key=self.key):
                message = message.replace(repr(value), placeholder(value))
            raise self._error(message, offset, exc.diagnostics[0].hint) from None

    def _resolve(self, name: str) -> str | None:
        value = self.lookup(name)
        return self.out.get(name) if value is None else value

    def _warn(self, message: str, path: tuple[str | int, ...]) -> None:
        if self.warn is not None:
            self.warn(f"{self.filename}: {message}", path)

    def _error(self, message: str, offset: int, hint: str | None) -> TranslatorError:
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return TranslatorError.at(
            message, (), Location(self.filename, line, col), code="dotenv", hint=hint
        )
