"""The precise YAML path: an event-driven node tree with positions.

PyYAML's (libyaml's, when available) event parser is iterative, so the tree is built
(in ``yaml_events``) with an explicit stack: nesting is bounded (``MAX_DEPTH``) before Python's own
recursion limit could ever be reached, every node keeps its 1-based line/column for
diagnostics, and aliases stay references to their anchored node (expanding them is
the constructor's job, under a node budget; see ``yaml_construct``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from translator.errors import Location, TranslatorError

# Real compose files nest about 10 levels (x- extensions rarely 20). Every later stage
# (merge walkers, the model's converters, the emitter) handles 100 with a wide margin.
MAX_DEPTH = 100

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
    """Every document of ``text`` as a node tree (``None`` for an empty document).

    PyYAML loads only here (``yaml_events``): the fast path and the indentation walk
    that locates most diagnostics never need it.
    """
    from translator.compose.yaml_events import compose

    return compose(text, filename)


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
