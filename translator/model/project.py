"""The whole compose project: services plus the top-level resources they use."""

from __future__ import annotations

from pydantic import Field

from translator.model.base import Frozen, JsonValue
from translator.model.service import Service


class Ipam(Frozen):
    driver: str | None = None
    config: tuple[dict[str, JsonValue], ...] = ()
    options: dict[str, str] = Field(default_factory=dict)


class Network(Frozen):
    name: str | None = None
    driver: str | None = None
    driver_opts: dict[str, str] = Field(default_factory=dict)
    external: bool = False
    internal: bool = False
    attachable: bool | None = None
    enable_ipv4: bool | None = None
    enable_ipv6: bool | None = None
    ipam: Ipam | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class Volume(Frozen):
    name: str | None = None
    driver: str | None = None
    driver_opts: dict[str, str] = Field(default_factory=dict)
    external: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    extensions: dict[str, JsonValue] = Field(default_factory=dict)


class FileObject(Frozen):
    """A top-level secret or config: from a file, an environment variable, inline content,
    or external. ``file`` stays relative to the project directory as written."""

    name: str | None = None
    file: str | None = None
    environment: str | None = None
    content: str | None = None
    external: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    driver: str | None = None
    driver_opts: dict[str, str] = Field(default_factory=dict)
    template_driver: str | None = None
    extensions: dict[str, JsonValue] = Field(default_factory=dict)
    # The text of ``file`` as read at load time (at most 1 MiB, the size Kubernetes allows
    # a ConfigMap or Secret); None when unreadable. Never written back to compose output,
    # and for secrets only rendered when values are embedded on request.
    file_text: str | None = Field(default=None, repr=False)


class Project(Frozen):
    name: str
    services: dict[str, Service] = Field(default_factory=dict)
    networks: dict[str, Network] = Field(default_factory=dict)
    volumes: dict[str, Volume] = Field(default_factory=dict)
    secrets: dict[str, FileObject] = Field(default_factory=dict)
    configs: dict[str, FileObject] = Field(default_factory=dict)
    # Top-level keys the model does not type (``models``), normalized JSON.
    extras: dict[str, JsonValue] = Field(default_factory=dict)
    extensions: dict[str, JsonValue] = Field(default_factory=dict)
    # The compose files read, relative to the project directory, in merge order.
    files: tuple[str, ...] = ()
