"""Positions of document paths in block-style YAML, read from the indentation alone.

Locating a diagnostic used to compose the whole file into a positioned node tree: one
Python event and one ``Node`` per YAML node, about 0.25 s for a 1,000-service file, to
answer a few thousand "where is ``services.x.volumes[1]``" questions. In block-style
YAML the structure *is* the indentation: the entries of a block collection whose
entries start at column ``c`` are exactly the lines indented by ``c`` within its region,
and everything deeper belongs to those entries. So :class:`BlockIndex` reads only the
lines a path needs, indexing each mapping or sequence it passes through once.

That holds only without the constructs libyaml lets cross lines regardless of
indentation (multi-line quoted scalars and flow collections), and without the ones we
do not model (anchors, aliases, tags, merge keys, complex or empty keys, several
documents). ``yaml_plain.plain_block`` refuses text that may contain them, with conservative
regexes (a false alarm costs speed, never correctness), and :class:`Unsure` is raised by
any lookup that meets a form the walk does not handle. Either way the caller then
answers from the composed node tree, which stays the reference (see ``yamlio.SourceMap``).

Positions are identical to the node tree's because both are libyaml's: the caller only
uses this walk on text libyaml parsed without error (``raw_parse``, which builds no
Python objects) or yaml-rs read on the fast path, and line breaks other than ``\\n``,
tabs and BOMs (where libyaml's columns or lines could differ from ``str`` offsets) are
refused up front.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from translator.compose.yaml_nodes import Node, PathIndex, compose_documents
from translator.compose.yaml_plain import plain_block
from translator.compose.yaml_scalars import resolve_plain
from translator.errors import TranslatorError

MAP, SEQ, SCALAR, FLOW = 0, 1, 2, 3

_DOC_MARK = re.compile(r"\n(?:---|\.\.\.)(?=[ \n]|\Z)")
_START_MARK = re.compile(r"---(?=[ \n]|\Z)")
_CONTENT = re.compile(r"\n( *+)(?=[^ #\n])")
_FIRST_CONTENT = re.compile(r"(?:\A|\n)( *+)(?=[^ #\n])")
_SINGLE = re.compile(r"'((?:[^'\n]|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# Keys looked up by text in small mappings: characters that read the same plain or
# quoted, so the three spellings below are the only ones without a backslash.
_SAFE_KEY = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*")
_DIRECT_MAX = 8192  # bigger mappings are indexed once instead


class Unsure(Exception):
    """The walk met a form it does not model: ask the composed node tree instead."""


def block_index(text: str, checked: bool = False) -> BlockIndex | None:
    """A :class:`BlockIndex` for ``text``; ``None`` when libyaml refuses the text (so the
    node tree has no positions either). Raises :class:`Unsure` when the node tree must
    answer: no libyaml, or text :func:`plain_block` refuses.

    ``checked``: yaml-rs has read ``text`` on the fast path, which it takes only for text
    that go-yaml reads alike (``yamlio.fast_path_ok``), so the text is valid YAML and
    libyaml's check (11 ms for 1,000 services, and PyYAML's import) is skipped.
    """
    if not plain_block(text):
        raise Unsure("not plain block YAML")
    if not checked:
        import yaml  # PyYAML costs ~20 ms to import; only this rare check needs it

        parser = getattr(yaml, "CSafeLoader", None)  # libyaml's, which has raw_parse
        if parser is None:
            raise Unsure("no libyaml: only the node tree answers")
        try:
            # Events counted in C, none built in Python: validation at a tenth of the cost.
            parser(text).raw_parse()
        except yaml.YAMLError:
            return None
    return BlockIndex(text)


@functools.lru_cache(maxsize=256)
def _entry_pattern(kind: int, col: int) -> re.Pattern[str]:
    """Lines indented by exactly ``col`` that hold a "- " entry (SEQ) or a key (MAP,
    captured to the end of the line)."""
    if kind == SEQ:
        return re.compile(rf"\n {{{col}}}(?=-(?:[ \n]|\Z))")
    return re.compile(rf"\n {{{col}}}((?:[^ #\n-]|-[^ \n])[^\n]*+)")


class _Node:
    """A node known by where it starts; ``kind`` is worked out when a path goes in."""

    __slots__ = ("col", "end", "kind", "line", "start")

    def __init__(self, kind: int, col: int, start: int, end: int, line: int) -> None:
        self.kind = kind  # -1 until known
        self.col = col  # 0-based column of ``start``
        self.start = start  # offset of its first character
        self.end = end  # end of its region: a "\n" offset or len(text)
        self.line = line  # 1-based line of ``start``


# A mapping entry: (line, key offset, offset after its ':', end of its region or -1).
_Entry = tuple[int, int, int, int]
_NOT_LOOKED_UP: _Entry = (-1, -1, -1, -1)
_READ_ALL: _Entry = (-2, -2, -2, -2)


class _Keys:
    """Every entry of one mapping, with PathIndex's key dicts (first entry wins)."""

    __slots__ = ("entries", "keys", "raw", "typed")

    def __init__(self, entries: list[_Entry], keys: list[tuple[str, bool]]) -> None:
        self.entries = entries
        self.keys = keys
        self.raw: dict[str, int] = {}
        for index, (value, _) in enumerate(keys):
            self.raw.setdefault(value, index)
        self.typed: dict[Any, int] | None = None

    def find(self, part: Any) -> int | None:
        # resolve_plain types a plain key as str only when it is its own text, so a str
        # part matches a key's typed value only where it matches its text: ``raw``
        # alone gives PathIndex's answer (the smaller index of the two dicts).
        if isinstance(part, str):
            return self.raw.get(part)
        if self.typed is None:
            self.typed = {}
            for index, (value, plain) in enumerate(self.keys):
                self.typed.setdefault(resolve_plain(value) if plain else value, index)
        return self.typed.get(part)


