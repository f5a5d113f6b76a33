"""The Docker Swarm target: one v3.13 stack file for ``docker stack deploy``.

A compose file is not a stack file: Swarm reads the v3 format only and ignores or refuses
many compose-spec keys (https://docs.docker.com/reference/cli/docker/stack/deploy/).
This target writes only what Swarm honours, translates compose-spec forms that have a
Swarm equivalent, and reports everything else as a diagnostic.

Secret and config ``file:`` paths stay as written, relative to the project folder.
``docker stack deploy`` resolves them against the stack file's folder, so the stack file
works beside the compose file. When it is written elsewhere, the caller passes the
relative path from the output folder to the project folder as the render option
``project_dir`` (e.g. ``..``; the CLI sets it for -o DIR) and it is put in front of
every relative path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from translator.errors import Diagnostics
from translator.model import Plan, PlannedService
from translator.targets.base import MANAGED_BY, Document, Handler, RenderOptions, Target
from translator.targets.swarm import keys as table
from translator.targets.swarm.common import (
    TARGET_NAME,
    ServiceContext,
    StackContext,
    Values,
    check_name,
    escape_dollars,
    invalid,
)
from translator.targets.swarm.resources import (
    file_objects,
    networks_used,
    render_networks,
    render_volumes,
)

if TYPE_CHECKING:
    # Only a type here: importing the templating module loads Jinja, which `--help`
    # (it imports the targets for their flags) must not.
    from translator.templating import Templates

STACK_VERSION = "3.13"
# Every value templates/swarm/service.yaml.j2 takes; a handler that does not run leaves
# its values None, which leaves their keys out.
SERVICE_VALUES: tuple[str, ...] = (
    "image", "command", "entrypoint", "working_dir", "user", "hostname", "environment",
    "labels", "ports", "volumes", "healthcheck", "networks", "secrets", "configs", "cap_add",
    "cap_drop", "sysctls", "ulimits", "logging", "stop_grace_period", "stop_signal",
    "extra_hosts", "dns", "dns_search", "init", "read_only", "tty", "stdin_open",
    "oom_score_adj", "isolation", "credential_spec",
    # deploy:
    "mode", "replicas", "endpoint_mode", "deploy_labels", "limits", "reservations",
    "restart_policy", "update_config", "rollback_config", "constraints", "preferences",
    "max_replicas_per_node",
)  # fmt: skip


class SwarmTarget(Target):
    """Renders a plan into one stack file; stateless, so one instance serves every run."""

    name = TARGET_NAME
    layout = "one <project>.stack.yml for docker stack deploy"
    keys = table.KEYS
    settings = table.SETTINGS

    def __init__(self) -> None:
        self._order = table.run_order()
    title = "Swarm"
    unhonoured_strategies: ClassVar[Mapping[str, str]] = {
        "binpack": "Swarm mode only spreads tasks",
    }

    def object_name(self, kind: str, name: str) -> str | None:
        """Swarm keeps compose's names."""
        return None

    def render(
        self,
        plan: Plan,
        options: RenderOptions,
        templates: Templates,
        diagnostics: Diagnostics,
    ) -> list[Document]:
        services: dict[str, Any] = {}
        for name, planned in plan.services.items():
            services[name] = self._service(plan, planned, templates, diagnostics)
        check_ingress_ports(plan.services.values())
        used = [p.service for p in plan.services.values()]
        project_dir = str(options.flag("project_dir", "") or "")
        stack = StackContext(self, plan, diagnostics)
        secrets, bad_secrets = file_objects(stack, "secrets", used, project_dir)
        configs, bad_configs = file_objects(stack, "configs", used, project_dir)
        _drop_references(services, "secrets", bad_secrets, diagnostics)
        _drop_references(services, "configs", bad_configs, diagnostics)
        content = templates.render(
            TARGET_NAME,
            "stack",
            version=STACK_VERSION,
            managed_by=MANAGED_BY,
            services=services,
            networks=escape_dollars(render_networks(stack, networks_used(used))) or None,
            volumes=escape_dollars(render_volumes(stack, used)) or None,
            secrets=escape_dollars(secrets) or None,
            configs=escape_dollars(configs) or None,
        )
        return [
            Document(
                filename=f"{sanitize(plan.project.name)}.stack.yml",
                content=content,
                kind="stack",
                name=plan.namespace,
            )
        ]

    def _service(
        self, plan: Plan, planned: PlannedService, templates: Templates, diagnostics: Diagnostics
    ) -> dict[str, Any]:
        check_name(plan.namespace, planned.name)
        check_endpoint_mode(planned)
        ctx = ServiceContext(self, plan, planned, diagnostics)
        values: Values = dict.fromkeys(SERVICE_VALUES)
        for handler in self._run(planned, diagnostics):
            values.update(handler(ctx))
        return templates.render(TARGET_NAME, "service", **escape_dollars(values))

    def _run(self, planned: PlannedService, diagnostics: Diagnostics) -> list[Handler]:
        """The handlers of the keys the service uses (their losses reported), those every
        service runs, and the environment's, in run order."""
        found = set(self.handlers(planned.name, planned.service.source_keys, diagnostics))
        found |= table.ALWAYS
        return [h for h in self._order if h in found]


def sanitize(name: str) -> str:
    """A file-name-safe stem: letters, digits, ``.``, ``_`` and ``-`` only, never dot-leading."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).lstrip(".-") or "stack"


def check_ingress_ports(services: Iterable[PlannedService]) -> None:
    """The routing mesh publishes a port once per swarm: two services cannot share it."""
    seen: dict[tuple[int, str], str] = {}
    for planned in services:
        for index, port in enumerate(planned.service.ports):
            if port.mode != "ingress" or port.published is None:
                continue
            key = (port.published.start, port.protocol)
            owner = seen.setdefault(key, planned.name)
            if owner != planned.name:
                raise invalid(
                    f"port {key[0]}/{key[1]} is published in ingress mode by both "
                    f"{owner!r} and {planned.name!r}",
                    ("services", planned.name, "ports", index),
                    hint="publish another port, or use mode: host",
                )


def check_endpoint_mode(planned: PlannedService) -> None:
    """DNS round robin gives a service no virtual IP, and the routing mesh balances behind
    one: swarmkit refuses a port published in ingress mode on a dnsrr service ("EndpointSpec:
    port published with ingress mode can't be used with dnsrr mode", manager/controlapi/
    service.go, validateEndpointSpec), whether or not the port number is given."""
    if planned.topology.endpoint_mode != "dnsrr":
        return
    for index, port in enumerate(planned.service.ports):
        if port.mode == "ingress":
            raise invalid(
                f"port {port.target}/{port.protocol} is published in ingress mode, which "
                "endpoint_mode dnsrr cannot carry: the Swarm manager refuses the service",
                ("services", planned.name, "ports", index),
                hint="publish it with mode: host, or use endpoint_mode: vip",
            )


def _drop_references(
    services: dict[str, Any], kind: str, names: set[str], diagnostics: Diagnostics
) -> None:
    """Remove the uses of secrets/configs that the stack file cannot define."""
    if not names:
        return
    for name, service in services.items():
        refs = service.get(kind) or []
        kept = [r for r in refs if r["source"] not in names]
        for ref in refs:
            if ref["source"] not in names:
                continue
            TARGET.lost(
                diagnostics,
                name,
                kind,
                f"{kind[:-1]} {ref['source']} is not mounted: Swarm cannot create it",
                path=("services", name, kind),
            )
        if kept:
            service[kind] = kept
        else:
            service.pop(kind, None)


TARGET = SwarmTarget()
