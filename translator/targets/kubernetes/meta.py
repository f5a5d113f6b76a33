"""Object metadata: names, the recommended labels, environment labels and annotations.

https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
"""

from __future__ import annotations

from typing import Any

from translator.model import PlannedService
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import (
    MANAGED_BY,
    MANAGED_BY_LABEL,
    NAME_LABEL,
    PART_OF_LABEL,
    is_label_value,
    is_qualified_name,
    label_value,
    merge_labels,
    standard_labels,
)
from translator.targets.kubernetes.network import network_labels

# Annotations Kubernetes and cloud providers read on a Service (load-balancer settings):
# https://kubernetes.io/docs/reference/labels-annotations-taints/
SERVICE_ANNOTATION_PREFIXES = ("service.beta.kubernetes.io/", "service.kubernetes.io/")


def _valid_labels(
    ctx: Context, service: str | None, labels: dict[str, str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in sorted(labels.items()):
        if is_qualified_name(key) and is_label_value(value):
            out[key] = value
        elif service is not None:
            ctx.warn(service, "labels", f"environment label {key}={value!r} is not a valid "
                     "Kubernetes label; it is dropped")
    return out


def metadata_handler(ctx: Context, unit: Unit) -> None:
    """namespace, environment labels and annotations -> the metadata of the service's objects."""
    meta = object_meta(ctx, unit.planned, unit.name)
    unit.values.update(meta)
    unit.values["pod_labels"] = {**meta["labels"], **network_labels(ctx, unit.planned)}


def pod_annotations_handler(ctx: Context, unit: Unit) -> None:
    """labels and annotations -> pod annotations; service.beta.kubernetes.io/* labels also
    annotate the Service; kompose.* labels configure the rendering (see the label rows)."""
    svc = unit.planned.service
    own = {k: v for k, v in svc.labels.items() if not k.startswith("kompose.")}
    unit.values["pod_annotations"] = _annotations(ctx, unit.planned.name,
                                                  {**own, **svc.annotations})


def deploy_labels_handler(ctx: Context, unit: Unit) -> None:
    """deploy.labels label the Swarm service object; here they annotate the workload (and
    the Service: see service_annotations_handler)."""
    planned = unit.planned
    extra = _annotations(ctx, planned.name, dict(planned.topology.labels), key="deploy")
    own = unit.values["annotations"]
    unit.values["workload_annotations"] = {**extra, **(own or {})} if extra else own


def service_annotations_handler(ctx: Context, unit: Unit) -> None:
    """deploy.labels, Service annotations written as labels (service.beta.kubernetes.io/*:
    cloud load-balancer settings) and service_annotations -> the Service's annotations."""
    service = unit.values["service"]
    planned = unit.planned
    own = {k: v for k, v in planned.service.labels.items()
           if k.startswith(SERVICE_ANNOTATION_PREFIXES)}
    if service is None or not (own or planned.topology.labels or planned.service_annotations):
        return
    unit.values["service"] = {**service, "annotations": {
        **_annotations(ctx, planned.name, own),
        **_annotations(ctx, planned.name, dict(planned.topology.labels), key="deploy"),
        **(unit.values["annotations"] or {}),
        **_annotations(ctx, planned.name, planned.service_annotations,
                       key="service_annotations"),
    }}


def object_meta(ctx: Context, planned: PlannedService, name: str) -> dict[str, Any]:
    """Metadata of the service's own objects: they carry the artifact's version."""
    artifact = planned.service.artifact
    version = artifact.version if artifact is not None else None
    labels = merge_labels(
        standard_labels(name, ctx.plan.project.name, version),
        _valid_labels(ctx, planned.name, {**ctx.plan.environment.labels, **planned.labels}),
    )
    annotations = _annotations(ctx, planned.name, {**ctx.plan.environment.annotations,
                                                   **planned.annotations})
    return {"name": name, "namespace": ctx.namespace, "labels": labels,
            "annotations": annotations}


def _annotations(
    ctx: Context, service: str, values: dict[str, str], key: str = "labels"
) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in sorted(values.items()):
        if is_qualified_name(name):
            out[name] = str(value)
        else:
            ctx.warn(service, key, f"{name!r} is not a valid annotation key; it is dropped")
    return out


def shared_meta(ctx: Context, name: str) -> dict[str, Any]:
    """Metadata values of objects several services may share: no version label."""
    return {"name": name, "namespace": ctx.namespace, "annotations": None, "labels": {
        NAME_LABEL: label_value(name),
        PART_OF_LABEL: label_value(ctx.plan.project.name),
        MANAGED_BY_LABEL: MANAGED_BY,
        **_valid_labels(ctx, None, ctx.plan.environment.labels),
    }}
