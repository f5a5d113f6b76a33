"""Shared helpers: type checks with exact paths, and the compose spec's key sets.

The key sets follow ``compose-spec.json`` (the Compose Specification schema);
https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from translator.compose.units import format_go_float
from translator.errors import Path, TranslatorError

# Service keys the spec allows that the model does not type: they go to Service.extras.
EXTRA_SERVICE_KEYS = frozenset(
    {
        "attach",
        "blkio_config",
        "cgroup",
        "cgroup_parent",
        "cpu_count",
        "cpu_percent",
        "cpu_period",
        "cpu_quota",
        "cpu_rt_period",
        "cpu_rt_runtime",
        "cpu_shares",
        "cpuset",
        "credential_spec",
        "develop",
        "device_cgroup_rules",
        "gpus",
        "group_add",
        "ipc",
        "isolation",
        "label_file",
        "mac_address",
        "mem_swappiness",
        "models",
        "oom_kill_disable",
        "oom_score_adj",
        "pid",
        "post_start",
        "pre_stop",
        "provider",
        "pull_refresh_after",
        "runtime",
        "storage_opt",
        "use_api_socket",
        "userns_mode",
        "uts",
    }
)
# ``extends`` is resolved by the loader before normalization; tolerate leftovers silently.
IGNORED_SERVICE_KEYS = frozenset({"extends"})
TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "name",
        "include",
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "models",
    }
)


def fail(message: str, path: Path) -> TranslatorError:
    return TranslatorError.at(message, path)


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def expect_mapping(value: object, path: Path, what: str = "a mapping") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(f"expected {what}, got {type_name(value)}", path)
    return value


def expect_list(value: object, path: Path, what: str = "a list") -> list[Any]:
    if not isinstance(value, list):
        raise fail(f"expected {what}, got {type_name(value)}", path)
    return value


# compose-go casts interpolated strings for boolean fields (template/types.go toBoolean).
_TRUE = frozenset({"y", "yes", "true", "on"})
_FALSE = frozenset({"n", "no", "false", "off"})


def expect_bool(value: object, path: Path) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise fail(f"expected a boolean (true or false), got {type_name(value)}", path)


def expect_int(value: object, path: Path, minimum: int | None = None) -> int:
    """An integer; Compose also takes integer strings (``"3"``) for numeric fields."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number is None:
        raise fail(f"expected an integer, got {type_name(value)} {value!r}", path)
    if minimum is not None and number < minimum:
        raise fail(f"expected an integer of at least {minimum}, got {number}", path)
    return number


def expect_choice(value: object, choices: tuple[str, ...], path: Path) -> str:
    if value not in choices:
        raise fail(f"invalid value {value!r}: expected one of {', '.join(choices)}", path)
    return str(value)


