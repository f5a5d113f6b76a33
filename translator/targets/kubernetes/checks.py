"""What an API server's validation checks and a JSON schema cannot: run on every object.

Names (RFC 1123 / DNS-1035), label syntax, port names (IANA_SVC_NAME), port ranges,
nodePort only on NodePort/LoadBalancer Services, selectors matching the pod
template's labels, quantities, and requests no larger than limits. A failure is a
:class:`TranslatorError` with a path into the object: input we cannot render.
https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translator.errors import Path, TranslatorError
from translator.targets.base import SHAPE_ERRORS, shape_problem
from translator.targets.kubernetes.cron import cron_problem
from translator.targets.kubernetes.names import (
    CONFIG_KEY_RE,
    DNS1123_SUBDOMAIN_RE,
    is_dns_name,
    is_label_value,
    is_port_name,
    is_qualified_name,
)
from translator.targets.kubernetes.resources import parse_quantity

WORKLOADS = ("Deployment", "DaemonSet", "StatefulSet", "Job")


def _fail(path: Path, message: str) -> TranslatorError:
    return TranslatorError.at(message, path, code="kubernetes.dry-run")


def check_object(obj: Mapping[str, Any]) -> None:
    """Raise when ``obj`` would be refused by an API server's validation.

    Built-in templates always give objects of the right shape; a user's template
    (``--templates``) may not, and the API server would refuse those too: a missing
    field or a value of the wrong type is reported as such, never as a crash.
    """
    try:
        _check_object(obj)
    except SHAPE_ERRORS as exc:
        kind = obj.get("kind") if isinstance(obj, Mapping) else None
        what = kind if isinstance(kind, str) and kind else "object"
        problem = shape_problem(exc, "the API")
        raise _fail((what,), f"not a valid Kubernetes {what}: {problem}") from None


def _check_object(obj: Mapping[str, Any]) -> None:
    kind, meta = obj["kind"], obj["metadata"]
    base: Path = (kind, str(meta.get("name", "")))
    check_name(meta.get("name", ""), (*base, "metadata", "name"))
    check_labels(meta.get("labels", {}), (*base, "metadata", "labels"))
    for key in meta.get("annotations", {}):
        if not is_qualified_name(key):
            raise _fail((*base, "metadata", "annotations"), f"invalid annotation key {key!r}")
    spec = obj.get("spec", {})
    if kind == "Service":
        check_service(spec, (*base, "spec"))
    elif kind in WORKLOADS:
        check_workload(spec, (*base, "spec"))
    elif kind == "CronJob":
        check_cronjob(spec, (*base, "spec"))
    elif kind == "HorizontalPodAutoscaler":
        check_autoscaler(spec, (*base, "spec"))
    elif kind == "Ingress":
        check_ingress(spec, (*base, "spec"))
    elif kind == "PersistentVolumeClaim":
        check_quantity(spec["resources"]["requests"]["storage"], (*base, "spec", "resources"))
    elif kind in ("ConfigMap", "Secret"):
        check_data(obj, base)


# The API server refuses a ConfigMap or Secret whose keys and values exceed 1 MiB
# (validation.go: ValidateConfigMap, ValidateSecret; MaxSecretSize).
MAX_DATA_BYTES = 1024 * 1024


def check_data(obj: Mapping[str, Any], base: Path) -> None:
    """Keys are ``[-._a-zA-Z0-9]+`` (at most 253, not ``.`` or ``..``), unique across
    ``data`` and ``binaryData``; keys and values together at most 1 MiB."""
    total = 0
    seen: set[str] = set()
    for field in ("data", "stringData", "binaryData"):
        for key, value in (obj.get(field) or {}).items():
            path = (*base, field, key)
            if len(key) > 253 or key in (".", "..") or not CONFIG_KEY_RE.match(key):
                raise _fail(path, f"{key!r} is not a valid data key ([-._a-zA-Z0-9]+, at "
                            "most 253 characters)")
            if key in seen:
                raise _fail(path, f"data key {key!r} is repeated")
            seen.add(key)
            # binaryData and Secret data hold base64; the API server counts the bytes.
            encoded = field == "binaryData" or (field == "data" and obj["kind"] == "Secret")
            total += len(key) + (len(value) * 3 // 4 if encoded else len(value.encode()))
    if total > MAX_DATA_BYTES:
        raise _fail(base, f"the data is {total:,} bytes; an object holds at most 1 MiB "
                    f"({MAX_DATA_BYTES:,} bytes)")


def check_name(name: str, path: Path) -> None:
    if not is_dns_name(name):
        raise _fail(path, f"{name!r} is not a DNS-1035 label (a-z, 0-9, '-', <= 63)")


def check_labels(labels: Mapping[str, str], path: Path) -> None:
    for key, value in labels.items():
        if not is_qualified_name(key):
            raise _fail(path, f"invalid label key {key!r}")
        if not isinstance(value, str) or not is_label_value(value):
            raise _fail((*path, key), f"invalid label value {value!r}")


def check_port(number: object, path: Path) -> None:
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 65535:
        raise _fail(path, f"port {number!r} is outside 1-65535")


def check_port_names(ports: Iterable[Mapping[str, Any]], path: Path, required: bool) -> None:
    seen: set[str] = set()
    for index, port in enumerate(ports):
        name = port.get("name")
        if name is None:
            if required:
                raise _fail((*path, index), "every port needs a name when there are several")
            continue
        if not is_port_name(name):
            raise _fail((*path, index, "name"), f"{name!r} is not an IANA_SVC_NAME")
        if name in seen:
            raise _fail((*path, index, "name"), f"port name {name!r} is repeated")
        seen.add(name)


def check_service(spec: Mapping[str, Any], path: Path) -> None:
    ports = spec.get("ports", [])
    check_port_names(ports, (*path, "ports"), required=len(ports) > 1)
    node_port_ok = spec.get("type") in ("NodePort", "LoadBalancer")
    if "externalTrafficPolicy" in spec and not node_port_ok:
        raise _fail((*path, "externalTrafficPolicy"), "externalTrafficPolicy is only allowed "
                    "on NodePort and LoadBalancer Services")
    seen: set[tuple[int, str]] = set()
    for index, port in enumerate(ports):
        check_port(port["port"], (*path, "ports", index, "port"))
        target = port.get("targetPort")
        if isinstance(target, int):
            check_port(target, (*path, "ports", index, "targetPort"))
        if "nodePort" in port:
            if not node_port_ok:
                raise _fail((*path, "ports", index, "nodePort"),
                            "nodePort is only allowed on NodePort and LoadBalancer Services")
            check_port(port["nodePort"], (*path, "ports", index, "nodePort"))
        key = (port["port"], port.get("protocol", "TCP"))
        if key in seen:
            raise _fail((*path, "ports", index), f"port {key[0]}/{key[1]} is repeated")
        seen.add(key)


def check_cronjob(spec: Mapping[str, Any], path: Path) -> None:
    """validateCronJobSpec: the schedule parses; the Job template is a valid Job."""
    problem = cron_problem(spec["schedule"])
    if problem is not None:
        raise _fail((*path, "schedule"), f"invalid schedule {spec['schedule']!r}: {problem}")
    if spec.get("concurrencyPolicy", "Allow") not in ("Allow", "Forbid", "Replace"):
        raise _fail((*path, "concurrencyPolicy"), "concurrencyPolicy must be Allow, Forbid "
                    "or Replace")
    check_workload(spec["jobTemplate"]["spec"], (*path, "jobTemplate", "spec"))


def check_autoscaler(spec: Mapping[str, Any], path: Path) -> None:
    """validateHorizontalPodAutoscalerSpec: minReplicas >= 1 (scale to zero is an alpha
    feature gate), maxReplicas >= minReplicas, utilization targets > 0.
    https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/validation/validation.go
    """
    low, high = spec.get("minReplicas", 1), spec["maxReplicas"]
    if not isinstance(low, int) or low < 1:
        raise _fail((*path, "minReplicas"), f"minReplicas {low!r} must be at least 1")
    if not isinstance(high, int) or high < low:
        raise _fail((*path, "maxReplicas"), f"maxReplicas {high!r} must be at least "
                    f"minReplicas {low}")
    for index, metric in enumerate(spec.get("metrics", [])):
        target = metric["resource"]["target"]
        if target["type"] == "Utilization" and target["averageUtilization"] < 1:
            raise _fail((*path, "metrics", index), "averageUtilization must be positive")
        if target["type"] == "AverageValue":
            check_quantity(target["averageValue"], (*path, "metrics", index))


def check_workload(spec: Mapping[str, Any], path: Path) -> None:
    selector = spec["selector"]["matchLabels"] if "selector" in spec else {}
    labels = spec["template"]["metadata"].get("labels", {})
    check_labels(labels, (*path, "template", "metadata", "labels"))
    for key, value in selector.items():
        if labels.get(key) != value:
            raise _fail((*path, "selector"), f"selector {key}={value} does not match the pod "
                        "template's labels")
    pod = spec["template"]["spec"]
    volumes = {v["name"] for v in pod.get("volumes", [])}
    volumes |= {c["metadata"]["name"] for c in spec.get("volumeClaimTemplates", [])}
    for group in ("initContainers", "containers"):
        for index, container in enumerate(pod.get(group, [])):
            check_container(container, (*path, "template", "spec", group, index), volumes)


def check_container(container: Mapping[str, Any], path: Path, volumes: set[str]) -> None:
    if not is_dns_name(container["name"]):
        raise _fail((*path, "name"), f"container name {container['name']!r} is not valid")
    ports = container.get("ports", [])
    check_port_names(ports, (*path, "ports"), required=False)
    for index, port in enumerate(ports):
        check_port(port["containerPort"], (*path, "ports", index, "containerPort"))
    check_resources(container.get("resources", {}), (*path, "resources"))
    for index, mount in enumerate(container.get("volumeMounts", [])):
        if mount["name"] not in volumes:
            raise _fail((*path, "volumeMounts", index), f"no volume named {mount['name']!r}")


def check_quantity(value: object, path: Path) -> None:
    if not isinstance(value, str) or parse_quantity(value) is None:
        raise _fail(path, f"{value!r} is not a Kubernetes quantity")


def check_resources(resources: Mapping[str, Any], path: Path) -> None:
    limits = resources.get("limits", {})
    requests = resources.get("requests", {})
    for group, values in (("limits", limits), ("requests", requests)):
        for name, value in values.items():
            check_quantity(value, (*path, group, name))
    for name in set(limits) & set(requests):
        if parse_quantity(requests[name]) > parse_quantity(limits[name]):  # type: ignore[operator]
            raise _fail((*path, "requests", name), f"request {requests[name]} exceeds the limit "
                        f"{limits[name]}")


def check_ingress(spec: Mapping[str, Any], path: Path) -> None:
    for index, rule in enumerate(spec.get("rules", [])):
        host = rule.get("host")
        if host is not None:
            bare = host[2:] if host.startswith("*.") else host
            if len(host) > 253 or not DNS1123_SUBDOMAIN_RE.match(bare):
                raise _fail((*path, "rules", index, "host"), f"{host!r} is not a DNS name")
        for p_index, entry in enumerate(rule["http"]["paths"]):
            check_port(entry["backend"]["service"]["port"]["number"],
                       (*path, "rules", index, "http", "paths", p_index))
            if not entry["path"].startswith("/"):
                raise _fail((*path, "rules", index), f"path {entry['path']!r} must be absolute")
