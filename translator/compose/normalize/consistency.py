"""Checks and additions that need a service's other keys: the dependencies that
``network_mode``, ``links`` and ``volumes_from`` imply, a build platform the service's
platform must match, and engine keys that duplicate a deploy resource."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from translator.compose.normalize.keys import fail
from translator.errors import Path
from translator.model import Resources, ResourceSpec

Fields = dict[str, Any]

_IMPLYING_KEYS = frozenset(("network_mode", "links", "volumes_from"))


def implicit_dependencies(services: Collection[str], out: Fields) -> None:
    """Compose adds the dependencies that ``network_mode``/``ipc: service:x``, ``links`` and
    ``volumes_from`` imply, unless depends_on already names them (compose-go
    ``loader/normalize.go``); the first two also restart with their dependency."""
    deps = out.setdefault("depends_on", {})
    if out.keys().isdisjoint(_IMPLYING_KEYS) and "ipc" not in out["extras"]:
        return  # the usual case: nothing implies a dependency
    implied: list[tuple[str, bool]] = []
    for mode in (out.get("network_mode"), out["extras"].get("ipc")):
        if isinstance(mode, str) and mode.startswith("service:"):
            implied.append((mode.removeprefix("service:"), True))
    implied.extend((link.partition(":")[0], True) for link in out.get("links", ()))
    implied.extend(
        (source.partition(":")[0], False)
        for source in out.get("volumes_from", ())
        if not source.startswith("container:")
    )
    for name, restart in implied:
        if name in services and name not in deps:
            deps[name] = {"restart": True} if restart else {}


# Engine keys that duplicate a deploy resource; Compose refuses distinct values.
_DUPLICATES = (
    ("cpus", "limits", "cpus"),
    ("mem_limit", "limits", "memory"),
    ("pids_limit", "limits", "pids"),
    ("mem_reservation", "reservations", "memory"),
)
_DUPLICATED_KEYS = frozenset(key for key, _, _ in _DUPLICATES)


def check_build_platform(out: Fields, path: Path) -> None:
    """Compose refuses a service platform that its build does not produce."""
    platform = out.get("platform")
    build = out.get("build")
    platforms = build.get("options", {}).get("platforms") if isinstance(build, dict) else None
    if platform and isinstance(platforms, list) and platforms and platform not in platforms:
        raise fail(
            f"service.build.platforms must include service.platform {platform!r}: "
            f"the build produces {', '.join(map(str, platforms))}",
            (*path, "platform"),
        )


def check_resource_conflicts(out: Fields, path: Path) -> None:
    if out.keys().isdisjoint(_DUPLICATED_KEYS):
        return  # the usual case: no engine key that could disagree with deploy
    resources = _part(out.get("topology"), "resources")
    for key, kind, field_name in _DUPLICATES:
        deployed = _part(_part(resources, kind), field_name)
        if key in out and deployed is not None and deployed != out[key]:
            raise fail(
                f"can't set distinct values on '{key}' and "
                f"'deploy.resources.{kind}.{field_name}': set one of them, or the same value",
                path,
            )


def _part(holder: object, name: str) -> Any:
    """A field of a plain normalized mapping or of an already validated (shared) model."""
    if isinstance(holder, dict):
        return holder.get(name)
    if isinstance(holder, Resources | ResourceSpec):
        return getattr(holder, name)
    return None
