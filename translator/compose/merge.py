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

After merging, ``translator.compose.unicity.enforce_unicity`` removes the earlier
duplicates from sequences that Compose keys by identity (``ports``, ``volumes`` by target,
``secrets``/``configs`` by target, ``dns`` ...; compose-go ``override/uncity.go``).

``!reset`` (spec 13-merge.md#reset-value) removes a key; ``!override``
(13-merge.md#replace-value) replaces it instead of merging. Inputs are never
mutated: merged levels are fresh containers, untouched values are shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from translator.compose.yamlio import Tagged
from translator.errors import Location, Path, TranslatorError

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


def without(data: dict[str, Any], omit: tuple[Path, ...]) -> dict[str, Any]:
    """``data`` without the mapping entries at the paths ``omit`` (copied along each path,
    never changed in place): what ``LoadOptions.omit`` leaves out."""
    for path in omit:
        data = _without(data, path)
    return data


def _without(node: Any, path: Path) -> Any:
    if not path or not isinstance(node, dict) or path[0] not in node:
        return node
    copy = dict(node)
    if len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = _without(node[path[0]], path[1:])
    return copy


def merge_file_documents(documents: list[Any], text: str, display: str) -> Any:
    """Compose merges the ``---`` documents of one file in order, like override files."""
    if len(documents) <= 1:
        return documents[0] if documents else None
    starts = [m.start() for m in re.finditer(r"(?m)^---", text)]
    merged: Any = None
    for index, document in enumerate(documents):
        if not isinstance(document, dict):
            # The n-th document starts at the n-th "---" (or the first, if it leads).
            leading = bool(starts) and not text[: starts[0]].strip()
            marker = index if leading else index - 1
            offset = starts[marker] if 0 <= marker < len(starts) else 0
            line = text.count("\n", 0, offset) + 1
            raise TranslatorError.at(
                f"document {index + 1} of {display} is not a mapping: every YAML document of "
                "a compose file must be a mapping of top-level keys",
                location=Location(display, line, 1),
                code="not-a-mapping",
            )
        # The first document keeps its merge tags for the files merged over it later.
        merged = document if merged is None else merge_documents(merged, document)
    return merged
