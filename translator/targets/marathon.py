"""The Marathon target: one group (PUT /v2/groups) or one app per service, Marathon 1.5+.

Output follows the 1.5 networking API and Marathon 1.7's published schema (no ``tty``,
``check`` or ``role``). Layout: ``options.flag("marathon_layout")`` is ``"group"``
(default) or ``"apps"``. App ids are ``/<group>/<service>``, in both layouts, so a
single app deployed with POST /v2/apps lands inside the group.
https://mesosphere.github.io/marathon/docs/application-groups.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from translator.errors import Diagnostics, TranslatorError
from translator.model import Plan, PlannedService
from translator.model.base import seconds_ceil
from translator.targets import marathon_app as app_values
from translator.targets.base import (
    APP_MARKER_LABEL,
    MANAGED_BY,
    Document,
    RenderOptions,
    Target,
    TargetOption,
    diagnose_keys,
)
from translator.targets.marathon_checks import app_ids, check_app, group_id, sanitize_segment
from translator.targets.marathon_keys import KEYS, TARGET_NAME, value_diagnostics, warn
from translator.targets.marathon_net import networking
from translator.targets.marathon_placement import constraints, upgrade_strategy, volumes
from translator.templating import Templates

__all__ = ["KEYS", "TARGET", "MarathonTarget"]

LAYOUTS = ("group", "apps")
# The emitter appends .json (or .yaml with --format yaml) to this.
SUFFIX = ".marathon"


class MarathonTarget(Target):
    name = TARGET_NAME
    description = "Marathon 1.5+ app definitions, as one group (default) or one app each"
    options = (
        TargetOption("marathon_layout", "Marathon output: one group, or one app per service.",
                     choices=("group", "apps"), defaults={"deploy": "apps"}),
    )
    # Marathon's REST API takes JSON; the CLI uses this unless --format says otherwise.
    default_format = "json"
    title = "Marathon"
    unhonoured_strategies: ClassVar[Mapping[str, str]] = {
        "binpack": "Marathon places tasks by resource offer",
    }

    def object_name(self, kind: str, name: str) -> str | None:
        """A service becomes one app id segment."""
        return sanitize_segment(name) if kind == "services" else None

    def render(
        self,
        plan: Plan,
        options: RenderOptions,
        templates: Templates,
        diagnostics: Diagnostics,
    ) -> list[Document]:
        layout = options.flag("marathon_layout") or "group"
        if layout not in LAYOUTS:
            raise TranslatorError.at(
                f"unknown Marathon layout {layout!r}", code="marathon.layout",
                hint="use 'group' or 'apps'",
            )
        group = group_id(plan.namespace)
        # Ids of every project service: a dependency may name one that this run (deploy)
        # does not render but that lives in the group on the server.
        ids = app_ids(group, plan.project.services or plan.services)
        known = set(ids.values())
        apps: list[dict[str, Any]] = []
        for name, planned in plan.services.items():
            diagnose_keys(TARGET_NAME, name, planned.service.source_keys, KEYS, diagnostics)
            value_diagnostics(planned, diagnostics)
            values = _app_values(plan, planned, ids, diagnostics)
            app = templates.render(TARGET_NAME, "app", **values)
            check_app(app, known, ("services", name))
            apps.append(app)
        _shared_volumes(plan, diagnostics)
        if layout == "apps":
            return [
                Document(f"{_file_stem(app['id'])}{SUFFIX}", app, kind="app", name=app["id"])
                for app in apps
            ]
        content = templates.render(TARGET_NAME, "group", id=group, apps=apps)
        return [Document(f"{_file_stem(group)}{SUFFIX}", content, kind="group", name=group)]


def _file_stem(marathon_id: str) -> str:
    """``/shop/prod/web`` -> ``shop.prod.web``: ids hold only [a-z0-9.-], so this is safe."""
    return ".".join(p for p in marathon_id.split("/") if p)


def _app_values(
    plan: Plan, planned: PlannedService, ids: dict[str, str], diagnostics: Diagnostics
) -> dict[str, Any]:
    svc = planned.service
    if svc.artifact is None:
        raise TranslatorError.at(
            f"service {svc.name!r} has no artifact (image) to run on Marathon",
            ("services", svc.name), code="marathon.no-artifact",
            hint="set image:, an artifacts file entry, or --image",
        )
    net = networking(plan, planned, diagnostics)
    vols = volumes(plan, planned, diagnostics)
    command = app_values.command(planned)
    cpus, mem = app_values.resources(planned, diagnostics)
    ports, port_key = (
        (net.port_definitions, "port") if net.port_definitions is not None
        else (net.port_mappings or [], "containerPort")
    )
    return {
        "id": ids[svc.name], "cmd": command.cmd, "args": command.args,
        "user": svc.user if _agent_user(svc.user) else None,
        "instances": app_values.instances(planned), "cpus": cpus, "mem": mem,
        "disk": app_values.DEFAULT_DISK_MIB,
        "image": svc.artifact.reference, "force_pull": svc.pull_policy == "always",
        "privileged": svc.privileged,
        "parameters": _parameters(planned, command.entrypoint, vols.parameters),
        "port_mappings": net.port_mappings, "volumes": vols.volumes, "networks": net.networks,
        "port_definitions": net.port_definitions, "require_ports": net.require_ports,
        "env": app_values.environment(planned),
        "labels": {**app_values.labels(planned, net.labels, plan.environment.labels),
                   APP_MARKER_LABEL: MANAGED_BY},
        "constraints": constraints(plan, planned, diagnostics),
        "health_checks": app_values.health_checks(planned, ports, port_key, diagnostics),
        "dependencies": _dependencies(planned, ids, diagnostics),
        "upgrade_strategy": upgrade_strategy(planned, vols.resident),
        **_lifecycle(planned),
    }


def _lifecycle(planned: PlannedService) -> dict[str, Any]:
    backoff_seconds, backoff_factor = app_values.backoff(planned)
    grace = planned.service.stop_grace_period
    return {
        "backoff_seconds": backoff_seconds,
        "backoff_factor": backoff_factor,
        "kill_grace_seconds": None if grace is None else seconds_ceil(grace),
    }


def _parameters(
    planned: PlannedService, entrypoint: str | None, extra: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Docker CLI parameters for what the app definition has no field for.
    https://mesosphere.github.io/marathon/docs/native-docker.html#privileged-mode-and-arbitrary-docker-options
    """
    out: list[dict[str, str]] = []
    if entrypoint is not None:
        out.append({"key": "entrypoint", "value": entrypoint})
    if planned.service.working_dir is not None:
        out.append({"key": "workdir", "value": planned.service.working_dir})
    if planned.service.init:
        out.append({"key": "init", "value": "true"})
    user = planned.service.user
    if user is not None and not _agent_user(user):
        out.append({"key": "user", "value": user})
    return [*out, *extra]


