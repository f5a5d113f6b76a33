"""One service: every key of the spec to the model's field names and long forms.

https://github.com/compose-spec/compose-spec/blob/main/05-services.md

Handlers build plain dicts in the model's shape; the caller validates the whole
project once (one ``model_validate`` is far faster than thousands of constructors).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from translator.compose.normalize.consistency import (
    check_build_platform,
    check_resource_conflicts,
    implicit_dependencies,
)
from translator.compose.normalize.deploy import (
    normalize_deploy,
    normalize_healthcheck,
    split_command,
)
from translator.compose.normalize.image import normalize_image
from translator.compose.normalize.intern import Interner, share_parts
from translator.compose.normalize.keys import (
    EXTRA_SERVICE_KEYS,
    IGNORED_SERVICE_KEYS,
    NESTED_SHAPES,
    expect_bool,
    expect_int,
    expect_list,
    expect_mapping,
    fail,
    list_of_str,
    list_or_dict,
    scalar_str,
    str_dict,
    string_or_list,
    type_name,
    unknown_keys,
)
from translator.compose.normalize.ports import normalize_expose, normalize_ports
from translator.compose.normalize.refs import (
    normalize_build,
    normalize_depends_on,
    normalize_env_files,
    normalize_extra_hosts,
    normalize_file_refs,
    normalize_networks,
    normalize_ulimits,
)
from translator.compose.normalize.suggest import allowed_keys, did_you_mean, no_image_error
from translator.compose.normalize.volumes import normalize_tmpfs, normalize_volumes
from translator.compose.units import parse_cpus, parse_duration, parse_size
from translator.errors import Diagnostics, Path
from translator.model import (
    Healthcheck,
    Topology,
)


@dataclass
class Context:
    """What a service's handlers need beyond its own mapping."""

    diagnostics: Diagnostics
    base_dir: FsPath
    read_env_file: Callable[[FsPath], dict[str, str | None]]
    # The project's environment: process variables, then .env (see project_env.py).
    environ: Mapping[str, str] = field(default_factory=dict)
    services: frozenset[str] = frozenset()
    volumes: frozenset[str] = frozenset()
    networks: frozenset[str] = frozenset()
    secrets: frozenset[str] = frozenset()
    configs: frozenset[str] = frozenset()
    # Per service, reset by normalize_service.
    name: str = ""
    unknown: list[Path] = field(default_factory=list)
    # Repeated immutable parts, shared across the project's services.
    interner: Interner = field(default_factory=Interner)


Fields = dict[str, Any]
_NO_TOPOLOGY = Topology()
Handler = Callable[[Context, Any, Path], Fields]


def _command(key: str) -> Handler:
    def handle(ctx: Context, value: Any, path: Path) -> Fields:
        words, dropped = split_command(value, path)
        if dropped is not None:
            ctx.diagnostics.warn(
                f"{key} {value!r}: Compose stops reading a command at an unquoted {dropped[0]!r}, "
                f"so {dropped!r} is dropped; write it as a list or use sh -c",
                path,
                code="command-truncated",
                service=ctx.name,
                key=key,
            )
        return {key: words}

    return handle


def _string(key: str) -> Handler:
    return lambda ctx, value, path: {key: scalar_str(value, path)}


_CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")


def _container_name(ctx: Context, value: object, path: Path) -> Fields:
    # The compose-spec schema's pattern for container_name; Compose refuses anything else.
    name = scalar_str(value, path)
    if not _CONTAINER_NAME.fullmatch(name):
        raise fail(
            f"container_name {name!r} is invalid: expected a letter or digit followed by "
            "letters, digits, '_', '.' or '-'",
            path,
        )
    return {"container_name": name}


def _boolean(key: str) -> Handler:
    return lambda ctx, value, path: {key: expect_bool(value, path)}


def _strings(key: str) -> Handler:
    return lambda ctx, value, path: {key: list_of_str(value, path)}


def _string_or_list(key: str) -> Handler:
    return lambda ctx, value, path: {key: string_or_list(value, path)}


def _str_dict(key: str) -> Handler:
    return lambda ctx, value, path: {key: str_dict(value, path)}


def _size(key: str) -> Handler:
    return lambda ctx, value, path: {key: parse_size(value, path)}


