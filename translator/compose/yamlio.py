"""Reading compose YAML: bounded file reads, parsing as Docker Compose does, positions.

Two parse paths give the same plain data (dict/list/str/int/float/bool/None):

* the FAST path, yaml-rs (Rust, YAML 1.2), used when a cheap scan of the text finds
  nothing it would read differently from Compose's go-yaml v3: no ``!`` tags (yaml-rs
  drops them), no quoted ``"<<"`` keys, one document, no complex keys, and no number-like
  token whose typing differs (``0440`` is octal in go-yaml, decimal in YAML 1.2);
* the PRECISE path (``yaml_nodes`` + ``yaml_construct``): PyYAML/libyaml events, our own
  go-yaml resolver, positions, ``Tagged`` for ``!reset``/``!override``.

Every fast-path failure is re-parsed on the precise path, so all errors carry the same
positioned wording. :class:`SourceMap` finds positions lazily (``yaml_marks``, or the
precise node tree).
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml_rs

from translator.compose.yaml_construct import (
    MAX_NODES,
    MergeError,
    Tagged,
    apply_merges,
    construct,
    expanded_size_check,
)
from translator.compose.yaml_marks import BlockIndex, Unsure, block_index
from translator.compose.yaml_nodes import MAX_DEPTH, PathIndex, compose_documents, yaml_error
from translator.compose.yaml_scalars import resolve_plain
from translator.errors import Location, TranslatorError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "SourceMap",
    "Tagged",
    "parse",
    "parse_documents",
    "parse_fast",
    "parse_precise",
    "read_text",
]

MAX_FILE_BYTES = 16 * 1024 * 1024

# Outside YAML's printable set (https://yaml.org/spec/1.2.2/#51-character-set); go-yaml
# refuses these with "control characters are not allowed".
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=MAX_NODES)
_DOC_MARK = re.compile(r"^(?:---|\.\.\.|%)(?=[ \t\r\n]|$)", re.M)
# Words where yaml-rs (YAML 1.2) and go-yaml/libyaml part ways: explicit "? " keys, empty
# keys (": x"), collections used as keys ("]:"), ':' or '?' against flow punctuation
# ("[::1]", "{r:, b}", "[?x]"), '|'/'>' starting a flow scalar ("[>x]").
_SUSPECT_START = frozenset(":?|>")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_SUSPECT_MARKS = (*(a + b for a in "[{," for b in ":?|>"), ":,", ":]", ":}", ":?", "]:", "}:")
# A word starting (or ending) with these may leave the next word at the start of a node.
_NODE_PREFIX = frozenset("&!*|>")
_NODE_END = frozenset("-?:[{,\"'|>")
_TAB_INDENT = re.compile(r"\n[ ?:-]*\t")
_NUMBER_START = frozenset("+-.0123456789_")
_FLOW_TO_SPACE = str.maketrans(",[]{}", "     ")
# Words with other characters are strings for both parsers; the letters cover hex digits,
# base prefixes (0x 0o 0b), exponents and .inf/.nan.
_MAYBE_NUMBER = re.compile(r"[-+.0-9a-fA-FxXoOiInN_]*[0-9][-+.0-9a-fA-FxXoOiInN_]*")
# yaml-rs accepts any letter case here (".iNf"); go-yaml only .inf/.Inf/.INF (and nan).
_INF_NAN = re.compile(r"[-+]?\.(?:[iI][nN][fF]|[nN][aA][nN])")
# Forms both parsers type identically (checked in tests), skipped to keep the scan cheap.
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,15})?")


def read_text(path: Path, *, what: str = "file", limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing anything that is not a regular file of sane size.

    The file is opened non-blocking and checked again with ``fstat`` so that a FIFO or
    device swapped in after the ``stat`` cannot make the read hang.
    """
    name = str(path)
    try:
        _check_regular(os.stat(path).st_mode, name, what)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise TranslatorError.at(
            f"{what} not found: {name}", hint="check the path", code="io"
        ) from None
    except OSError as exc:
        raise TranslatorError.at(f"cannot read {what} {name}: {exc.strerror}", code="io") from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular(os.fstat(fd).st_mode, name, what)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TranslatorError.at(
            f"{what} {name} is larger than {limit:,} bytes",
            hint="compose and env files are small; check that this is the right file",
            code="io",
        )
    return decode_text(data, name)


def _check_regular(mode: int, name: str, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, device or socket)"
    raise TranslatorError.at(
        f"{what} {name} is {kind}", hint="pass the path of a regular file", code="io"
    )


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 bytes to text: BOM stripped, CRLF normalised; bad bytes reported by position."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TranslatorError.at(
            f"{name} is not valid UTF-8 (bad byte at offset {exc.start})",
            (),
            Location(name, line, col),
            hint="save the file as UTF-8",
            code="encoding",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n") if "\r" in text else text


