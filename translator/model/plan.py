"""A resolved plan: project + artifacts + environment, the one input of every renderer."""

from __future__ import annotations

from pydantic import Field

from translator.model.base import Frozen
from translator.model.environment import Autoscale, Environment, Exposure, Schedule, Storage
from translator.model.project import Project
from translator.model.service import Service
from translator.model.topology import Topology


class PlannedService(Frozen):
    """One service as it runs in one environment.

    ``service.artifact`` is already resolved (compose ``image:``, then the
    artifacts file, then ``--image``). ``topology`` is the compose ``deploy:``
    overlaid with the environment's defaults and per-service settings.
    """

    service: Service
    topology: Topology
    exposure: Exposure = Field(default_factory=Exposure)
    stateful: bool = False
    readiness_probe: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    schedule: Schedule | None = None
    autoscale: Autoscale | None = None
    pod: str | None = None
    service_annotations: dict[str, str] = Field(default_factory=dict)
    service_account: str | None = None

    @property
    def name(self) -> str:
        return self.service.name


class Plan(Frozen):
    project: Project
    environment: Environment
    # The services to render: all of them for ``convert``, one for ``deploy``.
    services: dict[str, PlannedService]
    # Effective storage of every named volume the project declares.
    storage: dict[str, Storage] = Field(default_factory=dict)

    @property
    def namespace(self) -> str:
        return self.environment.namespace or self.project.name
