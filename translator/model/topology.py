"""How a service is laid out: the part an environment may override.

Compose's ``deploy:`` section and an environment file both produce a
:class:`Topology`; the artifact never lives here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from translator.model.base import Bytes, Cpus, Frozen, Nanoseconds

Mode = Literal["replicated", "global", "replicated-job", "global-job"]
Strategy = Literal["spread", "binpack"]


class Constraint(Frozen):
    """A placement constraint such as ``node.labels.zone == eu-1``.

    ``key`` is the Swarm attribute (``node.role``, ``node.hostname``,
    ``node.labels.disk``, ``engine.labels.x``, ``node.platform.os``); see
    https://docs.docker.com/reference/cli/docker/service/create/#constraint.
    """

    key: str
    op: Literal["==", "!="]
    value: str

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.value}"


class Placement(Frozen):
    constraints: tuple[Constraint, ...] = ()
    # Swarm placement preferences: each is a ``spread`` over a node attribute.
    spread_over: tuple[str, ...] = ()
    max_replicas_per_node: int | None = Field(default=None, ge=0)
    strategy: Strategy | None = None


class DeviceRequest(Frozen):
    capabilities: tuple[str, ...] = ()
    driver: str | None = None
    count: int | None = None  # -1 means "all"
    device_ids: tuple[str, ...] = ()
    options: dict[str, str] = Field(default_factory=dict)


class GenericResource(Frozen):
    kind: str
    value: int


class ResourceSpec(Frozen):
    cpus: Cpus | None = None
    memory: Bytes | None = None
    pids: int | None = None
    devices: tuple[DeviceRequest, ...] = ()
    generic_resources: tuple[GenericResource, ...] = ()

    @property
    def empty(self) -> bool:
        return self == ResourceSpec()


class Resources(Frozen):
    limits: ResourceSpec = Field(default_factory=ResourceSpec)
    reservations: ResourceSpec = Field(default_factory=ResourceSpec)


class RestartPolicy(Frozen):
    # unless-stopped is the Compose engine's; Swarm knows the other three.
    condition: Literal["none", "on-failure", "any", "unless-stopped"] = "any"
    delay: Nanoseconds | None = None
    max_attempts: int | None = Field(default=None, ge=0)
    window: Nanoseconds | None = None


class UpdateConfig(Frozen):
    parallelism: int | None = Field(default=None, ge=0)
    delay: Nanoseconds | None = None
    failure_action: Literal["continue", "rollback", "pause"] | None = None
    monitor: Nanoseconds | None = None
    max_failure_ratio: float | None = Field(default=None, ge=0)
    order: Literal["start-first", "stop-first"] | None = None


class Topology(Frozen):
    """Replicas, mode, placement, resources and policies of one service."""

    mode: Mode = "replicated"
    # None means "not said": Compose's default of one replica applies.
    replicas: int | None = Field(default=None, ge=0)
    placement: Placement = Field(default_factory=Placement)
    resources: Resources = Field(default_factory=Resources)
    restart_policy: RestartPolicy | None = None
    update_config: UpdateConfig | None = None
    rollback_config: UpdateConfig | None = None
    endpoint_mode: Literal["vip", "dnsrr"] | None = None
    labels: dict[str, str] = Field(default_factory=dict)

    @property
    def effective_replicas(self) -> int:
        return 1 if self.replicas is None else self.replicas
