"""The Marathon target: one group (PUT /v2/groups) or one app per service, Marathon 1.5+.

Output follows the 1.5 networking API and Marathon 1.7's published schema (no ``tty``,
``check`` or ``role``). Layout: ``options.flag("marathon_layout")`` is ``"group"``
(default) or ``"apps"``. App ids are ``/<group>/<service>``, in both layouts, so a
single app deployed with POST /v2/apps lands inside the group.
https://mesosphere.github.io/marathon/docs/application-groups.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from translator.errors import Diagnostics, TranslatorError
from translator.model import Plan, PlannedService
from translator.targets.base import Document, Handler, RenderOptions, Target, TargetOption
from translator.targets.marathon import keys as table
from translator.targets.marathon.app import DEFAULT_DISK_MIB
from translator.targets.marathon.checks import (
    app_ids,
    app_segment,
    check_app,
    group_id,
    report_renamed,
)
from translator.targets.marathon.context import TARGET_NAME, AppContext, Values

if TYPE_CHECKING:
    # Only a type here: importing the templating module loads Jinja, which `--help`
    # (it imports the targets for their flags) must not.
    from translator.templating import Templates

LAYOUTS = ("group", "apps")
# The emitter appends .json (or .yaml with --format yaml) to this.
SUFFIX = ".marathon"
# Every value templates/marathon/app.yaml.j2 takes, with its value when no handler sets it.
APP_VALUES: Values = {
    "cmd": None, "args": None, "user": None, "instances": None, "cpus": None, "mem": None,
    "disk": DEFAULT_DISK_MIB, "image": None, "force_pull": False, "privileged": None,
    "parameters": None, "port_mappings": None, "volumes": None, "networks": None,
    "port_definitions": None, "require_ports": False, "env": None, "labels": None,
    "constraints": None, "health_checks": None, "dependencies": None, "upgrade_strategy": None,
    "backoff_seconds": None, "backoff_factor": None, "kill_grace_seconds": None,
    # What one handler leaves for another (docker_parameters, upgrade_strategy).
    "entrypoint_parameter": None, "workdir_parameter": None, "init_parameter": None,
    "user_parameter": None, "volume_parameters": [], "resident": False,
    "container_type": "DOCKER",
}  # fmt: skip


class MarathonTarget(Target):
    """Renders a plan into one group or one app per service; stateless."""

    name = TARGET_NAME
    layout = "one <group>.marathon.json (PUT /v2/groups), or one <app>.marathon.json per service"
    options = (
        TargetOption("marathon_layout", "Marathon output: one group, or one app per service.",
                     choices=LAYOUTS, defaults={"deploy": "apps"}),
    )
    # Marathon's REST API takes JSON; the CLI uses this unless --format says otherwise.
    default_format = "json"
    keys = table.KEYS
    settings = table.SETTINGS
    title = "Marathon"
    unhonoured_strategies: ClassVar[Mapping[str, str]] = {
        "binpack": "Marathon places tasks by resource offer",
    }

    def __init__(self) -> None:
        self._order = table.run_order()

    def object_name(self, kind: str, name: str) -> str | None:
        """A service becomes one app id segment."""
        return app_segment(name) if kind == "services" else None

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
        report_renamed(plan.services, diagnostics, group)
        apps: list[dict[str, Any]] = []
        for name, planned in plan.services.items():
            ctx = AppContext(self, plan, planned, diagnostics, ids, {**APP_VALUES, "id": ids[name]})
            for handler in self._run(planned, diagnostics):
                ctx.values.update(handler(ctx))
            app = templates.render(TARGET_NAME, "app", **ctx.values)
            check_app(app, known, ("services", name))
            apps.append(app)
        _shared_volumes(self, plan, diagnostics)
        if layout == "apps":
            return [
                Document(f"{_file_stem(app['id'])}{SUFFIX}", app, kind="app", name=app["id"])
                for app in apps
            ]
        content = templates.render(TARGET_NAME, "group", id=group, apps=apps)
        return [Document(f"{_file_stem(group)}{SUFFIX}", content, kind="group", name=group)]

    def _run(self, planned: PlannedService, diagnostics: Diagnostics) -> list[Handler]:
        """The handlers of the keys the service uses (their losses reported) and those every
        app runs, in run order."""
        found = set(self.handlers(planned.name, planned.service.source_keys, diagnostics))
        found |= table.ALWAYS
        return [h for h in self._order if h in found]


def _file_stem(marathon_id: str) -> str:
    """``/shop/prod/web`` -> ``shop.prod.web``: ids hold only [a-z0-9.-], so this is safe."""
    return ".".join(p for p in marathon_id.split("/") if p)


def _shared_volumes(target: Target, plan: Plan, diagnostics: Diagnostics) -> None:
    """A local persistent volume belongs to one task: services sharing one lose that."""
    users: dict[str, list[str]] = {}
    for name, planned in plan.services.items():
        for mount in planned.service.volumes:
            if mount.type == "volume" and mount.source:
                users.setdefault(mount.source, []).append(name)
    for volume, services in users.items():
        for name in services[1:] if len(services) > 1 else ():
            target.lost(diagnostics, name, "volumes",
                        f"volume {volume!r} is shared with {services[0]!r}: each Marathon app "
                        "gets its own local persistent volume")


TARGET = MarathonTarget()
