"""``deploy:`` to the model's Topology, and ``healthcheck:`` to Healthcheck.

https://github.com/compose-spec/compose-spec/blob/main/deploy.md
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from translator.compose.normalize.keys import (
    expect_bool,
    expect_choice,
    expect_int,
    expect_list,
    expect_mapping,
    fail,
    list_of_str,
    scalar_str,
    str_dict,
)
from translator.compose.normalize.shellwords import ShellSplitError, shell_split
from translator.compose.units import parse_cpus, parse_duration, parse_size
from translator.errors import Path
from translator.model.topology import Placement, Resources, ResourceSpec

if TYPE_CHECKING:
    from translator.compose.normalize.intern import Interner

_MODES = ("replicated", "global", "replicated-job", "global-job")
# Swarm's three, and the engine's unless-stopped, which Compose accepts here too (its
# schema types the condition as any string; the engine's restart policies are these).
RESTART_CONDITIONS = ("none", "on-failure", "any", "unless-stopped")
# Swarm's constraint grammar: <key> == <value> or <key> != <value>, blanks allowed around
# the operator; https://docs.docker.com/reference/cli/docker/service/create/#constraint
_CONSTRAINT = re.compile(r"^\s*([^=!\s]+)\s*(==|!=)\s*(\S(?:.*\S)?)\s*$")


def parse_constraint(text: object, path: Path) -> dict[str, str]:
    match = _CONSTRAINT.match(text) if isinstance(text, str) else None
    if match is None:
        raise fail(
            f"invalid placement constraint {text!r}: expected <key> == <value> or "
            "<key> != <value>, such as node.role == manager",
            path,
        )
    return {"key": match[1], "op": match[2], "value": match[3]}


def _durations(data: dict[str, Any], keys: tuple[str, ...], path: Path) -> dict[str, int]:
    return {k: parse_duration(data[k], (*path, k)) for k in keys if data.get(k) is not None}


def _resource_spec(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("cpus") is not None:
        out["cpus"] = parse_cpus(data["cpus"], (*path, "cpus"))
    if data.get("memory") is not None:
        out["memory"] = parse_size(data["memory"], (*path, "memory"))
    if data.get("pids") is not None:
        out["pids"] = expect_int(data["pids"], (*path, "pids"))
    devices = _devices(data.get("devices") or [], (*path, "devices"))
    if devices:
        out["devices"] = devices
    generic = _generic(data.get("generic_resources") or [], (*path, "generic_resources"))
    if generic:
        out["generic_resources"] = generic
    return out


def _update_config(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = _durations(data, ("delay", "monitor"), path)
    if data.get("parallelism") is not None:
        out["parallelism"] = expect_int(data["parallelism"], (*path, "parallelism"), 0)
    if data.get("failure_action") is not None:
        out["failure_action"] = expect_choice(
            data["failure_action"], ("continue", "rollback", "pause"), (*path, "failure_action")
        )
    if data.get("order") is not None:
        out["order"] = expect_choice(data["order"], ("start-first", "stop-first"), (*path, "order"))
    if data.get("max_failure_ratio") is not None:
        ratio = data["max_failure_ratio"]
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or ratio < 0:
            raise fail(
                f"invalid max_failure_ratio {ratio!r}: expected a number >= 0",
                (*path, "max_failure_ratio"),
            )
        out["max_failure_ratio"] = float(ratio)
    return out


def _placement(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    constraints = expect_list(data.get("constraints") or [], (*path, "constraints"))
    out["constraints"] = [
        parse_constraint(c, (*path, "constraints", i)) for i, c in enumerate(constraints)
    ]
    spread = []
    for i, pref in enumerate(expect_list(data.get("preferences") or [], (*path, "preferences"))):
        pref = expect_mapping(pref, (*path, "preferences", i))
        spread.append(scalar_str(pref.get("spread"), (*path, "preferences", i, "spread")))
    out["spread_over"] = spread
    if data.get("max_replicas_per_node") is not None:
        out["max_replicas_per_node"] = expect_int(
            data["max_replicas_per_node"], (*path, "max_replicas_per_node"), 0
        )
    return out


# Shared, already-valid defaults: pydantic deep-copies model-typed defaults on each
# validation, which dominates the cost of a small ``deploy:``.
_NO_PLACEMENT = Placement()
_NO_SPEC = ResourceSpec()
_NO_RESOURCES = Resources()


def normalize_deploy(
    data: dict[str, Any], path: Path, interner: Interner | None = None
) -> dict[str, Any]:
    """The ``deploy:`` mapping as Topology fields; ``interner`` shares repeated parts."""
    out: dict[str, Any] = {"placement": _NO_PLACEMENT, "resources": _NO_RESOURCES}
    if data.get("mode") is not None:
        out["mode"] = expect_choice(data["mode"], _MODES, (*path, "mode"))
    if data.get("replicas") is not None:
        out["replicas"] = expect_int(data["replicas"], (*path, "replicas"), 0)
    if data.get("endpoint_mode") is not None:
        out["endpoint_mode"] = expect_choice(
            data["endpoint_mode"], ("vip", "dnsrr"), (*path, "endpoint_mode")
        )
    if data.get("labels") is not None:
        out["labels"] = str_dict(data["labels"], (*path, "labels"))
    if data.get("placement") is not None:
        out["placement"] = _shared_placement(data["placement"], (*path, "placement"), interner)
    if data.get("resources") is not None:
        out["resources"] = _shared_resources(data["resources"], (*path, "resources"), interner)
    if data.get("restart_policy") is not None:
        where = (*path, "restart_policy")
        policy = expect_mapping(data["restart_policy"], where)
        rp: dict[str, Any] = _durations(policy, ("delay", "window"), where)
        if policy.get("condition") is not None:
            rp["condition"] = expect_choice(
                policy["condition"], RESTART_CONDITIONS, (*where, "condition")
            )
        if policy.get("max_attempts") is not None:
            rp["max_attempts"] = expect_int(policy["max_attempts"], (*where, "max_attempts"), 0)
        out["restart_policy"] = rp
    for key in ("update_config", "rollback_config"):
        if data.get(key) is not None:
            out[key] = _update_config(expect_mapping(data[key], (*path, key)), (*path, key))
    return out


def _shared_placement(raw: object, path: Path, interner: Interner | None) -> Any:
    def build() -> dict[str, Any]:
        return _placement(expect_mapping(raw, path), path)

    return build() if interner is None else interner.normalized(Placement, raw, build)


def _shared_resources(raw: object, path: Path, interner: Interner | None) -> Any:
    def build() -> dict[str, Any]:
        res = expect_mapping(raw, path)
        return {
            kind: _resource_spec(expect_mapping(res[kind], (*path, kind)), (*path, kind))
            if res.get(kind) is not None
            else _NO_SPEC
            for kind in ("limits", "reservations")
        }

    # Device requests carry an options dict: only device-free resources are immutable.
    devices = isinstance(raw, dict) and any(
        isinstance(spec, dict) and spec.get("devices") for spec in raw.values()
    )
    if interner is None or devices:
        return build()
    return interner.normalized(Resources, raw, build)


def normalize_healthcheck(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``test`` string -> CMD-SHELL; lists keep their ``CMD``/``CMD-SHELL``/``NONE`` head."""
    out: dict[str, Any] = _durations(
        data, ("interval", "timeout", "start_period", "start_interval"), path
    )
    if data.get("retries") is not None:
        out["retries"] = expect_int(data["retries"], (*path, "retries"), 0)
    if data.get("disable") is not None:
        out["disable"] = expect_bool(data["disable"], (*path, "disable"))
    test = data.get("test")
    if isinstance(test, str):
        out["test"] = {"kind": "CMD-SHELL", "command": [test]}
    elif test is not None:
        items = list_of_str(test, (*path, "test"))
        if not items or items[0] not in ("CMD", "CMD-SHELL", "NONE"):
            raise fail(
                f"invalid healthcheck test {test!r}: a list must start with CMD, CMD-SHELL or NONE",
                (*path, "test"),
            )
        out["test"] = {"kind": items[0], "command": items[1:]}
    return out


