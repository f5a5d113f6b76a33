"""Top-level networks, volumes, secrets and configs of a stack: only those the services use.

v3 reference: https://docs.docker.com/reference/compose-file/legacy-versions/ and
https://docs.docker.com/engine/swarm/networking/ (stacks create overlay networks).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any, Literal

from translator.model import FileObject, Network, Service
from translator.model.project import Ipam
from translator.targets.swarm.common import StackContext

# Drivers that only exist on one engine; a stack's networks span the swarm.
_LOCAL_DRIVERS = ("bridge",)


def networks_used(services: Sequence[Service]) -> list[str]:
    """Networks in first-use order; ``default`` when a service names none (stack deploy adds it)."""
    used: list[str] = []
    for service in services:
        for name in service.networks or {"default": None}:
            if name not in used:
                used.append(name)
    return used


def render_networks(ctx: StackContext, used: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in used:
        network = ctx.plan.project.networks.get(name)
        if network is None:
            continue  # "default" undeclared: docker stack deploy creates it as an overlay network
        out[name] = _network(ctx, name, network)
    return out


def _network(ctx: StackContext, name: str, net: Network) -> dict[str, Any]:
    if net.external:
        return {"external": True, "name": net.name or name}
    path = ("networks", name)
    out: dict[str, Any] = {}
    if net.name is not None:
        out["name"] = net.name
    driver = net.driver or "overlay"
    if driver in _LOCAL_DRIVERS:
        ctx.lost(
            "driver",
            f"network driver {driver} becomes overlay: stack networks span nodes",
            (*path, "driver"),
        )
        driver = "overlay"
    out["driver"] = driver
    if net.driver_opts:
        out["driver_opts"] = dict(net.driver_opts)
    if net.ipam is not None:
        ipam = _ipam(ctx, name, net.ipam)
        if ipam:
            out["ipam"] = ipam
    if net.internal:
        out["internal"] = True
    if net.attachable is not None:
        out["attachable"] = net.attachable
    if net.labels:
        out["labels"] = dict(net.labels)
    for key in ("enable_ipv4", "enable_ipv6"):
        if getattr(net, key) is not None:
            ctx.lost(key, f"{key} is dropped: the v3 stack format has none", (*path, key))
    return out


def _ipam(ctx: StackContext, name: str, ipam: Ipam) -> dict[str, Any]:
    """The v3 stack format keeps only the IPAM driver and each pool's subnet."""
    out: dict[str, Any] = {}
    if ipam.driver is not None:
        out["driver"] = ipam.driver
    subnets = [{"subnet": c["subnet"]} for c in ipam.config if isinstance(c.get("subnet"), str)]
    if subnets:
        out["config"] = subnets
    if ipam.options or any(set(c) - {"subnet"} for c in ipam.config):
        message = "ipam options other than driver and subnet are dropped"
        ctx.lost("ipam", message, ("networks", name, "ipam"))
    return out


def render_volumes(ctx: StackContext, services: Sequence[Service]) -> dict[str, Any]:
    plan = ctx.plan
    used = {m.source for s in services for m in s.volumes if m.type == "volume" and m.source}
    out: dict[str, Any] = {}
    for name, volume in plan.project.volumes.items():
        if name not in used:
            continue
        storage = plan.storage.get(name)
        if storage is not None and (storage.size is not None or storage.storage_class):
            # A Swarm volume is created by its driver on each node; size and class are
            # driver options only some drivers take, so the environment's request is lost.
            message = f"volume {name}: the environment's size and storage class are dropped"
            ctx.lost("storage", message, ("volumes", name))
        if volume.external:
            out[name] = {"external": True, "name": volume.name or name}
            continue
        entry: dict[str, Any] = {}
        if volume.name is not None:
            entry["name"] = volume.name
        if volume.driver is not None:
            entry["driver"] = volume.driver
        if volume.driver_opts:
            entry["driver_opts"] = dict(volume.driver_opts)
        if volume.labels:
            entry["labels"] = dict(volume.labels)
        out[name] = entry or None
    return out


def file_objects(
    ctx: StackContext,
    kind: Literal["secrets", "configs"],
    services: Sequence[Service],
    project_dir: str,
) -> tuple[dict[str, Any], set[str]]:
    """The used secrets (or configs) as the stack defines them, and the names it cannot define.

    Swarm creates them from a file or finds them external; compose-spec ``environment:`` and
    ``content:`` sources have no stack form (https://docs.docker.com/engine/swarm/secrets/).
    """
    used = {r.source for s in services for r in getattr(s, kind)}
    declared: dict[str, FileObject] = getattr(ctx.plan.project, kind)
    out: dict[str, Any] = {}
    bad: set[str] = set()
    for name, obj in declared.items():
        if name not in used:
            continue
        entry = _file_object(kind, obj, name, project_dir)
        if entry is None:
            bad.add(name)
            source = "environment" if obj.environment is not None else "content"
            ctx.lost(
                source,
                f"{kind[:-1]} {name} is dropped: a stack cannot create one "
                f"from {source}; create it first and mark it external",
                (kind, name, source),
            )
            continue
        out[name] = entry
    return out, bad


def _file_object(kind: str, obj: FileObject, name: str, project_dir: str) -> dict[str, Any] | None:
    if obj.external:
        return {"external": True, "name": obj.name or name}
    if obj.file is None and (kind == "configs" or obj.driver is None):
        return None
    out: dict[str, Any] = {}
    if obj.name is not None:
        out["name"] = obj.name
    if obj.file is not None:
        out["file"] = relative_file(obj.file, project_dir)
    if obj.labels:
        out["labels"] = dict(obj.labels)
    if kind == "secrets" and obj.driver is not None:
        out["driver"] = obj.driver
        if obj.driver_opts:
            out["driver_opts"] = dict(obj.driver_opts)
    if obj.template_driver is not None:
        out["template_driver"] = obj.template_driver
    return out


def relative_file(path: str, project_dir: str) -> str:
    """A ``file:`` path as the stack file must say it (see translator.targets.swarm.target)."""
    if not project_dir or path.startswith("/"):
        return path
    return posixpath.normpath(posixpath.join(project_dir, path))
