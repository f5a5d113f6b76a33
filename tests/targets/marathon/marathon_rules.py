"""Marathon's own validation rules (HTTP 422 beyond the 1.7 JSON schema), written from its
Scala sources independently of the renderer's checks, for the tests to hold every rendered
app against.

Each rule cites its file under github.com/mesosphere/marathon, src/main/scala/mesosphere/
marathon/. Marathon normalizes before it validates (AppNormalization: absent fields take
their defaults), so an absent field here means Marathon's default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

App = Mapping[str, Any]
V = "api/v2/validation/"


@dataclass(frozen=True)
class MarathonRule:
    name: str
    source: str  # file and validator it comes from
    holds: Callable[[App], bool]


# PathIdValidation.scala, ID_PATH_SEGMENT_PATTERN, verbatim.
_SEGMENT = re.compile(
    r"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$"
)


def _segments(app: App) -> list[str]:
    return [s for s in str(app["id"]).split("/") if s]


def _modes(app: App) -> list[str]:
    return [n.get("mode", "container") for n in app.get("networks", [])]


def _container(app: App) -> Mapping[str, Any]:
    return app.get("container") or {}


def _mappings(app: App) -> list[Mapping[str, Any]]:
    return list(_container(app).get("portMappings") or [])


def _networks_shape(app: App) -> bool:
    modes = _modes(app)
    return (
        (modes.count("host") <= 1 and len(modes) == modes.count("host"))
        or (modes.count("container/bridge") <= 1 and len(modes) == modes.count("container/bridge"))
        or len(modes) == modes.count("container")
    )


def _host_port_names(app: App) -> bool:
    several = _modes(app).count("container") > 1
    names = {n.get("name") for n in app.get("networks", []) if n.get("mode") == "container"}
    return all(
        (not several or "hostPort" not in m or len(m.get("networkNames", [])) == 1)
        and set(m.get("networkNames", [])) <= names
        for m in _mappings(app)
    )


def _unique(values: list[Any]) -> bool:
    return len(values) == len(set(values))


def _constraint_ok(c: list[str]) -> bool:
    if len(c) not in (2, 3):
        return False
    op, value = c[1], (c[2] if len(c) == 3 else None)
    if op == "UNIQUE":
        return value is None
    if op == "CLUSTER":
        return value is not None
    if op in ("GROUP_BY", "MAX_PER"):
        return value is None or re.fullmatch(r"[+-]?\d+", value) is not None
    if op in ("LIKE", "UNLIKE"):
        try:
            re.compile(value or "(")
        except re.error:
            return False
        return True
    return False


def _persistent_ok(app: App) -> bool:
    for v in _container(app).get("volumes", []):
        if "persistent" in v:
            path = v.get("containerPath", "")
            if path in ("", ".", "..") or "/" in path or v["persistent"].get("size", 0) <= 0:
                return False
    return True


def _resident_ok(app: App) -> bool:
    resident = any("persistent" in v for v in _container(app).get("volumes", []))
    return not resident or app.get("upgradeStrategy", {}).get("maximumOverCapacity") == 0


def _single_instance_ok(app: App) -> bool:
    if app.get("labels", {}).get("MARATHON_SINGLE_INSTANCE_APP") != "true":
        return True
    strategy = app.get("upgradeStrategy", {})
    return app.get("instances", 1) <= 1 and strategy.get("minimumHealthCapacity", 1) == 0 \
        and strategy.get("maximumOverCapacity", 1) == 0


def _health_port_index(app: App) -> bool:
    ports = _mappings(app) or app.get("portDefinitions", [])
    return all(
        c.get("protocol") not in ("HTTP", "HTTPS", "TCP")
        or c.get("portIndex", 0) < max(len(ports), 1)
        for c in app.get("healthChecks", [])
    )


RULES: tuple[MarathonRule, ...] = (
    MarathonRule("id segments match ID_PATH_SEGMENT_PATTERN", V + "PathIdValidation.scala",
                 lambda a: all(_SEGMENT.fullmatch(s) for s in _segments(a))),
    MarathonRule("id does not end in restart, tasks or versions", V + "PathIdValidation.scala",
                 lambda a: _segments(a)[-1] not in ("restart", "tasks", "versions")),
    MarathonRule("cmd is longer than one character", V + "AppValidation.scala",
                 lambda a: "cmd" not in a or len(a["cmd"]) > 1),
    MarathonRule("cmd and args are exclusive", V + "AppValidation.scala",
                 lambda a: not ("cmd" in a and "args" in a)),
    MarathonRule("DOCKER joins at most one container network", V + "AppValidation.scala",
                 lambda a: _container(a).get("type", "DOCKER") != "DOCKER"
                 or _modes(a).count("container") <= 1),
    MarathonRule("MESOS takes no docker parameters", V + "AppValidation.scala",
                 lambda a: _container(a).get("type") != "MESOS"
                 or not _container(a).get("docker", {}).get("parameters")),
    MarathonRule("one host, one bridge, or 1-n container networks", V + "NetworkValidation.scala",
                 _networks_shape),
    MarathonRule("container network names are unique", V + "NetworkValidation.scala",
                 lambda a: _unique([n.get("name") for n in a.get("networks", [])
                                    if n.get("mode") == "container"])),
    MarathonRule("no portMappings on host networking", V + "AppValidation.scala",
                 lambda a: "host" not in _modes(a) or not _mappings(a)),
    MarathonRule("portDefinitions only on host networking", V + "AppValidation.scala",
                 lambda a: "host" in _modes(a) or not a.get("portDefinitions")),
    MarathonRule("port names are unique", V + "AppValidation.scala",
                 lambda a: _unique([p["name"] for p in [*_mappings(a),
                                   *a.get("portDefinitions", [])] if "name" in p])),
    MarathonRule("portDefinitions ports are unique (0 aside)", V + "AppValidation.scala",
                 lambda a: _unique([p["port"] for p in a.get("portDefinitions", [])
                                    if p.get("port", 0) != 0])),
    MarathonRule("a hostPort on several networks names one of them", V + "AppValidation.scala",
                 _host_port_names),
    MarathonRule("at most one Mesos (non-command) health check", V + "AppValidation.scala",
                 lambda a: sum(c.get("protocol") in ("MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP")
                               for c in a.get("healthChecks", [])) <= 1),
    MarathonRule("a health check portIndex addresses a port", V + "AppValidation.scala",
                 _health_port_index),
    MarathonRule("constraints follow their operator's rules", V + "SchedulingValidation.scala",
                 lambda a: all(_constraint_ok(c) for c in a.get("constraints", []))),
    MarathonRule("single-instance apps run one instance, upgrade 0/0",
                 V + "SchedulingValidation.scala", _single_instance_ok),
    MarathonRule("persistent volumes: one relative segment, size > 0", V + "AppValidation.scala",
                 _persistent_ok),
    MarathonRule("resident apps never over-provision", V + "SchedulingValidation.scala",
                 _resident_ok),
)


def violations(app: App) -> list[str]:
    """The rules ``app`` breaks, each with its source file."""
    return [f"{r.name} ({r.source})" for r in RULES if not r.holds(app)]
