"""Placement, upgrades and volumes of one Marathon app.

Constraints: https://mesosphere.github.io/marathon/docs/constraints.html
Persistent volumes: https://mesosphere.github.io/marathon/docs/persistent-volumes.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.model import Constraint, Mount, PlannedService
from translator.model.base import MIB, mebibytes_ceil
from translator.targets.marathon.binds import (
    DEFAULT_VOLUME_MIB,
    bind_volumes,
    persistent,
    segment,
)
from translator.targets.marathon.context import AppContext, Values

# Marathon refuses resident apps that keep more than half their instances up during an
# upgrade or launch any extra one: the volumes are reserved on their agents.
RESIDENT_MAX_HEALTH = 0.5


def attribute(key: str) -> str | None:
    """The Mesos agent attribute a Swarm constraint key names, or None.

    ``node.hostname`` is Marathon's ``hostname`` field; node and engine labels are agent
    attributes of the same name. Node ids, roles and platform have no agent equivalent.
    """
    if key == "node.hostname":
        return "hostname"
    for prefix in ("node.labels.", "engine.labels."):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return None


def constraints(ctx: AppContext) -> list[list[str]]:
    plan, planned = ctx.plan, ctx.planned
    topo = planned.topology
    place = topo.placement
    out: list[list[str]] = []
    if topo.mode == "global":
        out.append(["hostname", "UNIQUE"])
    spread = list(place.spread_over)
    if place.strategy == "spread":
        spread.insert(0, plan.environment.spread_key)
    elif place.strategy == "binpack":
        ctx.lost("deploy",
             "placement strategy binpack is not supported: Marathon places tasks by offer",
             sub=("placement", "preferences"))
    for key in dict.fromkeys(spread):
        attr = attribute(key)
        if attr is None:
            ctx.lost("deploy", f"spread over {key!r} is not supported",
                 sub=("placement", "preferences"))
        else:
            out.append([attr, "GROUP_BY"])
    for constraint in place.constraints:
        mapped = _constraint(constraint)
        if mapped is None:
            ctx.lost("deploy",
                 f"constraint {constraint} is not supported: no agent attribute for "
                 f"{constraint.key}", sub=("placement", "constraints"))
        else:
            out.append(mapped)
    if place.max_replicas_per_node is not None:
        out.append(["hostname", "MAX_PER", str(place.max_replicas_per_node)])
    return out


def _constraint(constraint: Constraint) -> list[str] | None:
    attr = attribute(constraint.key)
    if attr is None:
        return None
    # CLUSTER pins to one value, UNLIKE excludes a value (a regular expression, so
    # plain names match themselves).
    op = "CLUSTER" if constraint.op == "==" else "UNLIKE"
    return [attr, op, constraint.value]


def upgrade_strategy(ctx: AppContext) -> Values:
    """update_config becomes upgradeStrategy, as fractions of the instance count"""
    return {"upgrade_strategy": _upgrade_strategy(ctx.planned, bool(ctx.values.get("resident")))}


def _upgrade_strategy(planned: PlannedService, resident: bool) -> dict[str, float] | None:
    """update_config -> upgradeStrategy, as fractions of the instance count.

    ``stop-first`` (compose's default) stops ``parallelism`` tasks before starting new
    ones: minimumHealthCapacity = 1 - parallelism/instances, maximumOverCapacity = 0.
    ``start-first`` starts ``parallelism`` extra tasks first: minimumHealthCapacity = 1,
    maximumOverCapacity = parallelism/instances. Parallelism 0 means all at once.
    Apps with local persistent volumes must not over-provision and keep at most half.
    https://mesosphere.github.io/marathon/docs/deployments.html#rolling-restarts
    """
    update = planned.topology.update_config
    if update is None and not resident:
        return None
    instances = max(planned.topology.effective_replicas, 1)
    parallelism = 1 if update is None or update.parallelism is None else update.parallelism
    share = 1.0 if parallelism == 0 else min(1.0, parallelism / instances)
    if update is not None and update.order == "start-first":
        health, over = 1.0, share
    else:
        health, over = 1.0 - share, 0.0
    if resident:
        health, over = min(health, RESIDENT_MAX_HEALTH), 0.0
    return {"minimumHealthCapacity": round(health, 4), "maximumOverCapacity": round(over, 4)}


@dataclass
class Volumes:
    volumes: list[dict[str, Any]] = field(default_factory=list)
    parameters: list[dict[str, str]] = field(default_factory=list)
    resident: bool = False


def volumes(ctx: AppContext) -> Values:
    """binds and named volumes become local persistent volumes, tmpfs a parameter

    Binds follow :mod:`translator.targets.binds`: persistent, sandbox or host volumes.
    """
    vols = _volumes(ctx)
    return {
        "volumes": vols.volumes, "volume_parameters": vols.parameters, "resident": vols.resident,
    }


def _volumes(ctx: AppContext) -> Volumes:
    planned = ctx.planned
    out = Volumes()
    for index, mount in enumerate((*planned.service.volumes, *planned.service.tmpfs)):
        if mount.type == "bind" and mount.source:
            found, resident = bind_volumes(ctx, index, mount)
            out.volumes.extend(found)
            out.resident = out.resident or resident
        elif mount.type == "volume" and mount.source:
            out.volumes.extend(_persistent(ctx, mount))
            out.resident = True
        elif mount.type == "tmpfs":
            out.parameters.append({"key": "tmpfs", "value": _tmpfs(mount)})
        else:
            article = "an" if mount.type[0] in "aeiou" else "a"
            what = f"{article} {mount.type} mount"
            what = "an anonymous volume" if mount.type == "volume" else what
            ctx.lost("volumes",
                 f"{what} at {mount.target} is not supported")
    return out


def _persistent(ctx: AppContext, mount: Mount) -> list[dict[str, Any]]:
    """A named volume -> a local persistent volume.

    A persistent volume's containerPath must be one relative path segment (it lands in
    the task sandbox), so the compose target, always absolute, is reached through a host
    volume whose hostPath is that segment: the pattern the Marathon docs give for
    absolute container paths.
    """
    name, plan = str(mount.source), ctx.plan
    declared = plan.project.volumes.get(name)
    if declared is not None and declared.external:
        ctx.lost("volumes",
             f"external volume {name!r} is approximated by a new local persistent volume",
             handling="approximated")
    size = plan.storage.get(name)
    if size is None or size.size is None:
        ctx.lost("volumes",
             f"volume {name!r} has no size in the environment: {DEFAULT_VOLUME_MIB} MiB assumed",
             handling="approximated")
        mib = DEFAULT_VOLUME_MIB
    else:
        mib = max(mebibytes_ceil(size.size), 1) if size.size else 0
        if size.size % MIB:
            ctx.lost("volumes", f"volume {name!r} of {size.size} bytes is rounded up to {mib} "
                     "MiB: Marathon sizes persistent volumes in MiB", handling="approximated")
    return persistent(segment(name), mib, mount.target, mount.read_only)


def _tmpfs(mount: Mount) -> str:
    """``docker run --tmpfs PATH[:size=N,mode=O]``."""
    opts: list[str] = []
    if mount.tmpfs is not None and mount.tmpfs.size is not None:
        size = mount.tmpfs.size
        opts.append(f"size={size // MIB}m" if size % MIB == 0 else f"size={size}")
    if mount.tmpfs is not None and mount.tmpfs.mode is not None:
        opts.append(f"mode={mount.tmpfs.mode:o}")
    return mount.target + (":" + ",".join(opts) if opts else "")
