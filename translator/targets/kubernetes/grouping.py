"""Services that share one pod: ``network_mode: service:X`` (the containers share X's
network namespace, which on Kubernetes only the containers of one pod do) and Kompose's
``kompose.service.group`` (or the environment's ``pod``).

The pod belongs to a host service: X for network_mode, the first service of a group by
name. Each member's container joins the host's pod template; its volumes and init
containers join the pod's; its Service, Ingress and ConfigMaps are still made, and select
the host's pods. Pod-level settings (replicas, hostname, DNS, placement...) are the host's.
https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
https://kompose.io/user-guide/#komposeservicegroup
"""

from __future__ import annotations

from typing import Any

from translator.model import PlannedService
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.kompose import PREFIX, warn_label
from translator.targets.kubernetes.names import dns_name, join_name
from translator.targets.kubernetes.network import NETWORK_LABEL

GROUP_LABEL = PREFIX + "service.group"
# The container's own fields, by template value (templates/kubernetes/_pod.yaml.j2).
CONTAINER_FIELDS = (
    ("image", "image"), ("image_pull_policy", "imagePullPolicy"), ("command", "command"),
    ("args", "args"), ("working_dir", "workingDir"), ("env", "env"), ("env_from", "envFrom"),
    ("ports", "ports"), ("resources", "resources"), ("liveness_probe", "livenessProbe"),
    ("startup_probe", "startupProbe"), ("readiness_probe", "readinessProbe"),
    ("lifecycle", "lifecycle"), ("security_context", "securityContext"),
    ("volume_mounts", "volumeMounts"), ("tty", "tty"), ("stdin", "stdin"),
)
# Pod-level values a member cannot bring into the host's pod.
POD_FIELDS = ("hostname", "subdomain", "termination_grace_period", "host_aliases",
              "pod_security_context", "dns_config", "host_network", "node_selector",
              "affinity", "topology_spread_constraints", "service_account", "replicas")


def pod_group_handler(ctx: Context, unit: Unit) -> None:
    """pod (kompose.service.group) -> the containers of the services naming one pod run in
    one pod; the renderer joins them (pod_groups, join_pod)."""


def group_of(planned: PlannedService) -> str | None:
    """The pod group the environment (``pod``) or Kompose's label names."""
    return planned.pod or planned.service.labels.get(GROUP_LABEL) or None


def pod_groups(ctx: Context) -> dict[str, list[str]]:
    """host service -> the services whose containers run in its pod (by name)."""
    services = ctx.plan.services
    host_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for name in sorted(services):
        group = group_of(services[name])
        if group:
            groups.setdefault(group, []).append(name)
    for group, names in groups.items():
        if len(names) == 1:
            message = (f"pod group {group!r} has no other service; the service keeps a pod "
                       "of its own")
            if services[names[0]].pod:
                ctx.warn(names[0], "pod", message)
            else:
                warn_label(ctx, services[names[0]], GROUP_LABEL, message)
        host_of.update((member, names[0]) for member in names[1:])
    for name in sorted(services):
        mode = services[name].service.network_mode or ""
        if mode.startswith("service:") and name not in host_of:
            host = mode.removeprefix("service:")
            if host in services:
                host_of[name] = host
    out: dict[str, list[str]] = {}
    for member in sorted(host_of):
        host = _root(host_of, member)
        if host != member:
            out.setdefault(host, []).append(member)
    return out


def _root(host_of: dict[str, str], name: str) -> str:
    """The service whose pod ``name`` ends up in (a member of a member joins the host)."""
    seen = {name}
    while name in host_of and host_of[name] not in seen:
        name = host_of[name]
        seen.add(name)
    return name


def join_pod(ctx: Context, host: Unit, members: list[Unit]) -> None:
    """Add each member's container, volumes and init containers to the host's pod."""
    values = host.values
    in_pod = {host.planned.name, *(m.planned.name for m in members)}
    waits = {join_name("wait-for", ctx.names.get(n, dns_name(n))) for n in in_pod}
    sidecars: list[dict[str, Any]] = []
    volumes = {v["name"]: v for v in values["volumes"] or []}
    inits = list(values["init_containers"] or [])
    taken = {(p["containerPort"], p["protocol"]) for p in values["ports"] or []}
    for member in members:
        _pod_level_losses(ctx, host, member)
        taken = _port_clashes(ctx, host, member, taken)
        sidecars.append(container_of(member))
        for volume in member.values["volumes"] or []:
            volumes.setdefault(volume["name"], volume)
        inits.extend(c for c in member.values["init_containers"] or []
                     if c["name"] not in {i["name"] for i in inits})
        if not (member.planned.service.network_mode or "").startswith("service:"):
            values["pod_labels"] = {**{k: v for k, v in member.values["pod_labels"].items()
                                       if k.startswith(NETWORK_LABEL)}, **values["pod_labels"]}
        ctx.info(member.planned.name, "labels" if group_of(member.planned) else "network_mode",
                 f"runs as container {member.name!r} in the pod of {host.planned.name}")
    # Containers of one pod start together: waiting for each other would never end.
    values["init_containers"] = [c for c in inits if c["name"] not in waits] or None
    values["volumes"] = list(volumes.values()) or None
    values["sidecars"] = sidecars


def _port_clashes(
    ctx: Context, host: Unit, member: Unit, taken: set[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Containers of one pod share its ports: two listening on one port cannot both run."""
    ports = {(p["containerPort"], p["protocol"]) for p in member.values["ports"] or []}
    for number, protocol in sorted(ports & taken):
        ctx.warn(member.planned.name, "ports", f"port {number}/{protocol} is also a port of "
                 f"another container in the pod of {host.planned.name}; one of them cannot "
                 "listen on it")
    return taken | ports


def container_of(unit: Unit) -> dict[str, Any]:
    """The member's container, as the pod template writes the service's own."""
    out: dict[str, Any] = {"name": unit.name}
    for value, field in CONTAINER_FIELDS:
        if unit.values.get(value) not in (None, [], {}):
            out[field] = unit.values[value]
    return out


def _pod_level_losses(ctx: Context, host: Unit, member: Unit) -> None:
    differing = [f for f in POD_FIELDS
                 if member.values.get(f) not in (None, {}, [], host.values.get(f))]
    if differing:
        key = "labels" if group_of(member.planned) else "network_mode"
        message = (f"runs in the pod of {host.planned.name}, whose pod settings apply: its own "
                   f"{', '.join(differing)} are not applied")
        if key == "labels":
            warn_label(ctx, member.planned, GROUP_LABEL, message)
        else:
            ctx.warn(member.planned.name, key, message)
