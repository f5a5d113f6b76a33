"""Kompose's labels: the pod-level ones read here, and the check that every ``kompose.*``
label a service carries is one the target knows (a label nobody reads would otherwise
vanish without a word).

Users migrating from Kompose keep these labels; the environment file is where topology
belongs, the labels are the migration path. The table of every label and what reads it
is ``LABELS`` in :mod:`.keys`.
https://kompose.io/user-guide/#labels
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from translator.model import PlannedService
from translator.targets.base import handling_of, note_of
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import DNS1123_SUBDOMAIN_RE, dns_name
from translator.targets.kubernetes.resources import parse_quantity

PREFIX = "kompose."
# https://kubernetes.io/docs/concepts/services-networking/service/#traffic-policies
TRAFFIC_POLICIES = {"cluster": "Cluster", "local": "Local"}
NODE_PORTS = range(30000, 32768)


def warn_label(ctx: Context, planned: PlannedService, label: str, message: str) -> None:
    """A Kompose label that is lost or misused: the warning names the label and points at it."""
    ctx.warn(planned.name, "labels", f"{label}: {message}", label)


def label_int(
    ctx: Context, planned: PlannedService, suffix: str, low: int, high: int | None = None
) -> int | None:
    """An integer label within [low, high], else None with a warning naming the label."""
    raw = ctx.kompose(planned, suffix)
    if raw is None:
        return None
    text = raw.strip()
    value = int(text) if text.lstrip("-").isdigit() else None
    if value is None or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        warn_label(ctx, planned, PREFIX + suffix, f"{raw!r} is not an integer {bound}; ignored")
        return None
    return value


def label_choice(
    ctx: Context, planned: PlannedService, suffix: str, choices: dict[str, str]
) -> str | None:
    """A label whose value is one of ``choices`` (keys lower-case), case-insensitively."""
    raw = ctx.kompose(planned, suffix)
    if raw is None:
        return None
    found = choices.get(raw.strip().lower())
    if found is None:
        allowed = ", ".join(sorted(set(choices.values())))
        warn_label(ctx, planned, PREFIX + suffix, f"{raw!r} is not one of {allowed}; ignored")
    return found


def labels_handler(ctx: Context, unit: Unit) -> None:
    """Every ``kompose.*`` label is read by a handler or reported: unknown labels by name,
    with the nearest known one; labels this target cannot honour with the reason."""
    planned = unit.planned
    table = ctx.target.labels
    for label in sorted(planned.service.labels):
        if not label.startswith(PREFIX):
            continue
        entry = table.get(label)
        if entry is None:
            near = difflib.get_close_matches(label, list(table), n=1, cutoff=0.8)
            hint = f" (did you mean {near[0]}?)" if near else ""
            _drop(ctx, planned, label, f"not a Kompose label this tool knows{hint}; ignored")
        elif handling_of(entry) != "mapped":
            _drop(ctx, planned, label, note_of(entry, ctx.target.name))


def _drop(ctx: Context, planned: PlannedService, label: str, message: str) -> None:
    ctx.target.lost(ctx.diagnostics, planned.name, "labels", f"{label}: {message}",
                    path=("services", planned.name, "labels", label))


def fs_group_handler(ctx: Context, unit: Unit) -> None:
    """kompose.security-context.fsgroup -> the pod's securityContext.fsGroup."""
    group = label_int(ctx, unit.planned, "security-context.fsgroup", 0, 2**31 - 1)
    if group is None:
        return
    unit.values["pod_security_context"] = {**(unit.values["pod_security_context"] or {}),
                                           "fsGroup": group}


def service_account_handler(ctx: Context, unit: Unit) -> None:
    """kompose.serviceaccount-name -> the pod's serviceAccountName."""
    planned = unit.planned
    name = ctx.kompose(planned, "serviceaccount-name") or planned.service_account
    if not name:
        return
    if len(name) > 253 or not DNS1123_SUBDOMAIN_RE.match(name):
        ctx.warn(planned.name, "labels", f"service account {name!r} is not a DNS subdomain "
                 "name; the namespace's default account is used", PREFIX + "serviceaccount-name")
        return
    unit.values["service_account"] = name


