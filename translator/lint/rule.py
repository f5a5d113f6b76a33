"""The rule type and the helpers every rule module shares.

A rule looks at one resolved :class:`~translator.model.Plan` (project + artifacts +
environment) and yields diagnostics whose ``code`` is the rule's id. Paths point into
the compose document (``("services", "web", "image")``) or, when the finding is about
an environment setting, into the environment file under an ``"environment"`` root
(``("environment", "services", "web", "replicas")``); ``translator.validate`` turns
both into ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Path, Severity

if TYPE_CHECKING:
    from translator.model import Plan

# The first path element of a diagnostic that points into the environment file.
ENVIRONMENT_ROOT = "environment"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    rationale: str
    severity: Severity
    check: Callable[[Plan], Iterable[Diagnostic]]


def finding(
    rule_id: str,
    message: str,
    path: Path,
    *,
    service: str | None = None,
    key: str | None = None,
    hint: str | None = None,
) -> Diagnostic:
    """A rule's diagnostic; ``lint`` replaces the severity with the configured one."""
    return Diagnostic(
        Severity.WARNING, message, path, code=rule_id, service=service, key=key, hint=hint
    )


def setting_path(plan: Plan, service: str, field: str, compose: Path) -> Path:
    """Where ``field`` of ``service`` was set: the environment's per-service settings, its
    defaults, else the compose file (``compose``). Findings point at the line to change."""
    env = plan.environment
    own = env.services.get(service)
    if own is not None and field in own.model_fields_set:
        return (ENVIRONMENT_ROOT, "services", service, field)
    if field in env.defaults.model_fields_set:
        return (ENVIRONMENT_ROOT, "defaults", field)
    return compose


def non_local(plan: Plan) -> bool:
    return plan.environment.name != "local"