def _memswap(ctx: Context, value: Any, path: Path) -> Fields:
    # -1 means unlimited swap; any other value is a size.
    unlimited = value == -1 or value == "-1"
    return {"memswap_limit": -1 if unlimited else parse_size(value, path)}


def _integer(key: str) -> Handler:
    return lambda ctx, value, path: {key: expect_int(value, path)}


def _environment(ctx: Context, value: Any, path: Path) -> Fields:
    return {"environment": list_or_dict(value, path, bare=None)}


def _devices(ctx: Context, value: Any, path: Path) -> Fields:
    items = expect_list(value, path)
    for i, item in enumerate(items):
        if not isinstance(item, str | dict):
            raise fail(f"expected a device string or mapping, got {type_name(item)}", (*path, i))
    return {"devices": items}


def _sysctls(ctx: Context, value: Any, path: Path) -> Fields:
    return {"sysctls": str_dict(value, path)}


def _logging(ctx: Context, value: Any, path: Path) -> Fields:
    data = expect_mapping(value, path)
    out: Fields = {"options": list_or_dict(data.get("options") or {}, (*path, "options"))}
    if data.get("driver") is not None:
        out["driver"] = scalar_str(data["driver"], (*path, "driver"))
    return {"logging": out}


def _deploy(ctx: Context, value: Any, path: Path) -> Fields:
    if value is None:
        return {"has_deploy": True}
    topology = normalize_deploy(expect_mapping(value, path), path, ctx.interner)
    return {"topology": topology, "has_deploy": True}


def _healthcheck(ctx: Context, value: Any, path: Path) -> Fields:
    def build() -> Fields:
        return normalize_healthcheck(expect_mapping(value, path), path)

    return {"healthcheck": ctx.interner.normalized(Healthcheck, value, build)}


def _ports(ctx: Context, value: Any, path: Path) -> Fields:
    return {"ports": normalize_ports(value, path, ctx.unknown)}


def _volumes(ctx: Context, value: Any, path: Path) -> Fields:
    return {"volumes": normalize_volumes(value, path, ctx.unknown, ctx.volumes, ctx.name)}


HANDLERS: dict[str, Handler] = {
    "image": lambda ctx, value, path: normalize_image(value, path, ctx.diagnostics),
    "build": lambda ctx, value, path: {"build": normalize_build(value, path)},
    "command": _command("command"),
    "entrypoint": _command("entrypoint"),
    "environment": _environment,
    "env_file": lambda ctx, value, path: {"env_files": normalize_env_files(ctx, value, path)},
    "labels": _str_dict("labels"),
    "annotations": _str_dict("annotations"),
    "ports": _ports,
    "expose": lambda ctx, value, path: {"expose": normalize_expose(value, path)},
    "volumes": _volumes,
    "tmpfs": lambda ctx, value, path: {
        "tmpfs": normalize_tmpfs(value, path, ctx.diagnostics, ctx.name)
    },
    "healthcheck": _healthcheck,
    "depends_on": lambda ctx, value, path: {"depends_on": normalize_depends_on(ctx, value, path)},
    "networks": lambda ctx, value, path: {"networks": normalize_networks(ctx, value, path)},
    "secrets": lambda ctx, value, path: {
        "secrets": normalize_file_refs(ctx, "secret", value, path)
    },
    "configs": lambda ctx, value, path: {
        "configs": normalize_file_refs(ctx, "config", value, path)
    },
    "sysctls": _sysctls,
    "ulimits": lambda ctx, value, path: {"ulimits": normalize_ulimits(value, path)},
    "devices": _devices,
    "extra_hosts": lambda ctx, value, path: {"extra_hosts": normalize_extra_hosts(value, path)},
    "logging": _logging,
    "deploy": _deploy,
    "stop_grace_period": lambda ctx, value, path: {
        "stop_grace_period": parse_duration(value, path)
    },
    "cpus": lambda ctx, value, path: {"cpus": parse_cpus(value, path)},
    "mem_limit": _size("mem_limit"),
    "mem_reservation": _size("mem_reservation"),
    "shm_size": _size("shm_size"),
    "memswap_limit": _memswap,
    "pids_limit": _integer("pids_limit"),
    "scale": _integer("scale"),
    "container_name": _container_name,
    **{
        k: _string(k)
        for k in (
            "pull_policy",
            "platform",
            "working_dir",
            "user",
            "hostname",
            "domainname",
            "stop_signal",
            "network_mode",
            "restart",
        )
    },
    **{k: _boolean(k) for k in ("init", "tty", "stdin_open", "privileged", "read_only")},
    **{
        k: _strings(k)
        for k in (
            "links",
            "external_links",
            "volumes_from",
            "cap_add",
            "cap_drop",
            "security_opt",
            "profiles",
        )
    },
    **{k: _string_or_list(k) for k in ("dns", "dns_search", "dns_opt")},
}


