"""Positions for diagnostics: compose paths through the loader's source map, paths under
an ``environment`` root through the environment file's.

Renderers and rules report where compose keeps a value; when an environment file set
the value, :func:`environment_origins` moves the finding to that setting, so the line
to change is the one shown. Light on imports: ``convert`` uses it on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Location, TranslatorError
from translator.errors import Path as DocPath

if TYPE_CHECKING:
    from translator import api
    from translator.compose.loader import Loaded
    from translator.model import Plan

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
        field = _setting_of(d.path) if d.location is None else None
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


def _setting_of(path: tuple[str | int, ...]) -> str | None:
    if len(path) < 3 or path[0] != "services":
        return None
    for size in (3, 2, 1):
        field = _SETTINGS.get(tuple(str(p) for p in path[2 : 2 + size]))
        if field is not None:
            return field
    return None


def locate_for_plan(
    loaded: Loaded, plan: Plan, inputs: api.PlanInputs, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """What ``convert`` and ``validate`` report for one plan: findings moved to the
    environment settings behind them, then every one located."""
    moved = environment_origins(plan, diagnostics)
    return locate_all(loaded, plan.environment.name, inputs, moved)


def locate_all(
    loaded: Loaded, env: str, inputs: api.PlanInputs, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """Attach positions: environment paths in the environment file, the rest in compose."""
    from translator import api as api_module

    items = list(diagnostics)
    env_locate: Callable[[tuple[str | int, ...]], Location | None] | None = None
    out: list[Diagnostic] = []
    for d in items:
        if d.location is None and d.path[:1] == (ENVIRONMENT_ROOT,):
            if env_locate is None:
                env_locate = _environment_locator(loaded, env, inputs)
            d = d.at(env_locate(d.path[1:]))
        out.append(d)
    return api_module.locate(loaded, out)


def _environment_locator(
    loaded: Loaded, env: str, inputs: api.PlanInputs
) -> Callable[[tuple[str | int, ...]], Location | None]:
    """Positions in ``environments/<env>.yaml``; without a file (the implied ``local``), the
    compose service a per-service setting is about."""
    from translator import api as api_module
    from translator.plan._source import Source
    from translator.plan.environments import environment_file

    file = environment_file(env, api_module.environments_dir(loaded, inputs.environments_dir))

    def in_compose(path: tuple[str | int, ...]) -> Location | None:
        return loaded.locate(path[:2]) if path[:1] == ("services",) and len(path) > 1 else None

    if file is None:
        return in_compose
    try:
        source = Source.read(file, what="environment file")
    except TranslatorError:
        return in_compose
    shown = _shown(file)

    def in_file(path: tuple[str | int, ...]) -> Location | None:
        found = source.locate(path)
        return None if found is None else Location(shown, found.line, found.col)

    return in_file


def _shown(file: Path) -> str:
    """Relative to the working folder when under it, as the loader shows compose files."""
    absolute = file.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


