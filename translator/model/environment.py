"""An environment: how the project is laid out in one place (local, uat, production).

An environment never names an artifact. It carries only topology: replicas,
mode, placement, resources, policies, exposure and storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from translator.model.base import Bytes, FromText, Frozen
from translator.model.topology import (
    Constraint,
    Resources,
    RestartPolicy,
    Strategy,
    UpdateConfig,
)

# A file writes a constraint as text (``node.labels.zone == eu-1``): see FromText.
WrittenConstraint = Annotated[Constraint, BeforeValidator(FromText("constraint"))]
ExposureType = Literal["internal", "node-port", "load-balancer", "ingress"]
# What a bind mount becomes, as Kompose's ``kompose.volume.type`` label names it
# (https://kompose.io/user-guide/#labels); ``pvc`` is short for persistentVolumeClaim.
MountType = Literal["configMap", "pvc", "persistentVolumeClaim", "emptyDir", "hostPath"]


class Exposure(Frozen):
    """How a service is reached from outside the cluster."""

    type: ExposureType = "internal"
    host: str | None = None
    path: str = "/"
    tls_secret: str | None = None
    ingress_class: str | None = None
    # Which container port the ingress or load balancer routes to; default: the first.
    port: Annotated[int, Field(ge=1, le=65535)] | None = None


class Storage(Frozen):
    """Size and class of a named volume's claim."""

    size: Bytes | None = None
    storage_class: str | None = None


class Schedule(Frozen):
    """Run the service to completion on a schedule (a Kubernetes CronJob) instead of
    keeping it running. Kompose's ``kompose.cronjob.*`` labels say the same."""

    cron: str = Field(description="Five cron fields (minute hour day month weekday) or a "
                      "macro such as @daily, as a Kubernetes CronJob schedule takes them.")
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] | None = Field(
        default=None, description="A run still going when the next is due: run both "
        "(Allow), skip the new one (Forbid) or replace the old one (Replace).")
    backoff_limit: int | None = Field(
        default=None, ge=0, description="Retries of a failed run before it counts as failed.")


class Autoscale(Frozen):
    """Scale the replica count with load (a Kubernetes HorizontalPodAutoscaler).
    Kompose's ``kompose.hpa.*`` labels say the same."""

    min_replicas: int = Field(default=1, ge=1, description="The fewest replicas.")
    max_replicas: int = Field(ge=1, description="The most replicas; at least min_replicas.")
    cpu_percent: int | None = Field(
        default=None, ge=1, description="Target average CPU use, in percent of the request.")
    memory_percent: int | None = Field(
        default=None, ge=1, description="Target average memory use, in percent of the request.")

    @model_validator(mode="after")
    def _bounds(self) -> Autoscale:
        if self.max_replicas < self.min_replicas:
            raise ValueError("max_replicas must be at least min_replicas")
        return self


class ServiceSettings(Frozen):
    """Topology overrides for one service, or the defaults for all. None means "not set"."""

    replicas: int | None = Field(default=None, ge=0)
    # An environment switches a service between replicated and global; jobs stay as
    # compose declares them.
    mode: Literal["replicated", "global"] | None = None
    strategy: Strategy | None = None
    constraints: tuple[WrittenConstraint, ...] | None = None
    max_replicas_per_node: int | None = Field(default=None, ge=0)
    resources: Resources | None = None
    restart_policy: RestartPolicy | None = None
    update_config: UpdateConfig | None = None
    exposure: Exposure | None = None
    stateful: bool | None = None
    readiness_probe: bool | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    schedule: Schedule | None = None
    autoscale: Autoscale | None = None
    pod: str | None = Field(default=None, description="Services naming the same pod run "
                            "as containers of one pod (Kompose's kompose.service.group).")
    service_annotations: dict[str, str] = Field(
        default_factory=dict, description="Annotations of the service's network endpoint "
        "only (a Kubernetes Service: cloud load-balancer settings).")
    service_account: str | None = Field(
        default=None, description="The identity the service's pods run as (a Kubernetes "
        "service account name; Kompose's kompose.serviceaccount-name).")
    mounts: dict[str, MountType] = Field(
        default_factory=dict,
        description=(
            "What a bind mount becomes, by its path in the container: configMap (the "
            "files, read-only), pvc (an empty claim), emptyDir (scratch space for the "
            "pod's life) or hostPath (the node's path; needs allow_host_paths). Unset: "
            "existing configuration becomes a ConfigMap, data a PersistentVolumeClaim."
        ),
    )


class SourcePositions(Frozen):
    """Where an environment file wrote each of its values, so that a diagnostic about a
    setting points at its line without the file being read again."""

    # The file as messages show it (relative to the working folder when under it).
    file: str
    # Every path of the file's data -> (line, column).
    positions: dict[tuple[str | int, ...], tuple[int, ...]] = Field(default_factory=dict)

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, ...] | None:
        """The position of ``path``, else of its nearest ancestor in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return None


class Environment(Frozen):
    """How the project is laid out in one environment (topology only)."""

    # From the file name (``environments/<name>.yaml``), never written in the file.
    name: str = "local"
    # A target's name. The model knows no target: whoever validates a file passes the
    # registry's names as ``context={"platforms": [...]}`` (see _known_platform).
    platform: str = "kubernetes"
    # Kubernetes namespace, Marathon group path or Swarm stack name; None: the project name.
    namespace: str | None = None
    production: bool = False
    # The node attribute that ``strategy: spread`` spreads over (a zone label, say).
    spread_key: str = "node.hostname"
    allow_host_paths: bool = Field(
        default=False,
        description=(
            "Let bind mounts become host paths (Kubernetes hostPath, Marathon host volumes): "
            "the path must then exist on every node. Off: a bind becomes a ConfigMap or a "
            "claim, and a bind of the host's state (a socket, /proc) is dropped."
        ),
    )
    defaults: ServiceSettings = Field(default_factory=ServiceSettings)
    services: dict[str, ServiceSettings] = Field(default_factory=dict)
    volume_defaults: Storage = Field(default_factory=Storage)
    volumes: dict[str, Storage] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    # Positions in the file this environment was read from (None for the implied local).
    # Private: set by whoever read the file, never by the file itself, and no part of the
    # schema or of a dump.
    _source: SourcePositions | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourcePositions | None:
        return self._source

    def with_source(self, source: SourcePositions) -> Environment:
        """This environment, remembering where its file wrote each value."""
        copy = self.model_copy()
        copy._source = source
        return copy

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str, info: ValidationInfo) -> str:
        known = info.context.get("platforms") if info.context else None
        if known is not None and value not in known:
            # Worded as pydantic words a Literal that does not match.
            raise PydanticCustomError(
                "literal_error", "Input should be {expected}", {"expected": _choices(known)}
            )
        return value


def _choices(names: Sequence[str]) -> str:
    quoted = [repr(name) for name in names]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