def split_command(value: object, path: Path) -> tuple[list[str] | None, str | None]:
    """``command``/``entrypoint``: a string is shell-split, a list kept, null is None.

    Returns the words and the part Compose silently drops (after ``;``, ``&&``, ``|``...).
    """
    if value is None:
        return None, None
    if isinstance(value, str):
        try:
            return shell_split(value)
        except ShellSplitError as exc:
            raise fail(
                f"invalid command line {value!r}: {exc}; quote or escape it, or write it as a list",
                path,
            ) from None
    return list_of_str(value, path), None


def _devices(value: object, path: Path) -> list[dict[str, Any]]:
    """``devices`` requests (GPUs); ``count: all`` is the model's -1."""
    devices = []
    for i, dev in enumerate(expect_list(value, path)):
        where = (*path, i)
        dev = expect_mapping(dev, where)
        item: dict[str, Any] = {
            "capabilities": list_of_str(dev.get("capabilities") or [], (*where, "capabilities")),
            "device_ids": list_of_str(dev.get("device_ids") or [], (*where, "device_ids")),
            "options": str_dict(dev.get("options") or {}, (*where, "options")),
        }
        if dev.get("driver") is not None:
            item["driver"] = scalar_str(dev["driver"], (*where, "driver"))
        if dev.get("count") is not None:
            count = dev["count"]
            item["count"] = -1 if count == "all" else expect_int(count, (*where, "count"), -1)
        devices.append(item)
    return devices


def _generic(value: object, path: Path) -> list[dict[str, Any]]:
    generic = []
    for i, res in enumerate(expect_list(value, path)):
        where = (*path, i, "discrete_resource_spec")
        spec = expect_mapping(expect_mapping(res, (*path, i)).get("discrete_resource_spec"), where)
        generic.append(
            {
                "kind": scalar_str(spec.get("kind"), (*where, "kind")),
                "value": expect_int(spec.get("value"), (*where, "value")),
            }
        )
    return generic
