"""Suggestions ("did you mean") for unknown keys: the closest allowed key, as difflib finds it.

A typo'd key (``imgae:``) is ignored with a warning; the suggestion names the key the
user most likely meant, and explains a later error the typo causes ("has neither an image
nor a build context").
"""

from __future__ import annotations

import difflib
from collections.abc import Collection


def closest(word: str, choices: Collection[str]) -> str | None:
    """The allowed key closest to ``word``, if one is close enough (difflib's 0.6 ratio)."""
    found = difflib.get_close_matches(word, sorted(choices), n=1)
    return found[0] if found else None


def did_you_mean(word: str, choices: Collection[str]) -> str | None:
    """A hint for an unknown key, or None when no allowed key is close."""
    match = closest(word, choices)
    return None if match is None else f"did you mean `{match}`?"
