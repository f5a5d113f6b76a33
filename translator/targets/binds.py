"""What a bind mount becomes on a platform without the compose project's folder.

One decision table for every target that runs on a cluster (Kubernetes, Marathon); each
target says which outcomes it can express. In order:

1. an override: the environment file's ``services.<name>.mounts.<container path>`` (or
   ``defaults.mounts``), then Kompose's ``kompose.volume.type`` label
   (https://kompose.io/user-guide/#labels), when the target can honour it;
2. an absolute source where the environment allows host paths: a host path, as written;
3. the host's own state (a socket, /proc, /sys, /): dropped;
4. the service's own build context (a live-code mount): dropped, the image holds the code;
5. a source outside the project directory: a persistent claim, which starts empty;
6. configuration (a file, a read-only mount, a folder not at a data path) the loader
   read whole, on a platform that can ship files: a ConfigMap;
7. anything else (a read-write data folder, a missing source, configuration that cannot
   be shipped, said with a warning): a persistent claim.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Literal

from translator.model import Mount, Plan, PlannedService
from translator.model.hostfiles import HostSource

Outcome = Literal["configMap", "pvc", "emptyDir", "hostPath", "dropped"]
OUTCOMES: tuple[Outcome, ...] = ("configMap", "pvc", "emptyDir", "hostPath", "dropped")
TYPE_LABEL = "kompose.volume.type"
SUBPATH_LABEL = "kompose.volume.subpath"
# Kompose's spellings, and ours (the environment's ``pvc``).
_LABEL_VALUES: dict[str, Outcome] = {
    "configmap": "configMap", "persistentvolumeclaim": "pvc", "pvc": "pvc",
    "emptydir": "emptyDir", "hostpath": "hostPath",
}
# Path segments of configuration (nginx.conf.d, config, provisioning) and of data.
_CONFIG_WORDS = ("conf", "settings", "provisioning", "dashboards", "rules", "templates",
                 "initdb", "html", "www", "static", "certs", "ssl", "tls", "scripts")
_DATA_WORDS = frozenset({"data", "db", "database", "storage", "uploads", "media", "logs",
                         "log", "cache", "backup", "backups", "lib", "var", "tmp", "state"})


_UNSHIPPABLE = ("nested", "large", "unreadable", "project")


@dataclass(frozen=True)
class Decision:
    """What one bind becomes; ``why`` completes "becomes <outcome> (...)"; ``lost`` when
    something the compose file gave does not arrive (a warning, not an info)."""

    outcome: Outcome
    why: str
    lost: bool = False


def label_type(planned: PlannedService) -> Outcome | None:
    """The service's ``kompose.volume.type``, or None when unset or not a known type."""
    raw = planned.service.labels.get(TYPE_LABEL)
    return None if raw is None else _LABEL_VALUES.get(raw.strip().lower())


def override(plan: Plan, planned: PlannedService, mount: Mount) -> tuple[Outcome, str] | None:
    """The outcome asked for this mount, and where it was asked."""
    env = plan.environment
    own = env.services.get(planned.name)
    for where, settings in ((f"services.{planned.name}", own), ("defaults", env.defaults)):
        if settings is not None and mount.target in settings.mounts:
            asked = settings.mounts[mount.target]
            return ("pvc" if asked == "persistentVolumeClaim" else asked,
                    f"the environment's {where}.mounts")
    found = label_type(planned)
    return None if found is None else (found, f"the label {TYPE_LABEL}")


def decide(
    plan: Plan, planned: PlannedService, mount: Mount, can: frozenset[Outcome]
) -> Decision:
    """The outcome of bind ``mount`` on a target that can express ``can``."""
    asked = override(plan, planned, mount)
    refused = ""
    if asked is not None:
        outcome, where = asked
        problem = _cannot(plan, mount, outcome, can)
        if problem is None:
            return Decision(outcome, f"as {where} asks")
        refused = f"{where} asks for {outcome}, but {problem}; "
    found = _automatic(plan, planned, mount, can)
    if refused:
        return Decision(found.outcome, refused + found.why, lost=True)
    return found


