"""Resources as Kubernetes quantities: CPU in millicores, memory in binary units.

https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
Kompose writes memory as raw bytes; we write the largest binary unit that
divides the size exactly, else the plain number of bytes: never a rounded value.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import Any

from translator.model import PlannedService, ResourceSpec
from translator.model.topology import DeviceRequest
from translator.targets.kubernetes.context import Context, Unit

QUANTITY_RE = re.compile(
    r"^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$"
)
_BINARY = (("Ei", 1 << 60), ("Pi", 1 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20))
_SUFFIX = {
    "Ki": Decimal(1 << 10), "Mi": Decimal(1 << 20), "Gi": Decimal(1 << 30),
    "Ti": Decimal(1 << 40), "Pi": Decimal(1 << 50), "Ei": Decimal(1 << 60),
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
}


def memory_quantity(size: int) -> str:
    """``268435456`` -> ``256Mi``, ``1000`` -> ``1000``: exact, in the largest unit that fits."""
    for suffix, unit in _BINARY:
        if size >= unit and size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)


def cpu_millis(cpus: Decimal) -> int:
    """Milli-CPUs, rounded up: Kubernetes holds no finer CPU amount than 1m.

    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu
    """
    return int((cpus * 1000).to_integral_value(ROUND_CEILING))


# Pure, and the same few CPU values recur on every service.
@lru_cache(maxsize=4096)
def cpu_quantity(cpus: Decimal) -> str:
    """``0.5`` -> ``500m``, ``2`` -> ``2``; a finer amount is rounded up to whole millicores."""
    milli = cpu_millis(cpus)
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"


@lru_cache(maxsize=4096)  # pure, and the same few quantities recur on every object
def parse_quantity(text: str) -> Decimal | None:
    """The value of a quantity string, or None when it is not one."""
    match = QUANTITY_RE.match(text)
    if match is None:
        return None
    number = text[: match.start(3)] if match.group(3) else text
    suffix = match.group(3) or ""
    if suffix not in _SUFFIX:  # an exponent ("1e3"); "E" and "Ei" are exa and exbi
        return Decimal(text)
    return Decimal(number) * _SUFFIX[suffix]


def _spec(spec: ResourceSpec) -> dict[str, str]:
    out: dict[str, str] = {}
    if spec.cpus:
        out["cpu"] = cpu_quantity(spec.cpus)
    if spec.memory:
        out["memory"] = memory_quantity(spec.memory)
    return out


def _effective(planned: PlannedService) -> tuple[ResourceSpec, ResourceSpec]:
    """deploy.resources, else the engine keys ``cpus``/``mem_limit``/``mem_reservation``."""
    res = planned.topology.resources
    svc = planned.service
    limits, requests = res.limits, res.reservations
    if limits.cpus is None and svc.cpus:
        limits = limits.model_copy(update={"cpus": svc.cpus})
    if limits.memory is None and svc.mem_limit:
        limits = limits.model_copy(update={"memory": svc.mem_limit})
    if requests.memory is None and svc.mem_reservation:
        requests = requests.model_copy(update={"memory": svc.mem_reservation})
    return limits, requests


def container_resources(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    """``resources`` of the container; a request above its limit is clamped, with a warning."""
    limits_spec, requests_spec = _effective(planned)
    _warn_unmapped(ctx, planned, limits_spec, requests_spec)
    _warn_rounded(ctx, planned, limits_spec, requests_spec)
    limits, requests = _spec(limits_spec), _spec(requests_spec)
    for res in sorted(set(limits) & set(requests)):
        lim, req = parse_quantity(limits[res]), parse_quantity(requests[res])
        if lim is not None and req is not None and req > lim:
            ctx.warn(
                planned.name, "deploy",
                f"{res} reservation {requests[res]} exceeds its limit {limits[res]}; "
                "Kubernetes refuses requests above limits, so the request is set to the limit",
                "resources", "reservations",
            )
            requests[res] = limits[res]
    gpus = _gpus(requests_spec)
    if gpus:
        limits["nvidia.com/gpu"] = str(gpus)
    out: dict[str, Any] = {}
    if limits:
        out["limits"] = limits
    if requests:
        out["requests"] = requests
    return out


def resources_handler(ctx: Context, unit: Unit) -> None:
    """cpus, mem_limit, mem_reservation, deploy.resources -> the container's resources."""
    unit.values["resources"] = container_resources(ctx, unit.planned)


GPU_DRIVERS = (None, "nvidia")


def _gpu_count(device: DeviceRequest) -> int | None:
    """An NVIDIA GPU reservation with a count, else None (all GPUs, other devices)."""
    if "gpu" in device.capabilities and device.driver in GPU_DRIVERS and device.count:
        return device.count if device.count > 0 else None
    return None


def _gpus(spec: ResourceSpec) -> int:
    """GPUs are an extended resource, set as a limit only.

    https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/
    """
    return sum(_gpu_count(d) or 0 for d in spec.devices)


def _warn_rounded(
    ctx: Context, planned: PlannedService, limits: ResourceSpec, requests: ResourceSpec
) -> None:
    own = planned.topology.resources
    for kind, spec, written in (
        ("limits", limits, own.limits.cpus), ("reservations", requests, own.reservations.cpus)
    ):
        if not spec.cpus or not spec.cpus * 1000 % 1:
            continue
        # The engine key ``cpus:`` stands in when deploy.resources says nothing.
        key, path = ("deploy", ("resources", kind, "cpus")) if written else ("cpus", ())
        ctx.warn(planned.name, key, f"cpus {spec.cpus:f} is rounded up to "
                 f"{cpu_quantity(spec.cpus)}: Kubernetes holds no CPU amount finer than a "
                 "millicore", *path)


def _warn_unmapped(
    ctx: Context, planned: PlannedService, limits: ResourceSpec, requests: ResourceSpec
) -> None:
    for kind, spec in (("limits", limits), ("reservations", requests)):
        if spec.pids is not None:
            ctx.warn(planned.name, "deploy", "pids has no container resource in Kubernetes",
                     "resources", kind, "pids")
        if [d for d in spec.devices if _gpu_count(d) is None] or spec.generic_resources:
            ctx.warn(planned.name, "deploy",
                     "devices and generic resources need a device plugin's extended resource "
                     "name; they are not mapped", "resources", kind)