def parse(text: str, filename: str) -> Any:
    """The first YAML document of ``text`` as plain data (``None`` when empty).

    Note: Compose v2.40 merges all documents of a multi-document file in order, like
    override files; callers that care use :func:`parse_documents`.
    """
    documents = parse_documents(text, filename)
    return documents[0] if documents else None


def parse_documents(text: str, filename: str, source: SourceMap | None = None) -> list[Any]:
    """Every YAML document of ``text`` as plain data, fast path when it is safe.
    ``source``, the text's map, learns when the fast path read it (it is valid YAML)."""
    text = _prepare(text, filename)
    if fast_path_ok(text):
        result = parse_fast(text)
        if result is not None:
            if source is not None:
                source.checked = True
            return [result]
    return parse_precise(text, filename)


def _prepare(text: str, filename: str) -> str:
    """Strip a BOM; refuse characters YAML forbids (yaml-rs would accept some of them)."""
    if len(text) > MAX_FILE_BYTES:  # text that did not come through read_text (stdin)
        raise yaml_error(
            f"{filename} is larger than {MAX_FILE_BYTES:,} characters",
            filename,
            hint="compose files are small; check that this is the right input",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return text
    index = bad.start()
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    char = bad.group()
    if char == "\x00":
        message, hint = "the file contains NUL bytes: it is binary, not YAML", "pass a YAML file"
    else:
        message = f"control character U+{ord(char):04X} is not allowed in YAML"
        hint = "remove it, or write it as an escape (\\uXXXX) inside a double-quoted string"
    raise yaml_error(message, filename, line, col, hint=hint)


def parse_precise(text: str, filename: str) -> list[Any]:
    """The precise path: positions, tags, exact errors."""
    roots = compose_documents(text, filename)
    if "*" in text:  # only aliases can make the data bigger or deeper than the text
        for root in roots:
            expanded_size_check(root, filename)
    return [construct(root, filename) for root in roots]


def parse_fast(text: str) -> Any:
    """yaml-rs, or ``None`` when it fails or cannot represent the text (caller falls back)."""
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=_ALIAS_LIMITS,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError):
        return None
    if data is None:
        return None
    if "<<" not in text and "*" not in text:
        # yaml-rs nests up to ~256 levels; anything past MAX_DEPTH goes to the precise
        # path, which refuses it with a positioned error.
        return None if _deeper_than_limit(data) else data
    # Aliases can nest deeper than the text looks, and merges need a walk anyway (it
    # checks the depth too). yaml-rs reads an alias to its own enclosing node as null:
    # with anchors around, any null sends the text to the precise path (it reports the cycle).
    merging = _maps_with_merge(data, null_is_suspect="&" in text)
    if merging is None:
        return None
    try:
        apply_merges(merging, "<<")
    except MergeError:
        return None
    return data


def _deeper_than_limit(data: Any) -> bool:
    """Whether plain data nests more than MAX_DEPTH levels (level by level: no recursion)."""
    level = [data]
    for _ in range(MAX_DEPTH):
        children: list[Any] = []
        for item in level:
            if type(item) is dict:
                children.extend(item.values())
            elif type(item) is list:
                children.extend(item)
        level = [c for c in children if type(c) is dict or type(c) is list]
        if not level:
            return False
    return True


def _maps_with_merge(data: Any, *, null_is_suspect: bool) -> list[dict[Any, Any]] | None:
    """Dicts holding a ``<<`` key in pre-order; ``None`` when the precise path must decide
    (nesting beyond MAX_DEPTH, or a null when nulls are suspect)."""
    found: list[dict[Any, Any]] = []
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH or (item is None and null_is_suspect):
            return None
        if isinstance(item, dict):
            if "<<" in item:
                found.append(item)
            stack.extend((child, depth + 1) for child in reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in reversed(item))
    return found