def _cannot(plan: Plan, mount: Mount, outcome: Outcome, can: frozenset[Outcome]) -> str | None:
    """Why ``outcome`` cannot be honoured for ``mount``, or None."""
    if outcome not in can:
        return "the platform has no such volume"
    if outcome == "hostPath" and not plan.environment.allow_host_paths:
        return "the environment does not allow host paths (set allow_host_paths: true)"
    if outcome == "hostPath" and not is_absolute(mount):
        return "a host path must be absolute on the node"
    if outcome == "configMap" and not shippable(mount.host):
        return f"the source cannot be shipped ({_kind_text(mount.host)})"
    return None


def _automatic(plan: Plan, planned: PlannedService, mount: Mount, can: frozenset[Outcome]
               ) -> Decision:
    # A model built without the loader (the Python API) carries no host facts: unknown
    # sources are taken as missing ones.
    host = mount.host or HostSource(kind="missing")
    if plan.environment.allow_host_paths and "hostPath" in can and is_absolute(mount):
        return Decision("hostPath", "a path of the node, as the environment allows host paths")
    if host.kind == "system":
        return Decision("dropped", "it is the host's own state (a socket, device or system "
                        "path) and the environment does not allow host paths "
                        "(allow_host_paths)", lost=True)
    if is_build_context(planned, mount):
        return Decision("dropped", "it mounts the build context over the image built from it "
                        "(live code editing); the container runs the image's own copy")
    if host.kind == "outside" or (is_absolute(mount) and host.kind == "missing"):
        return Decision("pvc", f"its source is {_kind_text(host)}, so its files are not "
                        "carried; the volume starts empty")
    config = is_config(mount)
    if config and shippable(host) and "configMap" in can:
        why = "an existing file" if host.kind == "file" else "an existing folder"
        why += " mounted read-only" if mount.read_only else " of configuration (read-only now)"
        return Decision("configMap", why)
    if config and (shippable(host) or host.kind in _UNSHIPPABLE):
        reason = _kind_text(host) if not shippable(host) else "the platform cannot ship files"
        return Decision("pvc", f"its files cannot be shipped ({reason}), so the volume starts "
                        "empty: copy them into it, or build them into the image", lost=True)
    if host.kind == "missing":
        said = "does not exist yet" if mount.host is not None else "was not read"
        return Decision("pvc", f"its source {said}, as for a data folder")
    return Decision("pvc", "a read-write data folder")


def is_build_context(planned: PlannedService, mount: Mount) -> bool:
    """Whether the bind mounts the service's own build context (``build: ./app`` with
    ``./app:/usr/src/app``): a development mount of the code the image already holds."""
    build = planned.service.build
    if build is None or mount.source is None or "://" in build.context:
        return False
    return posixpath.normpath(build.context) == posixpath.normpath(mount.source)


def is_absolute(mount: Mount) -> bool:
    return (mount.source or "").startswith("/")


def shippable(host: HostSource | None) -> bool:
    """Whether the loader read the whole source (a file, or a flat folder with files)."""
    return host is not None and host.kind in ("file", "folder") and bool(host.files)


def is_config(mount: Mount) -> bool:
    """Configuration or content rather than data: a file, a read-only mount, a folder at a
    configuration path (``/etc/grafana/provisioning``), or any folder not at a data path
    (``/var/lib/mysql``, ``./data``)."""
    host = mount.host
    if mount.read_only or (host is not None and host.kind == "file"):
        return True
    target = [s.lower() for s in mount.target.split("/") if s]
    source = [s.lower() for s in (mount.source or "").split("/") if s not in ("", ".", "..")]
    if any(s in _DATA_WORDS for s in source):
        return False
    if target and _config_word(target[-1]):
        return True
    return not any(s in _DATA_WORDS for s in target)


def _config_word(segment: str) -> bool:
    return any(word in segment for word in _CONFIG_WORDS)


def _kind_text(host: HostSource | None) -> str:
    kind = host.kind if host is not None else "outside"
    return {
        "file": "a file", "folder": "an empty folder", "missing": "missing",
        "outside": "outside the project directory",
        "project": "the project directory itself, which holds the compose file and .env",
        "system": "the host's own state",
        "nested": "a folder with sub-folders, which a ConfigMap cannot hold",
        "large": "over the 1 MiB an object may hold",
        "unreadable": "unreadable",
    }[kind]


def how_to_change(service: str, target: str) -> str:
    """The sentence every bind diagnostic ends with."""
    return (f"to choose, map {target} to configMap, pvc, emptyDir or hostPath under "
            f"services.{service}.mounts in the environment file")
