"""Scheduled runs (CronJob) and autoscaling (HorizontalPodAutoscaler): from the
environment's ``schedule`` and ``autoscale`` settings, else Kompose's labels.

https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/cron-job-v1/
https://kubernetes.io/docs/reference/kubernetes-api/workload-autoscaling/horizontal-pod-autoscaler-v2/
https://kompose.io/user-guide/#labels
"""

from __future__ import annotations

from typing import Any

from translator.model import Autoscale, PlannedService, Schedule
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.cron import cron_problem
from translator.targets.kubernetes.kompose import PREFIX, label_choice, label_int, warn_label
from translator.targets.kubernetes.resources import parse_quantity

CONCURRENCY = {"allow": "Allow", "forbid": "Forbid", "replace": "Replace"}
# Kompose's defaults when only some hpa labels are given (pkg/transformer/kubernetes).
DEFAULT_MAX_REPLICAS = 3
DEFAULT_CPU_PERCENT = 50
SCALABLE = ("Deployment", "StatefulSet")


def schedule_of(ctx: Context, planned: PlannedService) -> Schedule | None:
    """The environment's schedule, else one from the kompose.cronjob.* labels."""
    if planned.schedule is not None:
        return planned.schedule
    cron = ctx.kompose(planned, "cronjob.schedule")
    if cron is None:
        return None
    return Schedule(
        cron=cron.strip(),
        concurrency_policy=label_choice(ctx, planned, "cronjob.concurrency_policy",  # type: ignore[arg-type]
                                        CONCURRENCY),
        backoff_limit=label_int(ctx, planned, "cronjob.backoff_limit", 0),
    )


def is_scheduled(ctx: Context, planned: PlannedService) -> bool:
    """A usable schedule makes the workload a CronJob; a bad one is reported, not used."""
    schedule = schedule_of(ctx, planned)
    if schedule is None:
        return False
    problem = cron_problem(schedule.cron)
    if problem is not None:
        message = f"schedule {schedule.cron!r}: {problem}; the service is not scheduled"
        if planned.schedule is not None:
            ctx.warn(planned.name, "schedule", message)
        else:
            warn_label(ctx, planned, PREFIX + "cronjob.schedule", message)
        return False
    return True


def cronjob_handler(ctx: Context, unit: Unit) -> None:
    """schedule (kompose.cronjob.schedule/.concurrency_policy/.backoff_limit) -> a CronJob
    whose Job runs the pod once per scheduled time."""
    if unit.kind != "CronJob":
        for suffix in ("concurrency_policy", "backoff_limit"):
            if ctx.kompose(unit.planned, f"cronjob.{suffix}") is not None:
                warn_label(ctx, unit.planned, f"{PREFIX}cronjob.{suffix}", "applies with a "
                           "schedule (kompose.cronjob.schedule) only; ignored")
        return
    schedule = schedule_of(ctx, unit.planned)
    assert schedule is not None  # the kind is CronJob only with a schedule
    values = unit.values
    values["schedule"] = schedule.cron
    values["concurrency_policy"] = schedule.concurrency_policy
    if schedule.backoff_limit is not None:
        values["backoff_limit"] = schedule.backoff_limit
    values["completions"] = values["parallelism"] = None


def autoscale_of(ctx: Context, planned: PlannedService) -> Autoscale | None:
    """The environment's autoscale, else one from the kompose.hpa.* labels."""
    if planned.autoscale is not None:
        return planned.autoscale
    if not any(k.startswith(PREFIX + "hpa.") for k in planned.service.labels):
        return None
    low = label_int(ctx, planned, "hpa.replicas.min", 1) or 1
    high = label_int(ctx, planned, "hpa.replicas.max", 1) or max(low, DEFAULT_MAX_REPLICAS)
    if high < low:
        warn_label(ctx, planned, PREFIX + "hpa.replicas.max", f"{high} is below "
                   f"kompose.hpa.replicas.min {low}; the maximum is raised to {low}")
        high = low
    cpu = _percent(ctx, planned, "hpa.cpu")
    return Autoscale(min_replicas=low, max_replicas=high, cpu_percent=cpu)


def _percent(ctx: Context, planned: PlannedService, suffix: str) -> int | None:
    raw = ctx.kompose(planned, suffix)
    if raw is None:
        return None
    text = raw.strip().removesuffix("%")
    if text.isdigit() and int(text) > 0:
        return int(text)
    warn_label(ctx, planned, PREFIX + suffix, f"{raw!r} is not a percentage such as 80; "
               "ignored")
    return None


def _memory_target(ctx: Context, planned: PlannedService) -> dict[str, Any] | None:
    """kompose.hpa.memory: a percentage (``70``) or an average quantity (``200Mi``)."""
    raw = ctx.kompose(planned, "hpa.memory")
    if raw is None or planned.autoscale is not None:
        percent = planned.autoscale.memory_percent if planned.autoscale else None
        return {"type": "Utilization", "averageUtilization": percent} if percent else None
    text = raw.strip()
    if text.removesuffix("%").isdigit() and int(text.removesuffix("%")) > 0:
        return {"type": "Utilization", "averageUtilization": int(text.removesuffix("%"))}
    if parse_quantity(text) is not None and parse_quantity(text) > 0:  # type: ignore[operator]
        return {"type": "AverageValue", "averageValue": text}
    warn_label(ctx, planned, PREFIX + "hpa.memory", f"{raw!r} is neither a percentage nor a "
               "quantity such as 512Mi; ignored")
    return None


def _metric(name: str, target: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Resource", "resource": {"name": name, "target": target}}


def autoscale_handler(ctx: Context, unit: Unit) -> None:
    """autoscale (kompose.hpa.replicas.min/.max, .cpu, .memory) -> a HorizontalPodAutoscaler
    (autoscaling/v2) scaling the workload."""
    planned = unit.planned
    scale = autoscale_of(ctx, planned)
    if scale is None:
        return
    if unit.kind not in SCALABLE:
        message = f"a {unit.kind} cannot be autoscaled; no HorizontalPodAutoscaler"
        if planned.autoscale is not None:
            ctx.warn(planned.name, "autoscale", message)
        else:
            label = min(k for k in planned.service.labels if k.startswith(PREFIX + "hpa."))
            warn_label(ctx, planned, label, message)
        return
    metrics = []
    memory = _memory_target(ctx, planned)
    cpu = scale.cpu_percent or (None if memory else DEFAULT_CPU_PERCENT)
    if cpu:
        metrics.append(_metric("cpu", {"type": "Utilization", "averageUtilization": cpu}))
    if memory:
        metrics.append(_metric("memory", memory))
    unit.values["autoscaler"] = {
        "scale_target": {"apiVersion": "apps/v1", "kind": unit.kind, "name": unit.name},
        "min_replicas": scale.min_replicas, "max_replicas": scale.max_replicas,
        "metrics": metrics,
    }
