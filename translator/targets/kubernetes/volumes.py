"""Volumes, tmpfs, bind mounts, configs and secrets: pod volumes and container mounts.

https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/volume/
Bind mounts are decided in :mod:`translator.targets.kubernetes.binds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.model import FileObject, FileReference, Mount, PlannedService
from translator.targets.kubernetes.binds import bind, check_type_label, volume_subpath
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import config_key, dns_name, join_name
from translator.targets.kubernetes.resources import memory_quantity


@dataclass
class PodVolumes:
    """What one service mounts. ``claims`` are project volume names needing a PVC or template."""

    volumes: dict[str, dict[str, Any]] = field(default_factory=dict)
    mounts: list[dict[str, Any]] = field(default_factory=list)
    # Project volume names, in first-use order (a dict: a set that keeps order).
    claims: dict[str, None] = field(default_factory=dict)
    # What bind mounts need beside the pod: (kind, name, template values) of ConfigMaps
    # and claims, and the names of those claims (ReadWriteOnce).
    bind_objects: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    rwo_claims: dict[str, None] = field(default_factory=dict)
    # The mount paths taken so far, so each new mount is checked in constant time.
    _paths: set[str] = field(default_factory=set)

    def add(self, name: str, source: dict[str, Any] | None, mount: dict[str, Any]) -> None:
        if source is not None:
            self.volumes.setdefault(name, {"name": name, **source})
        if mount["mountPath"] in self._paths:
            return  # compose refuses this too; the API server would reject duplicates
        self._paths.add(mount["mountPath"])
        self.mounts.append({"name": name, **mount})


def claim_name(ctx: Context, volume: str) -> str:
    declared = ctx.plan.project.volumes.get(volume)
    if declared is not None and declared.external and declared.name:
        return dns_name(declared.name)
    return dns_name(volume)


def file_object_name(obj: FileObject | None, source: str) -> str:
    """An external object keeps its own name; ours are named after the compose key."""
    if obj is not None and obj.external and obj.name:
        return dns_name(obj.name)
    return dns_name(source)


def volumes_handler(ctx: Context, unit: Unit) -> None:
    """volumes, tmpfs, shm_size, configs, secrets -> pod volumes; binds: ConfigMap or claim.

    Binds follow :mod:`translator.targets.binds` (ConfigMap, claim, emptyDir or hostPath).
    """
    check_type_label(ctx, unit.planned)
    found = unit.volumes = pod_volumes(ctx, unit.planned, stateful=unit.kind == "StatefulSet")
    unit.values["volumes"] = [found.volumes[k] for k in sorted(found.volumes)]
    unit.values["volume_mounts"] = found.mounts


def pod_volumes(ctx: Context, planned: PlannedService, stateful: bool) -> PodVolumes:
    out = PodVolumes()
    for index, mount in enumerate(planned.service.volumes):
        _mount(ctx, planned, out, index, mount, stateful)
    for index, mount in enumerate(planned.service.tmpfs):
        _tmpfs(out, f"tmpfs-{index}", mount)
    if planned.service.shm_size:
        # Pods get a 64M /dev/shm from the runtime; a memory emptyDir sizes it.
        source = {"medium": "Memory", "sizeLimit": memory_quantity(planned.service.shm_size)}
        out.add("dshm", {"emptyDir": source}, {"mountPath": "/dev/shm"})
    for index, ref in enumerate(planned.service.configs):
        _file_ref(ctx, planned, out, index, ref, "configs")
    for index, ref in enumerate(planned.service.secrets):
        _file_ref(ctx, planned, out, index, ref, "secrets")
    return out


def _mount(
    ctx: Context, planned: PlannedService, out: PodVolumes, index: int, mount: Mount,
    stateful: bool,
) -> None:
    base = _base_mount(mount)
    if mount.type == "volume" and mount.source and mount.source in ctx.plan.project.volumes:
        name = join_name("vol", claim_name(ctx, mount.source))
        subpath = (mount.volume and mount.volume.subpath) or volume_subpath(ctx, planned)
        if subpath:
            base["subPath"] = subpath
        if stateful:
            name = claim_name(ctx, mount.source)
            out.add(name, None, base)
        else:
            out.add(name, {"persistentVolumeClaim": {"claimName": claim_name(ctx, mount.source)}},
                    base)
        out.claims[mount.source] = None
    elif mount.type == "volume":
        ctx.warn(planned.name, "volumes", f"anonymous volume at {mount.target} becomes an "
                 "emptyDir: its data lives only as long as the pod", index)
        out.add(f"anon-{index}", {"emptyDir": {}}, base)
    elif mount.type == "tmpfs":
        _tmpfs(out, f"tmpfs-v{index}", mount)
    elif mount.type == "bind":
        bind(ctx, planned, out, index, mount, base)
    else:
        ctx.warn(planned.name, "volumes",
                 f"{mount.type} mounts have no Kubernetes volume; {mount.target} is dropped", index)


def _base_mount(mount: Mount) -> dict[str, Any]:
    base: dict[str, Any] = {"mountPath": mount.target}
    if mount.read_only:
        base["readOnly"] = True
    return base


def _tmpfs(out: PodVolumes, name: str, mount: Mount) -> None:
    # tmpfs is an emptyDir in memory: https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
    source: dict[str, Any] = {"medium": "Memory"}
    if mount.tmpfs is not None and mount.tmpfs.size:
        source["sizeLimit"] = memory_quantity(mount.tmpfs.size)
    out.add(name, {"emptyDir": source}, _base_mount(mount))


def propagation(ctx: Context, planned: PlannedService, index: int, mount: Mount) -> str | None:
    """Bind propagation as mountPropagation; Bidirectional needs a privileged container.

    https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation
    """
    wanted = mount.bind.propagation if mount.bind is not None else None
    if wanted in (None, "private", "rprivate"):
        return None
    if wanted in ("slave", "rslave"):
        return "HostToContainer"
    if planned.service.privileged:
        return "Bidirectional"
    ctx.warn(planned.name, "volumes", f"propagation {wanted} needs a privileged container; "
             "HostToContainer is used", index)
    return "HostToContainer"


def _file_ref(
    ctx: Context, planned: PlannedService, out: PodVolumes, index: int, ref: FileReference,
    key: str,
) -> None:
    is_secret = key == "secrets"
    objects = ctx.plan.project.secrets if is_secret else ctx.plan.project.configs
    obj = objects.get(ref.source)
    name = file_object_name(obj, ref.source)
    item_key = config_key(ref.source)
    target = _file_target(ref, is_secret)
    item: dict[str, Any] = {"key": item_key, "path": item_key}
    if ref.mode is not None:
        item["mode"] = ref.mode & 0o777
    if ref.uid is not None or ref.gid is not None:
        ctx.warn(planned.name, key, f"uid/gid of {ref.source} cannot be set per file; use the "
                 "pod's fsGroup", index)
    source: dict[str, Any] = (
        {"secret": {"secretName": name, "items": [item]}} if is_secret
        else {"configMap": {"name": name, "items": [item]}}
    )
    volume = join_name("secret" if is_secret else "config", name, str(index))
    out.add(volume, source, {"mountPath": target, "subPath": item_key, "readOnly": True})


def _file_target(ref: FileReference, is_secret: bool) -> str:
    """Compose's defaults: ``/run/secrets/<source>`` and ``/<source>``."""
    if is_secret:
        if ref.target is None:
            return f"/run/secrets/{ref.source}"
        return ref.target if ref.target.startswith("/") else f"/run/secrets/{ref.target}"
    target = ref.target or ref.source
    return target if target.startswith("/") else f"/{target}"
