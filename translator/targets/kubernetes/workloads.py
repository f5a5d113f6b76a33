"""Deployment, DaemonSet and StatefulSet specs, with their update strategies.

https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/#DeploymentSpec
https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/#DaemonSetSpec
https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/#StatefulSetSpec
"""

from __future__ import annotations

from typing import Any

from translator.model import PlannedService, UpdateConfig
from translator.model.base import seconds_ceil
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.jobs import is_scheduled
from translator.targets.kubernetes.kompose import PREFIX, warn_label
from translator.targets.kubernetes.names import dns_name
from translator.targets.kubernetes.resources import memory_quantity, parse_quantity
from translator.targets.kubernetes.volumes import claim_name

DEFAULT_CLAIM_SIZE = "1Gi"
# https://kompose.io/user-guide/#komposecontrollertype ; a ReplicationController is what a
# Deployment superseded, so it is rendered as one.
# https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/
CONTROLLERS = {"deployment": "Deployment", "daemonset": "DaemonSet",
               "statefulset": "StatefulSet", "replicationcontroller": "Deployment"}
CONTROLLER_LABEL = PREFIX + "controller.type"


def controller_kind(ctx: Context, planned: PlannedService) -> str:
    """The workload kind: a schedule makes a CronJob; then kompose.controller.type, stateful,
    the deploy mode; a one-shot service (restart "no", nothing to reach) is a Job."""
    label = ctx.kompose(planned, "controller.type")
    if is_scheduled(ctx, planned):
        if label is not None:
            warn_label(ctx, planned, CONTROLLER_LABEL, "the service runs on a schedule, "
                       "so it is a CronJob; ignored")
        return "CronJob"
    if label is not None:
        value = label.strip().lower()
        if value == "replicationcontroller":
            warn_label(ctx, planned, CONTROLLER_LABEL, "a ReplicationController is superseded "
                       "by a Deployment, which is rendered instead")
        if value in CONTROLLERS:
            return CONTROLLERS[value]
        warn_label(ctx, planned, CONTROLLER_LABEL, f"{label!r} is not one of deployment, "
                   "daemonset, statefulset, replicationcontroller; ignored")
    if planned.stateful:
        return "StatefulSet"
    mode = planned.topology.mode
    if mode == "replicated-job" or (mode == "replicated" and one_shot(planned)):
        return "Job"
    if mode in ("global", "global-job"):
        return "DaemonSet"
    return "Deployment"


def one_shot(planned: PlannedService) -> bool:
    """restart "no" and no port: a task that runs to completion, as Kompose renders it
    (https://kompose.io/user-guide/#restart-policy); a Deployment would restart it forever."""
    svc = planned.service
    return svc.restart == "no" and not svc.ports and not svc.expose


def replicas(ctx: Context, planned: PlannedService) -> int:
    topology = planned.topology
    if topology.mode == "global-job":
        ctx.warn(planned.name, "deploy", "mode global-job runs to completion on every node; "
                 "Kubernetes has no per-node Job, so it is rendered as a DaemonSet", "mode")
    if topology.replicas is None and planned.service.scale is not None:
        return planned.service.scale
    return topology.effective_replicas


def _rolling(parallelism: int | None, start_first: bool) -> dict[str, Any]:
    # Swarm's parallelism 0 updates every task at once.
    step: int | str = "100%" if parallelism == 0 else (parallelism or 1)
    if start_first:
        return {"maxSurge": step, "maxUnavailable": 0}
    return {"maxSurge": 0, "maxUnavailable": step}


def _warn_update(ctx: Context, planned: PlannedService, update: UpdateConfig) -> None:
    lost = [f for f in ("delay", "failure_action", "monitor", "max_failure_ratio")
            if getattr(update, f) is not None]
    if lost:
        ctx.warn(planned.name, "deploy", f"update_config {', '.join(lost)} have no rolling "
                 "update equivalent; Kubernetes paces rollouts by readiness", "update_config")


def update_strategy(ctx: Context, planned: PlannedService, kind: str) -> dict[str, Any] | None:
    """update_config -> RollingUpdate: start-first surges, stop-first takes pods down first."""
    update = planned.topology.update_config
    if planned.topology.rollback_config is not None:
        ctx.warn(planned.name, "deploy", "rollback_config is not applied: roll back with "
                 "kubectl rollout undo", "rollback_config")
    if update is None:
        return None
    _warn_update(ctx, planned, update)
    start_first = update.order == "start-first"
    if kind == "StatefulSet":
        if start_first or (update.parallelism or 1) != 1:
            ctx.warn(planned.name, "deploy", "a StatefulSet replaces one pod at a time, stop "
                     "first; order and parallelism are not applied", "update_config")
        return {"type": "RollingUpdate"}
    return {"type": "RollingUpdate", "rollingUpdate": _rolling(update.parallelism, start_first)}


