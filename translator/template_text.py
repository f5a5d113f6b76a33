"""Direct programs from a template's text, without Jinja (see :mod:`translator.template_direct`).

:func:`compile_text` reads the source of a template written in the small subset direct
programs run (text, comments, ``{{ name }}``, ``{% if [not] name [is [not] none] %}`` with
an optional ``{% else %}``, ``{% for key, value in name.items() %}``) and returns exactly
the program :func:`translator.template_compile.compile_direct` makes from Jinja's parse of
it, or None for anything else: another construct, a syntax error (Jinja must report it), a
spelling we are not sure Jinja reads the same way. None only costs speed: the caller then
asks Jinja. So a run whose templates are all in the subset never imports jinja2.

It lexes as Jinja 3.1's lexer does in our environment (``trim_blocks``, ``lstrip_blocks``,
``keep_trailing_newline``, the default delimiters, no line statements), whitespace control
included: https://jinja.palletsprojects.com/en/stable/templates/#whitespace-control.
tests/test_template_text.py checks it against Jinja's parse on built-in and generated
templates.

This module must not import jinja2.
"""

from __future__ import annotations

import keyword
from functools import lru_cache

from translator.template_direct import Direct, OpData, ProgramData, from_data

# String methods, not regular expressions: compiling a handful of patterns would cost a run
# more than reading every built-in template. Jinja's lexer (jinja2/lexer.py) treats only
# \r\n, \r and \n as line breaks, and strips ``\s``, which is what str.isspace(),
# str.split() and str.rstrip() take as whitespace (the same Unicode table), so a no-break
# space before a tag is stripped too.
_OPENERS = ("{", "%", "#")  # after "{": a variable, a block, a comment
_MARKS = ",.()"  # the only punctuation read inside a tag: ``k, v`` and ``d.items()``
# Words Jinja's parser reads as constants, operators or statement parts, and the names it
# binds itself: a plain name must be none of them (declining a few it would accept).
_RESERVED = frozenset(keyword.kwlist) | {
    "true", "false", "none", "recursive", "endif", "endfor",
    "loop", "self", "super", "caller", "varargs", "kwargs",
}

Tag = tuple[str, tuple[str, ...]]  # ("{", words) for ``{{ }}``, ("%", words) for ``{% %}``
Token = str | Tag  # a str is template data


class _Decline(Exception):
    """Not certainly the subset: Jinja must read this template."""


@lru_cache(maxsize=64)
def compile_text(source: str) -> Direct | None:
    """The direct program of the template ``source``; None: only Jinja can read it."""
    data = compile_text_data(source)
    return None if data is None else from_data(data)


def compile_text_data(source: str) -> ProgramData | None:
    """The plain data of :func:`compile_text`'s program, as ``compile_data`` gives it."""
    if "\r" in source:  # Jinja's lexer first makes every line break \n
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    try:
        parser = _Parser(_lex(source))
        body, _ = parser.body((), ())
    except _Decline:
        return None
    return tuple(sorted(parser.names)), body


def _lex(source: str) -> list[Token]:
    """Jinja's token stream for ``source`` (line breaks already \\n): data and tag words."""
    tokens: list[Token] = []
    pos = 0
    line_starting = True  # the lexer's flag: did its last match end a line?
    while (start := _tag_start(source, pos)) >= 0:
        kind = source[start + 1]
        sign = source[start + 2 : start + 3]
        sign = sign if sign in ("-", "+") else ""
        text = _strip_before(source[pos:start], kind, sign, line_starting)
        if text:
            tokens.append(text)  # Jinja drops empty data
        inner, pos = _tag_end(source, start + 2 + len(sign), kind)
        if kind != "#":  # a comment leaves nothing
            tokens.append((kind, _words(inner)))
        line_starting = source[pos - 1] == "\n"
    if pos < len(source):
        tokens.append(source[pos:])
    return tokens


def _tag_start(source: str, pos: int) -> int:
    """Where the first tag at or after ``pos`` opens, or -1: the earliest ``{{``, ``{%``
    or ``{#``, as Jinja's lexer finds it."""
    start = source.find("{", pos)
    while start >= 0 and source[start + 1 : start + 2] not in _OPENERS:
        start = source.find("{", start + 1)
    return start


def _strip_before(text: str, kind: str, sign: str, line_starting: bool) -> str:
    """The data before a tag, after the tag's whitespace control."""
    if sign == "-":  # ``{%-``, ``{{-``, ``{#-``: all whitespace before the tag goes
        return text.rstrip()
    if sign == "+" or kind == "{":  # ``{%+`` keeps it; lstrip_blocks skips ``{{``
        return text
    # lstrip_blocks: whitespace alone between a line's start and a block or comment tag.
    start = text.rfind("\n") + 1
    if (start > 0 or line_starting) and text[start:].isspace():
        return text[:start]
    return text


