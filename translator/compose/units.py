"""Compose's unit strings: Go durations, memory sizes and CPU counts.

Each parser takes the raw YAML value and the document path it came from, and
returns the model's semantic unit (nanoseconds and bytes as integers, CPUs as a
Decimal). Arithmetic is exact: Compose's own parsers go through float64, which
turns ``9007199254740993b`` into one byte less; no value is rounded here. Anything
else, and any value no target platform can hold, raises
:class:`~translator.errors.TranslatorError` at that path.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from translator.errors import Path, TranslatorError

__all__ = [
    "MAX_CPUS", "MAX_SIZE", "MIN_CPUS",
    "format_go_float", "parse_cpus", "parse_duration", "parse_size",
]

_MAX_INT64 = 2**63 - 1
# Every target keeps a size as a signed 64-bit byte count: Docker's HostConfig.Memory and
# Swarm's MemoryBytes, Kubernetes' Quantity.Value() on the node, Mesos' Bytes.
MAX_SIZE = _MAX_INT64
# The most CPUs any target holds: Kubernetes and Mesos count milli-CPUs in a signed
# 64-bit integer (resource.MaxMilliValue; Mesos' fixed-point Value::Scalar).
MAX_CPUS = Decimal(_MAX_INT64) / 1000
# The finest CPU count any target holds: Swarm's NanoCPUs.
MIN_CPUS = Decimal("1e-9")
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
# Longer integer parts are far above MAX_SIZE. A fraction's digits past the 64th never
# change a whole byte: k / 1024**5 has at most 50 decimals.
_SIZE_DIGITS = 64
_SIZE_HINT = "expected a size in bytes such as 512m, 1g, 1.5GB or 100k"


def parse_size(value: object, path: Path) -> int:
    """A memory size in bytes. Numbers are bytes; strings follow ``units.RAMInBytes``.

    Fractions of a byte are dropped, as Docker's parser does (``0.3k`` is 307 bytes).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TranslatorError.at(f"invalid size {value!r}: {_SIZE_HINT}", path)
    if isinstance(value, str):
        size = _size_bytes(value) if len(value) <= _CACHED_LEN else _size_bytes.__wrapped__(value)
    else:
        size = _whole(_number(value))
    if size is None or size < 0:
        raise TranslatorError.at(f"invalid size {_quote(value)}: {_SIZE_HINT}", path)
    if size > MAX_SIZE:
        raise TranslatorError.at(
            f"size {_quote(value)} is more than any target can hold: Docker, Swarm, Kubernetes "
            f"and Mesos keep sizes as signed 64-bit byte counts (at most {MAX_SIZE} bytes)",
            path,
        )
    return size


def _quote(value: object) -> str:
    """The value as a message quotes it, shortened: an input may be megabytes long."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}...{text[-6:]} ({len(text)} characters)"


def _number(value: int | float) -> Decimal | None:
    """A YAML number as the decimal it was written as (a float's shortest repr), or None."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value)) if math.isfinite(value) else None


def _whole(number: Decimal | None) -> int | None:
    return None if number is None else int(number.to_integral_value(ROUND_DOWN))


@functools.lru_cache(maxsize=4096)
def _size_bytes(value: str) -> int | None:
    """Bytes of a size string (memory limits repeat across services), None if invalid."""
    match = _SIZE.match(value)
    if match is None:
        return None
    digits: str = match[1]
    whole, _, fraction = digits.partition(".")
    whole = whole.lstrip("0")
    if len(whole) > _SIZE_DIGITS:  # far above MAX_SIZE: spare int() a huge string
        return MAX_SIZE + 1
    unit: int = _SIZE_MULT[match[3].lower()] if match[3] else 1
    fraction = fraction[:_SIZE_DIGITS].rstrip("0")
    # Integers only, truncating like Docker's int64(float) conversion does.
    scale: int = 10 ** len(fraction)
    return int(whole or "0") * unit + int(fraction or "0") * unit // scale


_CPUS_HINT = "expected a number of CPUs such as 0.5 or 2"
# A plain decimal: no exponent beyond what YAML floats carry, no NaN, no infinity.
_CPUS = re.compile(r"^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_cpus(value: object, path: Path) -> Decimal:
    """A CPU count, exactly: Compose takes a number or a numeric string (``"0.5"``)."""
    number: Decimal | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _number(value)
    elif isinstance(value, str) and _CPUS.match(value.strip()):
        number = _decimal(value.strip())
    if number is None or number < 0:
        raise TranslatorError.at(f"invalid cpus {_quote(value)}: {_CPUS_HINT}", path)
    if number > MAX_CPUS:
        raise TranslatorError.at(
            f"cpus {_quote(value)} is more than any target can hold: Kubernetes and Mesos "
            f"count milli-CPUs in a signed 64-bit integer (at most {MAX_CPUS} CPUs)",
            path,
        )
    if number % MIN_CPUS:
        raise TranslatorError.at(
            f"cpus {_quote(value)} is finer than any target can hold: Swarm counts nano-CPUs "
            "(0.000000001), Kubernetes and Mesos milli-CPUs (0.001)",
            path,
        )
    # 2.50 and 2.5 are one value: a canonical form keeps outputs and comparisons stable.
    return _canonical(number)


def _decimal(text: str) -> Decimal | None:
    # An exponent of a million digits must not make Decimal build a huge integer.
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.adjusted() <= 40 else Decimal("Infinity")


def _canonical(number: Decimal) -> Decimal:
    integral = number.to_integral_value()
    return integral.quantize(Decimal(1)) if number == integral else number.normalize()


def format_go_float(value: float) -> str:
    """A float as Go's ``strconv.FormatFloat(v, 'g', -1, 64)`` mostly prints it.

    Compose prints numeric environment values and labels this way: ``1.0`` -> ``1``.
    """
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)
