"""SourceMap's indentation walk (yaml_marks) finds exactly what the composed node tree finds.

The reference is the code it replaced on the locate path: ``compose_documents`` (libyaml
events, or PyYAML's Python parser without libyaml) and ``PathIndex.walk``. Every path
that exists in a file is compared, plus probes that do not exist (missing keys, indexes
out of range, keys into lists, typed keys), over the conformance corpus, samples/,
hand-written edge cases and seeded random block YAML.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from translator.compose import yaml_events, yaml_marks, yaml_nodes, yaml_plain
from translator.compose.yaml_nodes import MAPPING, SCALAR, SEQUENCE, Node, PathIndex
from translator.compose.yaml_scalars import resolve_plain
from translator.compose.yamlio import SourceMap, _prepare, decode_text, parse_documents
from translator.errors import Location, TranslatorError

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MAX_PATHS = 4000  # per file: enough to cover every corpus file completely

Path_ = tuple[Any, ...]


def reference(text: str, filename: str) -> tuple[PathIndex | None, Node | None]:
    """What SourceMap.locate used before yaml_marks: the first document's node tree."""
    try:
        roots = yaml_nodes.compose_documents(_prepare(text, filename), filename)
    except TranslatorError:
        return None, None
    root = roots[0] if roots else None
    return (PathIndex(root) if root is not None else None), root


def probes(root: Node | None) -> list[Path_]:
    """Every path to a node of the tree (typed and raw key texts), then paths that stop
    short: missing keys, out-of-range and negative indexes, keys into sequences."""
    found: list[Path_] = [(), ("nope",), (0,), (None,), (True,)]
    if root is None:
        return found
    stack: list[tuple[Node, Path_]] = [(root, ())]
    seen: set[tuple[int, int]] = set()
    while stack and len(found) < MAX_PATHS:
        node, path = stack.pop()
        if (id(node), len(path)) in seen or len(path) > 40:
            continue  # aliases share nodes
        seen.add((id(node), len(path)))
        if node.kind == MAPPING:
            found += [(*path, "zz-missing"), (*path, 0), (*path, "zz", "deeper")]
            for key, value in zip(node.items[::2], node.items[1::2], strict=False):
                if key.kind != SCALAR:
                    continue
                typed = resolve_plain(key.value) if key.plain else key.value
                parts = {key.value} | ({typed} if _hashable_part(typed) else set())
                for part in parts:
                    found.append((*path, part))
                    stack.append((value, (*path, part)))
        elif node.kind == SEQUENCE:
            found += [(*path, len(node.items)), (*path, -1), (*path, "key"), (*path, 0, 99)]
            for index, item in enumerate(node.items):
                found.append((*path, index))
                stack.append((item, (*path, index)))
        else:
            found.append((*path, "below-a-scalar"))
    return found


def _hashable_part(value: Any) -> bool:
    return not (isinstance(value, float) and math.isnan(value))


def compare(text: str, filename: str = "c.yml", parsed: bool = False) -> int:
    """Assert SourceMap agrees with the reference on every probe; the number of probes
    the indentation walk answered itself (0 when the file went to the node tree).
    ``parsed``: the map first sees the text parsed, as the loader does (when the fast path
    reads it, the map skips libyaml's check)."""
    index, root = reference(text, filename)
    source = SourceMap(text, filename)
    if parsed:
        try:
            parse_documents(text, filename, source)
        except TranslatorError:
            assert not source.checked
    answered = 0
    for path in probes(root):
        expected = index.walk(path).location(filename) if index is not None else None
        assert source.locate(path) == expected, (filename, path)
        answered += source._blocks is not None
    return answered


def corpus_texts(conformance_dir: Path) -> Iterator[tuple[str, str]]:
    files = sorted(
        p for p in (conformance_dir / "corpus").rglob("*") if p.suffix in (".yml", ".yaml")
    )
    files += sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yml", ".yaml"))
    for path in files:
        if path.is_file():
            yield str(path), decode_text(path.read_bytes(), str(path))


@pytest.mark.parametrize("parsed", [False, True], ids=["alone", "after-parse"])
def test_corpus_and_samples_locate_as_the_node_tree(conformance_dir: Path, parsed: bool) -> None:
    files = fast = 0
    for name, text in corpus_texts(conformance_dir):
        files += 1
        fast += compare(text, name, parsed) > 0
    assert files > 100
    # The walk must actually be exercised: most real compose files are plain block YAML.
    assert fast >= files * 9 // 10, (fast, files)


def test_a_text_the_fast_path_read_skips_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "services:\n  web:\n    image: nginx\n    ports:\n      - 80\n"
    source = SourceMap(text, "c.yml")
    parse_documents(text, "c.yml", source)
    assert source.checked
    monkeypatch.setattr(yaml, "CSafeLoader", None)  # would send an unchecked text to the tree
    assert source.locate(("services", "web", "ports", 0)) == Location("c.yml", 5, 9)
    assert source._blocks is not None


