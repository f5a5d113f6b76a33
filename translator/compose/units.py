"""Compose's unit strings: Go durations, memory sizes and CPU counts.

Each parser takes the raw YAML value and the document path it came from, and
returns the model's semantic unit (nanoseconds, bytes, a float). Anything else
raises :class:`~translator.errors.TranslatorError` at that path.
"""

from __future__ import annotations

import functools
import math
import re

from translator.errors import Path, TranslatorError

__all__ = ["format_go_float", "parse_cpus", "parse_duration", "parse_size"]

_MAX_INT64 = 2**63 - 1
# Only short strings are memoized: the caches must not keep large inputs alive.
_CACHED_LEN = 64

# Units of Go's time.ParseDuration: https://pkg.go.dev/time#ParseDuration
_DURATION_UNITS: dict[str, int] = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")
_DURATION_HINT = "expected a Go duration such as 1m30s or 500ms"


def parse_duration(value: object, path: Path) -> int:
    """A Go duration string (``1m30s``, ``1.5s``, ``100ms``, ``2h``) in nanoseconds.

    Compose's schema types every duration as a string, so a bare number such as
    ``timeout: 10`` is refused (``must be a string``), and ``"10"`` is refused by
    Go's parser (``missing unit in duration``). ``"0"`` is Go's one unit-less form.
    Negative durations are refused: no compose duration can be negative.
    """
    if isinstance(value, bool) or not isinstance(value, str):
        raise TranslatorError.at(
            f"invalid duration {value!r}: {_DURATION_HINT} (a string, not a bare number)", path
        )
    total = _duration_ns(value) if len(value) <= _CACHED_LEN else _duration_ns.__wrapped__(value)
    if total is None:
        raise TranslatorError.at(f"invalid duration {value!r}: {_DURATION_HINT}", path)
    return total


# Projects repeat the same few durations (30s, 5s ...) in every service: parse each once.
@functools.lru_cache(maxsize=4096)
def _duration_ns(value: str) -> int | None:
    """Nanoseconds of a Go duration string, or None when Go's parser refuses it."""
    text = value.strip()
    if text in ("0", "+0", "-0"):
        return 0
    body = text[1:] if text[:1] == "+" else text
    total = 0
    pos = 0
    while body and pos < len(body):
        match = _DURATION_PART.match(body, pos)
        if match is None or not (match[1] or match[2]):
            return None
        total += _duration_part(match[1], match[2] or "", _DURATION_UNITS[match[3]])
        pos = match.end()
    if not body or total > _MAX_INT64:
        return None
    return total


def _duration_part(whole: str, fraction: str, unit: int) -> int:
    # Integer arithmetic, truncating like Go does for sub-nanosecond digits.
    ns = int(whole or "0") * unit
    if fraction:
        ns += int(fraction) * unit // 10 ** len(fraction)
    return ns


# docker/go-units RAMInBytes: binary multipliers, suffix b / k|m|g|t|p with optional b or ib.
# https://github.com/docker/go-units/blob/master/size.go
_SIZE = re.compile(r"^(\d+(?:\.\d*)?|\.\d+) ?(?:(b)|([kmgtp])(b|ib)?)?$", re.IGNORECASE)
_SIZE_MULT = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}
_SIZE_HINT = "expected a size in bytes such as 512m, 1g, 1.5GB or 100k"


def parse_size(value: object, path: Path) -> int:
    """A memory size in bytes. Numbers are bytes; strings follow ``units.RAMInBytes``."""
    if isinstance(value, bool):
        raise TranslatorError.at(f"invalid size {value!r}: {_SIZE_HINT}", path)
    if isinstance(value, int | float):
        if value < 0 or not math.isfinite(value):
            raise TranslatorError.at(f"invalid size {value!r}: {_SIZE_HINT}", path)
        return int(value)
    if not isinstance(value, str):
        raise TranslatorError.at(f"invalid size {value!r}: {_SIZE_HINT}", path)
    size = _size_bytes(value) if len(value) <= _CACHED_LEN else _size_bytes.__wrapped__(value)
    if size is None:
        raise TranslatorError.at(f"invalid size {value!r}: {_SIZE_HINT}", path)
    return size


@functools.lru_cache(maxsize=4096)
def _size_bytes(value: str) -> int | None:
    """Bytes of a size string (memory limits repeat across services), None if invalid."""
    match = _SIZE.match(value)
    if match is None:
        return None
    number = float(match[1])
    if match[3]:
        number *= _SIZE_MULT[match[3].lower()]
    return int(number)


def parse_cpus(value: object, path: Path) -> float:
    """A CPU count: Compose takes a number or a numeric string (``"0.5"``)."""
    hint = "expected a number of CPUs such as 0.5 or 2"
    if isinstance(value, bool):
        raise TranslatorError.at(f"invalid cpus {value!r}: {hint}", path)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise TranslatorError.at(f"invalid cpus {value!r}: {hint}", path) from None
    else:
        raise TranslatorError.at(f"invalid cpus {value!r}: {hint}", path)
    if number < 0 or not math.isfinite(number):
        raise TranslatorError.at(f"invalid cpus {value!r}: {hint}", path)
    return number


def format_go_float(value: float) -> str:
    """A float as Go's ``strconv.FormatFloat(v, 'g', -1, 64)`` mostly prints it.

    Compose prints numeric environment values and labels this way: ``1.0`` -> ``1``.
    """
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)
