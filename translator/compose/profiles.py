"""Profiles: services that exist only when one of their profiles is active.

Spec: https://github.com/compose-spec/compose-spec/blob/main/15-profiles.md

A service without ``profiles`` is always enabled; one with profiles is enabled when one of
them is active (``--profile``, else ``COMPOSE_PROFILES``; ``*`` enables all). Disabled
services are dropped. As in Compose v2, an enabled service that ``depends_on`` a disabled
one is an error, unless the dependency says ``required: false``: Compose keeps such an
entry, and so do we (normalization warns that the service is not defined).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translator.errors import TranslatorError


def active_profiles(cli: Iterable[str], environ: Mapping[str, str]) -> frozenset[str]:
    """``--profile`` values win; else the comma-separated ``COMPOSE_PROFILES``."""
    given = [p.strip() for p in cli if p.strip()]
    if not given:
        given = [p.strip() for p in environ.get("COMPOSE_PROFILES", "").split(",") if p.strip()]
    return frozenset(given)


def service_profiles(name: str, service: Any) -> list[str]:
    profiles = service.get("profiles") if isinstance(service, dict) else None
    if profiles is None:
        return []
    if not isinstance(profiles, list) or not all(isinstance(p, str) for p in profiles):
        raise TranslatorError.at(
            "profiles must be a list of profile names",
            ("services", name, "profiles"),
            code="invalid",
            hint="write e.g. profiles: [debug]",
        )
    return profiles


def is_enabled(profiles: list[str], active: frozenset[str]) -> bool:
    return not profiles or "*" in active or any(p in active for p in profiles)


def apply_profiles(doc: dict[str, Any], active: frozenset[str]) -> dict[str, Any]:
    """``doc`` without the services whose profiles are all inactive."""
    services = doc.get("services")
    if not isinstance(services, dict):
        return doc
    profiles = {name: service_profiles(name, svc) for name, svc in services.items()}
    disabled = {name for name, p in profiles.items() if not is_enabled(p, active)}
    if not disabled:
        return doc
    kept = {name: svc for name, svc in services.items() if name not in disabled}
    for name, svc in kept.items():
        _check_disabled_deps(name, svc, disabled, profiles)
    return {**doc, "services": kept}


def _check_disabled_deps(
    name: str, service: Any, disabled: set[str], profiles: dict[str, list[str]]
) -> None:
    deps = service.get("depends_on") if isinstance(service, dict) else None
    if not isinstance(deps, list | dict):
        return
    for dep in deps:
        if str(dep) not in disabled:
            continue
        spec = deps[dep] if isinstance(deps, dict) else None
        if isinstance(spec, dict) and spec.get("required") is False:
            continue
        wanted = ", ".join(profiles[str(dep)])
        where = ("services", name, "depends_on")
        raise TranslatorError.at(
            f"service {name!r} depends on service {dep!r}, which no active profile enables",
            (*where, dep) if isinstance(deps, dict) else where,
            code="disabled-dependency",
            hint=f"activate one of its profiles ({wanted}) with --profile or COMPOSE_PROFILES",
        )
