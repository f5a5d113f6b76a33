"""The precise YAML path: an event-driven node tree with positions.

PyYAML's (libyaml's, when available) event parser is iterative, so the tree is built
here with an explicit stack: nesting is bounded (``MAX_DEPTH``) before Python's own
recursion limit could ever be reached, every node keeps its 1-based line/column for
diagnostics, and aliases stay references to their anchored node (expanding them is
the constructor's job, under a node budget; see ``yaml_construct``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from translator.errors import Location, TranslatorError

# Real compose files nest about 10 levels (x- extensions rarely 20). Every later stage
# (merge walkers, pydantic's ~250-level guard, the emitter) handles 100 with a wide margin.
MAX_DEPTH = 100

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SCALAR, SEQUENCE, MAPPING = 0, 1, 2


class Node:
    """One YAML node: a scalar (``value``), a sequence or a mapping (``items`` = k, v, k, v...)."""

    __slots__ = ("col", "items", "kind", "line", "open", "plain", "tag", "value")

    def __init__(self, kind: int, tag: str | None, line: int, col: int) -> None:
        self.kind = kind
        self.tag = tag
        self.line = line
        self.col = col
        self.value = ""
        self.plain = False
        self.items: list[Node] = []
        self.open = False

    def location(self, filename: str) -> Location:
        return Location(filename, self.line, self.col)


def yaml_error(
    message: str, filename: str, line: int = 0, col: int = 0, *, hint: str | None = None
) -> TranslatorError:
    """A positioned parse error (``line``/``col`` 1-based; 0 when unknown)."""
    location = Location(filename, line, col) if line else None
    return TranslatorError.at(message, (), location, code="yaml", hint=hint)


def compose_documents(text: str, filename: str) -> list[Node | None]:
    """Every document of ``text`` as a node tree (``None`` for an empty document)."""
    builder = _Builder(filename)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, filename) from None
    except yaml.YAMLError as exc:
        raise yaml_error(f"cannot read YAML: {exc}", filename) from None
    return builder.documents


def _syntax_error(exc: yaml.MarkedYAMLError, filename: str) -> TranslatorError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    if "simple key" in (exc.context or "") and exc.context_mark is not None:
        mark = exc.context_mark  # the key missing its ':' is where the user must look
    if "maximum nesting depth" in problem and mark is not None:
        return yaml_error(
            f"YAML nesting is deeper than {MAX_DEPTH} levels",
            filename,
            mark.line + 1,
            mark.column + 1,
            hint="compose files never need this much nesting; flatten the structure",
        )
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    return yaml_error(
        f"YAML syntax error: {problem}{context}",
        filename,
        line,
        col,
        hint="fix the YAML syntax at this position (check indentation, quotes and colons)",
    )


class _Builder:
    """Turns parser events into node trees with an explicit stack."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.documents: list[Node | None] = []
        self.stack: list[Node] = []
        self.anchors: dict[str, Node] = {}
        self.root: Node | None = None

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:  # the hot case, inlined
            mark = event.start_mark
            node = Node(SCALAR, event.tag, mark.line + 1, mark.column + 1)
            node.value = event.value
            node.plain = not event.style
            if event.anchor is not None:
                self.anchors[event.anchor] = node
            if self.stack:
                self.stack[-1].items.append(node)
            else:
                self.root = node
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            node = self._new(MAPPING if kind is yaml.MappingStartEvent else SEQUENCE, event)
            self._add(node)
            self._push(node, event)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop().open = False
        elif kind is yaml.AliasEvent:
            self._add(self._alias(event))
        elif kind is yaml.DocumentStartEvent:
            self.root = None
            self.anchors = {}
        elif kind is yaml.DocumentEndEvent:
            self.documents.append(self.root)

    def _new(self, kind: int, event: Any) -> Node:
        mark = event.start_mark
        node = Node(kind, event.tag, mark.line + 1, mark.column + 1)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node

    def _push(self, node: Node, event: yaml.Event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise yaml_error(
                f"YAML nesting is deeper than {MAX_DEPTH} levels",
                self.filename,
                *_position(event),
                hint="compose files never need this much nesting; flatten the structure",
            )
        node.open = True
        self.stack.append(node)

    def _alias(self, event: yaml.AliasEvent) -> Node:
        line, col = _position(event)
        target = self.anchors.get(event.anchor or "")
        if target is None:
            raise yaml_error(
                f"unknown anchor '{event.anchor}' referenced",
                self.filename,
                line,
                col,
                hint="define the anchor (&name) before using the alias (*name)",
            )
        if target.open:
            raise yaml_error(
                f"alias '*{event.anchor}' refers to a node that contains it (a cycle)",
                self.filename,
                line,
                col,
                hint="an alias must not be used inside the node it names",
            )
        return target

    def _add(self, node: Node) -> None:
        if self.stack:
            self.stack[-1].items.append(node)
        else:
            self.root = node


def _position(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def walk_path(root: Node, path: tuple[str | int, ...]) -> Node:
    """The deepest node along ``path``: the key node for mapping entries, the item for lists."""
    from translator.compose.yaml_scalars import resolve_plain

    found = root
    node = root
    for part in path:
        child: tuple[Node, Node] | None = None
        if node.kind == MAPPING:
            child = _find_key(node, part, resolve_plain)
        elif node.kind == SEQUENCE and isinstance(part, int) and 0 <= part < len(node.items):
            item = node.items[part]
            child = (item, item)
        if child is None:
            break
        found, node = child
    return found


def _find_key(node: Node, part: str | int, resolve: Any) -> tuple[Node, Node] | None:
    merges: list[Node] = []
    for key, value in _pairs(node):
        if key.kind != SCALAR:
            continue
        if key.plain and key.tag is None and key.value == "<<":
            merges.append(value)
            continue
        typed = resolve(key.value) if key.plain else key.value
        if typed == part or (isinstance(part, str) and key.value == part):
            return key, value
    for source in merges:
        for candidate in source.items if source.kind == SEQUENCE else [source]:
            if candidate.kind == MAPPING:
                found = _find_key(candidate, part, resolve)
                if found is not None:
                    return found
    return None


def _pairs(node: Node) -> Iterator[tuple[Node, Node]]:
    items = node.items
    for index in range(0, len(items) - 1, 2):
        yield items[index], items[index + 1]


class PathIndex:
    """:func:`walk_path` over one tree, with each mapping's keys indexed on first use.

    A scan per lookup made thousands of diagnostics in a 1,000-service file quadratic;
    here each mapping is scanned once and every later lookup is a dict probe. The index
    keeps :func:`_find_key`'s order: the first key whose typed or raw text matches, then
    ``<<`` merge sources in order.
    """

    def __init__(self, root: Node) -> None:
        self.root = root
        # id(mapping node) -> (typed key -> item index, raw key -> item index, merges);
        # the nodes live as long as ``root``, so their ids stay unique.
        self._maps: dict[int, tuple[dict[Any, int], dict[str, int], list[Node]]] = {}

    def walk(self, path: tuple[str | int, ...]) -> Node:
        """The same node :func:`walk_path` returns for ``path``."""
        found = node = self.root
        for part in path:
            child: tuple[Node, Node] | None = None
            if node.kind == MAPPING:
                child = self._find_key(node, part)
            elif node.kind == SEQUENCE and isinstance(part, int) and 0 <= part < len(node.items):
                item = node.items[part]
                child = (item, item)
            if child is None:
                break
            found, node = child
        return found

    def _find_key(self, node: Node, part: str | int) -> tuple[Node, Node] | None:
        typed, raw, merges = self._index(node)
        index = typed.get(part)
        if isinstance(part, str):
            other = raw.get(part)
            if other is not None and (index is None or other < index):
                index = other
        if index is not None:
            return node.items[index], node.items[index + 1]
        for source in merges:
            for candidate in source.items if source.kind == SEQUENCE else [source]:
                if candidate.kind == MAPPING:
                    found = self._find_key(candidate, part)
                    if found is not None:
                        return found
        return None

    def _index(self, node: Node) -> tuple[dict[Any, int], dict[str, int], list[Node]]:
        cached = self._maps.get(id(node))
        if cached is not None:
            return cached
        from translator.compose.yaml_scalars import resolve_plain

        typed: dict[Any, int] = {}
        raw: dict[str, int] = {}
        merges: list[Node] = []
        items = node.items
        for index in range(0, len(items) - 1, 2):
            key = items[index]
            if key.kind != SCALAR:
                continue
            if key.plain and key.tag is None and key.value == "<<":
                merges.append(items[index + 1])
                continue
            # setdefault: the first of duplicate (or equal-typed) keys wins, as in a scan.
            typed.setdefault(resolve_plain(key.value) if key.plain else key.value, index)
            raw.setdefault(key.value, index)
        cached = (typed, raw, merges)
        self._maps[id(node)] = cached
        return cached