def test_corpus_with_crlf_bom_and_tabs_raw_from_stdin(conformance_dir: Path) -> None:
    """Text that did not go through decode_text (stdin): CR, BOMs and tabs go to the tree."""
    for number, (name, text) in enumerate(corpus_texts(conformance_dir)):
        if number % 5:
            continue
        variant = ["\ufeff" + text, text.replace("\n", "\r\n"), text.replace("\n  ", "\n\t", 1)]
        for changed in variant:
            compare(changed, name)


EDGE_CASES = [
    # keys: typed, quoted, duplicates, odd spacing, colons and hashes inside
    'a: 1\n"b": 2\n\'c\': 3\n1: int\n"1": str\ntrue: t\nnull: n\n~: tilde\n0x1F: hex\n',
    "dup: 1\ndup: 2\nother: 3\n'dup': 4\n",
    "key   : spaced\nurl:x: colon-inside\na::\nb#c: hash\n'it''s': quoted\n",
    "services:\n  web:\n    image: x # comment: with colon\n    ports:\n    - 80\n",
    '"q\\"esc": 1\nafter: 2\n',  # an escaped double-quoted key: the node tree decides
    "k: 'a\n  b'\nnext: 1\n",  # a quoted scalar over two lines
    'k: "a\n  b"\nnext: 1\n',
    "k: [a,\n  b]\nnext: 1\n",  # a flow collection over two lines
    "k: {a: 1, b: [2, 3]}\nn: [x, {y: z}]\nm: [[[[deep]]]]\n",
    # sequences: compact, nested, indentless, empty items, items on the next line
    "- a\n- - b\n  - c\n- k: v\n  k2: v2\n-   spaced: 1\n-\n  next: line\n- # comment\n",
    "top:\n- 1\n- 2\nafter:\n  - x\n  -\n    y: 1\n  - - - z\n",
    "s:\n  - a: 1\n    b:\n    - c\n    - d\n  - e\n",
    # comments and blank lines at any indentation, block scalars that look like keys
    "# head\n\n---\n# c\na:\n# left comment\n    b: 1\n\n  # c\n"
    "    c: |\n      d: 2\n      - e\n    f: >-\n      g: 3\n",
    "a: |2\n   x: 1\n  y: 2\nb: 3\n",
    "a:\n  |\n   text\nb: 1\n",
    # plain scalars over several lines, values on the next line
    "a: one\n  two: not a key\n  three\nb:\n  multi\n  line\nc:\n\nd: ~\n",
    # documents, directives, anchors, tags, merges
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "--- # first\na: 1\n",
    "--- a\n",
    "---foo: 1\nbar: 2\n",
    "base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\n",
    "a: !reset []\nb: !override\n  c: 1\n",
    "a:\n  <<:\n    k: v\n  j: 1\n",
    "? complex\n: value\n",
    "a: 1\n: empty\n",
    # non-ASCII, astral characters, long lines
    "ключ:\n  значение: 1\n  😀x: 2\n",
    "s:\n- 😀😀: 1\n  é: 2\n- '😀': 3\n",
    "a: " + "x" * 5000 + "\nb:\n  " + "k" * 900 + ": 1\n",
    "long_key_" + "k" * 1100 + ": 1\n",  # simple keys over 1024 characters: libyaml refuses
    # roots that are not block mappings
    "- 1\n- 2\n",
    "scalar\n",
    "",
    "# only a comment\n",
    "[1, 2]\n",
    "  indented: root\n  other: 1\n",
    # text libyaml refuses (no positions at all)
    "a: b: c\n",
    "a:\n  - 1\n  b: 2\n",
    "a: 1\n b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    # mid-text BOM, NEL and line separators
    "a: 1\n\ufeffb: 2\n",
    "a: 1\x85b: 2\n",
    "a: x\u2028y\nb: 2\n",
    "a:\tb\nc: 1\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_locate_as_the_node_tree(text: str) -> None:
    compare(text)


def test_plain_block_files_are_answered_by_the_walk() -> None:
    """The walk answers these itself (so the comparisons above test it, not the tree)."""
    for text in (EDGE_CASES[0], EDGE_CASES[3], EDGE_CASES[9], EDGE_CASES[10], EDGE_CASES[12]):
        assert compare(text) > 0, text


def random_block_yaml(rng: random.Random, depth: int = 0, indent: int = 0) -> list[str]:
    """Lines of a random block mapping at ``indent``, in many styles libyaml accepts."""
    lines: list[str] = []
    pad = " " * indent
    for n in range(rng.randint(1, 5)):
        key = rng.choice(
            [f"k{n}", f"'k{n}'", f'"k{n}"', str(n), "true", "k.x-y", f"k {n}", "dup", "01"]
        )
        style = rng.randrange(9) if depth < 5 else 0
        if rng.random() < 0.2:
            lines.append(rng.choice(["", "# note", pad + "# note", "   "]))
        if style <= 2:
            value = rng.choice(["v", "'q'", '"d: x"', "1", "", "# c", "[a, b]", "{a: 1}", "x #y"])
            lines.append(f"{pad}{key}: {value}".rstrip())
        elif style == 3:
            lines.append(f"{pad}{key}: |")
            lines += [f"{pad}  line: {i}" for i in range(2)]
        elif style == 4:
            lines.append(f"{pad}{key}:")
            lines += random_block_yaml(rng, depth + 1, indent + rng.choice([1, 2, 4]))
        else:
            lines.append(f"{pad}{key}:")
            lines += random_sequence(rng, depth + 1, indent + rng.choice([0, 2]))
    return lines


def random_sequence(rng: random.Random, depth: int, indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(5) if depth < 5 else 0
        if kind <= 1:
            lines.append(pad + "- " + rng.choice(["item", "'q'", "12", "[x]", "a b"]))
        elif kind == 2:
            inner = random_block_yaml(rng, depth + 1, indent + 2)
            lines.append(pad + "- " + inner[0].lstrip(" "))
            lines += inner[1:]
        elif kind == 3:
            lines.append(pad + "- - nested")
            lines.append(pad + "  - more")
        else:
            lines.append(pad + "-")
            lines += random_block_yaml(rng, depth + 1, indent + 2)
    return lines


def test_random_block_yaml_locates_as_the_node_tree() -> None:
    rng = random.Random(8)
    answered = 0
    for _ in range(400):
        text = "\n".join(random_block_yaml(rng)) + rng.choice(["\n", ""])
        answered += compare(text) > 0
    assert answered > 100  # the walk, not only the tree, was compared


def test_without_libyaml_the_node_tree_answers(
    monkeypatch: pytest.MonkeyPatch, conformance_dir: Path
) -> None:
    """No libyaml: the walk is never used (it needs libyaml's check), and positions are
    the pure-Python parser's, as before."""
    monkeypatch.setattr(yaml, "CSafeLoader", None, raising=False)
    monkeypatch.setattr(yaml_events, "_Loader", yaml.SafeLoader)
    for number, (name, text) in enumerate(corpus_texts(conformance_dir)):
        if number % 4 == 0:
            assert compare(text, name) == 0
    with pytest.raises(yaml_marks.Unsure):
        yaml_marks.block_index("a: 1\n")


def test_unparsable_text_has_no_positions() -> None:
    for text in ("a: b: c\n", "a:\n  - 1\n  b: 2\n", "a: 1\n\x00", "a: 'x\n"):
        assert SourceMap(text, "bad.yml").locate(("a",)) is None


def test_hostile_input_keeps_the_tree_limits() -> None:
    """Nesting past MAX_DEPTH has no positions (the tree refuses it), whatever its form."""
    deep = "".join(" " * level + f"k{level}:\n" for level in range(yaml_nodes.MAX_DEPTH + 5))
    # three sequences and a mapping per "- - - k:" line, the next line under its key
    compact = "".join(
        " " * 6 * level + "- " * 3 + f"k{level}:\n"
        for level in range(yaml_nodes.MAX_DEPTH // 4 + 2)
    )
    for text in (deep, compact):
        assert not yaml_plain.plain_block(text)
        assert reference(text, "deep.yml")[0] is None  # the tree refuses the depth
        assert SourceMap(text, "deep.yml").locate(("k0", "k1")) is None
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    assert not yaml_plain.plain_block(bomb)
    assert compare(bomb) == 0
    cycle = "a: &a\n  b: *a\n"
    assert SourceMap(cycle, "cycle.yml").locate(("a", "b")) is None


def test_huge_text_is_refused_before_any_parse() -> None:
    text = "a: 1\n" + "#" * (16 * 1024 * 1024)
    assert SourceMap(text, "big.yml").locate(("a",)) is None


def test_str_keys_type_as_their_own_text() -> None:
    """_Keys.find relies on it: a str part can only match a key through its text."""
    words = ["x", "0x", "1e", "1_0", ".5_", "+.inf1", "0o9", "-", "1e999", "+", "._5", "0b"]
    for word in words + [f"{a}{b}" for a in "+-.0189xeE_" for b in "0.9eExob_fF"]:
        typed = resolve_plain(word)
        if isinstance(typed, str):
            assert typed is word or typed == word, word


def test_walk_positions_on_a_known_file() -> None:
    text = "---\nname: p\nservices:\n  web:\n    ports:\n      - '80'\n      - target: 1\n"
    source = SourceMap(text, "c.yml")
    assert source.locate(("services", "web", "ports", 1, "target")) == Location("c.yml", 7, 9)
    assert source.locate(("services", "web", "ports", 0)) == Location("c.yml", 6, 9)
    assert source.locate(("services", "web", "nope")) == Location("c.yml", 4, 3)
    assert source._blocks is not None  # answered by the walk
