"""The conversion report: for each service and each compose key it uses, what each target
does with it (mapped, approximated, or dropped, and why).

The answer comes from the target's ``KEYS`` table, refined by actually rendering the
plan: when the renderer reports something about that service and key, its message (the
very diagnostic ``translator validate`` prints) replaces the table's note, so that
``explain`` and ``validate`` never disagree.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Severity, TranslatorError

if TYPE_CHECKING:
    from translator.model import Plan
    from translator.targets.base import KeySupport

HANDLINGS = ("mapped", "approximated", "dropped")


@dataclass(frozen=True)
class ExplainRow:
    service: str
    key: str
    target: str
    handling: str  # mapped | approximated | dropped | error
    note: str


@dataclass
class _Said:
    """What a render said about one (service, key)."""

    handling: str | None = None
    messages: list[str] = field(default_factory=list)


def explain(plan: Plan, targets: Sequence[str]) -> list[ExplainRow]:
    tables = {t: key_table(t) for t in targets}
    said = {t: _render_notes(plan, t) for t in targets}
    rows: list[ExplainRow] = []
    for name, planned in plan.services.items():
        for key in planned.service.source_keys:
            for target in targets:
                rows.append(_row(name, key, target, tables[target], said[target]))
    return rows


def _row(
    service: str,
    key: str,
    target: str,
    table: Mapping[str, KeySupport],
    said: Mapping[tuple[str, str], _Said],
) -> ExplainRow:
    support = table.get(key)
    # diagnose_keys reports a key missing from the table as dropped: say the same.
    handling: str = support.handling if support is not None else "dropped"
    note = support.note if support is not None else f"{target} has no mapping for it"
    found = said.get((service, key))
    if found is not None:
        handling = found.handling or handling
        note = "; ".join(found.messages)
    return ExplainRow(service, key, target, handling, note)


def key_table(target: str) -> Mapping[str, KeySupport]:
    """The ``KEYS`` table of the target's module."""
    from translator.targets import REGISTRY, get

    get(target)  # fails early, and the same way as render, for an unknown target
    module = importlib.import_module(REGISTRY[target].location.partition(":")[0])
    table: Mapping[str, KeySupport] = getattr(module, "KEYS", {})
    return table


def _render_notes(plan: Plan, target: str) -> dict[tuple[str, str], _Said]:
    from translator import api

    try:
        diagnostics: Sequence[Diagnostic] = api.render(plan, target).diagnostics.items
    except TranslatorError as err:
        diagnostics = err.diagnostics
    out: dict[tuple[str, str], _Said] = {}
    for d in diagnostics:
        subject = _subject(d)
        if subject is None:
            continue
        said = out.setdefault(subject, _Said())
        if d.message not in said.messages:
            said.messages.append(d.message)
        said.handling = _strongest(said.handling, _handling(d))
    return out


def _subject(d: Diagnostic) -> tuple[str, str] | None:
    if d.service is not None and d.key is not None:
        return d.service, d.key
    # Errors raised by a renderer name their place only by path: services.<name>.<key>.
    path = d.path
    if len(path) >= 3 and path[0] == "services" and isinstance(path[2], str):
        return str(path[1]), path[2]
    return None


def _handling(d: Diagnostic) -> str | None:
    """A renderer's error means the key cannot be rendered; any warning means something
    of it is lost (codes such as ``kubernetes.lossy`` name no handling): approximated."""
    if d.severity is Severity.ERROR:
        return "error"
    if d.severity is Severity.INFO:
        return None
    suffix = d.code.rpartition(".")[2]
    return suffix if suffix in HANDLINGS else "approximated"


_RANK = {None: 0, "mapped": 1, "approximated": 2, "dropped": 3, "error": 4}


def _strongest(a: str | None, b: str | None) -> str | None:
    return a if _RANK.get(a, 0) >= _RANK.get(b, 0) else b


def explain_table(rows: Sequence[ExplainRow]) -> str:
    """An aligned table; the note column is last and not padded."""
    header = ("SERVICE", "KEY", "TARGET", "HANDLING", "NOTE")
    cells = [header, *((r.service, r.key, r.target, r.handling, r.note) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [
        "  ".join([*(c[i].ljust(widths[i]) for i in range(4)), c[4]]).rstrip() for c in cells
    ]
    return "\n".join(lines) + "\n"


def explain_json(rows: Sequence[ExplainRow]) -> list[dict[str, str]]:
    return [asdict(row) for row in rows]
