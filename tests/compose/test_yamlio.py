"""YAML reading: scalar typing (both paths), merge keys, tags, errors, limits, positions."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from work_counts import calls

from translator.compose import yamlio
from translator.compose.yamlio import (
    MAX_DEPTH,
    SourceMap,
    Tagged,
    parse,
    parse_fast,
    parse_precise,
)
from translator.errors import Location, TranslatorError

Same = Callable[[Any, Any], bool]

# Plain scalars as ``docker compose config`` v2.40.3 (go-yaml v3) types them.
MERGES: list[tuple[str, Any]] = [
    ("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n", {"x": 1, "y": 3}),
    ("a: &a {x: 1, y: 2}\nb:\n  y: 3\n  <<: *a\n", {"y": 3, "x": 1}),
    (
        "a: &a {x: 1, y: 1}\nc: &c {x: 2, z: 2}\nb: {<<: [*a, *c], w: 0}\n",
        {"x": 1, "y": 1, "z": 2, "w": 0},
    ),
    (
        "a: &a {x: 1}\nc: &c {<<: *a, y: 2}\nb: {<<: *c, z: 3}\n",
        {"x": 1, "y": 2, "z": 3},
    ),
    ('a: &a {x: 1}\nb: {"<<": *a}\n', {"<<": {"x": 1}}),
    ("a: &a {x: [1, 2]}\nb: {<<: *a}\n", {"x": [1, 2]}),
]


@pytest.mark.parametrize(("text", "expected_b"), MERGES)
def test_merge_keys_on_both_paths(text: str, expected_b: Any) -> None:
    for result in (parse(text, "f.yml"), parse_precise(text, "f.yml")[0]):
        assert result["b"] == expected_b
        assert list(result["b"]) == list(expected_b)


def test_aliases_give_independent_copies() -> None:
    text = "a: &a {x: [1]}\nb: *a\n"
    for result in (parse(text, "f"), parse_precise(text, "f")[0]):
        result["b"]["x"].append(2)
        assert result["a"]["x"] == [1]


TAGS: list[tuple[str, Any]] = [
    ("x: !reset null\n", {"x": Tagged("!reset", None)}),
    ("x: !reset []\n", {"x": Tagged("!reset", [])}),
    ("x: !reset {}\n", {"x": Tagged("!reset", {})}),
    ('x: !reset ""\n', {"x": Tagged("!reset", "")}),
    ("x: !override [8080:80]\n", {"x": Tagged("!override", ["8080:80"])}),
    ("x: !override\n  a: 010\n", {"x": Tagged("!override", {"a": 8})}),
    ("x:\n  - !reset 5\n", {"x": [Tagged("!reset", 5)]}),
]


@pytest.mark.parametrize(("text", "expected"), TAGS)
def test_merge_tags_are_kept(text: str, expected: Any) -> None:
    assert not yamlio.fast_path_ok(text)
    assert parse(text, "f.yml") == expected


ERRORS: list[tuple[str, str, int, int]] = [
    ("services:\n  web:\n   image: x\n  bad\n", "syntax error", 4, 3),
    ("a: [1, 2\n", "syntax error", 2, 1),
    (
        "services:\n  web:\n    image: a\n    image: b\n",
        'duplicate key "image" (first defined at line 3)',
        4,
        5,
    ),
    ("a: {<<: {x: 1}, <<: {y: 1}}\n", "duplicate key '<<' (first defined at line 1)", 1, 17),
    ("a: {1: x, 1: y}\n", 'duplicate key "1"', 1, 11),
    ("a: !!python/object:os.system {}\n", "unsupported YAML tag '!!python/object:os.system'", 1, 4),
    ("a: !!python/name:os.system\n", "unsupported YAML tag '!!python/name:os.system'", 1, 4),
    ("a: !custom x\n", "unsupported YAML tag '!custom'", 1, 4),
    ("a: !!set {x}\n", "unsupported YAML tag '!!set'", 1, 4),
    ("a: !!bool yes\n", "cannot decode 'yes' as a !!bool", 1, 4),
    ("a: *nope\n", "unknown anchor 'nope'", 1, 4),
    ("a: &a [1, *a]\n", "refers to a node that contains it", 1, 11),
    ("a:\n  <<: 5\n", "'<<' merge key must be a mapping", 2, 3),
    ("a: 1\nb: \x00\n", "NUL bytes", 2, 4),
    ("a: 1\nb: x\x01\n", "control character U+0001", 2, 5),
    ('a: "\x7f"\n', "control character U+007F", 1, 5),
    ("a: \ud800\n", "control character U+D800", 1, 4),
    ("? [a, b]\n: 1\n", "mapping keys must be plain scalars", 1, 3),
]


@pytest.mark.parametrize(("text", "message", "line", "col"), ERRORS)
def test_errors_are_positioned(text: str, message: str, line: int, col: int) -> None:
    with pytest.raises(TranslatorError) as info:
        parse(text, "bad.yml")
    diagnostic = info.value.diagnostics[0]
    assert message in diagnostic.message
    assert diagnostic.location == Location("bad.yml", line, col)
    assert diagnostic.hint  # every error says what to do


def _billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("parser", [parse, lambda t, f: parse_precise(t, f)[0]])
def test_billion_laughs_refused_before_expanding(
    parser: Callable[[str, str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []
    real_construct = yamlio.construct
    monkeypatch.setattr(yamlio, "construct", lambda *a: built.append(a) or real_construct(*a))

    def refuse() -> None:
        with pytest.raises(TranslatorError, match="alias bomb"):
            parser(_billion_laughs(), "lol.yml")

    # Expanding would build 9**10 nodes, each at least one call; measuring the aliases
    # costs a few calls per character of the text (measured: about 20,000 in all).
    assert calls(refuse) < 100_000
    assert built == []  # refused before any value was built


def test_many_aliases_below_the_limit_are_fine() -> None:
    text = "a: &a [1, 2, 3]\n" + "".join(f"k{i}: *a\n" for i in range(1000))
    assert parse(text, "f")["k999"] == [1, 2, 3]
    assert parse_precise(text, "f")[0]["k999"] == [1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "a: " + "{x: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "".join(" " * i + "k:\n" for i in range(2_000)) + " " * 2_000 + "v\n",
        "- " * 10_000 + "x\n",
    ],
    ids=["flow-seq", "flow-map", "block-map", "compact-seq"],
)
def test_deep_nesting_refused_cleanly(text: str) -> None:
    with pytest.raises(TranslatorError, match=f"nesting is deeper than {MAX_DEPTH} levels"):
        parse(text, "deep.yml")


def test_deep_nesting_through_aliases_refused() -> None:
    inner = "[" * 60 + "]" * 60
    text = f"a: &a {inner}\nb: &b {'[' * 50}*a{']' * 50}\n"
    with pytest.raises(TranslatorError, match=rf"nesting .*deeper than {MAX_DEPTH} levels"):
        parse(text, "deep.yml")


def test_nesting_within_limit_is_read() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    value = parse(text, "f")["a"]
    depth = 0
    while value:
        value, depth = value[0], depth + 1
    assert depth == MAX_DEPTH - 2


DOCUMENTS: list[tuple[str, list[Any]]] = [
    ("", []),
    ("# only a comment\n", []),
    ("---\na: 1\n", [{"a": 1}]),
    ("# c\n---\na: 1\n", [{"a": 1}]),
    ("a: 1\n---\nb: 2\n", [{"a": 1}, {"b": 2}]),
    ("---\na: 1\n---\n", [{"a": 1}, None]),
    ("- 1\n- 2\n", [[1, 2]]),
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENTS)
def test_documents(text: str, expected: list[Any]) -> None:
    assert yamlio.parse_documents(text, "f.yml") == expected
    assert parse(text, "f.yml") == (expected[0] if expected else None)


def test_bom_is_ignored() -> None:
    assert parse("\ufeffa: 1\n", "f") == {"a": 1}


def test_fast_and_precise_agree_on_a_large_file(same: Same) -> None:
    text = _many_services(300)
    assert yamlio.fast_path_ok(text)
    assert same(parse_fast(text), parse_precise(text, "big.yml")[0])


def _many_services(count: int) -> str:
    parts = ["x-base: &base\n  restart: always\n  labels: {tier: web}\nservices:\n"]
    for i in range(count):
        parts.append(
            f"  svc{i}:\n    <<: *base\n    image: repo/app{i}:1.{i}\n"
            f'    ports: ["{8000 + i}:80", {9000 + i}]\n'
            f"    environment:\n      N: {i}\n      F: {i}.5\n      B: yes\n"
            f"    command: [run, --port, '80']\n    healthcheck: {{interval: 30s, retries: 3}}\n"
        )
    return "".join(parts)


_TOKENS = st.sampled_from(
    [
        *("0o10", "010", "0440", "08", "0x1F", "1_000", "_1", ".5_0", "1e400", "1.", ".inf"),
        *(".iNf", ".NaN", "yes", "True", "tRue", "~", "NULL", "22:22", "2024-01-01", "1e3"),
        *("a", "web", "-x", "1.2.3", "8080:80", "10s", "a b", "0", "12", "3.5", "-7"),
    ]
)
_KEYS = st.sampled_from(["a", "b", "web", "ports", "k_1", "x-y", "010", "on"])
_VALUES = st.recursive(
    _TOKENS,
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(_KEYS, children, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def _dump(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        return "".join(f"{pad}{k}:{_inline_or_block(v, indent)}" for k, v in value.items())
    if isinstance(value, list):
        return "".join(f"{pad}-{_inline_or_block(v, indent)}" for v in value)
    return f"{pad}{value}\n"


def _inline_or_block(value: Any, indent: int) -> str:
    if isinstance(value, (dict, list)):
        return "\n" + _dump(value, indent + 2)
    return f" {value}\n"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5))
def test_fast_equals_precise_property(document: dict[str, Any]) -> None:
    text = _dump(document, 0)
    precise = parse_precise(text, "gen.yml")[0]
    assert _equal(parse(text, "gen.yml"), precise)
    if yamlio.fast_path_ok(text):
        assert _equal(parse_fast(text), precise)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    return type(left) is type(right) and bool(left == right)


LOCATE_TEXT = """\
x-base: &base
  image: base
