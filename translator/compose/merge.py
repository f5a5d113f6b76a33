"""Merging compose documents the way Docker Compose v2 (compose-go) does.

Spec: https://github.com/compose-spec/compose-spec/blob/main/13-merge.md

The default rules: mappings merge key by key, sequences append, scalars are
replaced, and an explicit ``null`` in the override keeps the base value. Some
service keys have their own rule (compose-go ``override/merge.go``):

* ``command``, ``entrypoint``, ``healthcheck.test``: replaced, never appended;
* ``environment``, ``labels``, ``annotations``, ``sysctls``, ``build.args`` ...:
  merged as maps (the list form ``KEY=VALUE`` is converted first);
* ``depends_on``, ``networks``: merged as maps (list form converted first);
* ``build``: the short form ``build: ./dir`` means ``{context: ./dir}``;
* ``logging``: options merge only when both sides name the same driver;
* ``extra_hosts``: appended without exact duplicates;
* ``ulimits.<name>``: replaced.

After merging, :func:`enforce_unicity` removes earlier duplicates from the
sequences Compose keys by identity (``ports``, ``volumes`` by target,
``secrets``/``configs`` by target, ``dns`` ...; compose-go ``override/uncity.go``).

``!reset`` (spec 13-merge.md#reset-value) removes a key; ``!override``
(13-merge.md#replace-value) replaces it instead of merging. Inputs are never
mutated: merged levels are fresh containers, untouched values are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.compose.yamlio import Tagged
from translator.errors import Path, TranslatorError

Merger = Callable[[Any, Any, Path], Any]

RESET = "!reset"
OVERRIDE = "!override"


def strip_tags(value: Any) -> Any:
    """Resolve tags in a value that has no base: ``!reset`` keys vanish, ``!override`` unwraps.

    Returns ``value`` itself when it holds no tag, so untagged documents are not copied.
    """
    kind = type(value)
    if kind is dict:
        return _strip_dict(value)
    if kind is list:
        return _strip_list(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, Tagged):
        return None if value.tag == RESET else strip_tags(value.value)
    if isinstance(value, dict):
        return _strip_dict(value)
    if isinstance(value, list):
        return _strip_list(value)
    return value


# Exact types that can hold no tag: the common case is decided without isinstance calls.
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _is_reset(value: Any) -> bool:
    return isinstance(value, Tagged) and value.tag == RESET


def _strip_dict(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] | None = None
    for key, item in value.items():
        if type(item) in _SCALARS or not isinstance(item, Tagged | dict | list):
            continue
        new = strip_tags(item)
        if new is item and not _is_reset(item):
            continue
        if out is None:
            out = dict(value)
        if _is_reset(item):
            del out[key]
        else:
            out[key] = new
    return value if out is None else out


def _strip_list(value: list[Any]) -> list[Any]:
    changed = False
    for item in value:
        if type(item) in _SCALARS or not isinstance(item, Tagged | dict | list):
            continue
        if isinstance(item, Tagged) or strip_tags(item) is not item:
            changed = True
            break
    if not changed:
        return value
    return [strip_tags(v) for v in value if not _is_reset(v)]


def merge_documents(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge one whole compose document over another (later files win)."""
    return merge_mappings(base, override, ())


def merge_service(base: dict[str, Any], override: dict[str, Any], name: str) -> dict[str, Any]:
    """Merge one service definition over another (used by ``extends`` too)."""
    return merge_mappings(base, override, ("services", name))


def merge_mappings(base: dict[str, Any], override: dict[str, Any], path: Path) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Tagged):
            if value.tag == RESET:
                out.pop(key, None)
            else:
                out[key] = strip_tags(value.value)
            continue
        if key not in out:
            out[key] = strip_tags(value)
            continue
        out[key] = merge_value(out[key], value, (*path, key))
    return out


def merge_value(base: Any, override: Any, path: Path) -> Any:
    special = _special(path)
    if special is not None:
        if override is None:
            return base
        return special(base, override, path)
    if override is None:
        return base
    if isinstance(base, dict):
        if not isinstance(override, dict):
            raise _cannot_override(path, "a mapping", override)
        return merge_mappings(base, override, path)
    if isinstance(base, list):
        if not isinstance(override, list):
            raise _cannot_override(path, "a sequence", override)
        return [*base, *strip_tags(override)]
    return strip_tags(override)


def _cannot_override(path: Path, expected: str, got: Any) -> TranslatorError:
    kinds: dict[type, str] = {dict: "a mapping", list: "a sequence"}
    kind = kinds.get(type(got), "a scalar")
    return TranslatorError.at(
        f"cannot override: the base file has {expected} here but the override has {kind}",
        path,
        code="merge-type",
        hint="write the same kind of value in every file, or tag the override with !override",
    )