def normalize_service(ctx: Context, name: str, value: object, path: Path) -> Fields:
    """The model fields of one service (validated later, with the whole project)."""
    data = expect_mapping(value, path, "a service definition (a mapping)")
    ctx.name, ctx.unknown = name, []
    out: Fields = {"name": name, "extras": {}, "extensions": {}}
    keys: list[str] = []
    for raw_key, item in data.items():
        key = str(raw_key)  # YAML may give ``1:`` as an int; Compose keys are strings
        where = (*path, key)
        if key.startswith("x-"):
            out["extensions"][key] = item
            continue
        handler = HANDLERS.get(key)
        if key in NESTED_SHAPES:
            ctx.unknown.extend(unknown_keys(item, NESTED_SHAPES[key], where))
        if handler is not None:
            if item is not None or key in ("command", "entrypoint", "deploy"):
                out.update(handler(ctx, item, where))
        elif key in EXTRA_SERVICE_KEYS:
            out["extras"][key] = item
        elif key not in IGNORED_SERVICE_KEYS:
            ctx.unknown.append(where)
            continue
        keys.append(key)
    out["source_keys"] = keys
    _finish(ctx, out, path)
    return out


def _merged_environment(ctx: Context, out: Fields, path: Path) -> dict[str, str | None]:
    """env_file values, then ``environment:``. A name without a value takes the project
    environment's value, as Compose resolves it (compose-go ``Resolve`` over the process
    environment and ``.env``); it stays unset (None) only when that has none either."""
    env: dict[str, str | None] = {}
    for env_file in out.get("env_files", ()):
        # A bare name in an env file that nothing defines is left out, as Compose does.
        unset = sorted(k for k, v in env_file["values"].items() if v is None)
        if unset:
            ctx.diagnostics.warn(
                f"{', '.join(unset)} in env file {env_file['path']!r} "
                f"{'has' if len(unset) == 1 else 'have'} no value and the project environment "
                "defines none: left out, as Compose does",
                (*path, "env_file"), code="env-unset", service=ctx.name, key="env_file",
            )
        env.update((k, v) for k, v in env_file["values"].items() if v is not None)
    env.update(out.get("environment", {}))
    for key, value in env.items():
        if value is None and key in ctx.environ:
            env[key] = ctx.environ[key]
    return env


def _finish(ctx: Context, out: Fields, path: Path) -> None:
    # A ``provider:`` service is run by a plugin, not from an image (Compose 2.36+).
    if "artifact" not in out and "build" not in out and "provider" not in out["extras"]:
        raise no_image_error(ctx.name, ctx.unknown, path)
    out["environment"] = _merged_environment(ctx, out, path)
    check_resource_conflicts(out, path)
    check_build_platform(out, path)
    implicit_dependencies(ctx.services, out)
    share_parts(ctx.interner, out)
    # A shared, already-valid instance: pydantic deep-copies a model-typed default on
    # every validation, which costs more than the rest of a small service.
    out.setdefault("topology", _NO_TOPOLOGY)
    if not out.get("networks") and "network_mode" not in out:
        # Compose attaches such a service to the project's default network, and so it does
        # one whose networks are empty (`networks: {}`; found by the loader fuzzer).
        out["networks"] = {"default": None}
    for where in ctx.unknown:
        ctx.diagnostics.warn(
            f"unknown key {where[-1]!r} is not part of the Compose Specification and is ignored",
            where,
            code="unknown-key",
            service=ctx.name,
            key=str(where[-1]),
            hint=did_you_mean(str(where[-1]), allowed_keys(where[len(path) :], SERVICE_KEYS)),
        )


# Every key a service may have; nested mappings are described by NESTED_SHAPES.
SERVICE_KEYS = frozenset(HANDLERS) | EXTRA_SERVICE_KEYS | IGNORED_SERVICE_KEYS
