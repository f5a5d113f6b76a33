"""The state of one Kubernetes render (plan, options, names, diagnostics) and of one
service being rendered (the template values its key handlers fill)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from translator.errors import Diagnostic, Diagnostics, PathPart, Severity, TranslatorError
from translator.model import Plan, PlannedService, Port
from translator.targets.base import RenderOptions
from translator.targets.kubernetes.names import dns_name

if TYPE_CHECKING:
    from translator.targets.base import Target
    from translator.targets.kubernetes.volumes import PodVolumes

TARGET_NAME = "kubernetes"
# The template values of one service: what the handlers computed, by template variable.
Values = dict[str, Any]


@dataclass
class Context:
    plan: Plan
    options: RenderOptions
    diagnostics: Diagnostics
    target: Target
    # compose service name -> object name
    names: dict[str, str] = field(default_factory=dict)
    # compose service name -> what a dependant's init container waits for (HOST[:PORT]),
    # computed once per dependency, not once per edge of the dependency graph
    wait_targets: dict[str, str] = field(default_factory=dict)
    namespace: str | None = None
    # service -> the service whose pod it runs in, for services sharing a pod (grouping.py)
    pods: dict[str, str] = field(default_factory=dict)
    # Helpers may look at one setting twice (a Service and its Ingress); report it once.
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def warn(self, service: str, key: str, message: str, *path: PathPart) -> None:
        """Part of ``key`` is lost for ``service``: reported once, through the target."""
        if (service, key, message, path) in self._seen:
            return
        self._seen.add((service, key, message, path))
        self.target.lost(self.diagnostics, service, key, message, handling="approximated",
                         path=("services", service, key, *path))

    def info(self, service: str, key: str, message: str, *path: PathPart) -> None:
        self.diagnostics.add(
            Diagnostic(
                Severity.INFO,
                message,
                ("services", service, key, *path),
                code=f"{TARGET_NAME}.info",
                service=service,
                key=key,
                target=TARGET_NAME,
            )
        )

    def fail(self, service: str, key: str, message: str, *path: PathPart) -> TranslatorError:
        return TranslatorError(
            Diagnostic(
                Severity.ERROR,
                message,
                ("services", service, key, *path),
                code=f"{TARGET_NAME}.invalid",
                service=service,
                key=key,
                target=TARGET_NAME,
            )
        )

    def name_of(self, service: str) -> str:
        return self.names[service]

    def kompose(self, planned: PlannedService, suffix: str) -> str | None:
        """A ``kompose.<suffix>`` label of the service, honoured so Kompose users can switch.

        https://kompose.io/user-guide/#labels
        """
        return planned.service.labels.get(f"kompose.{suffix}")

    @cached_property
    def referenced(self) -> frozenset[str]:
        """The project services another service names in depends_on or links (indexed
        once: asking per service would read every service for every service)."""
        out: set[str] = set()
        for name, other in self.plan.project.services.items():
            named = set(other.depends_on) | {link.partition(":")[0] for link in other.links}
            out.update(named - {name})
        return frozenset(out)

    @cached_property
    def project_object_names(self) -> frozenset[str]:
        """The object names of the project's volumes, configs and secrets (built once: a
        bind mount's claim or ConfigMap must not take one of them)."""
        project = self.plan.project
        return frozenset(dns_name(n) for n in (*project.volumes, *project.configs,
                                                *project.secrets))


@dataclass
class Unit:
    """One service being rendered: what its handlers share, and the template values."""

    planned: PlannedService
    name: str
    kind: str
    selector: dict[str, str]
    values: Values
    volumes: PodVolumes
    # (port, published) pairs of ``ports`` then ``expose``, computed once per service.
    ports: list[tuple[Port, int]] = field(default_factory=list)
    # One ConfigMap per env_file: (name, data).
    env_maps: list[tuple[str, dict[str, str]]] = field(default_factory=list)
