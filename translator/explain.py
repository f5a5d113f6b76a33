"""The conversion report: for each service, each compose key it uses and each environment
setting that applies to it, what each target does (mapped, approximated, or dropped, and why).

Rows, in this order per service:

- one per compose key the service uses and target: ``KEY`` is the compose key (``ports``);
- one per Kompose label (``kompose.*``) the service carries and target: ``KEY`` is
  ``labels.<label>``, from the target's ``labels`` table;
- one per environment setting the chosen environment sets for the service (its own
  ``services.<name>`` entry or ``defaults``) and target: ``KEY`` is ``environment.<setting>``
  (``environment.replicas``), settings in name order.

The answer comes from the target's own tables (``keys`` for compose keys, ``settings`` for
environment settings; see :class:`translator.targets.base.Target`), refined by actually
rendering the plan: when the renderer reports something about that service and key (or
setting), its message (the very diagnostic ``translator validate`` prints) replaces the
table's note, so that ``explain`` and ``validate`` never disagree. A key or setting
missing from a table is dropped, as the renderer reports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Diagnostics, Severity, TranslatorError
from translator.locate import ENVIRONMENT_ROOT, setting_of, setting_path
from translator.targets import get
from translator.targets.base import (
    KeyEntry,
    RenderOptions,
    Target,
    handling_of,
    note_of,
)
from translator.templating import Templates

if TYPE_CHECKING:
    from translator.model import Plan

HANDLINGS = ("mapped", "approximated", "dropped")
# The KEY column of a row about a label another tool defines: ``labels.kompose.hpa.cpu``.
LABEL_PREFIX = "labels."
_LABEL_PREFIXES = ("kompose.",)
# The KEY column of a row about an environment setting: ``environment.replicas``.
SETTING_PREFIX = ENVIRONMENT_ROOT + "."


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
    objects = {name: get(name) for name in targets}  # an unknown target fails first
    said = {name: _render_notes(plan, target) for name, target in objects.items()}
    rows: list[ExplainRow] = []
    for name, planned in plan.services.items():
        for key in planned.service.source_keys:
            for target_name, target in objects.items():
                rows.append(_row(name, key, target_name, target.keys, said[target_name]))
        for label in sorted(planned.service.labels):
            # Another tool's label a target reads (``kompose.*``): a row of its own.
            for target_name, target in objects.items():
                if target.labels and (label in target.labels
                                      or label.startswith(_LABEL_PREFIXES)):
                    rows.append(_row(name, LABEL_PREFIX + label, target_name, target.labels,
                                     said[target_name], label))
        for setting in _set_settings(plan, name):
            key = SETTING_PREFIX + setting
            for target_name, target in objects.items():
                rows.append(_row(name, key, target_name, target.settings, said[target_name],
                                 setting))
    return rows


def _set_settings(plan: Plan, service: str) -> list[str]:
    """The settings the environment sets for ``service``: its own entry's and the defaults'."""
    env = plan.environment
    own = env.services.get(service)
    chosen = set(env.defaults.model_fields_set)
    if own is not None:
        chosen |= own.model_fields_set
    return sorted(chosen)


def _row(
    service: str,
    key: str,
    target: str,
    table: Mapping[str, KeyEntry],
    said: Mapping[tuple[str, str], _Said],
    lookup: str | None = None,
) -> ExplainRow:
    entry = table.get(lookup or key)
    handling: str = handling_of(entry)
    note = note_of(entry, target)
    found = said.get((service, key))
    if found is not None:
        handling = found.handling or handling
        note = "; ".join(found.messages)
    return ExplainRow(service, key, target, handling, note)


def _render_notes(plan: Plan, target: Target) -> dict[tuple[str, str], _Said]:
    diagnostics = Diagnostics()
    found: Sequence[Diagnostic]
    try:
        target.render(plan, RenderOptions(), Templates(None), diagnostics)
        found = diagnostics.items
    except TranslatorError as err:
        found = err.diagnostics
    out: dict[tuple[str, str], _Said] = {}
    for d in found:
        for subject in _subjects(plan, d):
            said = out.setdefault(subject, _Said())
            if d.message not in said.messages:
                said.messages.append(d.message)
            said.handling = _strongest(said.handling, _handling(d))
    return out


def _subjects(plan: Plan, d: Diagnostic) -> list[tuple[str, str]]:
    """The rows ``d`` speaks about: its compose key's and, when an environment setting
    holds the value it is about, that setting's."""
    out: list[tuple[str, str]] = []
    if d.service is not None and d.key is not None:
        out.append((d.service, d.key))
        if d.key == "labels" and len(d.path) == 4 and isinstance(d.path[3], str):
            out = [(d.service, LABEL_PREFIX + d.path[3])]  # about one label: its own row
    elif len(d.path) >= 3 and d.path[0] == "services" and isinstance(d.path[2], str):
        # Errors raised by a renderer name their place only by path: services.<name>.<key>.
        out.append((str(d.path[1]), d.path[2]))
    setting = setting_of(d.path)
    if setting is not None:
        service = str(d.path[1])
        if setting_path(plan, service, setting, ())[:1] == (ENVIRONMENT_ROOT,):
            out.append((service, SETTING_PREFIX + setting))
    return out


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
