"""Service keys that refer to other things: files, services, networks, secrets, hosts.

https://github.com/compose-spec/compose-spec/blob/main/05-services.md
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from translator.compose.normalize.keys import (
    expect_bool,
    expect_choice,
    expect_int,
    expect_list,
    expect_mapping,
    fail,
    list_of_str,
    list_or_dict,
    opt_str,
    scalar_str,
    str_dict,
    string_or_list,
)
from translator.compose.normalize.volumes import normalize_bind_source, parse_mode
from translator.compose.yamlio import refuse_system_file
from translator.errors import Path, TranslatorError

if TYPE_CHECKING:
    from translator.compose.normalize.service import Context

_BUILD_TYPED = frozenset({"context", "dockerfile", "dockerfile_inline", "target", "args"})
_CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")


def _context_path(context: str) -> str:
    # Remote contexts (git URLs, https://...) are kept; local ones normalized like bind sources.
    if "://" in context or context.startswith("git@") or context.startswith("github.com/"):
        return context
    return normalize_bind_source(context)


def normalize_build(value: object, path: Path) -> dict[str, Any]:
    """``build: ./dir`` or the long form; keys the model does not type go to ``options``."""
    if isinstance(value, str):
        return {"context": _context_path(value)}
    data = expect_mapping(value, path, "a build context (a string) or a mapping")
    out: dict[str, Any] = {"context": _context_path(opt_str(data, "context", path) or ".")}
    for key in ("dockerfile", "dockerfile_inline", "target"):
        if data.get(key) is not None:
            out[key] = opt_str(data, key, path)
    if data.get("args") is not None:
        out["args"] = list_or_dict(data["args"], (*path, "args"), bare=None)
    out["options"] = {k: v for k, v in data.items() if k not in _BUILD_TYPED and v is not None}
    return out


def normalize_env_files(ctx: Context, value: object, path: Path) -> list[dict[str, Any]]:
    """Each ``env_file`` entry with its values, read with the loader's reader."""
    items: list[Any] = [value] if isinstance(value, str) else expect_list(value, path)
    out: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        where = path if isinstance(value, str) else (*path, i)
        if isinstance(item, str):
            entry: dict[str, Any] = {"path": item, "required": True}
        else:
            data = expect_mapping(item, where, "a path or a mapping with `path`")
            entry = {"path": scalar_str(data.get("path"), (*where, "path")), "required": True}
            if data.get("required") is not None:
                entry["required"] = expect_bool(data["required"], (*where, "required"))
            if data.get("format") is not None:
                entry["format"] = opt_str(data, "format", where)
        entry["values"] = _read_env(ctx, entry, where)
        out.append(entry)
    return out


def _read_env(ctx: Context, entry: dict[str, Any], path: Path) -> dict[str, str | None]:
    """The file's values; a missing optional file gives none. Reader errors get our path."""
    file = ctx.base_dir / entry["path"]
    try:
        refuse_system_file(file, what="env file", shown=repr(entry["path"]))
        if not os.path.exists(file):
            raise FileNotFoundError(entry["path"])
        return ctx.read_env_file(file)
    except FileNotFoundError:
        if not entry["required"]:
            return {}
        where = (
            "" if os.path.isabs(entry["path"]) else ": expected a file relative to the project "
            "directory"
        )
        raise fail(
            f"env file {entry['path']!r} not found{where} (or mark it `required: false`)", path
        ) from None
    except TranslatorError as exc:
        raise TranslatorError(
            [d if d.path else replace(d, path=path) for d in exc.diagnostics]
        ) from None
    except OSError as exc:
        raise fail(f"env file {entry['path']!r} cannot be read: {exc.strerror}", path) from None


def normalize_depends_on(ctx: Context, value: object, path: Path) -> dict[str, dict[str, Any]]:
    """A list of names (condition service_started) or a mapping of long forms.

    A missing service is an error as in Compose, unless the entry says ``required: false``,
    in which case Compose keeps it (and so do we, with a warning).
    """
    out: dict[str, dict[str, Any]] = {}
    entries: list[tuple[Path, str, dict[str, Any]]]
    if isinstance(value, list):
        entries = [((*path, i), name, {}) for i, name in enumerate(list_of_str(value, path))]
    else:
        mapping = expect_mapping(value, path, "a list or a mapping of services")
        entries = [((*path, k), k, _dependency(v, (*path, k))) for k, v in mapping.items()]
    for where, name, dep in entries:
        if name not in ctx.services and dep.get("required", True):
            raise fail(f'service "{ctx.name}" depends on undefined service "{name}"', where)
        if name not in ctx.services:
            # Compose keeps an optional dependency on a missing (or disabled) service.
            ctx.diagnostics.warn(
                f'service "{ctx.name}" depends on "{name}", which is not defined; the '
                "dependency is optional (required: false)",
                where,
                code="undefined-dependency",
                service=ctx.name,
                key="depends_on",
            )
        out[name] = dep
    return out


