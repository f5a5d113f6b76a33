"""Marathon ids, and the checks Marathon's published schema does not make.

Ids: "a series of names separated by slashes. Each name must be at least 1 character
and may only contain digits, dashes, dots and lowercase letters; it may not begin or
end with a dash" (AppDefinition.json, ``pathType``). Marathon's own validator is stricter
(rules.py): each dot-separated label of a name is a DNS label, and an app id may not end
in a word the REST API reserves. The checks run on every rendered app, so a user's
template (``--templates``) cannot produce an app Marathon refuses for a reason the
schema misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from translator.errors import Diagnostics, Path, TranslatorError, quote, shorten
from translator.targets.base import SHAPE_ERRORS, shape_problem
from translator.targets.marathon.rules import RESERVED, first_problem

_BAD = re.compile(r"[^a-z0-9.-]+")
# What a service whose name the REST API reserves (api/v2/validation/PathIdValidation.scala,
# from Marathon 1.6) becomes: `restart` -> `restart-app`.
RESERVED_SUFFIX = "-app"


def sanitize_segment(name: str) -> str:
    """One id segment: lower case, runs of other characters ('_' included) become '-',
    and each dot-separated label loses its leading and trailing dashes (empty labels go).
    Empty when nothing usable is left."""
    labels = (_BAD.sub("-", label) for label in name.lower().split("."))
    cleaned = (re.sub(r"-{2,}", "-", label).strip("-") for label in labels)
    return ".".join(label for label in cleaned if label)


def app_segment(service: str) -> str:
    """The last segment of a service's app id: sanitized, and never a reserved word.

    Renamed rather than refused: the compose file is valid and other targets run it as
    it is; the new id is reported (:func:`report_renamed`) and dependencies follow it.
    """
    segment = sanitize_segment(service)
    return segment + RESERVED_SUFFIX if segment in RESERVED else segment


def report_renamed(services: Iterable[str], diagnostics: Diagnostics, group: str) -> None:
    """A warning for every service whose app id is not its sanitized name."""
    for service in services:
        segment = sanitize_segment(service)
        if segment in RESERVED:
            diagnostics.warn(
                f"app id {group}/{segment} ends in a word Marathon's REST API reserves "
                f"({', '.join(RESERVED)}): the app is {group}/{app_segment(service)}",
                ("services", service), code="marathon.renamed", service=service,
                target="marathon",
            )


def group_id(namespace: str) -> str:
    """``/<namespace>``, each '/'-separated part sanitized (a group path may nest)."""
    parts = [sanitize_segment(p) for p in namespace.split("/") if p.strip()]
    parts = [p for p in parts if p]
    if not parts:
        raise TranslatorError.at(
            f"namespace {quote(namespace)} gives no usable Marathon group id",
            ("environment", "namespace"), code="marathon.id",
            hint="use lower-case letters, digits, '-' and '.'",
        )
    return "/" + "/".join(parts)


def app_ids(group: str, services: Iterable[str]) -> dict[str, str]:
    """Absolute app id of every service; two services that sanitize alike are an error."""
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for service in services:
        segment = app_segment(service)
        if not segment:
            raise TranslatorError.at(
                f"service name {quote(service)} gives no usable Marathon app id",
                ("services", service), code="marathon.id",
            )
        if segment in owner:
            raise TranslatorError.at(
                f"services {quote(owner[segment])} and {quote(service)} both become "
                f"Marathon app {shorten(f'{group}/{segment}')}",
                ("services", service), code="marathon.id-collision",
                hint="rename one of them",
            )
        owner[segment] = service
        out[service] = f"{group}/{segment}"
    return out


def _fail(path: Path, message: str) -> TranslatorError:
    return TranslatorError.at(message, path, code="marathon.invalid-app")


def check_app(app: Mapping[str, Any], known_ids: Iterable[str], path: Path) -> None:
    """Raise when ``app`` breaks a rule Marathon enforces beyond its JSON schema (rules.py).

    Built-in templates always give apps of the right shape; a user's template may not, and
    Marathon would refuse those too: a field of the wrong type is reported, never a crash.
    """
    try:
        problem = first_problem(app) or _dependency_problem(app, known_ids)
    except SHAPE_ERRORS as exc:
        problem = f"not a valid Marathon app: {shape_problem(exc, 'Marathon')}"
    if problem:
        raise _fail(path, problem)


def _dependency_problem(app: Mapping[str, Any], known_ids: Iterable[str]) -> str | None:
    # Callers checking many apps pass a set built once: a set per app was quadratic.
    known = known_ids if isinstance(known_ids, AbstractSet) else set(known_ids)
    for dep in app.get("dependencies", ()):
        if not isinstance(dep, str) or not dep.startswith("/"):
            return f"dependency {dep!r} is not an absolute app id"
        if dep not in known:
            return f"dependency {dep} is not an app of the group"
    return None


def check_group(group: Mapping[str, Any], path: Path = ()) -> None:
    """Every app of the group, against the ids of that group."""
    apps = group.get("apps", ())
    ids = [a.get("id") for a in apps]
    if len(set(ids)) != len(ids):
        raise _fail(path, "two apps of the group have the same id")
    known = {i for i in ids if isinstance(i, str)}
    for app in apps:
        check_app(app, known, (*path, "apps", str(app.get("id"))))
