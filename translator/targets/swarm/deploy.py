"""The ``deploy:`` section of one Swarm service, from the plan's topology.

Reference: https://docs.docker.com/reference/compose-file/deploy/ (the v3 subset that
``docker stack deploy`` reads). The manager checks a few things the stack schema lets
through; those checks live here so that users see them at render time, with a path.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from translator.errors import Path
from translator.model import ResourceSpec, UpdateConfig
from translator.model.base import MIB, format_duration
from translator.model.topology import RestartPolicy
from translator.targets.swarm.common import (
    ServiceContext,
    Values,
    format_cpus,
    format_size,
    invalid,
)

# swarmkit's controlapi refuses smaller values ("Must be at least 4MiB" / "at least 0.001").
MIN_MEMORY = 4 * MIB
MIN_CPUS = Decimal("0.001")
# Swarm holds CPUs as int64 NanoCPUs (docker/cli opts.NanoCPUs): no more than this.
MAX_CPUS = Decimal(2**63 - 1) / 10**9
_GLOBAL_MODES = ("global", "global-job")
_JOB_MODES = ("replicated-job", "global-job")
# Compose ``restart:`` values: https://docs.docker.com/reference/compose-file/services/#restart
_RESTART = re.compile(r"^(?P<cond>no|always|unless-stopped|on-failure)(?::(?P<max>\d+))?$")
_RESTART_CONDITION = {
    "no": "none",
    "always": "any",
    "unless-stopped": "any",
    "on-failure": "on-failure",
}


def deploy(ctx: ServiceContext) -> Values:
    """the deploy section: mode, replicas, resources, policies and placement"""
    topo = ctx.planned.topology
    # Computed in the order of the compose reference, which is the order of the losses.
    replicas = _replicas(ctx)
    resources = _resources(ctx)
    restart_policy = _restart_policy(ctx)
    updates = _updates(ctx)
    placement = _placement(ctx)
    return {
        "mode": topo.mode,
        "replicas": replicas,
        "endpoint_mode": topo.endpoint_mode,
        "deploy_labels": {**topo.labels, **ctx.planned.labels} or None,
        "limits": resources.get("limits"),
        "reservations": resources.get("reservations"),
        "restart_policy": restart_policy,
        "update_config": updates.get("update_config"),
        "rollback_config": updates.get("rollback_config"),
        "constraints": placement.get("constraints"),
        "preferences": placement.get("preferences"),
        "max_replicas_per_node": placement.get("max_replicas_per_node"),
    }


def _updates(ctx: ServiceContext) -> Values:
    name, topo = ctx.name, ctx.planned.topology
    out: dict[str, Any] = {}
    for key, config in (
        ("update_config", topo.update_config),
        ("rollback_config", topo.rollback_config),
    ):
        if config is None:
            continue
        if topo.mode in _JOB_MODES:
            # swarmkit: "Jobs may not have an update config"; rollback follows update.
            ctx.lost("deploy",
                f"deploy.{key} is dropped: Swarm jobs are never updated in place",
                ("services", name, "deploy", key),
            )
            continue
        # An update_config of defaults only says nothing: the key is left out.
        out[key] = update_config(config) or None
    return out


def _replicas(ctx: ServiceContext) -> int | None:
    name, topo, service = ctx.name, ctx.planned.topology, ctx.service
    if topo.mode in _GLOBAL_MODES:
        if topo.replicas is not None:
            raise invalid(
                f"service {name!r} sets replicas together with mode {topo.mode}",
                ("services", name, "deploy", "replicas"),
                hint="a global service runs one task per node; drop replicas or use replicated",
            )
        if service.scale is not None:
            ctx.lost("scale",
                f"scale is ignored: mode {topo.mode} runs one task per node",
                ("services", name, "scale"),
            )
        return None
    if topo.replicas is not None:
        return topo.replicas
    return service.scale


def _resources(ctx: ServiceContext) -> dict[str, Any]:
    name, service = ctx.name, ctx.service
    res = ctx.planned.topology.resources
    base: Path = ("services", name, "deploy", "resources")
    # Compose-engine keys fill in what deploy.resources does not say:
    # https://docs.docker.com/reference/compose-file/services/#cpus
    limits = _merge(res.limits, service.cpus, service.mem_limit, service.pids_limit)
    reservations = _merge(res.reservations, None, service.mem_reservation, None)
    # Check each value where it was written, so the error points at that line.
    _check_minimums(res.limits, (*base, "limits"))
    _check_minimums(res.reservations, (*base, "reservations"))
    engine_cpus = None if res.limits.cpus is not None else service.cpus
    engine_memory = None if res.limits.memory is not None else service.mem_limit
    if engine_cpus is not None or engine_memory is not None:
        _check_minimums(
            ResourceSpec(cpus=engine_cpus, memory=engine_memory),
            ("services", name),
            cpus_key="cpus",
            memory_key="mem_limit",
        )
    if res.reservations.memory is None and service.mem_reservation is not None:
        _check_minimums(
            ResourceSpec(memory=service.mem_reservation),
            ("services", name),
            memory_key="mem_reservation",
        )
    out: dict[str, Any] = {}
    lim = _spec(ctx, limits, (*base, "limits"), limits=True)
    if lim:
        out["limits"] = lim
    rsv = _spec(ctx, reservations, (*base, "reservations"), limits=False)
    if rsv:
        out["reservations"] = rsv
    return out


def _merge(
    spec: ResourceSpec, cpus: Decimal | None, memory: int | None, pids: int | None
) -> ResourceSpec:
    if (
        (spec.cpus is not None or cpus is None)
        and (spec.memory is not None or memory is None)
        and (spec.pids is not None or pids is None)
    ):
        return spec  # nothing to fill in: a copy would be equal
    return spec.model_copy(
        update={
            "cpus": spec.cpus if spec.cpus is not None else cpus,
            "memory": spec.memory if spec.memory is not None else memory,
            "pids": spec.pids if spec.pids is not None else pids,
        }
    )


def _spec(
    ctx: ServiceContext, spec: ResourceSpec, path: Path, *, limits: bool
) -> dict[str, Any]:
    """One of limits/reservations. Swarm limits pids but never reserves them, and reserves
    generic resources but never limits them; the v3 format has no device requests."""
    out: dict[str, Any] = {}
    if spec.cpus is not None:
        out["cpus"] = format_cpus(spec.cpus)
    if spec.memory is not None:
        out["memory"] = format_size(spec.memory)
    if spec.pids is not None and limits:
        out["pids"] = spec.pids
    if spec.generic_resources and not limits:
        out["generic_resources"] = [
            {"discrete_resource_spec": {"kind": g.kind, "value": g.value}}
            for g in spec.generic_resources
        ]
    dropped = {
        "pids": spec.pids is not None and not limits,
        "generic_resources": bool(spec.generic_resources) and limits,
        "devices": bool(spec.devices),
    }
    for field, lossy in dropped.items():
        if lossy:
            where = "limits" if limits else "reservations"
            message = f"{field} in {where} is dropped: Swarm has no such {where[:-1]}"
            ctx.lost("deploy", message, (*path, field))
    return out


def _check_minimums(
    spec: ResourceSpec, path: Path, *, cpus_key: str = "cpus", memory_key: str = "memory"
) -> None:
    """Zero means "no limit"; anything between zero and the minimum the manager refuses."""
    if spec.cpus is not None and 0 < spec.cpus < MIN_CPUS:
        message = f"cpus {format_cpus(spec.cpus)} is below the Swarm minimum of {MIN_CPUS}"
        raise invalid(message, (*path, cpus_key))
    if spec.cpus is not None and spec.cpus > MAX_CPUS:
        message = (f"cpus {format_cpus(spec.cpus)} is above the most Swarm holds, {MAX_CPUS} "
                   "(CPUs are counted as nano-CPUs in a signed 64-bit integer)")
        raise invalid(message, (*path, cpus_key))
    if spec.memory is not None and 0 < spec.memory < MIN_MEMORY:
        message = f"memory of {spec.memory} bytes is below the Swarm minimum of 4 MiB"
        raise invalid(message, (*path, memory_key))


def _restart_policy(ctx: ServiceContext) -> dict[str, Any] | None:
    name, service = ctx.name, ctx.service
    compose = _from_restart(name, service.restart) if service.restart is not None else None
    policy = ctx.planned.topology.restart_policy
    if policy is not None:
        if compose is not None and compose != policy:
            ctx.lost("restart",
                "restart is ignored: deploy.restart_policy says otherwise",
                ("services", name, "restart"),
            )
    else:
        policy = compose
    if policy is None:
        return None
    out: dict[str, Any] = {"condition": _swarm_condition(ctx, policy)}
    if policy.delay is not None:
        out["delay"] = format_duration(policy.delay)
    if policy.max_attempts is not None:
        out["max_attempts"] = policy.max_attempts
    if policy.window is not None:
        out["window"] = format_duration(policy.window)
    return out


def _swarm_condition(ctx: ServiceContext, policy: RestartPolicy) -> str:
    """Swarm knows none, on-failure and any; the engine's unless-stopped becomes any.

    https://docs.docker.com/reference/compose-file/deploy/#restart_policy
    """
    if policy.condition != "unless-stopped":
        return policy.condition
    ctx.lost("deploy",
             "restart_policy condition 'unless-stopped' becomes 'any': Swarm has no "
             "unless-stopped; a task is stopped by scaling the service down",
             ("services", ctx.name, "deploy", "restart_policy", "condition"),
             handling="approximated")
    return "any"


def _from_restart(name: str, restart: str) -> RestartPolicy:
    """Compose ``restart:`` -> Swarm restart_policy (no->none, always/unless-stopped->any)."""
    match = _RESTART.match(restart)
    if match is None:
        raise invalid(
            f"restart {restart!r} is not a restart condition",
            ("services", name, "restart"),
            hint="use no, always, unless-stopped or on-failure[:max-retries]",
        )
    attempts = match["max"]
    if attempts is not None and match["cond"] != "on-failure":
        raise invalid(
            f"restart {restart!r}: only on-failure takes a retry count",
            ("services", name, "restart"),
        )
    return RestartPolicy(
        condition=_RESTART_CONDITION[match["cond"]],  # type: ignore[arg-type]
        max_attempts=None if attempts is None else int(attempts),
    )


def update_config(config: UpdateConfig) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if config.parallelism is not None:
        out["parallelism"] = config.parallelism
    if config.delay is not None:
        out["delay"] = format_duration(config.delay)
    if config.failure_action is not None:
        out["failure_action"] = config.failure_action
    if config.monitor is not None:
        out["monitor"] = format_duration(config.monitor)
    if config.max_failure_ratio is not None:
        out["max_failure_ratio"] = config.max_failure_ratio
    if config.order is not None:
        out["order"] = config.order
    return out


def spread_attribute(key: str) -> str:
    """The node attribute of a spread preference; a bare label name means a node label."""
    return key if key.startswith(("node.", "engine.")) else f"node.labels.{key}"


def _placement(ctx: ServiceContext) -> dict[str, Any]:
    name, mode = ctx.name, ctx.planned.topology.mode
    placement, env = ctx.planned.topology.placement, ctx.plan.environment
    path: Path = ("services", name, "deploy", "placement")
    out: dict[str, Any] = {}
    if placement.constraints:
        # Swarm syntax "<attribute> ==|!= <value>":
        # https://docs.docker.com/reference/cli/docker/service/create/#constraint
        out["constraints"] = [f"{c.key} {c.op} {c.value}" for c in placement.constraints]
    spread = list(placement.spread_over)
    if placement.strategy == "spread":
        # Swarm already spreads the tasks of a service over nodes, so node.hostname needs nothing:
        # https://docs.docker.com/engine/swarm/services/#placement-preferences
        attribute = spread_attribute(env.spread_key)
        if attribute != "node.hostname" and attribute not in spread:
            spread.append(attribute)
    elif placement.strategy == "binpack":
        ctx.lost("deploy",
            "placement strategy binpack is dropped: Swarm mode only spreads",
            (*path, "strategy"),
        )
    # Swarm spreads over nodes anyway; a node.hostname preference would only repeat that.
    spread = [s for s in spread if s != "node.hostname"]
    if spread:
        out["preferences"] = [{"spread": s} for s in spread]
    if placement.max_replicas_per_node is not None:
        if mode in _GLOBAL_MODES:
            ctx.lost("deploy",
                "max_replicas_per_node is dropped: a global service runs one task per node",
                (*path, "max_replicas_per_node"),
            )
        else:
            out["max_replicas_per_node"] = placement.max_replicas_per_node
    return out
