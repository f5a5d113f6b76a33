"""Bind mounts on Marathon, by the decision table of :mod:`translator.targets.binds`.

Marathon cannot ship a project's files, so data and configuration folders become local
persistent volumes (https://mesosphere.github.io/marathon/docs/persistent-volumes.html),
scratch space a folder of the task sandbox (a relative host path), and host paths stay
host volumes where the environment allows them.
"""

from __future__ import annotations

import re
from typing import Any

from translator.model import Mount
from translator.model.base import mebibytes_ceil
from translator.targets.binds import Decision, Outcome, decide, how_to_change, shippable
from translator.targets.marathon.context import AppContext

CAN: frozenset[Outcome] = frozenset({"pvc", "emptyDir", "hostPath"})
# A persistent volume with no size in the environment gets this many MiB.
DEFAULT_VOLUME_MIB = 1024
_SEGMENT_BAD = re.compile(r"[^a-z0-9-]+")


def host_volume(container_path: str, host_path: str, read_only: bool) -> dict[str, Any]:
    return {"containerPath": container_path, "hostPath": host_path,
            "mode": "RO" if read_only else "RW"}


def segment(raw: str, fallback: str = "data") -> str:
    """One relative path segment of the sandbox (a persistent volume's containerPath)."""
    return _SEGMENT_BAD.sub("-", raw.lower()).strip("-") or fallback


def persistent(name: str, mib: int, target: str, read_only: bool) -> list[dict[str, Any]]:
    """A local persistent volume reached at ``target`` through a host volume whose hostPath
    is its sandbox segment: the pattern the Marathon docs give for absolute paths."""
    volume = {"containerPath": name, "mode": "RW", "persistent": {"type": "root", "size": mib}}
    return [volume, host_volume(target, name, read_only)]


def bind_volumes(ctx: AppContext, index: int, mount: Mount) -> tuple[list[dict[str, Any]], bool]:
    """The app volumes of one bind mount, and whether they make the app resident."""
    decision = decide(ctx.plan, ctx.planned, mount, CAN)
    if decision.outcome == "pvc" and mount.host is not None and mount.host.kind == "file":
        decision = Decision("dropped", "a persistent volume is a folder, not a file, and "
                            "Marathon cannot ship the file", lost=True)
    elif decision.outcome == "pvc" and decision.lost and shippable(mount.host):
        # An empty volume would hide the image's own files at that path.
        decision = Decision("dropped", "Marathon cannot ship the project's files, so the "
                            "image's own files stay at that path: build the files into the "
                            "image, or allow host paths and copy them to every agent", lost=True)
    volumes, made = _volumes(ctx, index, mount, decision)
    what = f"bind mount {mount.source} -> {mount.target}"
    verb = "is dropped" if decision.outcome == "dropped" else f"becomes {made}"
    message = f"{what} {verb} ({decision.why}); {how_to_change(ctx.name, mount.target)}"
    if decision.lost:
        ctx.lost("volumes", message, sub=(index,))
    else:
        ctx.info("volumes", message, index)
    return volumes, decision.outcome == "pvc"


def _volumes(ctx: AppContext, index: int, mount: Mount, decision: Decision
             ) -> tuple[list[dict[str, Any]], str]:
    if decision.outcome == "hostPath":
        return ([host_volume(mount.target, mount.source or "", mount.read_only)],
                f"a host volume {mount.source} (it must exist on every agent)")
    if decision.outcome == "emptyDir":
        name = segment(f"scratch-{index}")
        return ([host_volume(mount.target, name, mount.read_only)],
                f"the sandbox folder {name}, which lives as long as the task")
    if decision.outcome == "pvc":
        name = "bind-" + segment(mount.source or "", str(index))
        storage = ctx.plan.environment.volume_defaults
        mib = max(mebibytes_ceil(storage.size), 1) if storage.size else DEFAULT_VOLUME_MIB
        return (persistent(name, mib, mount.target, mount.read_only),
                f"the local persistent volume {name} ({mib} MiB)")
    return [], ""
