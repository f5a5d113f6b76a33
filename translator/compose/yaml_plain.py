"""Which YAML text the indentation walk (``yaml_marks``) can read: a conservative gate.

The walk takes a block collection's entries to be the lines at its column. Two
constructs continue on lines of any indentation in libyaml, quoted scalars and flow
collections, so text where one may not close on its line is refused; so is text with
anchors, aliases, tags, directives, complex or empty keys, or nesting deep enough for
the node tree's MAX_DEPTH to matter. A false alarm only sends the file to the node tree.
"""

from __future__ import annotations

import re

__all__ = ["plain_block"]

# libyaml breaks lines at \r, NEL, LS and PS too, skips a BOM at the start of any line,
# and treats tabs specially: refusing them keeps its (line, column) equal to ours.
_REFUSED_CHARS = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
# A quoted scalar not closed on its line (it could continue at any indentation); a
# backslash at the end escapes the line break.
_OPEN_DOUBLE = r'"(?:[^"\\\n]++|\\.)*+\\?(?=\n|\Z)'
_OPEN_SINGLE = r"'(?:[^'\n]++|'')*+(?=\n|\Z)"
# A flow collection that does not close on its line, three levels at most, and no
# comment inside (libyaml starts a comment at any '#' beginning a flow token).
# Possessive throughout: a run of quotes backtracked for seconds (the marathon fuzzer). The
# alternatives start with different characters, and inside quotes a doubled quote or a
# backslash pair is always an escape in YAML, so giving characters back never finds
# another reading: possessive matching decides exactly as backtracking did, in one pass.
_ATOM = r"""[^\n"'\[\]{}#]|"(?:[^"\\\n]|\\.)*+"|'(?:[^'\n]|'')*+'"""
_FLOW1 = rf"[\[{{](?:{_ATOM})*+[\]}}]"
_FLOW2 = rf"[\[{{](?:{_ATOM}|{_FLOW1})*+[\]}}]"
_FLOW3 = rf"[\[{{](?:{_ATOM}|{_FLOW2})*+[\]}}]"
_OPEN_FLOW = rf"(?=[\[{{])(?!{_FLOW3} *(?:#[^\n]*)?(?:\n|\Z))"
_OPENS = f"{_OPEN_DOUBLE}|{_OPEN_SINGLE}|{_OPEN_FLOW}"
# Where a node may start in block context: after indentation and "- " entries, or after
# a key's ": ". One pass each over the text: a lookahead drops ordinary lines after
# their indentation, and possessive quantifiers never backtrack.
_REFUSED = (
    # At a line start: anchors, aliases, tags, directives, complex ("? ") or empty (": ")
    # keys, unclosed scalars and flows, and deep nesting: collections start at most at
    # the end of a line's "[ -]*" prefix, two per column (a mapping and its indentless
    # sequence), plus three flow levels, so a prefix under 45 keeps the depth < MAX_DEPTH.
    re.compile(
        rf"\n(?=[ -]{{45}}|[ -]*+[&*!%?:\"'\[{{])"
        rf"(?:[ -]{{45}}|[ -]*+(?:[&*!%]|[?:](?=[ \n]|\Z)|{_OPENS}))"
    ),
    # After a key.
    re.compile(rf": ++(?=[&*!\"'\[{{])(?:[&*!]|{_OPENS})"),
)


def plain_block(text: str) -> bool:
    """Whether ``text`` is free of what ``yaml_marks.BlockIndex`` cannot read (conservatively)."""
    if any(char in text for char in _REFUSED_CHARS):
        return False
    lined = "\n" + text
    return not any(pattern.search(lined) for pattern in _REFUSED)
