"""What the key handlers of a Marathon app compute: command, health, resources, env, labels.

Every function returns plain JSON values for ``templates/marathon/app.yaml.j2``.
App definition reference: https://mesosphere.github.io/marathon/docs/application-basics.html
"""

from __future__ import annotations

import os.path
import shlex
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from translator.errors import TranslatorError
from translator.model import Healthcheck, PlannedService
from translator.model.base import MIB, NS_PER_SECOND, mebibytes_ceil, seconds_ceil
from translator.targets.marathon.context import AppContext
from translator.targets.marathon.net import exposed_index

# Marathon's own defaults for unset resources (AppDefinition: cpus 1, mem 128 MiB, disk 0).
DEFAULT_CPUS = 1.0
DEFAULT_MEM_MIB = 128
DEFAULT_DISK_MIB = 0

# Compose's healthcheck defaults, written out so Marathon's (60s/20s/300s) never apply:
# https://docs.docker.com/reference/dockerfile/#healthcheck
_HC_INTERVAL = 30 * NS_PER_SECOND
_HC_TIMEOUT = 30 * NS_PER_SECOND
_HC_RETRIES = 3
_SHELLS = frozenset({"sh", "bash", "ash", "dash"})


@dataclass(frozen=True)
class Command:
    cmd: str | None = None
    args: list[str] | None = None
    entrypoint: str | None = None


def command(planned: PlannedService) -> Command:
    """command / entrypoint -> cmd or args (never both), plus a docker entrypoint.

    Rule: a command ``[<shell>, "-c", X]`` (sh, bash, ash or dash, any path) with no
    entrypoint becomes ``cmd: X``, because Mesos itself runs ``cmd`` as ``/bin/sh -c X``.
    Any other command becomes ``args``, which Docker appends to the image entrypoint; so
    does a one-character script, because Marathon refuses a ``cmd`` that short
    (AppValidation.scala, "must not be an empty string": length > 1).
    An entrypoint's first word goes to the ``entrypoint`` docker parameter (``docker
    run --entrypoint`` takes one executable) and its other words lead ``args``.
    https://mesosphere.github.io/marathon/docs/native-docker.html
    """
    svc = planned.service
    entry = svc.entrypoint
    cmd = svc.command
    if entry is None and cmd is not None and len(cmd) == 3 and cmd[1] == "-c" and (
        os.path.basename(cmd[0]) in _SHELLS and len(cmd[2]) > 1
    ):
        return Command(cmd=cmd[2])
    args = [*(entry[1:] if entry else ()), *(cmd or ())]
    if entry is None:
        return Command(args=args if cmd is not None else None)
    return Command(args=args or None, entrypoint=entry[0] if entry else "")


def resources(ctx: AppContext) -> tuple[float, int]:
    """cpus and mem (MiB) per task.

    Mesos enforces an app's cpus and mem as its cgroup limits, so a compose limit is the
    closer match; a reservation is used only when no limit is set. Compose-engine
    ``cpus``/``mem_limit``/``mem_reservation`` are the fallback, Marathon's defaults last.
    """
    svc = ctx.service
    res = ctx.planned.topology.resources
    limit, reserve = res.limits, res.reservations
    cpus = _first(
        (limit.cpus, "deploy", ("resources", "limits", "cpus")),
        (reserve.cpus, "deploy", ("resources", "reservations", "cpus")),
        (svc.cpus, "cpus", ()),
    )
    mem = _first(
        (limit.memory, "deploy", ("resources", "limits", "memory")),
        (reserve.memory, "deploy", ("resources", "reservations", "memory")),
        (svc.mem_limit, "mem_limit", ()), (svc.mem_reservation, "mem_reservation", ()),
    )
    if (limit.cpus is not None and reserve.cpus is not None and limit.cpus != reserve.cpus) or (
        limit.memory is not None and reserve.memory is not None and limit.memory != reserve.memory
    ):
        ctx.lost("deploy",
             "resource reservations differ from limits: Marathon 1.7 takes one amount, "
             "the limit", handling="approximated", sub=("resources",))
    return (
        DEFAULT_CPUS if cpus is None else _cpus(ctx, *cpus),
        DEFAULT_MEM_MIB if mem is None else _mebibytes(ctx, *mem),
    )


_Origin = tuple[Any, str, tuple[str, ...]]


def _first(*values: _Origin) -> _Origin | None:
    """The first value that is set, with the key and path it was written at."""
    return next((v for v in values if v[0] is not None), None)


def _cpus(ctx: AppContext, cpus: Decimal, key: str, sub: tuple[str, ...]) -> float:
    """Marathon's ``cpus`` is a double, and Mesos keeps three decimals of it
    (``Value::Scalar`` is fixed-point: mesos/src/common/values.cpp)."""
    number = float(cpus)
    if cpus * 1000 % 1 or Decimal(repr(number)) != cpus:
        ctx.lost(key, f"cpus {cpus:f} is rounded: Mesos holds CPUs to three decimals",
                 handling="approximated", sub=sub)
    return number


