"""What a bind mount's source held when the project was loaded.

Targets never read the host: a platform that can ship a bind's files (a Kubernetes
ConfigMap) takes them from here, as configs take their text from ``FileObject.file_text``.
The loader reads only small, flat folders and files inside the project directory.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from translator.model.base import Frozen

# file / folder: read, ``files`` holds the content. missing: nothing there (Compose would
# create a folder). outside: beyond the project directory or the home folder, never read.
# system: /proc, /sys, /dev, /run or a socket, device or FIFO: the running host's state.
# project: the project directory itself (it holds the compose file and .env).
# nested: a folder with sub-folders. large: over the 1 MiB an API object may hold.
# unreadable: a permission or encoding problem.
HostKind = Literal[
    "file", "folder", "missing", "outside", "system", "project", "nested", "large", "unreadable"
]


class HostFile(Frozen):
    """One file of a bind source: UTF-8 ``text``, or ``binary`` (base64) for other bytes."""

    name: str
    text: str | None = Field(default=None, repr=False)
    binary: str | None = Field(default=None, repr=False)

    @property
    def size(self) -> int:
        """Bytes the file holds (what the API server counts against its object limit)."""
        if self.text is not None:
            return len(self.text.encode("utf-8"))
        encoded = self.binary or ""
        return len(encoded) * 3 // 4 - encoded[-2:].count("=")


class HostSource(Frozen):
    """A bind mount's source as found at load time."""

    kind: HostKind
    files: tuple[HostFile, ...] = ()

    @property
    def exists(self) -> bool:
        return self.kind != "missing"
