"""Reading bind mount sources for the targets that ship them (a ConfigMap holds a config
folder's files), so that no target reads the host.

Only what lies inside the project directory is read, and only a regular file or a flat
folder of regular files of at most 1 MiB in all (the API server's limit for one
ConfigMap). The running system's state (/proc, /sys, /dev, /run, sockets, devices, FIFOs)
is never opened, as for config and secret files; anything else is described, not read.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from translator.model.hostfiles import HostFile, HostKind, HostSource

# https://kubernetes.io/docs/concepts/configuration/configmap/#motivation: 1 MiB per object.
MAX_BYTES = 1024 * 1024
# A folder with more entries than this is no configuration folder; stop listing it.
MAX_ENTRIES = 1000
_SYSTEM_ROOTS = ("/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib/docker", "/lib/modules",
                 "/usr/src", "/boot")
# The host's own identity and clock, and its whole file system.
_SYSTEM_PATHS = frozenset({"/", "/etc/localtime", "/etc/timezone", "/etc/hostname",
                           "/etc/machine-id", "/etc/os-release", "/etc/passwd", "/etc/group",
                           "/etc/hosts", "/etc/resolv.conf"})


def attach_host_sources(services: Iterable[dict[str, Any]], base_dir: Path) -> None:
    """Set ``host`` on every bind mount of ``services`` (normalized mount dicts)."""
    seen: dict[str, HostSource] = {}
    for service in services:
        for mount in service.get("volumes") or ():
            if mount.get("type") != "bind" or not mount.get("source"):
                continue
            source = str(mount["source"])
            if source not in seen:
                seen[source] = host_source(source, base_dir)
            mount["host"] = seen[source]


def host_source(source: str, base_dir: Path) -> HostSource:
    """What ``source`` (a normalized bind source) is, read when it is project content."""
    if source.startswith(("~", "\\\\")) or source[1:2] == ":":
        return HostSource(kind="outside")  # the home folder, a UNC or Windows path
    project = os.path.realpath(base_dir)
    path = os.path.normpath(os.path.join(project, source))
    if path in _SYSTEM_PATHS or _under(path, _SYSTEM_ROOTS):
        return HostSource(kind="system")
    if path == project:
        return HostSource(kind="project")  # holds the compose file and .env: never shipped
    try:
        info = os.stat(path)
    except OSError:
        return HostSource(kind="missing" if not os.path.lexists(path) else "unreadable")
    real = os.path.realpath(path)
    if _under(real, _SYSTEM_ROOTS) or not (stat.S_ISREG(info.st_mode)
                                            or stat.S_ISDIR(info.st_mode)):
        return HostSource(kind="system")
    if not _under(real, (project,)):
        return HostSource(kind="outside")
    if stat.S_ISREG(info.st_mode):
        return _file_source(real, os.path.basename(path))
    return _folder_source(real, project)


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _file_source(path: str, name: str) -> HostSource:
    found = _read(path, name)
    if isinstance(found, str):
        return HostSource(kind=found)
    return HostSource(kind="file", files=(found,))


def _folder_source(path: str, project: str) -> HostSource:
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return HostSource(kind="unreadable")
    if len(entries) > MAX_ENTRIES:
        return HostSource(kind="large")
    files: list[HostFile] = []
    total = 0
    for entry in entries:
        kind = _entry_kind(entry, project)
        if kind is not None:
            return HostSource(kind=kind)
        found = _read(entry.path, entry.name, MAX_BYTES - total)
        if isinstance(found, str):
            return HostSource(kind=found)
        total += found.size + len(entry.name)
        files.append(found)
    return HostSource(kind="folder", files=tuple(files))


def _entry_kind(entry: os.DirEntry[str], project: str) -> HostKind | None:
    """Why the folder holding ``entry`` cannot be read as flat project files, or None."""
    real = os.path.realpath(entry.path)
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISDIR(mode):
        return "nested"
    if not stat.S_ISREG(mode) or _under(real, _SYSTEM_ROOTS):
        return "system"
    return None if _under(real, (project,)) else "outside"


def _read(path: str, name: str, limit: int = MAX_BYTES) -> HostFile | HostKind:
    """The file's content; opened non-blocking and checked again after opening, so that a
    FIFO swapped in meanwhile cannot make the read hang."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return "unreadable"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "system"
        data = handle.read(limit + 1)
    if len(data) + len(name) > limit:
        return "large"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # ConfigMap ``data`` is text; bytes go to binaryData
        return HostFile(name=name, binary=base64.b64encode(data).decode("ascii"))
    return HostFile(name=name, text=text)
