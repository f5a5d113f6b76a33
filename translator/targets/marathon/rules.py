"""Marathon's own validators, beyond its JSON schema: each refuses an app with HTTP 422.

Every rule names the file of github.com/mesosphere/marathon (``src/main/scala/mesosphere/
marathon/``) it comes from; Marathon 1.7's published schema lets all these apps through.
A rule returns the problem as text, or None; checks.py turns the first into an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Rule = Callable[[Mapping[str, Any]], str | None]

# api/v2/validation/PathIdValidation.scala (1.6, 1.7; state/PathId.scala from 1.8):
# ID_PATH_SEGMENT_PATTERN. A segment is dot-separated labels, each of lower-case letters,
# digits and inner dashes; "." and ".." are the only other segments (relative ids).
# Checked label by label, in linear time: ids can be as long as a user's service name.
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Same file, ``withoutReservedKeywords`` (from 1.6): the REST API routes /v2/apps/<id>/restart
# and friends, so an id may not end in one of these words.
RESERVED = ("restart", "tasks", "versions")
_CONSTRAINT_OPS = ("UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER")
# Command checks are exempt: older versions stored several, and 1.7 still reads them.
_MESOS_PROBES = ("MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP")
_PORT_CHECKS = ("HTTP", "HTTPS", "TCP")
SINGLE_INSTANCE_LABEL = "MARATHON_SINGLE_INSTANCE_APP"


def valid_segment(segment: str) -> bool:
    """One id segment, as ID_PATH_SEGMENT_PATTERN takes it (``.``/``..`` left out: ours
    are absolute)."""
    return all(
        label and label[0] != "-" and label[-1] != "-" and set(label) <= _LABEL_CHARS
        for label in segment.split(".")
    )


def id_problem(app_id: str) -> str | None:
    """PathIdValidation.scala: segment syntax and reserved last words."""
    segments = [s for s in app_id.split("/") if s]
    for segment in segments:
        if not valid_segment(segment):
            return f"id segment {segment!r} is not dot-separated lower-case DNS labels"
    if segments and segments[-1] in RESERVED:
        return f"an app id may not end in {segments[-1]!r} ({', '.join(RESERVED)})"
    return None


def _id(app: Mapping[str, Any]) -> str | None:
    app_id = app.get("id")
    return id_problem(app_id) if isinstance(app_id, str) else None


def _cmd(app: Mapping[str, Any]) -> str | None:
    # AppValidation.scala, validateCanonicalAppAPI: "must not be an empty string" (length > 1).
    cmd = app.get("cmd")
    if "cmd" in app and "args" in app:
        return "an app takes cmd or args, never both"
    if isinstance(cmd, str) and len(cmd) <= 1:
        return f"cmd {cmd!r} is refused: Marathon wants at least 2 characters"
    return None


def _modes(app: Mapping[str, Any]) -> list[str]:
    return [n.get("mode", "container") for n in app.get("networks", ())]


def _networks(app: Mapping[str, Any]) -> str | None:
    """NetworkValidation.scala, ramlNetworksValidator."""
    nets, modes = app.get("networks", ()), _modes(app)
    if len(set(modes)) > 1:
        return f"network modes cannot be mixed: {', '.join(modes)}"
    if modes and modes[0] in ("host", "container/bridge") and len(modes) > 1:
        return f"an app has at most one {modes[0]} network"
    if any(n.get("name") for n in nets if n.get("mode") in ("host", "container/bridge")):
        return "host and bridge networks may not have names"
    names = [n.get("name") for n in nets if n.get("mode", "container") == "container"]
    if len(set(names)) != len(names):
        return "duplicate networks are not allowed"
    return None


def _engine(app: Mapping[str, Any]) -> str | None:
    """AppValidation.scala: complyWithDockerNetworkingRules (the Docker containerizer joins one
    CNI network); validOldContainerAPI (the Mesos containerizer takes no docker parameters)."""
    container = app.get("container", {})
    kind = container.get("type", "DOCKER")
    if kind == "DOCKER" and _modes(app).count("container") > 1:
        return "a DOCKER app may join only one container network"
    if kind == "MESOS" and container.get("docker", {}).get("parameters"):
        return "a MESOS app takes no docker parameters"
    return None


def _ports(app: Mapping[str, Any]) -> str | None:
    """AppValidation.scala: validateCanonicalAppAPI, portDefinitionsValidator and
    portMappingsValidator."""
    mappings = app.get("container", {}).get("portMappings") or []
    definitions = app.get("portDefinitions") or []
    host = "host" in _modes(app)
    if host and mappings:
        return "portMappings are not allowed with host networking"
    if definitions and not host:
        return "portDefinitions are only allowed with host networking"
    names = [p["name"] for p in [*mappings, *definitions] if "name" in p]
    if len(set(names)) != len(names):
        return f"port names must be unique: {', '.join(names)}"
    fixed = [p["port"] for p in definitions if p.get("port", 0) != 0]
    if len(set(fixed)) != len(fixed):
        return "ports of portDefinitions must be unique"
    return _network_names(app, mappings)


def _network_names(app: Mapping[str, Any], mappings: Sequence[Mapping[str, Any]]) -> str | None:
    nets = [n.get("name") for n in app.get("networks", ()) if n.get("mode") == "container"]
    for mapping in mappings:
        chosen = mapping.get("networkNames", [])
        if "hostPort" in mapping and len(nets) > 1 and len(chosen) != 1:
            return "a port mapping with a hostPort names one network when there are several"
        if any(name not in nets for name in chosen):
            return f"port mapping networkNames {chosen} are not networks of the app"
    return None


def _constraint(constraint: Sequence[Any]) -> str | None:
    """SchedulingValidation.scala, complyWithAppConstraintRules."""
    if len(constraint) not in (2, 3) or not all(isinstance(v, str) for v in constraint):
        return f"a constraint is 2 or 3 strings, got {constraint!r}"
    op, value = constraint[1], constraint[2] if len(constraint) == 3 else None
    if op not in _CONSTRAINT_OPS:
        return f"constraint operator {op!r} is not one of {', '.join(_CONSTRAINT_OPS)}"
    if op == "UNIQUE" and value is not None:
        return "UNIQUE takes no value"
    if op == "CLUSTER" and value is None:
        return "CLUSTER needs a value"
    if op in ("LIKE", "UNLIKE"):
        return _regex(op, value)
    if op in ("GROUP_BY", "MAX_PER") and value is not None and not _integer(value):
        return f"{op} takes an integer value, got {value!r}"
    return None


def _regex(op: str, value: str | None) -> str | None:
    # Marathon compiles the value with java.util.regex; Python's syntax is close enough
    # to refuse what both refuse (an unbalanced group, a dangling quantifier).
    if value is None:
        return f"{op} needs a regular expression"
    try:
        re.compile(value)
    except re.error:
        return f"{op} value {value!r} is not a valid regular expression"
    return None


def _integer(value: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[0-9]+", value))


def _constraints(app: Mapping[str, Any]) -> str | None:
    for constraint in app.get("constraints", ()):
        problem = _constraint(constraint)
        if problem:
            return problem
    return None


def _health(app: Mapping[str, Any]) -> str | None:
    """AppValidation.scala: haveAtMostOneMesosHealthCheck, portIndexIsValid."""
    checks = app.get("healthChecks", ())
    if sum(c.get("protocol") in _MESOS_PROBES for c in checks) > 1:
        return "an app has at most one Mesos health check"
    ports = app.get("container", {}).get("portMappings") or app.get("portDefinitions") or []
    for check in checks:
        index = check.get("portIndex")
        if check.get("protocol") in _PORT_CHECKS and index is not None and not (
            0 <= index < len(ports)
        ):
            return f"health check portIndex {index} addresses no port"
    return None


def _mem(app: Mapping[str, Any]) -> str | None:
    mem = app.get("mem")
    if mem is not None and (isinstance(mem, bool) or not isinstance(mem, (int, float))
                            or mem < 0):
        return f"mem must be a number of MiB, got {mem!r}"
    return None


def _single_instance(app: Mapping[str, Any]) -> str | None:
    """SchedulingValidation.scala: complyWithSingleInstanceLabelRules and
    validForSingleInstanceApps."""
    if (app.get("labels") or {}).get(SINGLE_INSTANCE_LABEL) != "true":
        return None
    if app.get("instances", 1) > 1:
        return f"label {SINGLE_INSTANCE_LABEL}=true allows one instance only"
    strategy = app.get("upgradeStrategy") or {}
    if any(strategy.get(k, 0) != 0 for k in ("minimumHealthCapacity", "maximumOverCapacity")):
        return f"label {SINGLE_INSTANCE_LABEL}=true needs an upgradeStrategy of 0 and 0"
    return None


def _volumes(app: Mapping[str, Any]) -> str | None:
    """AppValidation.scala, validVolume; SchedulingValidation.scala, validForResidentTasks."""
    volumes = app.get("container", {}).get("volumes", ())
    for volume in volumes:
        persistent = volume.get("persistent")
        if persistent is None:
            continue
        path = volume.get("containerPath", "")
        if not path or "/" in path or path in (".", ".."):
            return f"persistent volume containerPath {path!r} must be one relative segment"
        if persistent.get("size", 0) <= 0 or volume.get("mode", "RW") != "RW":
            return "a persistent volume has a size above 0 and mode RW"
    resident = any("persistent" in v for v in volumes)
    if resident and app.get("upgradeStrategy", {}).get("maximumOverCapacity") != 0:
        return "an app with persistent volumes needs upgradeStrategy.maximumOverCapacity 0"
    return None


RULES: tuple[Rule, ...] = (
    _id, _cmd, _networks, _engine, _ports, _constraints, _health, _mem, _single_instance,
    _volumes,
)


def first_problem(app: Mapping[str, Any]) -> str | None:
    """The first rule ``app`` breaks, as text; None when Marathon would take it."""
    for rule in RULES:
        problem = rule(app)
        if problem:
            return problem
    return None
