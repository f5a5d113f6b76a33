"""Top-level ``networks``, ``volumes``, ``secrets`` and ``configs``.

https://github.com/compose-spec/compose-spec/blob/main/06-networks.md (and 07-volumes,
08-configs, 09-secrets). ``external: {name: x}`` is the legacy form of
``external: true`` plus ``name: x``.
"""

from __future__ import annotations

from typing import Any

from translator.compose.normalize.keys import (
    expect_bool,
    expect_list,
    expect_mapping,
    fail,
    opt_str,
    str_dict,
)
from translator.compose.normalize.suggest import closest, did_you_mean
from translator.errors import Diagnostics, Path, TranslatorError

_COMMON = frozenset({"name", "external", "labels", "driver", "driver_opts"})
_KEYS: dict[str, frozenset[str]] = {
    "networks": _COMMON | {"attachable", "enable_ipv4", "enable_ipv6", "internal", "ipam"},
    "volumes": _COMMON,
    "secrets": _COMMON | {"file", "environment", "template_driver"},
    "configs": _COMMON | {"file", "environment", "content", "template_driver"},
}


def _external(data: dict[str, Any], out: dict[str, Any], path: Path) -> None:
    value = data.get("external")
    if value is None:
        return
    if isinstance(value, dict):
        out["external"] = True
        legacy = opt_str(value, "name", (*path, "external"))
        if legacy is not None:
            out.setdefault("name", legacy)
    else:
        out["external"] = expect_bool(value, (*path, "external"))


def _ipam(value: object, path: Path) -> dict[str, Any]:
    data = expect_mapping(value, path)
    out: dict[str, Any] = {}
    if data.get("driver") is not None:
        out["driver"] = opt_str(data, "driver", path)
    if data.get("config") is not None:
        items = expect_list(data["config"], (*path, "config"))
        out["config"] = [expect_mapping(c, (*path, "config", i)) for i, c in enumerate(items)]
    if data.get("options") is not None:
        out["options"] = str_dict(data["options"], (*path, "options"))
    return out


def normalize_resource(
    section: str, name: str, value: object, path: Path, diagnostics: Diagnostics
) -> dict[str, Any]:
    """One entry of a top-level section, as the model's Network/Volume/FileObject fields."""
    data = expect_mapping(value or {}, path)
    allowed = _KEYS[section]
    out: dict[str, Any] = {"extensions": {}}
    for key in ("name", "driver", "file", "environment", "content", "template_driver"):
        if key in allowed and data.get(key) is not None:
            out[key] = opt_str(data, key, path)
    _external(data, out, path)
    for key in ("labels", "driver_opts"):
        if data.get(key) is not None:
            out[key] = str_dict(data[key], (*path, key))
    for key in ("attachable", "enable_ipv4", "enable_ipv6", "internal"):
        if key in allowed and data.get(key) is not None:
            out[key] = expect_bool(data[key], (*path, key))
    if section == "networks" and data.get("ipam") is not None:
        out["ipam"] = _ipam(data["ipam"], (*path, "ipam"))
    for raw_key, item in data.items():
        key = str(raw_key)
        if key.startswith("x-"):
            out["extensions"][key] = item
        elif key not in allowed:
            diagnostics.warn(
                f"unknown key {key!r} in {section} {name!r} is not part of the Compose "
                "Specification and is ignored",
                (*path, key),
                code="unknown-key",
                key=key,
                hint=did_you_mean(key, allowed),
            )
    if section in ("secrets", "configs") and not (
        out.get("external") or {"file", "environment", "content", "driver"} & out.keys()
    ):
        raise _no_source(section, name, data, path)
    return out


def _no_source(section: str, name: str, data: dict[str, Any], path: Path) -> TranslatorError:
    """A secret or config without a source; a typo'd ``flie:`` is named as the likely cause."""
    sources = ("file", "environment", *(("content",) if section == "configs" else ()))
    message = (
        f"{section[:-1]} {name!r} needs one of "
        + ", ".join(f"`{s}`" for s in sources)
        + " or `external: true`"
    )
    for raw_key in data:
        match = closest(str(raw_key), (*sources, "external"))
        if match is not None and str(raw_key) not in _KEYS[section]:
            return fail(
                f"{message}; unknown key `{raw_key}`: did you mean `{match}`?",
                (*path, str(raw_key)),
            )
    return fail(message, path)
