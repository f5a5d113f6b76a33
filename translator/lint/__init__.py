"""Topology lint rules: one registry, per-project configuration, and ``lint``.

Every rule has a stable id (``TR001`` ...), a kebab-case name, a one-line rationale
(printed by ``translator rules``) and a default severity that a project may change
or turn off (see :mod:`translator.lint.config`). Rules see one resolved plan, so
environment-dependent rules (replicas in production, pinning outside local) run once
per environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from translator.lint import rules_graph, rules_network, rules_secrets, rules_topology
from translator.lint.config import LintConfig
from translator.lint.config import load_config as _load_config
from translator.lint.rule import Rule
from translator.locate import ENVIRONMENT_ROOT

if TYPE_CHECKING:
    from translator.errors import Diagnostic
    from translator.model import Plan

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in sorted(
        (
            *rules_topology.RULES,
            *rules_network.RULES,
            *rules_graph.RULES,
            *rules_secrets.RULES,
        ),
        key=lambda r: r.id,
    )
}

_DEFAULT = LintConfig()


def rule_names(rules: Mapping[str, Rule] = RULES) -> dict[str, str]:
    """Every rule id and name, mapped to the id: configuration accepts either."""
    out = {rid: rid for rid in rules}
    out.update({rule.name: rid for rid, rule in rules.items()})
    return out


def load_config(project_dir: Path) -> LintConfig:
    """The lint settings of the project in ``project_dir``; defaults when it has none.

    Raises :class:`~translator.errors.TranslatorError` (with the file and the line of
    the offending key) for unknown rules, bad levels and invalid TOML.
    """
    return _load_config(project_dir, rule_names())


def lint(plan: Plan, config: LintConfig = _DEFAULT) -> list[Diagnostic]:
    """Every enabled rule's findings on ``plan``, in rule order, at configured severities."""
    out: list[Diagnostic] = []
    for rid, rule in RULES.items():
        if rid in config.disabled:
            continue
        severity = config.severities.get(rid, rule.severity)
        out.extend(replace(d, severity=severity) for d in rule.check(plan))
    return out


def rules_table(rules: Mapping[str, Rule] = RULES) -> str:
    """What ``translator rules`` prints: id, name, default severity and rationale."""
    width = max((len(r.name) for r in rules.values()), default=4)
    lines = [f"{'ID':<6} {'NAME':<{width}} {'SEVERITY':<8} RATIONALE"]
    for rule in rules.values():
        lines.append(
            f"{rule.id:<6} {rule.name:<{width}} {rule.severity.value:<8} {rule.rationale}"
        )
    return "\n".join(lines) + "\n"


__all__ = [
    "ENVIRONMENT_ROOT",
    "RULES",
    "LintConfig",
    "Rule",
    "lint",
    "load_config",
    "rule_names",
    "rules_table",
]
