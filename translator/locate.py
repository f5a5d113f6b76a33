"""Positions for diagnostics: compose paths through the loader's source map, paths under
an ``environment`` root through the positions the loaded environment keeps of its file.

Renderers and rules report where compose keeps a value; when an environment file set
the value, :func:`environment_origins` moves the finding to that setting, so the line
to change is the one shown. Light on imports: ``convert`` uses it on every run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Location
from translator.errors import Path as DocPath

if TYPE_CHECKING:
    from translator.compose.loader import Loaded
    from translator.model import Plan
    from translator.model.environment import SourcePositions

# The first path element of a diagnostic that points into the environment file.
ENVIRONMENT_ROOT = "environment"


def setting_path(plan: Plan, service: str, field: str, compose: DocPath) -> DocPath:
    """Where ``field`` of ``service`` was set: the environment's per-service settings, its
    defaults, else the compose file (``compose``). Findings point at the line to change."""
    env = plan.environment
    own = env.services.get(service)
    if own is not None and field in own.model_fields_set:
        return (ENVIRONMENT_ROOT, "services", service, field)
    if field in env.defaults.model_fields_set:
        return (ENVIRONMENT_ROOT, "defaults", field)
    return compose


# The environment setting (a ServiceSettings field) behind a path below services.<name>.
# Renderers report where compose keeps a value; when the environment file set it, the
# line to change is in that file.
_SETTINGS: dict[tuple[str, ...], str] = {
    ("annotations",): "annotations",
    ("exposure",): "exposure",
    # Settings with no compose key: a renderer reports them at services.<name>.<setting>.
    ("schedule",): "schedule",
    ("autoscale",): "autoscale",
    ("pod",): "pod",
    ("service_annotations",): "service_annotations",
    ("service_account",): "service_account",
    ("deploy", "replicas"): "replicas",
    ("deploy", "mode"): "mode",
    ("deploy", "resources"): "resources",
    ("deploy", "restart_policy"): "restart_policy",
    ("deploy", "update_config"): "update_config",
    ("deploy", "placement", "constraints"): "constraints",
    ("deploy", "placement", "preferences"): "strategy",
    ("deploy", "placement", "strategy"): "strategy",
    ("deploy", "placement", "max_replicas_per_node"): "max_replicas_per_node",
}


def environment_origins(plan: Plan, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics about a topology value the environment set point at that setting
    (``environment.services.web.replicas`` or ``environment.defaults.replicas``)."""
    out: list[Diagnostic] = []
    # One finding about a default, not one per service: the services go into the message.
    shared: dict[Diagnostic, list[str]] = {}
    for d in diagnostics:
        field = setting_of(d.path) if d.location is None else None
        if field is None:
            out.append(d)  # not about a setting, or already placed (lint findings are)
            continue
        path = setting_path(plan, str(d.path[1]), field, d.path)
        if path[:2] == (ENVIRONMENT_ROOT, "defaults"):
            shared.setdefault(replace(d, path=path, service=None), []).append(str(d.path[1]))
        else:
            out.append(replace(d, path=path) if path != d.path else d)
    for d, services in shared.items():
        names = ", ".join(sorted(set(services)))
        label = "service" if len(set(services)) == 1 else "services"
        out.append(replace(d, message=f"{d.message} ({label} {names})"))
    return out


def setting_of(path: DocPath) -> str | None:
    """The environment setting that holds the value at compose ``path`` (below
    ``services.<name>``), or None when no setting does."""
    if len(path) < 3 or path[0] != "services":
        return None
    for size in (3, 2, 1):
        field = _SETTINGS.get(tuple(str(p) for p in path[2 : 2 + size]))
        if field is not None:
            return field
    return None


def locate_for_plan(
    loaded: Loaded, plan: Plan, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """What ``convert`` and ``validate`` report for one plan: findings moved to the
    environment settings behind them, then every one located."""
    moved = environment_origins(plan, diagnostics)
    return _locate_all(loaded, plan.environment.source, moved)


def _locate_all(
    loaded: Loaded, source: SourcePositions | None, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """Attach positions: environment paths in the environment file (``source``, kept with
    the loaded environment), the rest in compose."""
    out: list[Diagnostic] = []
    for d in diagnostics:
        if d.location is None and d.path[:1] == (ENVIRONMENT_ROOT,):
            d = d.at(_in_environment(loaded, source, d.path[1:]))
        out.append(d)
    return locate_compose(loaded, out)


def locate_compose(loaded: Loaded, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Attach compose ``file:line:col`` to diagnostics that carry only a path."""
    return [
        d.at(loaded.locate(d.path)) if d.location is None and d.path else d for d in diagnostics
    ]


def _in_environment(
    loaded: Loaded, source: SourcePositions | None, path: DocPath
) -> Location | None:
    """A position in ``environments/<env>.yaml``; without a file (the implied ``local``),
    the compose service a per-service setting is about."""
    if source is None:
        return loaded.locate(path[:2]) if path[:1] == ("services",) and len(path) > 1 else None
    found = source.locate(path)
    return None if found is None else Location(source.file, found[0], found[1])