class BlockIndex:
    """Answers ``PathIndex.walk`` positions for block YAML that :func:`plain_block` passed.

    ``text`` must be one document that libyaml parses; :class:`Unsure` (from the
    constructor or :meth:`walk`) means "use the composed node tree".
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = self._root()
        self._keys: dict[int, _Keys] = {}  # mapping start -> its entries
        self._items: dict[int, list[_Entry]] = {}  # sequence start -> its "- " entries
        self._values: dict[int, _Node] = {}  # key or "-" offset -> the node it holds
        # (mapping start, part) -> entry: paths share prefixes ("services", name).
        self._found: dict[tuple[int, Any], _Entry | None] = {}
        self._flows: dict[int, tuple[Node, PathIndex]] = {}

    def walk(self, path: tuple[Any, ...]) -> tuple[int, int]:
        """1-based (line, column) of the deepest node along ``path``, as PathIndex finds it."""
        node = self.root
        found = (node.line, node.col + 1)
        entry: _Entry | None = None  # the mapping entry just found; its value read lazily
        for depth, part in enumerate(path):
            if entry is not None:
                node = self._value(node, entry)
                entry = None
            kind = node.kind if node.kind >= 0 else self._kind_of(node)
            if kind == MAP:
                known = (node.start, part)
                entry = self._found.get(known, _NOT_LOOKED_UP)
                if entry is _NOT_LOOKED_UP:
                    entry = self._found[known] = self._lookup(node, part)
                if entry is None:
                    break
                found = (entry[0], node.col + 1)
            elif kind == SEQ:
                items = self._sequence(node)
                if not (isinstance(part, int) and 0 <= part < len(items)):
                    break
                node = self._item(node, items[part])
                found = (node.line, node.col + 1)
            elif kind == FLOW:
                return self._flow(node, path[depth:], found)
            else:
                break
        return found

    def _flow(self, node: _Node, rest: tuple[Any, ...], found: tuple[int, int]) -> tuple[int, int]:
        """A path into a flow collection, which plain_block let through only when it closes
        on its line: that line's flow text is composed alone, and its positions (line 1)
        shifted by the flow's column. Alone, an alias to an anchor outside it fails: the
        whole file's node tree answers then."""
        flow = self._flows.get(node.start)
        if flow is None:
            snippet = self.text[node.start : _line_end(self.text, node.start, node.end)]
            try:
                roots = compose_documents(snippet, "<flow>")
            except TranslatorError:
                raise Unsure("a flow collection that does not parse alone") from None
            root = roots[0] if len(roots) == 1 else None
            if root is None:
                raise Unsure("a flow collection that is not one document alone")
            flow = self._flows[node.start] = (root, PathIndex(root))
        root, index = flow
        hit = index.walk(rest)
        if hit is root:
            return found  # nothing inside matched: the key or item that led here
        if hit.line != 1:
            raise Unsure("a flow collection over several lines")
        return node.line, node.col + hit.col

    def _root(self) -> _Node:
        text = self.text
        match = _FIRST_CONTENT.search(text)
        if match is not None and match.group(1) == "" and _START_MARK.match(text, match.end()):
            eol = _line_end(text, match.end(), len(text))
            if text[match.end() + 3 : eol].strip(" ")[:1] not in ("", "#"):
                raise Unsure("content after ---")
            match = _CONTENT.search(text, eol)
        if match is None:
            raise Unsure("an empty document")
        start = match.end()
        if _DOC_MARK.search(text, max(start - 1, 0)):
            raise Unsure("more than one document")
        root = _Node(-1, len(match.group(1)), start, len(text), text.count("\n", 0, start) + 1)
        if self._kind_of(root) not in (MAP, SEQ):
            raise Unsure("the root is not a block collection")
        return root

    def _kind_of(self, node: _Node) -> int:
        """What the node is: in plain block YAML its first line tells."""
        text, start = self.text, node.start
        char = text[start]
        if char == "-" and text[start + 1 : start + 2] in (" ", "\n", ""):
            node.kind = SEQ
        elif char in "[{":
            node.kind = FLOW
        else:
            body = text[start : _line_end(text, start, node.end)]
            node.kind = MAP if _parse_key(body) is not None else SCALAR
        return node.kind

    def _lookup(self, node: _Node, part: Any) -> _Entry | None:
        """The entry of mapping ``node`` that PathIndex would pick for ``part``."""
        if type(part) is str and node.end - node.start <= _DIRECT_MAX and _SAFE_KEY.fullmatch(part):
            found = self._direct(node, part)
            if found is not _READ_ALL:
                return found
        keys = self._keys.get(node.start)
        if keys is None:
            keys = self._keys[node.start] = self._read_keys(node)
        index = keys.find(part)
        return None if index is None else keys.entries[index]

    def _direct(self, node: _Node, part: str) -> _Entry | None:
        """The first entry spelled ``part``, plain or quoted, found with ``str.find``
        (cheaper than reading every key of a small mapping); ``_READ_ALL`` when a
        backslash before it could hide another spelling (an escape in double quotes)."""
        text, start, end = self.text, node.start, node.end
        quote = text[start]
        form = f"{quote}{part}{quote}" if quote in "\"'" else part
        if text.startswith(form, start):  # the first entry: no line break before it
            after = _colon_after(text, start + len(form))
            if after > 0:
                return self._entry(node, start, start, after)
        lead = "\n" + " " * node.col
        best, best_after = end, -1
        for form in (part, f'"{part}"', f"'{part}'"):  # a quoted one counts if earlier
            needle = lead + form
            found = text.find(needle, start, best)
            while found >= 0:
                after = _colon_after(text, found + len(needle))
                if after > 0:
                    best, best_after = found, after
                    break
                found = text.find(needle, found + 1, best)
        if text.find("\\", start, best) >= 0:
            return _READ_ALL
        if best_after < 0:
            return None
        return self._entry(node, best + 1, best + len(lead), best_after)

    def _entry(self, node: _Node, line_start: int, key: int, after: int) -> _Entry:
        """The entry whose key starts at ``key``, its region's end left to _value (-1)."""
        return (node.line + self.text.count("\n", node.start, line_start), key, after, -1)

    def _read_keys(self, node: _Node) -> _Keys:
        text = self.text
        first_end = _line_end(text, node.start, node.end)
        starts, lines, bodies, ends = [node.start], [node.line], [text[node.start : first_end]], []
        line, previous = node.line, node.start
        for match in _entry_pattern(MAP, node.col).finditer(text, first_end, node.end):
            offset = match.start(1)
            line += text.count("\n", previous, offset)
            previous = offset
            ends.append(match.start())
            starts.append(offset)
            lines.append(line)
            bodies.append(match.group(1))
        ends.append(node.end)
        entries: list[_Entry] = []
        keys: list[tuple[str, bool]] = []
        for index, body in enumerate(bodies):
            key = _parse_key(body)
            if key is None:
                raise Unsure("a mapping entry that is not a simple key")
            value, plain, colon = key
            if plain and value == "<<":
                raise Unsure("a merge key")
            keys.append((value, plain))
            entries.append((lines[index], starts[index], starts[index] + colon + 1, ends[index]))
        return _Keys(entries, keys)

    def _sequence(self, node: _Node) -> list[_Entry]:
        """The "- " entries of a block sequence: (line, dash offset, -, region end)."""
        items = self._items.get(node.start)
        if items is not None:
            return items
        text = self.text
        dashes, lines, ends = [node.start], [node.line], []
        line, previous = node.line, node.start
        first_end = _line_end(text, node.start, node.end)
        for match in _entry_pattern(SEQ, node.col).finditer(text, first_end, node.end):
            offset = match.end()
            line += text.count("\n", previous, offset)
            previous = offset
            ends.append(match.start())
            dashes.append(offset)
            lines.append(line)
        ends.append(node.end)
        items = self._items[node.start] = [
            (line, dash, dash + 1, end) for line, dash, end in zip(lines, dashes, ends, strict=True)
        ]
        return items

    def _item(self, node: _Node, item: _Entry) -> _Node:
        """A sequence item: the node after its "- ", which must be on the same line."""
        line, dash, after, end = item
        cached = self._values.get(dash)
        if cached is not None:
            return cached
        text = self.text
        eol = _line_end(text, after, end)
        body = text[after:eol]
        rest = body.lstrip(" ")
        if not rest or rest[0] == "#":
            raise Unsure("a sequence item that does not start on its '-' line")
        start = eol - len(rest)
        value = self._values[dash] = _Node(-1, node.col + start - dash, start, end, line)
        return value

    def _value(self, mapping: _Node, entry: _Entry) -> _Node:
        """The value of a mapping entry: after the ':' on its line, or on the next lines."""
        line, key, after, end = entry
        cached = self._values.get(key)
        if cached is not None:
            return cached
        text = self.text
        if end < 0:  # up to the next line holding a key of the mapping
            following = _entry_pattern(MAP, mapping.col).search(
                text, _line_end(text, after, mapping.end), mapping.end
            )
            end = mapping.end if following is None else following.start()
        eol = _line_end(text, after, end)
        inline = text[after:eol].lstrip(" ")
        if inline and inline[0] != "#":
            start = eol - len(inline)
            kind = FLOW if inline[0] in "[{" else SCALAR
            value = _Node(kind, start - text.rfind("\n", 0, start) - 1, start, end, line)
        else:
            match = _CONTENT.search(text, eol, end)
            if match is None:
                value = _Node(SCALAR, 0, after, end, line)  # nothing: a null
            else:
                start = match.end()
                line += text.count("\n", after, start)
                value = _Node(-1, len(match.group(1)), start, end, line)
        self._values[key] = value
        return value