def fast_path_ok(text: str) -> bool:
    """True when yaml-rs is known to read ``text`` exactly as go-yaml v3 does.

    Built from substring tests and one regex over the *distinct words* of the text,
    because regex scans over a whole large file would cost more than yaml-rs itself.
    """
    if "!" in text or '"<<"' in text or "'<<'" in text:
        return False
    lined = "\n" + text
    if ("\n---" in lined or "\n..." in lined or "\n%" in lined) and not _single_document(text):
        return False
    # Nesting depth is at most indentation + compact "- - -" chains + flow levels (yaml-rs
    # refuses more than ~256): such text is deep, so the precise path reports it at once
    # (parse_fast also measures the depth of what yaml-rs returns against MAX_DEPTH).
    if " " * 300 in text or "- " * 50 in text:
        return False
    if "\t" in text and _TAB_INDENT.search(lined):
        return False  # go-yaml refuses tabs in indentation; yaml-rs may not
    # yaml-rs adds a line break to a block scalar that ends the file without one, and
    # keeps one for an empty block scalar at the very end.
    tail = text.rstrip()[-4:]
    if "|" in tail or ">" in tail:
        return False
    distinct = set(text.split())
    # Without a final line break, any '|'/'>' where a node may start could open that
    # block scalar; one inside a line of text (a shell "||") cannot.
    if not text.endswith("\n") and any(
        word[0] in "|>" and not _inside_plain_text(text, word) for word in distinct
    ):
        return False
    words = " ".join(distinct)
    if any(mark in words for mark in _SUSPECT_MARKS) or any(
        word[0] in _SUSPECT_START
        and not _BLOCK_HEADER.fullmatch(word)
        and not _inside_plain_text(text, word)
        for word in distinct
    ):
        return False
    return all(_scalar_agrees(token) for token in _number_tokens(words))


def _inside_plain_text(text: str, word: str) -> bool:
    """Whether every occurrence of a ``|``/``>`` word continues text on its line.

    Shell commands (``curl ... || exit 1``, ``> /dev/null``) are common in healthchecks;
    there ``|`` and ``>`` are ordinary characters for both parsers. Only where a node may
    start (line start, after ``-``/``?``/``:``/flow punctuation, an anchor, tag, alias,
    quote or block header) could they be indicators; any such occurrence is suspect.
    """
    if word[0] not in "|>":
        return False
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
            before = text[text.rfind("\n", 0, start) + 1 : start].split()
            if not before or before[-1][0] in _NODE_PREFIX or before[-1][-1] in _NODE_END:
                return False
        start = text.find(word, end)
    return True


def _single_document(text: str) -> bool:
    marks = _DOC_MARK.findall(text)
    return not marks or (marks == ["---"] and _only_leading(text))


def _number_tokens(words: str) -> set[str]:
    """Words (split at whitespace and flow punctuation) that could be plain numbers."""
    tokens: set[str] = set()
    for word in set(words.translate(_FLOW_TO_SPACE).split()):
        if word[0] in _NUMBER_START:
            word = word.rstrip(":")
            if _INF_NAN.fullmatch(word) or (
                _MAYBE_NUMBER.fullmatch(word) and not _PLAIN_DECIMAL.fullmatch(word)
            ):
                tokens.add(word)
    return tokens


def _only_leading(text: str) -> bool:
    head = text[: text.find("---")]
    return all(not line.strip() or line.lstrip().startswith("#") for line in head.split("\n"))


@functools.lru_cache(maxsize=65536)
def _scalar_agrees(token: str) -> bool:
    """Whether yaml-rs types ``token`` as go-yaml does (same type, same value)."""
    expected = resolve_plain(token)
    try:
        data = yaml_rs.loads("k: " + token, parse_datetime=False)
    except (yaml_rs.YAMLDecodeError, ValueError):
        return False
    actual = data.get("k", token) if isinstance(data, dict) else token
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return bool(actual == expected)


class SourceMap:
    """Positions of paths in one file's text, worked out only when first asked.

    Plain block YAML is read from its indentation (``yaml_marks.BlockIndex``, lines read
    on demand); anything else, or any lookup that index is unsure of, goes to the precise
    path's node tree, the reference both must agree with (tests/compose/test_yaml_marks.py).
    """

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self._blocks: BlockIndex | None = None
        self._index: PathIndex | None = None
        self._parsed = False
        # Set by parse_documents when yaml-rs read the text: no libyaml check is needed.
        self.checked = False

    def locate(self, path: tuple[str | int, ...]) -> Location | None:
        """Position of the deepest node along ``path`` (a key for mappings, an item for lists)."""
        if not self._parsed:
            self._parsed = True
            self._start()
        if self._blocks is not None:
            try:
                line, col = self._blocks.walk(path)
            except Unsure:
                self._blocks = None  # this file needs the node tree from now on
                self._compose()
            else:
                return Location(self.filename, line, col)
        if self._index is None:
            return None
        return self._index.walk(path).location(self.filename)

    def _start(self) -> None:
        try:
            text = _prepare(self.text, self.filename)
        except TranslatorError:
            return  # no positions: the text never parsed
        try:
            self._blocks = block_index(text, self.checked)
        except Unsure:
            self._compose()

    def _compose(self) -> None:
        try:
            roots = compose_documents(_prepare(self.text, self.filename), self.filename)
        except TranslatorError:
            roots = []
        root = roots[0] if roots else None
        self._index = PathIndex(root) if root is not None else None