def _special(path: Path) -> Merger | None:
    """The merge rule for ``path`` (services.<name>.<key>...), if it has one."""
    if len(path) < 3:
        return None
    section = path[0]
    if section == "services":
        return _SERVICE_RULES.get(_pattern(path[2:]))
    if section in ("networks", "volumes"):
        rest = _pattern(path[2:])
        if rest == ("labels",):
            return _as_map
        if section == "networks" and rest == ("ipam", "config"):
            return _ipam_config
    return None


def _pattern(parts: Path) -> tuple[str, ...]:
    """Turn ``("ulimits", "nofile")`` into ``("ulimits", "*")`` for wildcarded rules."""
    if len(parts) == 2 and parts[0] == "ulimits":
        return (str(parts[0]), "*")
    return tuple(str(p) for p in parts)


# --- rules ---------------------------------------------------------------------------------


def _replace(base: Any, override: Any, path: Path) -> Any:
    return strip_tags(override)


def to_map(value: Any, path: Path) -> dict[str, Any]:
    """``[A=1, B]`` -> ``{A: "1", B: None}``; a mapping is returned as it is."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise TranslatorError.at(
            "expected a mapping or a list of KEY=VALUE strings", path, code="merge-type"
        )
    out: dict[str, Any] = {}
    for item in value:
        text = item if isinstance(item, str) else str(item)
        key, sep, rest = text.partition("=")
        out[key] = rest if sep else None
    return out


def _as_map(base: Any, override: Any, path: Path) -> Any:
    return {**to_map(base, path), **to_map(strip_tags(override), path)}


def _names_map(value: Any, path: Path, default: Any) -> dict[str, Any]:
    """``[a, b]`` -> ``{a: default, b: default}`` (depends_on, networks)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {
            str(item): (dict(default) if isinstance(default, dict) else default) for item in value
        }
    raise TranslatorError.at("expected a mapping or a list of names", path, code="merge-type")


def _depends_on(base: Any, override: Any, path: Path) -> Any:
    # compose-go gives list entries the long form's defaults before merging.
    default = {"condition": "service_started", "required": True}
    return merge_mappings(
        _names_map(base, path, default), _names_map(override, path, default), path
    )


def _networks(base: Any, override: Any, path: Path) -> Any:
    return merge_mappings(_names_map(base, path, None), _names_map(override, path, None), path)


def _build(base: Any, override: Any, path: Path) -> Any:
    def as_mapping(value: Any) -> dict[str, Any]:
        if isinstance(value, str):
            return {"context": value}
        if isinstance(value, dict):
            return value
        raise TranslatorError.at(
            "expected a build context path or a build mapping", path, code="merge-type"
        )

    return merge_mappings(as_mapping(base), as_mapping(override), path)


def _logging(base: Any, override: Any, path: Path) -> Any:
    if not isinstance(base, dict) or not isinstance(override, dict):
        return strip_tags(override)
    # Options only make sense for one driver: a different driver replaces the block.
    if "driver" in base and "driver" in override and base["driver"] != override["driver"]:
        return strip_tags(override)
    return merge_mappings(base, override, path)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        out: list[Any] = []
        for key, val in value.items():
            if val is None:
                out.append(key)
            elif isinstance(val, list):
                out.extend(f"{key}={v}" for v in val)
            else:
                out.append(f"{key}={val}")
        return out
    return [value]


def _extra_hosts(base: Any, override: Any, path: Path) -> Any:
    left = _as_list(base)
    seen = set(map(str, left))
    return [*left, *(v for v in _as_list(strip_tags(override)) if str(v) not in seen)]


def _to_sequence(base: Any, override: Any, path: Path) -> Any:
    return [*_as_list(base), *_as_list(strip_tags(override))]


def _ipam_config(base: Any, override: Any, path: Path) -> Any:
    # Pools are identified by subnet: an override of the same subnet merges into it.
    if not isinstance(base, list) or not isinstance(override, list):
        return strip_tags(override)
    out: list[Any] = list(base)
    index = {item.get("subnet"): i for i, item in enumerate(out) if isinstance(item, dict)}
    for item in strip_tags(override):
        subnet = item.get("subnet") if isinstance(item, dict) else None
        if subnet in index and isinstance(item, dict):
            out[index[subnet]] = merge_mappings(out[index[subnet]], item, path)
        else:
            index[subnet] = len(out)
            out.append(item)
    return out


def _paths(spec: str) -> list[tuple[str, ...]]:
    """``"a b.c"`` -> ``[("a",), ("b", "c")]``: keeps the rule tables short."""
    return [tuple(p.split(".")) for p in spec.split()]


_SERVICE_RULES: dict[tuple[str, ...], Merger] = {
    **dict.fromkeys(_paths("command entrypoint healthcheck.test ulimits.*"), _replace),
    **dict.fromkeys(
        _paths(
            "environment labels annotations sysctls deploy.labels build.args build.labels "
            "build.additional_contexts"
        ),
        _as_map,
    ),
    **dict.fromkeys(_paths("extra_hosts build.extra_hosts"), _extra_hosts),
    **dict.fromkeys(_paths("dns dns_opt dns_search env_file label_file tmpfs"), _to_sequence),
    **dict.fromkeys(_paths("networks models"), _networks),
    ("build",): _build,
    ("depends_on",): _depends_on,
    ("logging",): _logging,
}


