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
from translator.compose.yaml_fastpath import fast_path_ok
from translator.compose.yaml_marks import BlockIndex, Unsure, block_index
from translator.compose.yaml_nodes import MAX_DEPTH, PathIndex, compose_documents, yaml_error
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


# Kernel and device trees: their "files" are live system state, never part of a project.
# ``/proc/self/environ`` read as an env_file or a secret would put this process's whole
# environment into the output.
_SYSTEM_ROOTS = ("/proc", "/sys", "/dev")


def refuse_system_file(path: Path, *, what: str, shown: str) -> None:
    """Refuse ``path`` (as written, or where its links lead) under /proc, /sys or /dev."""
    for candidate in (os.path.normpath(os.path.abspath(path)), os.path.realpath(path)):
        root = next(
            (r for r in _SYSTEM_ROOTS if candidate == r or candidate.startswith(r + "/")), None
        )
        if root is not None:
            raise TranslatorError.at(
                f"{what} {shown} is under {root}, which holds the running system's state, not "
                "project files: it is refused (/proc/self/environ, for one, would put this "
                "process's environment into the output)",
                code="system-file",
                hint=f"point the {what} at a file of the project",
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