def _parse_key(body: str) -> tuple[str, bool, int] | None:
    """(text, plain, index of the ':') when the line ``body`` starts with a simple key."""
    char = body[:1]
    if char == '"' or char == "'":
        match = (_DOUBLE if char == '"' else _SINGLE).match(body)
        if match is None:
            raise Unsure("a quoted scalar that does not close on its line")
        rest = body[match.end() :]
        stripped = rest.lstrip(" ")
        if stripped[:1] != ":" or stripped[1:2] not in ("", " "):
            return None  # a quoted scalar, not a key
        value = match.group(1)
        if char == "'":
            value = value.replace("''", "'")
        elif "\\" in value:
            raise Unsure("a double-quoted key with escapes")
        return value, False, len(body) - len(stripped)
    colon = body.find(": ")
    if colon < 0:
        if not body.endswith(":"):
            return None
        colon = len(body) - 1
    if body.find(" #", 0, colon) >= 0:
        return None  # a scalar, then a comment that happens to hold ": "
    return body[:colon].rstrip(" "), True, colon


def _colon_after(text: str, offset: int) -> int:
    """The offset after a ':' value indicator following ``offset`` (spaces between), or -1."""
    while text[offset : offset + 1] == " ":
        offset += 1
    if text[offset : offset + 1] == ":" and text[offset + 1 : offset + 2] in ("", " ", "\n"):
        return offset + 1
    return -1


def _line_end(text: str, start: int, end: int) -> int:
    eol = text.find("\n", start, end)
    return end if eol < 0 else eol
