"""The state of one Kubernetes render: plan, options, names, diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.errors import Diagnostic, Diagnostics, PathPart, Severity, TranslatorError
from translator.model import Plan, PlannedService
from translator.targets.base import RenderOptions

TARGET_NAME = "kubernetes"


@dataclass
class Context:
    plan: Plan
    options: RenderOptions
    diagnostics: Diagnostics
    # compose service name -> object name
    names: dict[str, str] = field(default_factory=dict)
    namespace: str | None = None
    # Helpers may look at one setting twice (a Service and its Ingress); report it once.
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def warn(self, service: str, key: str, message: str, *path: PathPart) -> None:
        """A lossy mapping, named by service, key and target."""
        if (service, key, message, path) in self._seen:
            return
        self._seen.add((service, key, message, path))
        self.diagnostics.warn(
            message,
            ("services", service, key, *path),
            code=f"{TARGET_NAME}.lossy",
            service=service,
            key=key,
            target=TARGET_NAME,
        )

    def info(self, service: str, key: str, message: str) -> None:
        self.diagnostics.add(
            Diagnostic(
                Severity.INFO,
                message,
                ("services", service, key),
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


CONTROLLERS = {"deployment": "Deployment", "daemonset": "DaemonSet", "statefulset": "StatefulSet"}


def controller_kind(ctx: Context, planned: PlannedService) -> str:
    """The workload kind: kompose.controller.type, then stateful, then the deploy mode."""
    label = (ctx.kompose(planned, "controller.type") or "").lower()
    if label in CONTROLLERS:
        return CONTROLLERS[label]
    if planned.stateful:
        return "StatefulSet"
    if planned.topology.mode == "replicated-job":
        return "Job"
    if planned.topology.mode in ("global", "global-job"):
        return "DaemonSet"
    return "Deployment"