def restart_checks(ctx: Context, planned: PlannedService) -> None:
    """Pods of these controllers always restart; any other policy is lost."""
    restart = planned.service.restart
    if restart is not None and restart not in ("always", "unless-stopped"):
        ctx.warn(planned.name, "restart", f"restart {restart!r}: pods of a "
                 "Deployment/DaemonSet/StatefulSet always restart")
    policy = planned.topology.restart_policy
    if policy is None:
        return
    if policy.condition == "unless-stopped":
        ctx.info(planned.name, "deploy", "restart_policy condition 'unless-stopped' is "
                 "restartPolicy Always: a pod is only stopped by scaling it down or deleting it")
    elif policy.condition != "any":
        ctx.warn(planned.name, "deploy", f"restart_policy condition {policy.condition!r}: pods "
                 "of these controllers always restart", "restart_policy")
    if policy.delay is not None or policy.max_attempts is not None or policy.window is not None:
        ctx.warn(planned.name, "deploy", "restart_policy delay/max_attempts/window are not "
                 "mapped: the kubelet backs off exponentially", "restart_policy")


def workload_handler(ctx: Context, unit: Unit) -> None:
    """deploy, scale and restart -> the workload's replicas, update strategy and restarts."""
    if unit.kind in ("Job", "CronJob"):
        _job(ctx, unit)
        return
    planned, values = unit.planned, unit.values
    if unit.kind != "DaemonSet":
        values["replicas"] = replicas(ctx, planned)
    elif planned.topology.replicas not in (None, 1):
        ctx.warn(planned.name, "deploy", "a global service runs one pod per node; replicas "
                 "is ignored", "replicas")
    if unit.kind == "StatefulSet":
        values["service_name"] = unit.name
    values["strategy"] = update_strategy(ctx, planned, unit.kind)
    if unit.kind == "Deployment":
        values["strategy"] = _recreate(ctx, unit) or values["strategy"]
    monitor = planned.topology.update_config and planned.topology.update_config.monitor
    if monitor:
        # Approximation: a new pod must stay ready for `monitor` before it counts as available.
        values["min_ready_seconds"] = seconds_ceil(monitor)
    restart_checks(ctx, planned)


def _recreate(ctx: Context, unit: Unit) -> dict[str, Any] | None:
    """A Deployment with a ReadWriteOnce claim replaces its pods stop-first: a new pod on
    another node would wait for the volume forever during a rolling update.

    https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#recreate-deployment
    """
    project = ctx.plan.project.volumes
    claims = [claim_name(ctx, v) for v in unit.volumes.claims
              if not (project.get(v) is not None and project[v].external)]
    claims += list(unit.volumes.rwo_claims)
    if not claims:
        return None
    planned = unit.planned
    what = (f"claim {claims[0]} attaches" if len(claims) == 1
            else f"claims {', '.join(claims)} attach")
    message = (f"strategy Recreate: the ReadWriteOnce {what} to one node at a time, so a "
               "rolling update could wait forever for a new pod on another node")
    if planned.topology.update_config is not None:
        ctx.warn(planned.name, "deploy", f"update_config is not applied: {message}",
                 "update_config")
    else:
        ctx.info(planned.name, "deploy", message)
    return {"type": "Recreate"}


def _job(ctx: Context, unit: Unit) -> None:
    """replicated-job: ``replicas`` completions, all at once; the pods restart on failure
    unless the restart condition is none. The Job controller generates the selector.
    https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/#JobSpec
    """
    planned, values = unit.planned, unit.values
    count = replicas(ctx, planned)
    policy = planned.topology.restart_policy
    values["completions"] = values["parallelism"] = count
    if policy is not None and policy.max_attempts is not None:
        values["backoff_limit"] = policy.max_attempts
    never = (policy is not None and policy.condition == "none") or planned.service.restart == "no"
    if policy is not None and (policy.delay is not None or policy.window is not None):
        ctx.warn(planned.name, "deploy", "restart_policy delay/window are not mapped: the Job "
                 "controller backs off exponentially", "restart_policy")
    if planned.topology.update_config is not None:
        ctx.warn(planned.name, "deploy", "update_config does not apply to a Job",
                 "update_config")
    values["restart_policy"] = "Never" if never else "OnFailure"


def claim_templates(ctx: Context, unit: Unit) -> None:
    """A StatefulSet's named volumes -> its volumeClaimTemplates (one claim per pod)."""
    if unit.kind != "StatefulSet" or not unit.volumes.claims:
        return
    unit.values["claim_templates"] = [
        {"name": claim_name(ctx, v), **claim_values(ctx, v, [unit.planned])}
        for v in unit.volumes.claims
    ]


def claim_values(ctx: Context, volume: str, users: list[PlannedService]) -> dict[str, Any]:
    """A claim's size and storage class: from the plan, then Kompose labels, else 1Gi."""
    storage = ctx.plan.storage.get(volume) or ctx.plan.environment.volumes.get(volume) \
        or ctx.plan.environment.volume_defaults
    size = memory_quantity(storage.size) if storage.size else None
    klass = storage.storage_class
    for planned in users:
        label_size = ctx.kompose(planned, "volume.size")
        if size is None and label_size:
            if parse_quantity(label_size) is None:
                ctx.warn(planned.name, "labels", f"kompose.volume.size {label_size!r} is not a "
                         "quantity such as 5Gi; ignored")
            else:
                size = label_size
        klass = klass or ctx.kompose(planned, "volume.storage-class-name")
    return {"size": size or DEFAULT_CLAIM_SIZE, "storage_class": dns_name(klass) if klass else None}
