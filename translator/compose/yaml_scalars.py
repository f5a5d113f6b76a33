"""Plain-scalar typing exactly as Docker Compose (go-yaml v3) does it.

Compose reads files with ``gopkg.in/yaml.v3``. Its resolver (``resolve.go``) is
YAML 1.2-like (``yes``/``on`` and ``22:22`` stay strings) but keeps some YAML 1.1
habits that matter for compose files, checked against ``docker compose config``
v2.40.3:

* ``0440`` is octal (288): go-yaml calls ``strconv.ParseInt(s, 0, 64)``, where a
  leading ``0`` means base 8 (secrets/configs ``mode: 0440``). ``08`` is not valid
  octal and falls through to a float (8.0).
* Underscores are removed before number parsing (``1_000`` is 1000, ``_1`` is not a
  number because it does not start with a digit or sign).
* Integers beyond int64 are tried as uint64, then as floats; a float that
  overflows (``1e400``) stays a string.
* Timestamps (``2024-01-01``) are kept as strings here: Compose refuses them in
  typed fields and only keeps them in ``x-`` extensions.

See https://github.com/go-yaml/yaml/blob/v3/resolve.go.
"""

from __future__ import annotations

import math
import re
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
}

# strconv.ParseInt(s, 0, 64) syntax: sign, then a base prefix or a leading-0 octal.
_GO_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)\Z")
# go-yaml's yamlStyleFloat.
_GO_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
# The "." case calls strconv.ParseFloat on the text itself, where Go allows "_" only
# between digits (".5_0" is 0.5, "._5" is a string).
_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?\Z")
_BASES = {"x": 16, "X": 16, "b": 2, "B": 2, "o": 8, "O": 8}


def resolve_plain(text: str) -> Any:
    """Type one untagged plain scalar the way go-yaml v3 decodes it into ``interface{}``."""
    special = _SPECIAL.get(text, _SPECIAL)
    if special is not _SPECIAL:
        return special
    first = text[:1]
    if first == ".":
        return _go_float(text, text.replace("_", "")) if _DOT_FLOAT.match(text) else text
    if first and first in "+-0123456789":
        return _resolve_number(text)
    return text


def _resolve_number(text: str) -> Any:
    plain = text.replace("_", "")
    number = go_parse_int(plain)
    if number is not None:
        return number
    if _GO_FLOAT.match(plain):
        return _go_float(text, plain)
    return text


def go_parse_int(plain: str) -> int | None:
    """``strconv.ParseInt(plain, 0, 64)``, falling back to ``ParseUint`` (no sign)."""
    match = _GO_INT.match(plain)
    if match is None:
        return None
    sign, digits = match.groups()
    if len(digits) > 1 and digits[0] == "0":
        base = _BASES.get(digits[1], 8)
        value = int(digits[2:] if base != 8 or digits[1] in "oO" else digits[1:], base)
    else:
        value = int(digits)
    if sign == "-":
        value = -value
    if INT64_MIN <= value <= INT64_MAX:
        return value
    if not sign and value <= UINT64_MAX:
        return value
    return None


def _go_float(original: str, plain: str | None = None) -> Any:
    """``strconv.ParseFloat``: out-of-range values are an error, so the scalar stays a string."""
    value = float(original if plain is None else plain)
    return original if math.isinf(value) else value


def resolve_tagged(tag: str, text: str) -> Any:
    """A scalar with an explicit core tag (``!!str 010``, ``!!int "12"``).

    Raises ValueError with go-yaml's wording when the text does not fit the tag.
    """
    kind = tag.rsplit(":", 1)[-1]
    if kind in ("str", "timestamp"):
        return text
    if kind == "binary":
        return _decode_binary(text)
    value = resolve_plain(text)
    wanted: dict[str, tuple[type, ...]] = {
        "int": (int,),
        "float": (float, int),
        "bool": (bool,),
        "null": (type(None),),
    }
    accepted = wanted.get(kind)
    if accepted is None:
        raise ValueError(f"unsupported tag !!{kind}")
    if isinstance(value, bool) and kind != "bool":
        accepted = ()
    if not isinstance(value, accepted):
        raise ValueError(f"cannot decode {text!r} as a !!{kind}")
    if kind == "float":
        return float(value)  # type: ignore[arg-type]
    return value


def _decode_binary(text: str) -> str:
    # Only a !!binary scalar needs these; compose files almost never hold one.
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"!!binary value is not base64-encoded UTF-8 text ({exc})") from None