services:
  web:
    <<: *base
    ports:
      - "80:80"
      - target: 443
        published: 8443
    environment: {A: 1, B: [x, y]}
  db: {image: postgres, volumes: [data:/var/lib]}
"""

LOCATIONS: list[tuple[tuple[str | int, ...], tuple[int, int]]] = [
    (("services",), (3, 1)),
    (("services", "web"), (4, 3)),
    (("services", "web", "ports"), (6, 5)),
    (("services", "web", "ports", 0), (7, 9)),
    (("services", "web", "ports", 1), (8, 9)),
    (("services", "web", "ports", 1, "published"), (9, 9)),
    (("services", "web", "environment", "B"), (10, 25)),
    (("services", "web", "environment", "B", 1), (10, 32)),
    (("services", "web", "image"), (2, 3)),  # found through the merge key
    (("services", "db", "volumes", 0), (11, 35)),
    (("services", "web", "ports", 7), (6, 5)),  # deepest existing node
    (("services", "nope", "image"), (3, 1)),
]


@pytest.mark.parametrize(("path", "position"), LOCATIONS)
def test_source_map_locates_block_and_flow_nodes(
    path: tuple[str | int, ...], position: tuple[int, int]
) -> None:
    assert SourceMap(LOCATE_TEXT, "c.yml").locate(path) == Location("c.yml", *position)


def test_source_map_tolerates_unparsable_text() -> None:
    source = SourceMap("a: [\n", "bad.yml")  # constructing must not parse
    assert source.locate(("a",)) is None


# --- read_text ---------------------------------------------------------------------------


def test_read_text_decodes_and_normalises(tmp_path: Path) -> None:
    file = tmp_path / "c.yml"
    file.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: \xc3\xa9\r\n")
    assert yamlio.read_text(file) == "a: 1\nb: \u00e9\n"


def test_read_text_reports_bad_utf8_position(tmp_path: Path) -> None:
    file = tmp_path / "c.yml"
    file.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(TranslatorError, match="not valid UTF-8") as info:
        yamlio.read_text(file)
    assert info.value.diagnostics[0].location == Location(str(file), 2, 4)


def test_read_text_refuses_large_files(tmp_path: Path) -> None:
    file = tmp_path / "c.yml"
    file.write_bytes(b"a" * 101)
    with pytest.raises(TranslatorError, match="larger than 100 bytes"):
        yamlio.read_text(file, limit=100)
    assert yamlio.read_text(file, limit=101) == "a" * 101


def test_read_text_refuses_fifo_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    with pytest.raises(TranslatorError, match="not a regular file"):
        yamlio.read_text(fifo)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null"])
def test_read_text_refuses_devices(special: str) -> None:
    if not Path(special).exists():
        pytest.skip(f"{special} does not exist on this system")
    with pytest.raises(TranslatorError, match="not a regular file"):
        yamlio.read_text(Path(special))


def test_read_text_refuses_directories_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError, match="is a directory"):
        yamlio.read_text(tmp_path, what="compose file")
    with pytest.raises(TranslatorError, match="compose file not found"):
        yamlio.read_text(tmp_path / "missing.yml", what="compose file")


# --- corpus ------------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_fast_path_equals_precise_path(conformance_dir: Path, same: Same) -> None:
    files = sorted(
        p
        for p in (conformance_dir / "corpus").rglob("*")
        if p.suffix in (".yml", ".yaml") and p.is_file()
    )
    assert files, "the corpus has no compose files"
    fast = 0
    for file in files:
        text = yamlio.read_text(file)
        documents = parse_precise(text, str(file))
        assert same(yamlio.parse_documents(text, str(file)), documents), file
        if yamlio.fast_path_ok(text):
            fast += 1
            assert same(parse_fast(text), documents[0]), file
    assert fast > len(files) // 2  # the fast path is the common case, not the exception


# Texts where yaml-rs (YAML 1.2) disagrees with go-yaml/libyaml; each found by fuzzing and
# checked against `docker compose config`. The router must send them to the precise path.
DIVERGENT: list[str] = [
    "a: [::1]\n",
    "a: {r:, b}\n",
    "a: [x:]\n",
    "a: [?x]\n",
    "a: {r:? true}\n",
    "a:\n  b: 1\n  : x\n",
    "a: {:}\n",
    "a:\n\tb: 1\n",
    "a:\n  -\tx\n",
    "a:\n  - \tx\n",
    "a: [>x]\n",
    "a: [|x]\n",
    "a: |\n  line1\n  line2",
    "a: b\nc: |\n\n",
    "a: &a [1, *a]\n",
    "a: &a {x: *a}\n",
    "0440: x\n",
    "a: 1e400\n",
]


@pytest.mark.parametrize("text", DIVERGENT)
def test_router_sends_divergent_texts_to_the_precise_path(text: str, same: Same) -> None:
    assert not yamlio.fast_path_ok(text) or parse_fast(text) is None
    try:
        expected: Any = parse_precise(text, "f.yml")[0]
    except TranslatorError as exc:
        with pytest.raises(TranslatorError) as info:
            parse(text, "f.yml")
        assert info.value.diagnostics == exc.diagnostics
    else:
        assert same(parse(text, "f.yml"), expected)


@pytest.mark.corpus
def test_corpus_mutations_never_diverge(conformance_dir: Path, same: Same) -> None:
    """Randomly edited corpus files: whenever the fast path answers, it answers as precise."""
    import random

    rng = random.Random(20261126)
    files = sorted((conformance_dir / "corpus").rglob("*.y*ml"))
    texts = [t for t in (yamlio.read_text(f) for f in files if f.is_file()) if t]
    pieces = [" ", "\n", ":", "-", "[", "]", "{", "}", ",", "#", '"', "'", "&a ", "*a", "\t"]
    pieces += ["|", ">", "?", "x", "0", ".", "%", "@", "\\"]
    compared = 0
    for _ in range(600):
        chars = list(rng.choice(texts))
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            if rng.random() < 0.5:
                chars.insert(at, rng.choice(pieces))
            else:
                del chars[at]
        text = "".join(chars)
        if not yamlio.fast_path_ok(text):
            continue
        fast = parse_fast(text)
        if fast is None:
            continue
        documents = parse_precise(text, "m.yml")
        assert len(documents) == 1 and same(fast, documents[0]), text
        compared += 1
    assert compared > 100  # the fast path really was exercised


def test_read_text_refuses_a_symlink_to_a_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("/dev/zero does not exist on this system")
    link = tmp_path / "compose.yml"
    link.symlink_to("/dev/zero")
    opened: list[object] = []
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        yamlio.os, "fdopen", lambda *a, **k: opened.append(a) or real_fdopen(*a, **k)
    )
    with pytest.raises(TranslatorError, match="not a regular file"):
        yamlio.read_text(link)
    assert opened == []  # refused from its stat, before a single byte was read


# Shell text in healthchecks and commands ("|| exit 1", "> /dev/null") stays on the fast
# path; '|'/'>' where a node may start still goes to the precise one.
FAST_SHELL = [
    'test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]\n',
    "test: curl -f http://localhost/ || exit 1\nb: 1\n",
    "cmd: [sh, -c, run > /dev/null 2>&1]\nb: 1\n",
    "a: b ||\nc: 1",  # no final line break, '|' inside a line of text
    "a: [b ||]\nc: 1\n",
]
PRECISE_SHELL = [
    "a: ||\nc: 1\n",
    "a:\n  - ||\nc: 1\n",
    "a: &x ||\nc: 1\n",
    'a: "q" ||\nc: 1\n',
    "a: b\n  || c\nc: 1\n",
    "a: |2 ||\nc: 1\n",
    "a: |\n  x\nb: 1",  # a block scalar, no final line break
]


@pytest.mark.parametrize("text", FAST_SHELL)
def test_shell_operators_keep_the_fast_path(text: str, same: Same) -> None:
    assert yamlio.fast_path_ok(text)
    assert same(parse_fast(text), parse_precise(text, "f.yml")[0])


@pytest.mark.parametrize("text", PRECISE_SHELL)
def test_indicators_where_a_node_starts_take_the_precise_path(text: str) -> None:
    assert not yamlio.fast_path_ok(text)
