"""The rule type and the helpers every rule module shares.

A rule looks at one resolved :class:`~translator.model.Plan` (project + artifacts +
environment) and yields diagnostics whose ``code`` is the rule's id. Paths point into
the compose document (``("services", "web", "image")``) or, when the finding is about
an environment setting, into the environment file under an ``"environment"`` root
(``("environment", "services", "web", "replicas")``); ``translator.validate`` turns
both into ``file:line:col`` (with :mod:`translator.locate`, which also holds
:func:`~translator.locate.setting_path`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Path, Severity

if TYPE_CHECKING:
    from translator.model import Plan


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


def non_local(plan: Plan) -> bool:
    return plan.environment.name != "local"
