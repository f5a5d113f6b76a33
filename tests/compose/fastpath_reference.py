"""The fast-path gate's decision procedure as it was before yaml_fastpath.py made it
cheaper: the oracle that tests/compose/test_yaml_fastpath.py compares the new one with.
Only the two functions that changed are kept here, verbatim; the helpers they call did not
change and are imported."""

from __future__ import annotations

from translator.compose.yaml_fastpath import (
    _BLOCK_HEADER,
    _DOC_MARK,
    _SUSPECT_MARKS,
    _SUSPECT_START,
    _TAB_INDENT,
    _number_tokens,
    _only_leading,
    _scalar_agrees,
)
from translator.compose.yaml_fastpath import inside_plain_text as _inside_plain_text


def fast_path_ok(text: str) -> bool:
    if "!" in text or '"<<"' in text or "'<<'" in text:
        return False
    lined = "\n" + text
    if ("\n---" in lined or "\n..." in lined or "\n%" in lined) and not _single_document(text):
        return False
    if " " * 300 in text or "- " * 50 in text:
        return False
    if "\t" in text and _TAB_INDENT.search(lined):
        return False
    tail = text.rstrip()[-4:]
    if "|" in tail or ">" in tail:
        return False
    distinct = set(text.split())
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


def _single_document(text: str) -> bool:
    marks = _DOC_MARK.findall(text)
    return not marks or (marks == ["---"] and _only_leading(text))
