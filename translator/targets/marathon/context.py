"""The render context of one Marathon app: what its key handlers read and report to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.errors import Diagnostic, Diagnostics, PathPart, Severity
from translator.model import Plan, PlannedService, Service
from translator.targets.base import Handling, Target

TARGET_NAME = "marathon"
# The template values of one key handler: value name -> value.
Values = dict[str, Any]


@dataclass(slots=True)
class AppContext:
    """One service being rendered. ``values`` holds what the handlers run so far computed:
    a later handler reads an earlier one's (health checks read the ports)."""

    target: Target
    plan: Plan
    planned: PlannedService
    diagnostics: Diagnostics
    # Absolute app id of every project service (dependencies name them).
    ids: dict[str, str]
    values: Values = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.planned.name

    @property
    def service(self) -> Service:
        return self.planned.service

    def lost(
        self, key: str, message: str, *, handling: Handling = "dropped",
        sub: tuple[PathPart, ...] = (),
    ) -> None:
        """What of ``key`` the app cannot carry; ``sub`` narrows the path below the key
        (``deploy.restart_policy``), so it can point at the setting's line."""
        path = ("services", self.name, key, *sub)
        self.target.lost(self.diagnostics, self.name, key, message, handling=handling, path=path)

    def info(self, key: str, message: str, *sub: PathPart) -> None:
        """A choice the renderer made for ``key`` that loses nothing: said, not warned."""
        self.diagnostics.add(Diagnostic(
            Severity.INFO, message, ("services", self.name, key, *sub),
            code=f"{TARGET_NAME}.info", service=self.name, key=key, target=TARGET_NAME,
        ))
