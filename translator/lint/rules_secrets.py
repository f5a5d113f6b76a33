"""Secret-looking values in plain ``environment``: they end up in manifests, stack files
and Marathon apps in clear text. Messages never include the value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Severity
from translator.lint.rule import Rule, finding
from translator.redact import URL_WITH_PASSWORD, is_secret_name

if TYPE_CHECKING:
    from translator.model import Plan

# Switches such as MYSQL_ALLOW_EMPTY_PASSWORD=yes name a secret but hold none.
_FLAGS = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})


def is_literal(value: str | None) -> bool:
    """A value written out, not a path to a mounted file or an unresolved reference."""
    if value is None or not value.strip() or value.strip().lower() in _FLAGS:
        return False
    return not value.startswith(("/", "./", "${"))


def plaintext_secrets(plan: Plan) -> Iterator[Diagnostic]:
    for name, planned in plan.services.items():
        for key, value in planned.service.environment.items():
            if value is None:
                continue
            if is_secret_name(key) and is_literal(value):
                what = "a literal secret"
            elif URL_WITH_PASSWORD.match(value):
                what = "a URL with an embedded password"
            else:
                continue
            yield finding(
                "TR007",
                f"environment variable {key} holds {what} (value not shown)",
                ("services", name, "environment", key),
                service=name,
                key="environment",
                hint="use a compose secret (secrets:) and point the variable at the "
                "mounted file, e.g. " + key + "_FILE=/run/secrets/...",
            )


RULES = (
    Rule(
        "TR007",
        "plaintext-secret",
        "Passwords, tokens and keys in plain environment end up readable in every rendered "
        "manifest; use secrets.",
        Severity.WARNING,
        plaintext_secrets,
    ),
)