def scalar_str(value: object, path: Path) -> str:
    """A scalar as Compose prints it in a string field: ``true``, ``1``, ``1.5``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_go_float(value)
    raise fail(f"expected a string or number, got {type_name(value)}", path)


def opt_str(data: Mapping[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    return None if value is None else scalar_str(value, (*path, key))


def string_or_list(value: object, path: Path) -> list[str]:
    """``dns: 8.8.8.8`` or ``dns: [8.8.8.8]``."""
    if isinstance(value, str):
        return [value]
    items = expect_list(value, path, "a string or a list of strings")
    return [scalar_str(item, (*path, i)) for i, item in enumerate(items)]


def list_of_str(value: object, path: Path) -> list[str]:
    items = expect_list(value, path, "a list of strings")
    return [scalar_str(item, (*path, i)) for i, item in enumerate(items)]


def list_or_dict(
    value: object, path: Path, *, sep: str = "=", bare: str | None = None
) -> dict[str, str | None]:
    """``KEY=value`` list or mapping, values as Compose prints them.

    ``bare`` is the value of a list item without a separator: None for environment
    (pass through the caller's variable), ``""`` for labels.
    """
    out: dict[str, str | None] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            # Fast path: most values are already strings.
            if item is None or item.__class__ is str:
                out[str(key)] = item
            else:
                out[str(key)] = scalar_str(item, (*path, key))
        return out
    items = expect_list(value, path, "a mapping or a list of KEY=value strings")
    for i, item in enumerate(items):
        text = scalar_str(item, (*path, i))
        key, found, rest = text.partition(sep)
        out[key] = rest if found else bare
    return out


def str_dict(value: object, path: Path) -> dict[str, str]:
    """A mapping or list whose values are always strings (labels, driver_opts)."""
    return {k: "" if v is None else v for k, v in list_or_dict(value, path, bare="").items()}


# Allowed keys of the nested service mappings (compose-spec.json, additionalProperties
# false). A value of None is a leaf; "*" stands for any name (depends_on, networks).
Shape = dict[str, "Shape | None"]
_UPDATE: Shape = dict.fromkeys(
    ("delay", "failure_action", "max_failure_ratio", "monitor", "order", "parallelism")
)
_SPEC: Shape = dict.fromkeys(("cpus", "memory", "pids", "devices", "generic_resources"))
NESTED_SHAPES: Shape = {
    "healthcheck": dict.fromkeys(
        ("disable", "interval", "retries", "start_interval", "start_period", "test", "timeout")
    ),
    "logging": dict.fromkeys(("driver", "options")),
    "deploy": {
        **dict.fromkeys(("endpoint_mode", "labels", "mode", "replicas")),
        "resources": {"limits": _SPEC, "reservations": _SPEC},
        "restart_policy": dict.fromkeys(("condition", "delay", "max_attempts", "window")),
        "update_config": _UPDATE,
        "rollback_config": _UPDATE,
        "placement": dict.fromkeys(("constraints", "max_replicas_per_node", "preferences")),
    },
    "depends_on": {"*": dict.fromkeys(("condition", "restart", "required"))},
    "networks": {
        "*": dict.fromkeys(
            (
                "aliases",
                "interface_name",
                "ipv4_address",
                "ipv6_address",
                "link_local_ips",
                "mac_address",
                "driver_opts",
                "priority",
                "gw_priority",
            )
        )
    },
}


def unknown_keys(value: object, shape: Shape | None, path: Path) -> list[Path]:
    """Paths of keys in ``value`` that ``shape`` does not allow (``x-*`` always allowed)."""
    if shape is None or not isinstance(value, dict):
        return []
    every = shape.get("*")
    if every is None and value.keys() <= shape.keys():
        # Every key is allowed (the usual case): only nested shapes remain to check.
        return _nested_unknown(value, shape, path)
    found: list[Path] = []
    for key, item in value.items():
        if isinstance(key, str) and key.startswith("x-"):
            continue
        if every is not None:
            found.extend(unknown_keys(item, every, (*path, key)))
        elif key not in shape:
            found.append((*path, key))
        elif shape[key] is not None and isinstance(item, dict):
            found.extend(unknown_keys(item, shape[key], (*path, key)))
    return found


def _nested_unknown(value: dict[Any, Any], shape: Shape, path: Path) -> list[Path]:
    if id(shape) in _FLAT_SHAPES:
        return []
    found: list[Path] = []
    for key, item in value.items():
        sub = shape[key]
        if sub is None or not isinstance(item, dict):
            continue
        if id(sub) in _FLAT_SHAPES and item.keys() <= sub.keys():
            continue  # a flat mapping with allowed keys only: nothing to report
        found.extend(unknown_keys(item, sub, (*path, key)))
    return found


def _flat_shapes(shape: Shape) -> set[int]:
    """Identities of the (module-lifetime) shapes that nest no other shape."""
    nested = [sub for sub in shape.values() if sub is not None]
    flat = {id(shape)} if not nested else set()
    for sub in nested:
        flat |= _flat_shapes(sub)
    return flat


# Checked by identity: most nested mappings (healthcheck, resource limits) are flat, so
# once their keys are known to be allowed there is nothing left to look at.
_FLAT_SHAPES = _flat_shapes(NESTED_SHAPES)