def init_container_handler(ctx: Context, unit: Unit) -> None:
    """kompose.init.containers.name/.image/.command -> an init container, before the
    containers that wait for dependencies."""
    planned = unit.planned
    image = ctx.kompose(planned, "init.containers.image")
    name = ctx.kompose(planned, "init.containers.name")
    command = ctx.kompose(planned, "init.containers.command")
    if image is None and name is None and command is None:
        return
    if not image:
        label = "image" if image is not None else "name" if name is not None else "command"
        warn_label(ctx, planned, f"{PREFIX}init.containers.{label}", "an init container "
                   "needs an image (kompose.init.containers.image); none is added")
        return
    container: dict[str, Any] = {"name": dns_name(name or f"{unit.name}-init"), "image": image}
    if command:
        container["command"] = init_command(command)
    unit.values["init_containers"] = [container, *(unit.values["init_containers"] or [])]


def init_command(raw: str) -> list[str]:
    """A JSON list (``["printenv"]``), as Kompose's guide writes it; other text runs in a
    shell, as compose runs a string command."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and parsed and all(isinstance(p, str) for p in parsed):
        return parsed
    return ["sh", "-c", raw]


def ephemeral_storage_handler(ctx: Context, unit: Unit) -> None:
    """kompose.ephemeral-storage.request/.limit -> the container's ephemeral-storage
    request and limit."""
    planned = unit.planned
    found: dict[str, str] = {}
    for part, group in (("request", "requests"), ("limit", "limits")):
        label = f"ephemeral-storage.{part}"
        raw = ctx.kompose(planned, label)
        if raw is None:
            continue
        if parse_quantity(raw.strip()) is None:
            warn_label(ctx, planned, PREFIX + label, f"{raw!r} is not a quantity such as "
                       "1Gi; ignored")
            continue
        found[group] = raw.strip()
    if "requests" in found and "limits" in found and \
            parse_quantity(found["requests"]) > parse_quantity(found["limits"]):  # type: ignore[operator]
        warn_label(ctx, planned, PREFIX + "ephemeral-storage.request", "the request exceeds "
                   "the limit; only the limit is applied")
        del found["requests"]
    if not found:
        return
    resources = {k: dict(v) for k, v in (unit.values["resources"] or {}).items()}
    for group, value in found.items():
        resources.setdefault(group, {})["ephemeral-storage"] = value
    unit.values["resources"] = resources


def host_port_handler(ctx: Context, unit: Unit) -> None:
    """kompose.controller.port.expose -> hostPort on each published container port."""
    planned = unit.planned
    raw = ctx.kompose(planned, "controller.port.expose")
    if raw is None or raw.strip().lower() == "false":
        return
    if raw.strip().lower() != "true":
        warn_label(ctx, planned, PREFIX + "controller.port.expose", f"{raw!r} is not true or "
                   "false; ignored")
        return
    published = {(p.target, p.protocol.upper()): number for p, number in unit.ports
                 if p.published is not None}
    ports = [dict(p) for p in unit.values["ports"] or []]
    for port in ports:
        number = published.get((port["containerPort"], port["protocol"]))
        if number is not None:
            port["hostPort"] = number
    unit.values["ports"] = ports or None


def service_policy_handler(ctx: Context, unit: Unit) -> None:
    """kompose.service.external-traffic-policy and kompose.service.nodeport.port -> the
    Service's externalTrafficPolicy and nodePort (NodePort and LoadBalancer Services only)."""
    planned = unit.planned
    policy = label_choice(ctx, planned, "service.external-traffic-policy", TRAFFIC_POLICIES)
    node_port = label_int(ctx, planned, "service.nodeport.port", NODE_PORTS.start,
                          NODE_PORTS.stop - 1)
    if policy is None and node_port is None:
        return
    service = unit.values["service"]
    kind = service.get("type") if service else None
    if kind not in ("NodePort", "LoadBalancer"):
        for label, value in (("external-traffic-policy", policy), ("nodeport.port", node_port)):
            if value is not None:
                warn_label(ctx, planned, f"{PREFIX}service.{label}", "applies to NodePort and "
                           "LoadBalancer Services only (kompose.service.type or exposure); "
                           "ignored")
        return
    service = dict(service)
    if policy is not None:
        service["external_traffic_policy"] = policy
    if node_port is not None:
        ports = [dict(p) for p in service["ports"]]
        if len(ports) > 1:
            warn_label(ctx, planned, PREFIX + "service.nodeport.port", "the Service has "
                       f"{len(ports)} ports; the node port is given to the first only")
        ports[0]["nodePort"] = node_port
        service["ports"] = ports
    unit.values["service"] = service
