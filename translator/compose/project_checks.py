"""Whole-file and whole-project findings that name their cause: a file in the version 1
format (refused, as Compose refuses it) and a project with no service to run (a warning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.compose.normalize.keys import TOP_LEVEL_KEYS
from translator.errors import Diagnostic, Location, Severity, TranslatorError
from translator.errors import Path as DocPath

# Keys that only a service has: a top-level mapping holding one is a version 1 service.
_SERVICE_KEYS = frozenset(
    ("image", "build", "command", "ports", "volumes", "environment", "links", "depends_on",
     "extends", "restart", "expose", "env_file", "entrypoint", "container_name")
)  # fmt: skip


def refuse_version_1(
    data: dict[str, Any], filename: str, locate: Callable[[DocPath], Location | None]
) -> None:
    """A file in the version 1 format (services at the top level, no ``services:``): Compose
    v2 refuses it ("additional properties 'web' not allowed"); we say what to change.
    https://docs.docker.com/compose/releases/migrate/"""

    legacy = [
        str(key)
        for key, value in data.items()
        if isinstance(value, dict) and not _SERVICE_KEYS.isdisjoint(value)
        and str(key) not in TOP_LEVEL_KEYS and not str(key).startswith("x-")
    ]  # fmt: skip
    if not legacy:
        return
    names = ", ".join(repr(n) for n in legacy)
    raise TranslatorError.at(
        f"{filename} is in the old version 1 format: {names} "
        f"{'are services' if len(legacy) > 1 else 'is a service'} at the top level, with no "
        "`services:` key; Compose v2 refuses this format",
        (legacy[0],),
        locate((legacy[0],)),
        code="legacy-format",
        hint="put the services under a top-level `services:` key, indented one level",
    )


def no_services_warning(declared: Any, active: frozenset[str], where: Location) -> Diagnostic:
    """An empty project is valid (Compose prints ``services: {}``), but nothing would run:
    say why (none defined, or all behind inactive profiles) rather than stay silent.
    ``declared`` is the ``services`` mapping before profiles removed any."""
    hint = None
    if isinstance(declared, dict) and declared:
        wanted = sorted(
            {p for svc in declared.values() if isinstance(svc, dict)
             for p in svc.get("profiles") or () if isinstance(p, str)}
        )  # fmt: skip
        state = (
            f"the active profiles ({', '.join(sorted(active))}) enable none of them"
            if active
            else "no profile is active"
        )
        message = f"no service is enabled: every service is behind a profile, and {state}"
        hint = f"activate one of {', '.join(wanted)} with --profile NAME or COMPOSE_PROFILES"
    else:
        message = "the project defines no services: there is nothing to run or translate"
    return Diagnostic(
        Severity.WARNING, message, ("services",), where, code="no-services", hint=hint
    )
