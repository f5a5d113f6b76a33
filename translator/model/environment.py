"""An environment: how the project is laid out in one place (local, uat, production).

An environment never names an artifact. It carries only topology: replicas,
mode, placement, resources, policies, exposure and storage.
"""

from __future__ import annotations

from typing import Literal

from translator.model.base import Bytes, Frozen, field
from translator.model.topology import (
    Constraint,
    Mode,
    Resources,
    RestartPolicy,
    Strategy,
    UpdateConfig,
)

Platform = Literal["kubernetes", "swarm", "marathon"]
ExposureType = Literal["internal", "node-port", "load-balancer", "ingress"]


class Exposure(Frozen):
    """How a service is reached from outside the cluster."""

    type: ExposureType = "internal"
    host: str | None = None
    path: str = "/"
    tls_secret: str | None = None
    ingress_class: str | None = None
    # Which container port the ingress or load balancer routes to; default: the first.
    port: int | None = None


class Storage(Frozen):
    """Size and class of a named volume's claim."""

    size: Bytes | None = None
    storage_class: str | None = None


class ServiceSettings(Frozen):
    """Topology overrides for one service, or the defaults for all. None means "not set"."""

    replicas: int | None = field(default=None, ge=0)
    mode: Mode | None = None
    strategy: Strategy | None = None
    constraints: tuple[Constraint, ...] | None = None
    max_replicas_per_node: int | None = field(default=None, ge=0)
    resources: Resources | None = None
    restart_policy: RestartPolicy | None = None
    update_config: UpdateConfig | None = None
    exposure: Exposure | None = None
    stateful: bool | None = None
    readiness_probe: bool | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


class SourcePositions(Frozen):
    """Where an environment file wrote each of its values, so that a diagnostic about a
    setting points at its line without the file being read again."""

    # The file as messages show it (relative to the working folder when under it).
    file: str
    # Every path of the file's data -> (line, column).
    positions: dict[tuple[str | int, ...], tuple[int, ...]] = field(default_factory=dict)

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, ...] | None:
        """The position of ``path``, else of its nearest ancestor in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return None


class Environment(Frozen):
    name: str = "local"
    platform: Platform = "kubernetes"
    # Kubernetes namespace, Marathon group path or Swarm stack name; None: the project name.
    namespace: str | None = None
    production: bool = False
    # The node attribute that ``strategy: spread`` spreads over (a zone label, say).
    spread_key: str = "node.hostname"
    allow_host_paths: bool = False
    defaults: ServiceSettings = field(default_factory=ServiceSettings)
    services: dict[str, ServiceSettings] = field(default_factory=dict)
    volume_defaults: Storage = field(default_factory=Storage)
    volumes: dict[str, Storage] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    # Positions in the file this environment was read from; None for the implied local.
    source: SourcePositions | None = None
