"""Shared pieces of the topology model: the frozen base class and unit helpers.

The model is semantic: every duration is an integer number of nanoseconds,
every size an integer number of bytes, every port a number. Strings from the
compose file are parsed once, in ``translator.compose``; renderers only format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

from translator.model.frozen import Bounds, Frozen, field

__all__ = ["Frozen", "JsonValue", "field"]

if TYPE_CHECKING:
    JsonValue: TypeAlias = (
        "list[JsonValue] | dict[str, JsonValue] | str | bool | int | float | None"
    )
else:

    class JsonValue:
        """Normalized JSON, held as given (the model base converts nothing inside)."""

        __json_value__ = True


Nanoseconds = Annotated[int, Bounds(ge=0)]
Bytes = Annotated[int, Bounds(ge=0)]
PortNumber = Annotated[int, Bounds(ge=0, le=65535)]

NS_PER_SECOND = 1_000_000_000
MIB = 1024 * 1024


_GO_UNITS: tuple[tuple[str, int], ...] = (
    ("h", 3600 * NS_PER_SECOND),
    ("m", 60 * NS_PER_SECOND),
    ("s", NS_PER_SECOND),
    ("ms", 1_000_000),
    ("µs", 1_000),
    ("ns", 1),
)


def format_duration(ns: int) -> str:
    """Format nanoseconds the way Go's ``time.Duration.String`` does (``1m30s``, ``500ms``).

    Compose and Swarm print durations in this form; see
    https://pkg.go.dev/time#Duration.String.
    """
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < NS_PER_SECOND:
        for unit, size in _GO_UNITS[3:]:
            if ns >= size:
                return sign + _fraction(ns, size) + unit
    out = []
    hours, rest = divmod(ns, 3600 * NS_PER_SECOND)
    minutes, rest = divmod(rest, 60 * NS_PER_SECOND)
    if hours:
        out.append(f"{hours}h")
    if hours or minutes:
        out.append(f"{minutes}m")
    out.append(_fraction(rest, NS_PER_SECOND) + "s")
    return sign + "".join(out)


def _fraction(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{str(frac).rjust(digits, '0').rstrip('0')}"


def seconds_ceil(ns: int) -> int:
    """Whole seconds, rounded up, for targets that only take seconds (probes, Marathon)."""
    return -(-ns // NS_PER_SECOND)


def mebibytes_ceil(size: int) -> int:
    return -(-size // MIB)
