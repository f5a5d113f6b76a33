"""PathIndex answers exactly as walk_path does (it replaced a scan per lookup)."""

from __future__ import annotations

from typing import Any

import pytest

from translator.compose.yaml_nodes import Node, PathIndex, compose_documents, walk_path

TEXT = """\
x-base: &base
  image: base
  1: one-int
  "2": two-str
x-more: &more
  user: me
  image: more
services:
  web:
    <<: [*base, *more]
    image: own
    ports: ["80:80", {target: 443}]
    "01": quoted
    1: int-key
    true: bool-key
    null: null-key
  dup:
    a: first
    a: second
  flow: {<<: *base, x: 1}
  'quoted': {k: v}
  ? [complex, key]
  : value
"""

PATHS: list[tuple[Any, ...]] = [
    (),
    ("services",),
    ("services", "web"),
    ("services", "web", "image"),
    ("services", "web", "user"),  # through the second merge source
    ("services", "web", "ports", 0),
    ("services", "web", "ports", 1, "target"),
    ("services", "web", "ports", 2),
    ("services", "web", "01"),
    ("services", "web", 1),
    ("services", "web", "1"),
    ("services", "web", True),
    ("services", "web", "true"),
    ("services", "web", None),
    ("services", "web", "2"),
    ("services", "web", 2),
    ("services", "dup", "a"),
    ("services", "flow", "image"),
    ("services", "flow", "x"),
    ("services", "quoted", "k"),
    ("services", "nope", "image"),
    ("x-base", 1),
    ("x-base", "1"),
]


def _position(node: Node) -> tuple[int, int]:
    return node.line, node.col


@pytest.mark.parametrize("path", PATHS)
def test_index_finds_what_walk_path_finds(path: tuple[Any, ...]) -> None:
    root = compose_documents(TEXT, "c.yml")[0]
    assert root is not None
    index = PathIndex(root)
    expected = walk_path(root, path)
    assert index.walk(path) is expected
    assert index.walk(path) is expected  # answered again from the cached index
    assert _position(expected) != (0, 0)


def test_many_lookups_scan_each_mapping_once() -> None:
    text = "services:\n" + "".join(f"  s{i}:\n    image: x\n" for i in range(2000))
    root = compose_documents(text, "c.yml")[0]
    assert root is not None
    index = PathIndex(root)
    for i in range(2000):
        assert _position(index.walk(("services", f"s{i}", "image"))) == (3 + 2 * i, 5)
    assert len(index._maps) == 2002  # the root, services and each service: once each
