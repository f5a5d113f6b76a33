"""Building node trees from PyYAML's events: the one module of the precise path that
imports PyYAML, so that runs which never need the precise path never load it."""

from __future__ import annotations

from typing import Any

import yaml

from translator.compose.yaml_nodes import MAPPING, MAX_DEPTH, SCALAR, SEQUENCE, Node, yaml_error
from translator.errors import TranslatorError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, filename: str) -> list[Node | None]:
    """Every document of ``text`` as a node tree (``None`` for an empty document)."""
    builder = _Builder(filename)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _tab_error(exc, text, filename) or _syntax_error(exc, filename) from None
    except yaml.YAMLError as exc:
        raise yaml_error(f"cannot read YAML: {exc}", filename) from None
    return builder.documents


def _tab_error(exc: yaml.MarkedYAMLError, text: str, filename: str) -> TranslatorError | None:
    """A tab in a line's indentation: YAML indents with spaces only
    (https://yaml.org/spec/1.2.2/#61-indentation-spaces), and the parser's own words
    ("found character that cannot start any token") do not say so."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n", mark.line + 1)
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" not in indent or mark.column > len(indent):
        return None
    return yaml_error(
        f"YAML syntax error: line {mark.line + 1} is indented with a tab, and YAML "
        "indentation must use spaces",
        filename,
        mark.line + 1,
        indent.index("\t") + 1,
        hint="replace the tab with spaces",
    )


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
