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
from typing import Any, ClassVar

from translator.errors import Diagnostics
from translator.model import Plan, PlannedService
from translator.targets.base import (
    MANAGED_BY,
    Document,
    RenderOptions,
    Target,
    diagnose_keys,
)
from translator.targets.swarm_deploy import deploy_section
from translator.targets.swarm_keys import KEYS
from translator.targets.swarm_resources import (
    file_objects,
    networks_used,
    render_networks,
    render_volumes,
)
from translator.targets.swarm_service import service_values
from translator.targets.swarm_util import TARGET_NAME, escape_dollars, invalid, lost
from translator.templating import Templates

__all__ = ["KEYS", "TARGET", "SwarmTarget"]

STACK_VERSION = "3.13"
# swarmkit accepts a service name that is a DNS name component, at most 63 characters,
# once prefixed with "<stack>_" (docker/cli convert.AddStackLabel / Namespace.Scope).
# One alphanumeric per repetition: "(?:[-_]*[a-zA-Z0-9]+)*" backtracked exponentially on a
# long name with one bad character (found by the swarm fuzzer).
_DNS_COMPONENT = re.compile(r"^[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9])*$")
_MAX_NAME = 63


class SwarmTarget(Target):
    """Renders a plan into one stack file; stateless, so one instance serves every run."""

    name = TARGET_NAME
    description: str = "Docker Swarm stack file for docker stack deploy (compose v3.13)"
    options = ()
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
        secrets, bad_secrets = file_objects(plan, "secrets", used, project_dir, diagnostics)
        configs, bad_configs = file_objects(plan, "configs", used, project_dir, diagnostics)
        _drop_references(services, "secrets", bad_secrets, diagnostics)
        _drop_references(services, "configs", bad_configs, diagnostics)
        content = templates.render(
            TARGET_NAME,
            "stack",
            version=STACK_VERSION,
            managed_by=MANAGED_BY,
            services=services,
            networks=escape_dollars(render_networks(plan, networks_used(used), diagnostics))
            or None,
            volumes=escape_dollars(render_volumes(plan, used, diagnostics)) or None,
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
        name = planned.name
        check_name(plan.namespace, name)
        diagnose_keys(TARGET_NAME, name, planned.service.source_keys, KEYS, diagnostics)
        environment_losses(planned, diagnostics)
        values = service_values(planned.service, diagnostics)
        values["deploy"] = deploy_section(planned, plan.environment, diagnostics)
        return templates.render(TARGET_NAME, "service", **escape_dollars(values))


# What an environment's exposure becomes: Swarm publishes ports through its routing mesh on
# every node (https://docs.docker.com/engine/swarm/ingress/) and has no HTTP ingress.
_EXPOSURE_LOSS = {
    "load-balancer": (
        "approximated",
        "exposure load-balancer is approximated: the routing mesh "
        "publishes the ports on every node; put a load balancer in front",
    ),
    "ingress": (
        "dropped",
        "exposure ingress (host, path, TLS) is dropped: Swarm has no HTTP "
        "ingress; the ports are published as the compose file says",
    ),
}


def environment_losses(planned: PlannedService, diagnostics: Diagnostics) -> None:
    """Environment settings of one service that a stack file cannot carry."""
    name = planned.name
    if planned.annotations:
        message = "the environment's annotations are dropped: Swarm services have none"
        lost(diagnostics, name, "annotations", message, ("services", name, "annotations"))
    loss = _EXPOSURE_LOSS.get(planned.exposure.type)
    if loss is not None:
        handling, message = loss
        lost(
            diagnostics,
            name,
            "exposure",
            message,
            ("services", name, "exposure"),
            handling=handling,
        )


def sanitize(name: str) -> str:
    """A file-name-safe stem: letters, digits, ``.``, ``_`` and ``-`` only, never dot-leading."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).lstrip(".-") or "stack"


def check_name(stack: str, name: str) -> None:
    """Refuse service names the manager refuses ("name must be valid as a DNS name component").

    The manager checks the scoped name ``<stack>_<service>`` (the stack being the plan's
    namespace), so a leading ``-`` passes but a dot or a trailing ``-`` does not.
    """
    scoped = f"{stack}_{name}"
    if not _DNS_COMPONENT.match(scoped):
        raise invalid(
            f"service name {scoped!r} is not a DNS label: Swarm refuses it",
            ("services", name),
            hint="use letters, digits, '-' and '_', ending with a letter or digit",
        )
    if len(scoped) > _MAX_NAME:
        raise invalid(
            f"service name {scoped!r} is longer than {_MAX_NAME} characters",
            ("services", name),
            hint="Swarm names a stack's services <stack>_<service>; shorten either",
        )


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
            lost(
                diagnostics,
                name,
                kind,
                f"{kind[:-1]} {ref['source']} is not mounted: Swarm cannot create it",
                ("services", name, kind),
            )
        if kept:
            service[kind] = kept
        else:
            service.pop(kind, None)


TARGET = SwarmTarget()