def _dependency(item: object, path: Path) -> dict[str, Any]:
    data = expect_mapping(item or {}, path)
    dep: dict[str, Any] = {}
    if data.get("condition") is not None:
        dep["condition"] = expect_choice(data["condition"], _CONDITIONS, (*path, "condition"))
    for key in ("restart", "required"):
        if data.get(key) is not None:
            dep[key] = expect_bool(data[key], (*path, key))
    return dep


def normalize_networks(ctx: Context, value: object, path: Path) -> dict[str, Any]:
    if isinstance(value, list):
        names = list_of_str(value, path)
        entries: dict[str, Any] = dict.fromkeys(names)
    else:
        entries = dict(expect_mapping(value, path, "a list or a mapping of networks"))
    out: dict[str, Any] = {}
    for name, item in entries.items():
        where = (*path, name) if isinstance(value, dict) else (*path, list(entries).index(name))
        if name not in ctx.networks and name != "default":
            raise fail(f'service "{ctx.name}" refers to undefined network {name}', where)
        out[name] = None if item is None else _service_network(expect_mapping(item, where), where)
    return out


def _service_network(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("aliases", "link_local_ips"):
        if data.get(key) is not None:
            out[key] = list_of_str(data[key], (*path, key))
    for key in ("ipv4_address", "ipv6_address", "mac_address", "interface_name"):
        if data.get(key) is not None:
            out[key] = opt_str(data, key, path)
    for key in ("priority", "gw_priority"):
        if data.get(key) is not None:
            out[key] = expect_int(data[key], (*path, key))
    if data.get("driver_opts") is not None:
        out["driver_opts"] = str_dict(data["driver_opts"], (*path, "driver_opts"))
    return out


def normalize_file_refs(ctx: Context, kind: str, value: object, path: Path) -> list[dict[str, Any]]:
    """Service ``secrets:``/``configs:``: ``name`` or ``{source, target, uid, gid, mode}``."""
    declared = ctx.secrets if kind == "secret" else ctx.configs
    out: list[dict[str, Any]] = []
    for i, item in enumerate(expect_list(value, path)):
        where = (*path, i)
        if isinstance(item, str):
            ref: dict[str, Any] = {"source": item}
        else:
            data = expect_mapping(item, where, f"a {kind} name or a mapping with `source`")
            ref = {"source": scalar_str(data.get("source"), (*where, "source"))}
            for key in ("target", "uid", "gid"):
                if data.get(key) is not None:
                    ref[key] = opt_str(data, key, where)
            if data.get("mode") is not None:
                ref["mode"] = parse_mode(data["mode"], (*where, "mode"))
        if ref["source"] not in declared:
            raise fail(f'service "{ctx.name}" refers to undefined {kind} {ref["source"]}', where)
        if kind == "secret" and not ref.get("target"):
            # Compose mounts a secret at /run/secrets/<source> unless told otherwise.
            ref["target"] = f"/run/secrets/{ref['source']}"
        out.append(ref)
    return out


def normalize_ulimits(value: object, path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, item in expect_mapping(value, path).items():
        where = (*path, name)
        if isinstance(item, dict):
            out[name] = {
                "soft": expect_int(item.get("soft"), (*where, "soft")),
                "hard": expect_int(item.get("hard"), (*where, "hard")),
            }
        else:
            number = expect_int(item, where)
            out[name] = {"soft": number, "hard": number, "single": True}
    return out


def normalize_extra_hosts(value: object, path: Path) -> dict[str, list[str]]:
    """``host:ip`` / ``host=ip`` list (``=`` wins, so IPv6 works), or host -> ip(s) map."""
    out: dict[str, list[str]] = {}
    if isinstance(value, dict):
        for host, item in value.items():
            out.setdefault(host, []).extend(string_or_list(item, (*path, host)))
        return out
    for i, item in enumerate(expect_list(value, path, "a list or a mapping of hosts")):
        text = scalar_str(item, (*path, i))
        sep = "=" if "=" in text else ":"
        host, found, address = text.partition(sep)
        if not found or not host or not address:
            raise fail(
                f"invalid extra_hosts entry {text!r}: expected host=ip or host:ip",
                (*path, i),
            )
        out.setdefault(host, []).append(address)
    return out
