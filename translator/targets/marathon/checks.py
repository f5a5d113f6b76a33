"""Marathon ids, and the checks Marathon's published schema does not make.

Ids: "a series of names separated by slashes. Each name must be at least 1 character
and may only contain digits, dashes, dots and lowercase letters; it may not begin or
end with a dash" (AppDefinition.json, ``pathType``). The checks run on every rendered
app, so a user's template (``--templates``) cannot produce an app Marathon refuses for
a reason the schema misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from numbers import Real
from typing import Any

from translator.errors import Path, TranslatorError
from translator.targets.base import SHAPE_ERRORS, shape_problem

_BAD = re.compile(r"[^a-z0-9.-]+")
_SINGLE_MODES = ("host", "container/bridge")


def sanitize_segment(name: str) -> str:
    """One id segment: lower case, runs of other characters ('_' included) become '-',
    no leading or trailing dash or dot. Empty when nothing usable is left."""
    return re.sub(r"-{2,}", "-", _BAD.sub("-", name.lower())).strip("-.")


def group_id(namespace: str) -> str:
    """``/<namespace>``, each '/'-separated part sanitized (a group path may nest)."""
    parts = [sanitize_segment(p) for p in namespace.split("/") if p.strip()]
    parts = [p for p in parts if p]
    if not parts:
        raise TranslatorError.at(
            f"namespace {namespace!r} gives no usable Marathon group id",
            ("environment", "namespace"), code="marathon.id",
            hint="use lower-case letters, digits, '-' and '.'",
        )
    return "/" + "/".join(parts)


def app_ids(group: str, services: Iterable[str]) -> dict[str, str]:
    """Absolute app id of every service; two services that sanitize alike are an error."""
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for service in services:
        segment = sanitize_segment(service)
        if not segment:
            raise TranslatorError.at(
                f"service name {service!r} gives no usable Marathon app id",
                ("services", service), code="marathon.id",
            )
        if segment in owner:
            raise TranslatorError.at(
                f"services {owner[segment]!r} and {service!r} both become Marathon app "
                f"{group}/{segment}",
                ("services", service), code="marathon.id-collision",
                hint="rename one of them",
            )
        owner[segment] = service
        out[service] = f"{group}/{segment}"
    return out


def _fail(path: Path, message: str) -> TranslatorError:
    return TranslatorError.at(message, path, code="marathon.invalid-app")


def check_app(app: Mapping[str, Any], known_ids: Iterable[str], path: Path) -> None:
    """Raise when ``app`` breaks a rule Marathon enforces beyond its JSON schema.

    Built-in templates always give apps of the right shape; a user's template may not, and
    Marathon would refuse those too: a field of the wrong type is reported, never a crash.
    """
    try:
        _check_app(app, known_ids, path)
    except SHAPE_ERRORS as exc:
        problem = shape_problem(exc, "Marathon")
        raise _fail(path, f"not a valid Marathon app: {problem}") from None


def _check_app(app: Mapping[str, Any], known_ids: Iterable[str], path: Path) -> None:
    if "cmd" in app and "args" in app:
        raise _fail(path, "an app takes cmd or args, never both")
    modes = [n.get("mode", "container") for n in app.get("networks", ())]
    if len(set(modes)) > 1:
        raise _fail(path, f"network modes cannot be mixed: {', '.join(modes)}")
    if modes and modes[0] in _SINGLE_MODES and len(modes) > 1:
        raise _fail(path, f"an app has at most one {modes[0]} network")
    mem = app.get("mem")
    if mem is not None and (isinstance(mem, bool) or not isinstance(mem, Real) or mem < 0):
        raise _fail(path, f"mem must be a number of MiB, got {mem!r}")
    for constraint in app.get("constraints", ()):
        if not all(isinstance(v, str) for v in constraint) or len(constraint) not in (2, 3):
            raise _fail(path, f"a constraint is 2 or 3 strings, got {constraint!r}")
    # Callers checking many apps pass a set built once: a set per app was quadratic.
    known = known_ids if isinstance(known_ids, AbstractSet) else set(known_ids)
    for dep in app.get("dependencies", ()):
        if not isinstance(dep, str) or not dep.startswith("/"):
            raise _fail(path, f"dependency {dep!r} is not an absolute app id")
        if dep not in known:
            raise _fail(path, f"dependency {dep} is not an app of the group")
    _check_resident(app, path)
    _check_port_names(app, path)


def _check_port_names(app: Mapping[str, Any], path: Path) -> None:
    ports = [*app.get("container", {}).get("portMappings", ()), *app.get("portDefinitions", ())]
    names = [p["name"] for p in ports if "name" in p]
    if len(set(names)) != len(names):
        raise _fail(path, f"port names must be unique: {', '.join(names)}")


def _check_resident(app: Mapping[str, Any], path: Path) -> None:
    volumes = app.get("container", {}).get("volumes", ())
    if any("persistent" in v for v in volumes):
        over = app.get("upgradeStrategy", {}).get("maximumOverCapacity")
        if over != 0:
            raise _fail(path, "an app with persistent volumes needs "
                              "upgradeStrategy.maximumOverCapacity 0")


def check_group(group: Mapping[str, Any], path: Path = ()) -> None:
    """Every app of the group, against the ids of that group."""
    apps = group.get("apps", ())
    ids = [a.get("id") for a in apps]
    if len(set(ids)) != len(ids):
        raise _fail(path, "two apps of the group have the same id")
    known = {i for i in ids if isinstance(i, str)}
    for app in apps:
        check_app(app, known, (*path, "apps", str(app.get("id"))))
