"""Placement: constraints, spread and binpack as node selectors, affinity and spread constraints.

https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
"""

from __future__ import annotations

from typing import Any

from translator.model import Constraint, PlannedService
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import (
    PART_OF_LABEL,
    is_label_value,
    is_qualified_name,
    label_value,
)

HOSTNAME_KEY = "kubernetes.io/hostname"
# Swarm node attributes with a well-known Kubernetes node label.
WELL_KNOWN = {
    "node.hostname": HOSTNAME_KEY,
    "node.platform.os": "kubernetes.io/os",
    "node.platform.arch": "kubernetes.io/arch",
}
# Docker reports `uname -m`; Kubernetes labels use GOARCH names.
ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"}


def node_key(attribute: str) -> str | None:
    """The node label for a Swarm attribute: node.labels.X -> X, node.hostname -> hostname."""
    if attribute in WELL_KNOWN:
        return WELL_KNOWN[attribute]
    for prefix in ("node.labels.", "engine.labels."):
        if attribute.startswith(prefix):
            key = attribute[len(prefix):]
            return key if is_qualified_name(key) else None
    return None


def _term(ctx: Context, planned: PlannedService, constraint: Constraint) -> tuple[str, str] | None:
    key = node_key(constraint.key)
    value = constraint.value
    if key == "kubernetes.io/arch":
        value = ARCH.get(value, value)
    if key is None or not is_label_value(value):
        ctx.warn(planned.name, "deploy", f"constraint {constraint} has no node label "
                 "equivalent; it is dropped", "placement", "constraints")
        return None
    if constraint.key.startswith("engine.labels."):
        ctx.warn(planned.name, "deploy", f"constraint {constraint}: engine labels are read as "
                 "node labels", "placement", "constraints")
    return key, value


def placement_handler(ctx: Context, unit: Unit) -> None:
    """platform and deploy.placement -> nodeSelector, affinity, topologySpreadConstraints."""
    found = placement(ctx, unit.planned, unit.selector)
    unit.values["node_selector"] = found.get("nodeSelector")
    unit.values["affinity"] = found.get("affinity")
    unit.values["topology_spread_constraints"] = found.get("topologySpreadConstraints")


def placement(ctx: Context, planned: PlannedService, selector: dict[str, str]) -> dict[str, Any]:
    """nodeSelector (==), nodeAffinity (!=), topologySpreadConstraints and pod affinity."""
    place = planned.topology.placement
    node_selector: dict[str, str] = {}
    not_in: list[dict[str, Any]] = []
    for constraint in place.constraints:
        term = _term(ctx, planned, constraint)
        if term is None:
            continue
        if constraint.op == "==":
            node_selector[term[0]] = term[1]
        else:
            not_in.append({"key": term[0], "operator": "NotIn", "values": [term[1]]})
    node_selector = {**_platform(ctx, planned), **node_selector}
    out: dict[str, Any] = {}
    if node_selector:
        out["nodeSelector"] = dict(sorted(node_selector.items()))
    affinity: dict[str, Any] = {}
    if not_in:
        affinity["nodeAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": not_in}]}}
    if place.strategy == "binpack":
        affinity["podAffinity"] = _binpack(ctx, planned)
    if affinity:
        out["affinity"] = affinity
    spread = _spread(ctx, planned, selector)
    if spread:
        out["topologySpreadConstraints"] = spread
    if place.max_replicas_per_node is not None:
        ctx.warn(planned.name, "deploy", "max_replicas_per_node has no exact equivalent; it is "
                 "dropped (topologySpreadConstraints bound skew, not count)",
                 "placement", "max_replicas_per_node")
    return out


def _platform(ctx: Context, planned: PlannedService) -> dict[str, str]:
    """``platform: linux/arm64`` -> the well-known node labels kubernetes.io/os and /arch.

    https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-arch
    """
    platform = planned.service.platform
    if not platform:
        return {}
    os_name, _, rest = platform.lower().partition("/")
    arch = ARCH.get(rest.split("/")[0], rest.split("/")[0])
    out = {"kubernetes.io/os": os_name}
    if arch:
        out["kubernetes.io/arch"] = arch
    if not all(is_label_value(v) for v in out.values()):
        ctx.warn(planned.name, "platform", f"platform {platform!r} is not os[/arch]; ignored")
        return {}
    if "/" in rest:
        ctx.warn(planned.name, "platform", f"the variant in {platform!r} has no node label")
    return out


def _binpack(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    """Binpack approximated: prefer nodes already running pods of the same project."""
    ctx.warn(planned.name, "deploy", "binpack is approximated by a preferred pod affinity to "
             "the project's pods on the same node; the scheduler does not pack by free resources",
             "placement", "strategy")
    return {"preferredDuringSchedulingIgnoredDuringExecution": [{
        "weight": 100,
        "podAffinityTerm": {
            "topologyKey": HOSTNAME_KEY,
            "labelSelector": {"matchLabels": {PART_OF_LABEL: _project_label(ctx)}},
        },
    }]}


def _project_label(ctx: Context) -> str:
    return label_value(ctx.plan.project.name)


def _spread(
    ctx: Context, planned: PlannedService, selector: dict[str, str]
) -> list[dict[str, Any]]:
    place = planned.topology.placement
    attributes = list(place.spread_over)
    if place.strategy == "spread" and not attributes:
        attributes.append(ctx.plan.environment.spread_key)
    out: list[dict[str, Any]] = []
    for attribute in dict.fromkeys(attributes):
        key = node_key(attribute)
        if key is None:
            ctx.warn(planned.name, "deploy", f"spread over {attribute!r} has no node label "
                     "equivalent; it is dropped", "placement", "preferences")
            continue
        # ScheduleAnyway: Swarm's spread is a preference, never a reason not to schedule.
        out.append({"maxSkew": 1, "topologyKey": key, "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": selector}})
    return out
