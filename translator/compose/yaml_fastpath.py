"""The gate in front of yaml-rs: text it is known to read exactly as go-yaml v3 does.

yaml-rs is a YAML 1.2 parser; Compose reads with go-yaml v3. They part ways on a few
forms (explicit ``? `` keys, empty keys, ':' or '?' against flow punctuation, '|'/'>'
where a node starts, tags, number spellings). :func:`fast_path_ok` refuses any text that
may hold one; the precise path then reads it. It is built from substring tests and checks
over the *distinct words* of the text, because regex scans over a whole large file would
cost more than yaml-rs itself: for 1,000 services it costs about a third of yaml-rs's
parse (tests/compose/test_yaml_fastpath.py checks it decides as the slower gate did).
"""

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
_MARK_CHARS = "".join(sorted(set("".join(_SUSPECT_MARKS))))
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
_MARKER_END = ("", " ", "\t", "\r", "\n")  # what may follow "---" for it to be a marker


def fast_path_ok(text: str) -> bool:
    """True when yaml-rs is known to read ``text`` exactly as go-yaml v3 does."""
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
    # The few words that start with an indicator, found once for both checks below.
    starters = [word for word in distinct if word[0] in _SUSPECT_START]
    inside = _InsidePlainText(text)
    # Without a final line break, any '|'/'>' where a node may start could open that
    # block scalar; one inside a line of text (a shell "||") cannot.
    if not text.endswith("\n") and any(w[0] in "|>" and not inside(w) for w in starters):
        return False
    words = " ".join(distinct)
    if _has_suspect_mark(words) or any(
        not _BLOCK_HEADER.fullmatch(word) and not inside(word) for word in starters
    ):
        return False
    return all(_scalar_agrees(token) for token in _number_tokens(words))


def _has_suspect_mark(words: str) -> bool:
    """Whether a suspect two-character mark occurs: only marks whose characters all occur
    are searched (most files have no flow punctuation at all)."""
    present = {char for char in _MARK_CHARS if char in words}
    return any(
        mark in words for mark in _SUSPECT_MARKS if mark[0] in present and mark[1] in present
    )


class _InsidePlainText:
    """:func:`inside_plain_text` of one text, each word worked out once (the two checks of
    :func:`fast_path_ok` ask about the same words, and a shell "||" recurs on every
    healthcheck of a large file)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        if word not in self.known:
            self.known[word] = inside_plain_text(self.text, word)
        return self.known[word]


def inside_plain_text(text: str, word: str) -> bool:
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
    """Whether ``text`` is one document: no marker, or one leading ``---``.

    The common case, one line starting with ``---`` and none with ``...`` or ``%``, is
    decided with substring searches; anything else with the multi-line regex (a scan of
    the whole text that cost more than the rest of the gate).
    """
    lined = "\n" + text
    if lined.count("\n---") == 1 and "\n..." not in lined and "\n%" not in lined:
        after = lined.find("\n---") + 4
        if lined[after : after + 1] not in _MARKER_END:
            return True  # "----" or "---x": not a document marker
        return _only_leading(text)
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