def _agent_user(user: str | None) -> bool:
    """Marathon's ``user`` names an account Mesos looks up on the agent, so only a plain
    name goes there; a uid or ``user:group`` form goes to ``docker run --user``, which
    takes every form compose does.
    https://docs.docker.com/reference/cli/docker/container/run/#user
    """
    return user is not None and ":" not in user and not user.isdigit()


def _dependencies(
    planned: PlannedService, ids: dict[str, str], diagnostics: Diagnostics
) -> list[str]:
    """depends_on -> absolute app ids. Marathon orders deployments by them and waits for
    dependencies to be healthy (when they have health checks) or running."""
    out: list[str] = []
    for name, dep in planned.service.depends_on.items():
        if name not in ids and not dep.required:
            # Compose skips an optional dependency that is not in the project (profiles).
            warn(diagnostics, planned.name, "depends_on",
                 f"optional dependency {name!r} is not in the project and is left out")
            continue
        if name not in ids:
            raise TranslatorError.at(
                f"depends_on names {name!r}, which is not a service of the project",
                ("services", planned.name, "depends_on", name), code="marathon.dependency",
            )
        if dep.condition == "service_completed_successfully":
            warn(diagnostics, planned.name, "depends_on",
                 f"condition service_completed_successfully on {name!r} is approximated: "
                 "Marathon waits for the app to run, not to finish", code="approximated")
        out.append(ids[name])
    return out


def _shared_volumes(plan: Plan, diagnostics: Diagnostics) -> None:
    """A local persistent volume belongs to one task: services sharing one lose that."""
    users: dict[str, list[str]] = {}
    for name, planned in plan.services.items():
        for mount in planned.service.volumes:
            if mount.type == "volume" and mount.source:
                users.setdefault(mount.source, []).append(name)
    for volume, services in users.items():
        for name in services[1:] if len(services) > 1 else ():
            warn(diagnostics, name, "volumes",
                 f"volume {volume!r} is shared with {services[0]!r}: each Marathon app gets "
                 "its own local persistent volume")


TARGET = MarathonTarget()
