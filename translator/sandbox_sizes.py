"""Size checks of the template sandbox (:mod:`translator.sandbox`): what an operation
would build, estimated before it is built.

The rule everywhere: a template may build a string, list or text up to :data:`MAX_SIZE`,
or up to the size of the largest value it started from (a project's own config file may be
larger; copying it is fine, growing it is not). So repeated growth (a doubling in a loop or
a recursive macro) is stopped at the bound, whatever each step adds. Integers are bounded
in bits (:data:`MAX_INT_BITS`), widths and counts by :data:`MAX_SIZE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jinja2.exceptions import SecurityError

MAX_SIZE = 4_000_000  # characters of a string, items of a list a template makes grow
MAX_INT_BITS = 14_000  # about the 4,300 digits Python converts to text

# A printf conversion, its width and precision (https://docs.python.org/3/library/
# stdtypes.html#old-string-formatting), and a str.format replacement field.
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"\d+")
_NESTED_FIELD = re.compile(r"\{[^{}]*[:.]\{")


class TemplateLimitError(SecurityError):
    """A user template went past one of the sandbox's bounds."""


def too_big(what: str, size: int, limit: int = MAX_SIZE) -> TemplateLimitError:
    """``what`` has a ``{}`` for the size: "a range of {} items"."""
    return TemplateLimitError(
        f"the template builds {what.format(f'{size:,}')} (the limit is {limit:,})"
    )


def hint(value: Any, limit: int = MAX_SIZE) -> int:
    """About how many characters ``value`` takes as text, walking it only until the count
    passes ``limit`` (so a list of a million references to one big string costs one step)."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, dict):
            total += 2 * len(item) + 2
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 * len(item) + 2
            stack.extend(item)
        elif is_int(item):
            total += item.bit_length() // 3 + 1
        else:
            total += 8
    return total


def check_growth(what: str, estimate: int, inputs: Iterable[Any]) -> None:
    """Refuse ``estimate`` past the bound unless no larger than the largest input."""
    if estimate > MAX_SIZE and estimate > max((hint(i, estimate) for i in inputs), default=0):
        raise too_big(what, estimate)


def check_size(value: Any, *inputs: Any) -> Any:
    """``value`` (already built) unless an integer past the bound or grown past it."""
    if is_int(value):
        if value.bit_length() > MAX_INT_BITS:
            raise too_big("an integer of {} bits", value.bit_length(), MAX_INT_BITS)
    elif isinstance(value, str | bytes | list | tuple | dict | set) and len(value) > MAX_SIZE:
        check_growth(f"a {type(value).__name__} of length {{}}", len(value), inputs)
    return value


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_ints(args: Iterable[Any]) -> None:
    for value in args:
        if is_int(value) and abs(value) > MAX_SIZE:
            raise too_big("a width or count of {}", value)


def check_repeat(left: Any, right: Any) -> None:
    """``left * right`` for a sequence and a count."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and is_int(count):
            # A list's size as text: a list of one big string, repeated, is a big text.
            size = len(seq) if isinstance(seq, str) else max(len(seq), hint(seq))
            check_growth(f"a repeated {type(seq).__name__} of size {{}}", size * count, (seq,))


def check_power(left: Any, right: Any) -> None:
    if is_int(left) and is_int(right) and right > 0 and abs(left) > 1:
        bits = (abs(left).bit_length() - 1) * right
        if bits > MAX_INT_BITS:
            raise too_big("an integer of {} bits", bits, MAX_INT_BITS)


def check_printf(text: str, args: Any) -> None:
    """``text % args``: widths and precisions, and the text the conversions would make."""
    values = args if isinstance(args, tuple) else (args,)
    if any(is_int(v) and abs(v) > MAX_SIZE for v in values) and "*" in text:
        raise too_big("a printf width of {}", max(abs(v) for v in values if is_int(v)))
    conversions = 0
    for match in _PRINTF_SPEC.finditer(text):
        conversions += 1
        for part in match.groups():
            if part and part != "*" and (len(part) > 7 or int(part) > MAX_SIZE):
                raise too_big("a printf width of {}", int(part[:20]))
    widest = max((hint(v) for v in values), default=0) if not isinstance(args, dict) else hint(args)
    check_growth("a formatted string of length {}", len(text) + conversions * widest,
                 (text, *values))  # fmt: skip


def check_format(text: str, args: Iterable[Any]) -> None:
    """``text.format(...)``: widths in fields or given by arguments, and the result's size."""
    values = list(args)
    fields = _FORMAT_FIELD.findall(text)
    for spec in fields:
        for digits in _DIGITS.findall(spec.partition(":")[2]):
            if len(digits) > 7 or int(digits) > MAX_SIZE:
                raise too_big("a format width of {}", int(digits[:20]))
    if _NESTED_FIELD.search(text):  # a width given by an argument: "{:{w}}"
        check_ints(values)
    widest = max((hint(v) for v in values), default=0)
    check_growth("a formatted string of length {}", len(text) + len(fields) * widest,
                 (text, *values))  # fmt: skip


def check_join(separator: Any, items: Any) -> None:
    if isinstance(separator, str) and hasattr(items, "__len__"):
        estimate = len(separator) * len(items) + hint(items)
        check_growth("a joined string of length {}", estimate, (items,))


def check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = len(text) + 1 if old == "" else text.count(old)
        check_growth("a replaced string of length {}", len(text) + count * len(new), (text,))


def check_insert(value: Any, args: Iterable[Any]) -> None:
    """``indent`` and ``wordwrap``: a string argument may be inserted at every line."""
    for arg in args:
        if isinstance(arg, str) and isinstance(value, str):
            check_growth("a string of length {}", len(value) + (len(value) + 1) * len(arg),
                         (value,))  # fmt: skip
