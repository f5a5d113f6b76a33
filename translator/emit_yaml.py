"""yaml-rs's text for a document, dumped in parts when the document is large.

yaml-rs dumps a large mapping slower than the sum of its parts: a Swarm stack of 1,000
services took 0.038 s in one call and 0.020 s as one call per service, and 1.0 s against
0.2 s at 10,000 services inside a full run, where the one call grew faster than linearly.
So a document whose top-level value holds many entries (a stack's ``services:``) is
dumped entry by entry, and the texts are joined. The result is the same text, byte for
byte: each part is yaml-rs's own dump of ``{key: {name: entry}}``, whose first line is the
shared ``key:`` header, and block style makes every entry's lines independent of its
neighbours. Whenever a part does not have that shape (a key yaml-rs writes otherwise
than ``key:``, a flow-style mapping), the whole document is dumped in one call.
"""

from __future__ import annotations

from typing import Any

import yaml_rs

# Below this many entries one call is as fast: parts only pay off for large mappings.
CHUNK_FROM = 64
_START = "---\n"


def dumps(content: Any, chunk_from: int = CHUNK_FROM) -> str:
    """``yaml_rs.dumps(content)``, in parts when a top-level mapping value is large."""
    if type(content) is not dict:
        return str(yaml_rs.dumps(content))
    for value in content.values():  # a loop, not any(): this runs for every document
        if type(value) is dict and len(value) >= chunk_from:
            break
    else:
        return str(yaml_rs.dumps(content))
    parts = [_START]
    for key, value in content.items():
        if type(value) is dict and len(value) >= chunk_from:
            entries = _entries(key, value)
        else:
            part = _body(yaml_rs.dumps({key: value}))
            entries = None if part is None else [part]
        if entries is None:
            return str(yaml_rs.dumps(content))
        parts += entries
    return "".join(parts)[:-1]  # yaml-rs ends a document without a line break


def _entries(key: Any, value: dict[Any, Any]) -> list[str] | None:
    """The text of ``key:`` and each entry of ``value``; None when a part has another shape."""
    header = f"{key}:\n" if type(key) is str else None
    parts: list[str] = []
    for name, entry in value.items():
        text = _body(yaml_rs.dumps({key: {name: entry}}))
        if text is None or header is None or not text.startswith(header + " "):
            return None
        parts.append(text[len(header):] if parts else text)
    return parts


def _body(text: str) -> str | None:
    """A part without yaml-rs's document start, ending with a line break; None when it
    does not start as a whole document's text does, or ends as one cannot."""
    if not text.startswith(_START) or text.endswith("\n"):
        return None
    return text[len(_START):] + "\n"
