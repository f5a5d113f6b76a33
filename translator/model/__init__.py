"""The platform-neutral topology model. It imports neither ``compose`` nor ``targets``."""

from __future__ import annotations

from translator.model.artifact import Artifact, ImageReferenceError, parse_reference
from translator.model.environment import (
    Autoscale,
    Environment,
    Exposure,
    Schedule,
    ServiceSettings,
    Storage,
)
from translator.model.plan import Plan, PlannedService
from translator.model.project import FileObject, Network, Project, Volume
from translator.model.service import (
    Build,
    Dependency,
    EnvFile,
    ExposedPort,
    FileReference,
    Healthcheck,
    HealthTest,
    Logging,
    Mount,
    Port,
    PortRange,
    Service,
    ServiceNetwork,
    Ulimit,
)
from translator.model.topology import (
    Constraint,
    Placement,
    Resources,
    ResourceSpec,
    RestartPolicy,
    Topology,
    UpdateConfig,
)

__all__ = [
    "Artifact",
    "Autoscale",
    "Build",
    "Constraint",
    "Dependency",
    "EnvFile",
    "Environment",
    "ExposedPort",
    "Exposure",
    "FileObject",
    "FileReference",
    "HealthTest",
    "Healthcheck",
    "ImageReferenceError",
    "Logging",
    "Mount",
    "Network",
    "Placement",
    "Plan",
    "PlannedService",
    "Port",
    "PortRange",
    "Project",
    "ResourceSpec",
    "Resources",
    "RestartPolicy",
    "Schedule",
    "Service",
    "ServiceNetwork",
    "ServiceSettings",
    "Storage",
    "Topology",
    "Ulimit",
    "UpdateConfig",
    "Volume",
    "parse_reference",
]