# --- unicity -------------------------------------------------------------------------------


def _key_value(item: Any) -> str:
    return str(item).partition("=")[0]


def _port_key(item: Any) -> str:
    # compose-go canonicalizes ports first, then keys them host_ip:published:target/protocol.
    if isinstance(item, dict):
        published = item.get("published")
        return (
            f"{item.get('host_ip') or '0.0.0.0'}:{'' if published is None else published}:"
            f"{item.get('target')}/{item.get('protocol') or 'tcp'}"
        )
    text = str(item)
    body, _, protocol = text.partition("/")
    if "-" in body:
        return text  # ranges expand to many ports; keep them whole
    parts = body.rsplit(":", 2)
    target = parts[-1]
    published = parts[-2] if len(parts) >= 2 else ""
    host = parts[0] if len(parts) == 3 else "0.0.0.0"
    return f"{host.strip('[]') or '0.0.0.0'}:{published}:{target}/{protocol or 'tcp'}"


def _volume_key(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("target", ""))
    parts = str(item).split(":")
    return parts[0] if len(parts) == 1 else parts[1]


def _mount_key(prefix: str) -> Callable[[Any], str]:
    def key(item: Any) -> str:
        if isinstance(item, dict):
            target = item.get("target")
            return str(target) if target is not None else f"{prefix}/{item.get('source')}"
        return f"{prefix}/{item}"

    return key


def _env_file_key(item: Any) -> str:
    return str(item.get("path")) if isinstance(item, dict) else str(item)


_UNIQUE: dict[tuple[str, ...], Callable[[Any], str]] = {
    **dict.fromkeys(
        _paths(
            "annotations cap_add cap_drop dns dns_opt dns_search environment labels links "
            "profiles sysctls tmpfs build.args build.additional_contexts build.platforms "
            "build.tags build.labels deploy.labels"
        ),
        _key_value,
    ),
    **dict.fromkeys(_paths("volumes devices"), _volume_key),
    ("env_file",): _env_file_key,
    ("expose",): str,
    ("ports",): _port_key,
    ("secrets",): _mount_key("/run/secrets"),
    ("configs",): _mount_key(""),
}


_UNIQUE_BY_FIRST: dict[str, list[tuple[tuple[str, ...], Callable[[Any], str]]]] = {}
for _pattern_key, _indexer in _UNIQUE.items():
    _UNIQUE_BY_FIRST.setdefault(_pattern_key[0], []).append((_pattern_key, _indexer))


def _unique_rules(service: dict[str, Any]) -> list[tuple[tuple[str, ...], Callable[[Any], str]]]:
    """The unicity rules that apply to the keys this service has (most have few)."""
    return [rule for k in service if k in _UNIQUE_BY_FIRST for rule in _UNIQUE_BY_FIRST[k]]


def _dedupe(items: list[Any], key: Callable[[Any], str]) -> list[Any]:
    """A later entry with the same key replaces the earlier one, in the earlier's place."""
    keys = [key(item) for item in items]
    if len(set(keys)) == len(keys):
        return items  # nothing redefined: the usual case
    out: list[Any] = []
    seen: dict[str, int] = {}
    for item, k in zip(items, keys, strict=True):
        if k in seen:
            out[seen[k]] = item
        else:
            seen[k] = len(out)
            out.append(item)
    return out


def enforce_unicity(service: dict[str, Any]) -> dict[str, Any]:
    """Drop redefinitions in a service's keyed sequences (compose-go ``EnforceUnicity``)."""
    out: dict[str, Any] | None = None
    for pattern, key in _unique_rules(service):
        if len(pattern) == 1:
            items = service[pattern[0]]  # the rule applies because the service has the key
            if not isinstance(items, list) or len(items) < 2:
                continue  # the usual case (mappings, single entries), decided at once
        holder: Any = service
        for part in pattern[:-1]:
            holder = holder.get(part) if isinstance(holder, dict) else None
        items = holder.get(pattern[-1]) if isinstance(holder, dict) else None
        if not isinstance(items, list) or len(items) < 2:
            continue
        deduped = _dedupe(items, key)
        if len(deduped) == len(items):
            continue
        out = dict(service) if out is None else out
        if len(pattern) == 1:
            out[pattern[0]] = deduped
        else:
            out[pattern[0]] = {**out[pattern[0]], pattern[1]: deduped}
    for name, net in _service_networks(service):
        aliases = net.get("aliases")
        if isinstance(aliases, list) and len(set(map(str, aliases))) < len(aliases):
            out = dict(service) if out is None else out
            out["networks"] = {**out["networks"], name: {**net, "aliases": _dedupe(aliases, str)}}
    return service if out is None else out


def _service_networks(service: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    nets = service.get("networks")
    if not isinstance(nets, dict):
        return []
    return [(str(k), v) for k, v in nets.items() if isinstance(v, dict)]
