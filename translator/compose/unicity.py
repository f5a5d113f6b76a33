"""Unicity: a later entry in a service's keyed list replaces an earlier one with the same key
(compose-go ``EnforceUnicity``, applied after merging): two ``ports`` for the same
host_ip:published:target/protocol, two ``volumes`` for the same target, two variables of
the same name, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.compose.normalize.volumes import clean_target, split_volume
from translator.errors import TranslatorError


def _paths(spec: str) -> list[tuple[str, ...]]:
    """``"a b.c"`` -> ``[("a",), ("b", "c")]``: keeps the rule table short."""
    return [tuple(p.split(".")) for p in spec.split()]


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
    """The mount's cleaned target, as compose-go keys it: short syntax cut at its colons
    as the normalizer cuts it (``C:\\data:/data`` and ``v:84:/data`` mount at ``/data``)."""
    if isinstance(item, dict):
        return clean_target(str(item.get("target", "")))
    spec = str(item)
    try:
        parts = split_volume(spec, ())
    except TranslatorError:
        return spec  # the normalizer refuses it, at its position
    return clean_target(parts[0] if len(parts) == 1 else parts[1])


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
