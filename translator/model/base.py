"""Shared pieces of the topology model: the pydantic base class and unit helpers.

The model is semantic: every duration is an integer number of nanoseconds,
every size an integer number of bytes, every CPU count an exact Decimal, every
port a number. Strings from the
compose file are parsed once, in ``translator.compose``; renderers only format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    ValidationInfo,
)

__all__ = ["FromText", "Frozen", "JsonValue"]


class Frozen(BaseModel):
    """Base of every model class: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class FromText:
    """A field that a hand-written file may give as text (``512Mi``, ``10s``, ``500m``).

    The model holds semantic values only. A reader of such files (the plan's environment
    reader) passes its parsers in the validation context, keyed by ``unit``:
    ``model_validate(data, context={"parsers": {"size": to_bytes}})``. Without them the
    value goes on unchanged to the field's own check, as compose data (already parsed) does.
    """

    __slots__ = ("unit",)

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def __call__(self, value: Any, info: ValidationInfo) -> Any:
        context = info.context
        if not context:
            return value
        parse = context.get("parsers", {}).get(self.unit)
        return value if parse is None else parse(value)


Nanoseconds = Annotated[int, Field(ge=0), BeforeValidator(FromText("duration"))]
Bytes = Annotated[int, Field(ge=0), BeforeValidator(FromText("size"))]


def cpus_number(cpus: Decimal) -> int | float:
    """A CPU count as a JSON number: a float (``0.5``, ``1.0``) when the float is exact,
    else the integer (a whole count beyond 2**53).

    CPU counts have at most 9 decimals (Swarm's nano-CPUs), so below 10**6 the float's
    shortest form prints the same digits as the Decimal.
    """
    number = float(cpus)
    if Decimal(repr(number)) != cpus and cpus == cpus.to_integral_value():
        return int(cpus)
    return number


# Exact: CPU counts are parsed as decimals (``translator.compose.units``), never floats.
Cpus = Annotated[
    Decimal,
    Field(ge=0),
    BeforeValidator(FromText("cpus")),
    PlainSerializer(cpus_number, when_used="json"),
]
PortNumber = Annotated[int, Field(ge=0, le=65535)]

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
