"""Bind mounts on Kubernetes: a ConfigMap, a PersistentVolumeClaim, an emptyDir or a
hostPath, by the decision table of :mod:`translator.targets.binds`.

ConfigMap volumes: https://kubernetes.io/docs/concepts/storage/volumes/#configmap
(a single file is mounted with ``subPath``, which keeps the folder around it).
Claims: https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from translator.model import Mount, PlannedService
from translator.model.hostfiles import HostFile
from translator.targets.binds import (
    SUBPATH_LABEL,
    TYPE_LABEL,
    Decision,
    Outcome,
    decide,
    how_to_change,
    label_type,
)
from translator.targets.kubernetes.context import Context
from translator.targets.kubernetes.names import CONFIG_KEY_RE, config_key, dns_name, join_name
from translator.targets.kubernetes.resources import memory_quantity

if TYPE_CHECKING:
    from translator.targets.kubernetes.volumes import PodVolumes

CAN: frozenset[Outcome] = frozenset({"configMap", "pvc", "emptyDir", "hostPath"})
DEFAULT_CLAIM_SIZE = "1Gi"
_WORDS = {"configMap": "a ConfigMap", "pvc": "a PersistentVolumeClaim",
          "emptyDir": "an emptyDir", "hostPath": "a hostPath"}


def bind(ctx: Context, planned: PlannedService, out: PodVolumes, index: int, mount: Mount,
         base: dict[str, Any]) -> None:
    """One bind mount: decided, then added to the pod with the objects it needs."""
    decision = decide(ctx.plan, planned, mount, CAN)
    if decision.outcome == "configMap" and not _config_map(ctx, planned, out, index, mount):
        decision = Decision("pvc", "its file names cannot all be ConfigMap keys, so the claim "
                            "starts empty", lost=True)
    made = _add(ctx, planned, out, index, mount, base, decision)
    what = f"bind mount {mount.source} -> {mount.target}"
    if decision.outcome == "dropped":
        message = f"{what} is dropped: {decision.why}; {how_to_change(planned.name, mount.target)}"
    else:
        message = (f"{what} becomes {made} ({decision.why}); "
                   f"{how_to_change(planned.name, mount.target)}")
    if decision.lost:
        ctx.warn(planned.name, "volumes", message, index)
    else:
        ctx.info(planned.name, "volumes", message, index)


def _add(ctx: Context, planned: PlannedService, out: PodVolumes, index: int, mount: Mount,
         base: dict[str, Any], decision: Decision) -> str:
    """Adds the pod volume of ``decision`` (a ConfigMap's is already added); what it made."""
    if decision.outcome == "configMap":
        return f"the ConfigMap {out.bind_objects[-1][1]}, read-only"
    if decision.outcome == "emptyDir":
        out.add(f"bind-{index}", {"emptyDir": {}}, base)
    elif decision.outcome == "hostPath":
        from translator.targets.kubernetes.volumes import propagation

        wanted = propagation(ctx, planned, index, mount)
        if wanted is not None:
            base["mountPropagation"] = wanted
        out.add(f"host-{index}", {"hostPath": {"path": mount.source or ""}}, base)
        return f"a hostPath {mount.source} (it must exist on every node that may run the pod)"
    elif decision.outcome == "pvc":
        name = claim_for_bind(ctx, planned, out, index, mount)
        if mount.host is not None and mount.host.kind == "file":
            base["subPath"] = posixpath.basename(mount.source or "")
        subpath = volume_subpath(ctx, planned)
        if subpath is not None and "subPath" not in base:
            base["subPath"] = subpath
        out.add(f"bind-{index}", {"persistentVolumeClaim": {"claimName": name}}, base)
        return f"the PersistentVolumeClaim {name}"
    return _WORDS.get(decision.outcome, decision.outcome)


def _slug(source: str) -> str:
    parts = [p for p in source.split("/") if p not in ("", ".")]
    return "-".join("up" if p == ".." else p for p in parts) or "project"


def _object_name(ctx: Context, planned: PlannedService, out: PodVolumes, index: int,
                 mount: Mount) -> str:
    """``<service>-<source path>``; ``-bind`` added when a compose volume or config already
    has the name, and the mount's index when another bind of the service has it."""
    name = join_name(ctx.name_of(planned.name), _slug(mount.source or ""))
    if name in ctx.project_object_names:
        name = join_name(name, "bind")
    if any(made == name for _, made, _ in out.bind_objects):
        name = join_name(name, str(index))
    return name


def claim_for_bind(ctx: Context, planned: PlannedService, out: PodVolumes, index: int,
                   mount: Mount) -> str:
    name = _object_name(ctx, planned, out, index, mount)
    storage = ctx.plan.environment.volume_defaults
    values = {"size": memory_quantity(storage.size) if storage.size else DEFAULT_CLAIM_SIZE,
              "storage_class": dns_name(storage.storage_class) if storage.storage_class
              else None}
    out.bind_objects.append(("PersistentVolumeClaim", name, values))
    out.rwo_claims[name] = None
    return name


def _config_map(ctx: Context, planned: PlannedService, out: PodVolumes, index: int,
                mount: Mount) -> bool:
    """The ConfigMap of the bind's files and its read-only mount; False when two files
    would share a key."""
    host = mount.host
    assert host is not None  # decide() chose configMap: the loader read the files
    keys = {f.name: config_key(f.name) for f in host.files}
    if len(set(keys.values())) != len(keys):
        return False
    name = _object_name(ctx, planned, out, index, mount)
    data = {keys[f.name]: f.text for f in host.files if f.text is not None}
    binary = {keys[f.name]: f.binary for f in host.files if f.binary is not None}
    out.bind_objects.append(("ConfigMap", name, {"data": data, "binary_data": binary or None}))
    source: dict[str, Any] = {"name": name}
    mounted: dict[str, Any] = {"mountPath": mount.target, "readOnly": True}
    if host.kind == "file":
        key = keys[host.files[0].name]
        source["items"] = [{"key": key, "path": key}]
        mounted["subPath"] = key
    elif any(not CONFIG_KEY_RE.match(f.name) for f in host.files):
        source["items"] = [{"key": keys[f.name], "path": f.name} for f in _sorted(host.files)]
    out.add(join_name("bind", str(index)), {"configMap": source}, mounted)
    return True


def _sorted(files: tuple[HostFile, ...]) -> list[HostFile]:
    return sorted(files, key=lambda f: f.name)


def volume_subpath(ctx: Context, planned: PlannedService) -> str | None:
    """``kompose.volume.subpath``: a relative path inside the claim, as the API server
    requires (no ``..``, not absolute)."""
    raw = planned.service.labels.get(SUBPATH_LABEL)
    if raw is None:
        return None
    value = raw.strip()
    if not value or value.startswith("/") or ".." in value.split("/"):
        ctx.warn(planned.name, "labels", f"{SUBPATH_LABEL} {raw!r} must be a relative path "
                 "inside the volume, without '..'; ignored", SUBPATH_LABEL)
        return None
    return value


def check_type_label(ctx: Context, planned: PlannedService) -> None:
    """A ``kompose.volume.type`` we cannot use is a warning at the label."""
    raw = planned.service.labels.get(TYPE_LABEL)
    if raw is not None and label_type(planned) is None:
        ctx.warn(planned.name, "labels", f"{TYPE_LABEL} {raw!r} is not configMap, "
                 "persistentVolumeClaim, emptyDir or hostPath; ignored", TYPE_LABEL)
    elif raw is not None and not any(m.type == "bind" for m in planned.service.volumes):
        ctx.warn(planned.name, "labels", f"{TYPE_LABEL} chooses what a bind mount becomes; "
                 "the service has none, so it is ignored", TYPE_LABEL)
