"""Rules about how services are laid out in an environment: artifacts, replicas,
resources and placement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Severity
from translator.lint.rule import Rule, finding, non_local
from translator.locate import setting_path
from translator.targets import get

if TYPE_CHECKING:
    from translator.model import Plan

def unpinned_artifacts(plan: Plan) -> Iterator[Diagnostic]:
    if not non_local(plan):
        return
    for name, planned in plan.services.items():
        artifact = planned.service.artifact
        if artifact is None or artifact.pinned:
            continue
        shown = "untagged" if artifact.tag is None else "tagged latest"
        yield finding(
            "TR001",
            f"environment {plan.environment.name!r} deploys {artifact.reference!r} ({shown})",
            ("services", name, "image"),
            service=name,
            key="image",
            hint="pin a version: `translator pin SERVICE VERSION` or --image SERVICE=TAG",
        )


def single_replica(plan: Plan) -> Iterator[Diagnostic]:
    if not plan.environment.production:
        return
    for name, planned in plan.services.items():
        topology = planned.topology
        if planned.stateful or topology.mode != "replicated":
            continue
        if topology.effective_replicas >= 2:
            continue
        yield finding(
            "TR002",
            f"stateless service runs {topology.effective_replicas} replica(s) in production "
            f"environment {plan.environment.name!r}",
            setting_path(plan, name, "replicas", ("services", name, "deploy", "replicas")),
            service=name,
            key="deploy",
            hint="set replicas: 2 or more, or stateful: true if it keeps state",
        )


def missing_limits(plan: Plan) -> Iterator[Diagnostic]:
    if not non_local(plan):
        return
    for name, planned in plan.services.items():
        limits = planned.topology.resources.limits
        if limits.cpus is not None or limits.memory is not None:
            continue
        yield finding(
            "TR003",
            f"no CPU or memory limit in environment {plan.environment.name!r}",
            setting_path(plan, name, "resources", ("services", name, "deploy", "resources")),
            service=name,
            key="deploy",
            hint="set resources.limits in the environment's defaults or for this service",
        )


def unsupported_placement(plan: Plan) -> Iterator[Diagnostic]:
    platform = plan.environment.platform
    unhonoured = get(platform).unhonoured_strategies
    for name, planned in plan.services.items():
        strategy = planned.topology.placement.strategy
        reason = unhonoured.get(strategy) if strategy is not None else None
        if reason is None:
            continue
        yield finding(
            "TR009",
            f"placement strategy {strategy} cannot be honoured on {platform} ({reason}) "
            f"in environment {plan.environment.name!r}",
            setting_path(plan, name, "strategy", ("services", name, "deploy", "placement")),
            service=name,
            key="deploy",
            hint="use strategy: spread, or constraints to choose nodes",
        )


RULES = (
    Rule(
        "TR001",
        "unpinned-artifact",
        "Outside local, deploy a pinned image (tag other than latest, or digest): "
        "one artifact for all environments.",
        Severity.WARNING,
        unpinned_artifacts,
    ),
    Rule(
        "TR002",
        "single-replica-in-production",
        "A stateless service in production needs at least 2 replicas to survive a node loss "
        "or a rollout.",
        Severity.WARNING,
        single_replica,
    ),
    Rule(
        "TR003",
        "missing-resource-limits",
        "Outside local, every service needs CPU or memory limits so one cannot starve the "
        "others.",
        Severity.WARNING,
        missing_limits,
    ),
    Rule(
        "TR009",
        "unsupported-placement",
        "A placement strategy the environment's platform cannot honour (binpack on Swarm or "
        "Marathon) is silently dropped.",
        Severity.WARNING,
        unsupported_placement,
    ),
)