def _tag_end(source: str, start: int, kind: str) -> tuple[str, int]:
    """The inside of the tag opened before ``start``, and where the data after it starts.

    The tag closes at the first closing delimiter: it holds no strings or brackets that
    could hide one (anything else is declined when its words are read)."""
    close = "}}" if kind == "{" else kind + "}"
    end = source.find(close, start)
    if end < 0:
        raise _Decline  # unclosed: Jinja's syntax error
    inner, after = source[start:end], end + 2
    if inner.endswith("-"):  # ``-%}``: the whitespace after the tag goes too
        while after < len(source) and source[after].isspace():
            after += 1
        return inner[:-1], after
    if kind == "{":
        return inner, after  # ``}}`` takes no trim_blocks (and ``+}}`` is no tag end)
    if inner.endswith("+"):  # ``+%}`` keeps the newline trim_blocks would remove
        return inner[:-1], after
    return inner, after + 1 if source.startswith("\n", after) else after  # trim_blocks


def _words(inner: str) -> tuple[str, ...]:
    """The tokens of a tag's inside, whitespace left out as Jinja's parser leaves it out.

    A word is split only at whitespace and the four marks; one holding anything else
    (a string, a filter, a number, a non-ASCII letter) matches no keyword and is no name,
    so the parser declines it: every word it accepts is one token to Jinja too."""
    for mark in _MARKS:
        if mark in inner:
            inner = inner.replace(mark, f" {mark} ")
    return tuple(inner.split())


def _is_name(word: str) -> bool:
    """An ASCII identifier (Jinja reads Unicode ones too: those are declined)."""
    return word.isidentifier() and word.isascii()


class _Parser:
    """Jinja's parse of the token stream, restricted to what ``compile_data`` accepts."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.pos = tokens, 0
        self.names: set[str] = set()  # context names read (a loop's own names are not)

    def body(
        self, loop: tuple[str, ...], ends: tuple[str, ...]
    ) -> tuple[tuple[OpData, ...], tuple[str, ...]]:
        """The ops up to a block tag starting with one of ``ends``, and that tag's words."""
        ops: list[OpData] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if isinstance(token, str):
                ops.append(token)
                continue
            kind, words = token
            if kind == "{":
                if len(words) != 1:
                    raise _Decline
                ops.append(("print", self.name(words[0], loop)))
            elif words and words[0] in ends:
                return tuple(ops), words
            elif words and words[0] == "if":
                ops.append(self.if_(words, loop))
            elif words and words[0] == "for" and not loop:  # no loop in a loop
                ops.append(self.for_(words))
            else:
                raise _Decline
        if ends:
            raise _Decline  # a block left open
        return tuple(ops), ()

    def name(self, word: str, loop: tuple[str, ...]) -> str:
        """A plain name read; context names (not the loop's) are noted."""
        if not _is_name(word) or word in _RESERVED:
            raise _Decline
        if word not in loop:
            self.names.add(word)
        return word

    def if_(self, words: tuple[str, ...], loop: tuple[str, ...]) -> OpData:
        # ``not x is none`` and ``x is not none`` are the same node, Not(Test(x, none));
        # ``not x is not none`` (two negations) and any other test are declined.
        test = words[1:]
        negate = test[:1] == ("not",)
        if negate:
            test = test[1:]
        none_test = test[1:] in (("is", "none"), ("is", "not", "none"))
        if none_test and len(test) == 4:
            if negate:
                raise _Decline
            negate = True
        if len(test) != 1 and not none_test:
            raise _Decline
        name = self.name(test[0], loop)
        body, end = self.body(loop, ("else", "endif"))
        orelse: tuple[OpData, ...] = ()
        if end == ("else",):
            orelse, end = self.body(loop, ("endif",))
        if end != ("endif",):
            raise _Decline  # ``elif``, or words after ``else`` or ``endif``
        return ("if", name, none_test, negate, body, orelse)

    def for_(self, words: tuple[str, ...]) -> OpData:
        # exactly ``for key, value in mapping.items()``: no filter, ``recursive`` or else
        if len(words) != 10 or words[2::2] != (",", "in", ".", "(") or words[7:] != (
            "items", "(", ")"
        ):
            raise _Decline
        key, value = words[1], words[3]
        if key == value or not (_is_name(key) and _is_name(value)):
            raise _Decline
        if key in _RESERVED or value in _RESERVED:
            raise _Decline
        mapping = self.name(words[5], ())
        loop = (key, value)
        body, end = self.body(loop, ("endfor", "else"))
        if end != ("endfor",):
            raise _Decline  # ``else`` on a loop, or words after ``endfor``
        return ("loop", mapping, key, value, body)