def _mebibytes(ctx: AppContext, size: int, key: str, sub: tuple[str, ...]) -> int:
    """Marathon's ``mem`` is in MiB: a size that is not whole MiB is rounded up, and said."""
    mib = mebibytes_ceil(size)
    if size % MIB:
        ctx.lost(key, f"{size} bytes is rounded up to {mib} MiB: Marathon's mem is in MiB",
                 handling="approximated", sub=sub)
    return mib


def environment(planned: PlannedService) -> dict[str, str]:
    """All values are strings; pass-through variables (no value) are left out (and
    reported by losses.py)."""
    return {k: v for k, v in planned.service.environment.items() if v is not None}


def labels(planned: PlannedService, extra: dict[str, str], plan_labels: dict[str, str]) -> dict[
    str, str
]:
    """Service labels, deploy labels, the environment's, then the plan's (later wins)."""
    merged: dict[str, str] = {}
    for source in (planned.service.labels, planned.topology.labels, plan_labels,
                   planned.labels, extra):
        merged.update({str(k): str(v) for k, v in source.items()})
    return merged


def health_checks(
    ctx: AppContext, ports: list[dict[str, Any]], port_key: str
) -> list[dict[str, Any]]:
    """healthcheck -> one Mesos health check.

    A compose test becomes a COMMAND check (run inside the container by the agent).
    With no test of its own (none written, or the image's, which Marathon cannot read)
    and an ingress exposure, the environment gives a path and a port: the app gets a
    MESOS_HTTP check on that path and port, probed by the agent like the router would.
    https://mesosphere.github.io/marathon/docs/health-checks.html
    """
    planned = ctx.planned
    hc = planned.service.healthcheck
    if hc is not None and hc.disabled:
        return []
    if hc is not None and hc.test is not None:
        test = hc.test
        value = shlex.join(test.command) if test.kind == "CMD" else " ".join(test.command)
        check: dict[str, Any] = {"protocol": "COMMAND", "command": {"value": value}}
        return [check | _timings(ctx, hc)]
    index = exposed_index(planned, ports, port_key)
    if planned.exposure.type == "ingress" and index is not None:
        check = {"protocol": "MESOS_HTTP", "path": planned.exposure.path, "portIndex": index}
        return [check | _timings(ctx, hc or Healthcheck())]
    if hc is not None:
        ctx.lost("healthcheck",
             "the image's own health test is not supported: Marathon cannot read it")
    return []


def _timings(ctx: AppContext, hc: Healthcheck) -> dict[str, int]:
    interval = seconds_ceil(_HC_INTERVAL if hc.interval is None else hc.interval)
    timeout = seconds_ceil(_HC_TIMEOUT if hc.timeout is None else hc.timeout)
    if hc.start_interval is not None:
        ctx.lost("healthcheck", "start_interval is not supported")
    return {
        "gracePeriodSeconds": seconds_ceil(hc.start_period or 0),
        "intervalSeconds": interval,
        "timeoutSeconds": timeout,
        "maxConsecutiveFailures": _HC_RETRIES if hc.retries is None else hc.retries,
    }


def backoff(planned: PlannedService) -> tuple[int | None, float | None]:
    """restart_policy.delay -> backoffSeconds, with backoffFactor 1: compose waits the same
    delay before every restart, while Marathon's default factor (1.15) grows it."""
    policy = planned.topology.restart_policy
    if policy is None or policy.delay is None:
        return None, None
    return seconds_ceil(policy.delay), 1.0


def instances(planned: PlannedService) -> int:
    topo = planned.topology
    if topo.replicas is None and planned.service.scale is not None:
        return planned.service.scale
    return topo.effective_replicas


def dependencies(ctx: AppContext) -> list[str]:
    """depends_on -> absolute app ids. Marathon orders deployments by them and waits for
    dependencies to be healthy (when they have health checks) or running."""
    planned, ids = ctx.planned, ctx.ids
    out: list[str] = []
    for name, dep in planned.service.depends_on.items():
        if name not in ids and not dep.required:
            # Compose skips an optional dependency that is not in the project (profiles).
            ctx.lost("depends_on",
                 f"optional dependency {name!r} is not in the project and is left out")
            continue
        if name not in ids:
            raise TranslatorError.at(
                f"depends_on names {name!r}, which is not a service of the project",
                ("services", planned.name, "depends_on", name), code="marathon.dependency",
            )
        if dep.condition == "service_completed_successfully":
            ctx.lost("depends_on",
                 f"condition service_completed_successfully on {name!r} is approximated: "
                 "Marathon waits for the app to run, not to finish", handling="approximated")
        out.append(ids[name])
    return out
