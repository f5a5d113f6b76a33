"""The CronJob schedule syntax the API server accepts.

The API server parses ``spec.schedule`` with robfig/cron's standard parser (five fields,
or a descriptor such as ``@daily``), and refuses a time zone written into the schedule
(``TZ=``/``CRON_TZ=``: the ``timeZone`` field says that).
https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/batch/validation/validation.go
(validateScheduleFormat) and https://github.com/robfig/cron/blob/v3/parser.go
"""

from __future__ import annotations

import re

DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily",
                         "@midnight", "@hourly"})
_EVERY = re.compile(r"^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# (name, lowest, highest, names) of the five fields, in order.
FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(_MONTHS)}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(_DAYS)}),
)


def cron_problem(schedule: str) -> str | None:
    """What the API server would refuse in ``schedule``, or None when it is valid."""
    text = schedule.strip()
    if "TZ=" in text:
        return "a time zone in the schedule is refused; the CronJob's timeZone field sets it"
    if text.startswith("@"):
        if text in DESCRIPTORS or _EVERY.match(text):
            return None
        return f"{text.split()[0]!r} is not a schedule descriptor such as @daily"
    parts = text.split()
    if len(parts) != len(FIELDS):
        return f"a schedule has 5 fields (minute hour day month weekday), not {len(parts)}"
    for part, (name, low, high, names) in zip(parts, FIELDS, strict=True):
        for item in part.split(","):
            problem = _range_problem(item, low, high, names)
            if problem is not None:
                return f"{name} {item!r}: {problem}"
    return None


def _range_problem(item: str, low: int, high: int, names: dict[str, int]) -> str | None:
    span, _, step = item.partition("/")
    if step and (not step.isdigit() or int(step) == 0):
        return "the step must be a positive integer"
    if span in ("*", "?"):
        return None
    start_text, dash, end_text = span.partition("-")
    start = _value(start_text, names)
    end = _value(end_text, names) if dash else start
    if start is None or end is None:
        return "not a number or name"
    if not low <= start <= end <= high:
        return f"outside {low}-{high}"
    return None


def _value(text: str, names: dict[str, int]) -> int | None:
    if text.isdigit():
        return int(text)
    return names.get(text.upper())
