"""``translator diff ENV_A ENV_B``: the topology fields two plans lay out differently."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from translator.model import Plan, PlannedService
from translator.model.base import Frozen, format_duration

ENVIRONMENT_ROW = "(environment)"
_DURATION_KEYS = frozenset({"delay", "monitor", "window"})
_SIZE_KEYS = frozenset({"memory", "size"})
_BINARY = (("Ei", 1024**6), ("Pi", 1024**5), ("Ti", 1024**4), ("Gi", 1024**3), ("Mi", 1024**2),
           ("Ki", 1024))


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One field of one service (or of the environment, or a volume) that differs.

    ``a`` and ``b`` are JSON values: sizes in bytes, durations in nanoseconds.
    """

    service: str
    field: str
    a: Any
    b: Any


def volume_row(name: str) -> str:
    return f"(volume {name})"


def _dump(model: Frozen | None) -> Any:
    return None if model is None else model.model_dump(mode="json", exclude_defaults=True)


def service_fields(planned: PlannedService) -> dict[str, Any]:
    """The fields an environment can change, in the order the diff lists them."""
    topology = planned.topology
    placement = topology.placement
    artifact = planned.service.artifact
    return {
        "replicas": topology.replicas,
        "mode": topology.mode,
        "strategy": placement.strategy,
        "spread_over": list(placement.spread_over),
        "constraints": [str(c) for c in placement.constraints],
        "max_replicas_per_node": placement.max_replicas_per_node,
        "resources.limits": _dump(topology.resources.limits),
        "resources.reservations": _dump(topology.resources.reservations),
        "update_config": _dump(topology.update_config),
        "restart_policy": _dump(topology.restart_policy),
        "exposure": _dump(planned.exposure),
        "stateful": planned.stateful,
        "readiness_probe": planned.readiness_probe,
        "labels": dict(planned.labels),
        "annotations": dict(planned.annotations),
        "schedule": _dump(planned.schedule),
        "autoscale": _dump(planned.autoscale),
        "pod": planned.pod,
        "service_annotations": dict(planned.service_annotations),
        "service_account": planned.service_account,
        # Never differs between environments of one project; shown if it does.
        "image": None if artifact is None else artifact.reference,
    }


def _environment_fields(plan: Plan) -> dict[str, Any]:
    env = plan.environment
    return {
        "platform": env.platform,
        "namespace": plan.namespace,
        "production": env.production,
        "spread_key": env.spread_key,
        "allow_host_paths": env.allow_host_paths,
        "labels": dict(env.labels),
        "annotations": dict(env.annotations),
    }


def _rows(subject: str, a: dict[str, Any], b: dict[str, Any]) -> list[DiffRow]:
    return [DiffRow(subject, key, a.get(key), b.get(key)) for key in a | b
            if a.get(key) != b.get(key)]


def _merged_order(a: Iterable[str], b: Iterable[str]) -> list[str]:
    first = list(a)
    return first + [n for n in b if n not in first]


def diff_plans(a: Plan, b: Plan) -> list[DiffRow]:
    """Every environment-settable field that differs: environment, services, volumes."""
    rows = _rows(ENVIRONMENT_ROW, _environment_fields(a), _environment_fields(b))
    for name in _merged_order(a.services, b.services):
        if name not in a.services or name not in b.services:
            rows.append(DiffRow(name, "planned", name in a.services, name in b.services))
            continue
        rows += _rows(name, service_fields(a.services[name]), service_fields(b.services[name]))
    for name in _merged_order(a.storage, b.storage):
        left = a.storage[name].model_dump() if name in a.storage else {}
        right = b.storage[name].model_dump() if name in b.storage else {}
        rows += _rows(volume_row(name), left, right)
    return rows


def diff_json(rows: Iterable[DiffRow]) -> list[dict[str, Any]]:
    return [{"service": r.service, "field": r.field, "a": r.a, "b": r.b} for r in rows]


def diff_table(rows: Sequence[DiffRow], a_name: str = "A", b_name: str = "B") -> str:
    """A plain text table (no colours), one line per differing field."""
    if not rows:
        return "no differences\n"
    table = [("SERVICE", "FIELD", a_name, b_name)] + [
        (r.service, r.field, format_value(r.a, _leaf(r.field)), format_value(r.b, _leaf(r.field)))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(3)]
    out = []
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join([*cells, line[3]]).rstrip())
    return "\n".join(out) + "\n"


def _leaf(field: str) -> str:
    return field.rsplit(".", 1)[-1]


def format_value(value: Any, key: str = "") -> str:
    """A JSON value for people: sizes in binary units, durations as Go prints them."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and key in _SIZE_KEYS:
        return format_size(value)
    if isinstance(value, int) and key in _DURATION_KEYS:
        return format_duration(value)
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "[]"
    if isinstance(value, dict):
        return " ".join(f"{k}={format_value(v, k)}" for k, v in value.items()) or "{}"
    return str(value)


def format_size(size: int) -> str:
    for unit, factor in _BINARY:
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)
