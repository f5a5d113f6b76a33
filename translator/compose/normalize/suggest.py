"""Suggestions ("did you mean") for unknown keys: the closest allowed key, as difflib finds it.

A typo'd key (``imgae:``) is ignored with a warning; the suggestion names the key the
user most likely meant, and explains a later error the typo causes ("has neither an image
nor a build context").
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from translator.compose.normalize.keys import NESTED_SHAPES, fail
from translator.compose.normalize.ports import PORT_KEYS
from translator.compose.normalize.volumes import VOLUME_KEYS
from translator.errors import Path, TranslatorError


def closest(word: str, choices: Collection[str]) -> str | None:
    """The allowed key closest to ``word``, if one is close enough (difflib's 0.6 ratio)."""
    found = difflib.get_close_matches(word, sorted(choices), n=1)
    return found[0] if found else None


def did_you_mean(word: str, choices: Collection[str]) -> str | None:
    """A hint for an unknown key, or None when no allowed key is close."""
    match = closest(word, choices)
    return None if match is None else f"did you mean `{match}`?"


def no_image_error(service: str, unknown: list[Path], path: Path) -> TranslatorError:
    """The error for a service without image or build; a typo'd key (``imgae:``) that
    explains it is named, and the error points at that key."""
    message = f'service "{service}" has neither an image nor a build context specified'
    for where in unknown:
        if len(where) != len(path) + 1:
            continue
        match = closest(str(where[-1]), ("image", "build"))
        if match is not None:
            return fail(f"{message}; unknown key `{where[-1]}`: did you mean `{match}`?", where)
    return fail(message, path)


def allowed_keys(within: Path, service_keys: frozenset[str]) -> frozenset[str]:
    """The keys allowed next to the unknown key at ``within`` (a path inside one service)."""
    if len(within) == 1:
        return service_keys
    if len(within) == 3 and within[0] in ("ports", "volumes"):
        return PORT_KEYS if within[0] == "ports" else VOLUME_KEYS
    shape = NESTED_SHAPES.get(str(within[0]))
    for part in within[1:-1]:
        if shape is None:
            return frozenset()
        shape = shape["*"] if "*" in shape else shape.get(str(part))
    return frozenset(shape or ()) - {"*"}
