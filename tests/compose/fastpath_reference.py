"""The fast-path gate as it was before yaml_fastpath.py made it cheaper: the oracle that
tests/compose/test_yaml_fastpath.py compares the new one with, verbatim."""

from __future__ import annotations

import functools
import math
import re

import yaml_rs

from translator.compose.yaml_scalars import resolve_plain

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


