"""Service ``volumes:`` (short and long syntax) and service-level ``tmpfs:``.

Short syntax is ``[source:]target[:options]``, parsed the way compose-go's
``format.ParseVolume`` does; https://github.com/compose-spec/compose-spec/blob/main/05-services.md#volumes

Bind sources are never made absolute (outputs must carry no host paths):
a relative path is normalized to ``./sub/dir`` (or ``../x``, or ``.``), an absolute
path is normalized but kept, and ``~/x`` is kept exactly as written, unexpanded.
"""

from __future__ import annotations

import posixpath
from typing import Any

from translator.compose.normalize.keys import (
    expect_bool,
    expect_choice,
    expect_list,
    expect_mapping,
    fail,
    opt_str,
    scalar_str,
    type_name,
)
from translator.compose.units import parse_size
from translator.errors import Diagnostics, Path, TranslatorError

_PROPAGATIONS = frozenset({"rprivate", "private", "rshared", "shared", "rslave", "slave"})
_TYPES = ("volume", "bind", "tmpfs", "npipe", "cluster", "image")
VOLUME_KEYS = frozenset(
    {"type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"}
)

MountDict = dict[str, Any]


def is_path(source: str) -> bool:
    """compose-go ``isFilePath``: only a leading ``.``, ``/`` or ``~``, a Windows drive or a
    UNC prefix makes a path.

    ``data/x:/x`` is therefore a *volume* named ``data/x`` (which Compose then
    reports as undefined), not a bind mount.
    """
    return source[:1] in (".", "/", "~") or source.startswith("\\\\") or _drive(source)


def _drive(source: str) -> bool:
    """compose-go ``isWindowsDrive``: one letter then a colon (``C:\\data``, ``c:/data``)."""
    return source[1:2] == ":" and source[:1].isalpha()


def normalize_bind_source(source: str) -> str:
    # A Windows path is not a POSIX one: normpath would read ``C:\\data`` as relative.
    if source.startswith("~") or _already_clean(source) or _drive(source):
        return source
    if source.startswith("/"):
        return posixpath.normpath(source)
    norm = posixpath.normpath(source)
    return norm if norm == "." or norm.startswith("../") or norm == ".." else f"./{norm}"


def _already_clean(source: str) -> bool:
    """Whether ``source`` is ``./`` or ``/`` followed by a path ``normpath`` keeps as is (no
    empty, ``.`` or ``..`` part, no trailing slash): the common case skips ``normpath``."""
    if source.startswith("./"):
        rest = source[2:]
    elif source.startswith("/"):
        rest = source[1:]
    else:
        return False
    padded = f"/{rest}/"
    return bool(rest) and "//" not in padded and "/./" not in padded and "/../" not in padded


def clean_target(target: str) -> str:
    """Go's ``path.Clean``, which Compose applies to container paths (``/a/b/`` -> ``/a/b``)."""
    if not target.startswith("/"):
        return target
    if "//" not in target and "/." not in target and not target.endswith("/"):
        return target  # already clean: the common case, skip the work
    return "/" + posixpath.normpath(target).lstrip("/")


def split_volume(spec: str, path: Path) -> list[str]:
    """``spec`` cut at its colons as compose-go's ``ParseVolume`` cuts it: a colon right after
    a lone letter belongs to a Windows drive (``C:\\data:/data``), and the errors come in the
    order the Go loop meets them."""
    parts: list[str] = []
    start = 0
    colon = spec.find(":")
    while colon != -1:
        if not (colon - start == 1 and spec[start].isalpha()):
            if colon == start or len(parts) == 2:
                reason = "empty section between colons" if colon == start else "too many colons"
                raise _bad_volume(spec, reason, path)
            parts.append(spec[start:colon])
            start = colon + 1
        colon = spec.find(":", colon + 1)
    if start == len(spec):
        raise _bad_volume(spec, "empty section between colons", path)
    parts.append(spec[start:])
    return parts


def _bad_volume(spec: str, reason: str, path: Path) -> TranslatorError:
    return fail(f"invalid volume {spec!r}: {reason}; expected [source:]target[:options]", path)


def parse_volume_string(spec: str, path: Path) -> MountDict:
    if not spec:
        raise fail("invalid volume '': expected [source:]target[:ro|rw|z|Z|nocopy|...]", path)
    if len(spec) <= 2:
        return {"type": "volume", "target": clean_target(spec)}
    parts = split_volume(spec, path)
    if len(parts) == 1:
        return {"type": "volume", "target": clean_target(spec)}
    source, target = parts[0], parts[1]
    mount: MountDict = {"target": clean_target(target)}
    bind: dict[str, Any] = {}
    for option in parts[2].split(",") if len(parts) == 3 else []:
        if option in ("ro", "rw"):
            mount["read_only"] = option == "ro"
        elif option == "nocopy":
            mount["volume"] = {"nocopy": True}
        elif option in _PROPAGATIONS:
            bind["propagation"] = option
        elif option in ("z", "Z"):
            bind["selinux"] = option
        # compose-go ignores any other option silently.
    if is_path(source):
        # Compose creates a missing host path for the short syntax (docker-compose v1 compat).
        mount.update(type="bind", source=normalize_bind_source(source))
        mount["bind"] = {**bind, "create_host_path": True}
    else:
        mount.update(type="volume", source=source)
    return mount


def _sub(data: dict[str, Any], key: str, path: Path) -> dict[str, Any] | None:
    value = data.get(key)
    return None if value is None else expect_mapping(value, (*path, key))


def _long_volume(data: dict[str, Any], path: Path) -> MountDict:
    kind = expect_choice(data.get("type"), _TYPES, (*path, "type"))
    target = opt_str(data, "target", path)
    if target is None:
        raise fail("a volume in long syntax needs `target`, the path in the container", path)
    mount: MountDict = {"type": kind, "target": clean_target(target)}
    source = opt_str(data, "source", path)
    if source:
        mount["source"] = normalize_bind_source(source) if kind == "bind" else source
    if data.get("read_only") is not None:
        mount["read_only"] = expect_bool(data["read_only"], (*path, "read_only"))
    if data.get("consistency") is not None:
        mount["consistency"] = opt_str(data, "consistency", path)
    bind = _sub(data, "bind", path)
    if bind:
        mount["bind"] = _bind_options(bind, (*path, "bind"))
    volume = _sub(data, "volume", path)
    if volume:
        mount["volume"] = _volume_options(volume, (*path, "volume"))
    tmpfs = _sub(data, "tmpfs", path)
    if tmpfs:
        mount["tmpfs"] = _tmpfs_options(tmpfs, (*path, "tmpfs"))
    image = _sub(data, "image", path)
    if image and image.get("subpath") is not None:
        mount["image_subpath"] = opt_str(image, "subpath", (*path, "image"))
    return mount


def _bind_options(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("propagation", "recursive"):
        if data.get(key) is not None:
            out[key] = opt_str(data, key, path)
    if data.get("selinux") is not None:
        out["selinux"] = expect_choice(data["selinux"], ("z", "Z"), (*path, "selinux"))
    if data.get("create_host_path") is not None:
        out["create_host_path"] = expect_bool(data["create_host_path"], (*path, "create_host_path"))
    return out


def _volume_options(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("nocopy") is not None:
        out["nocopy"] = expect_bool(data["nocopy"], (*path, "nocopy"))
    if data.get("subpath") is not None:
        out["subpath"] = opt_str(data, "subpath", path)
    return out


def _tmpfs_options(data: dict[str, Any], path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("size") is not None:
        out["size"] = parse_size(data["size"], (*path, "size"))
    if data.get("mode") is not None:
        out["mode"] = parse_mode(data["mode"], (*path, "mode"))
    return out


def parse_mode(value: object, path: Path) -> int:
    """A file mode: numbers as written (YAML already read ``0o440``), strings as octal."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        try:
            return int(value.strip(), 8)
        except ValueError:
            pass
    raise fail(f"invalid mode {value!r}: expected an octal file mode such as 0440", path)


def normalize_volumes(
    value: object, path: Path, unknown: list[Path], declared: frozenset[str], service: str
) -> list[MountDict]:
    out: list[MountDict] = []
    for i, item in enumerate(expect_list(value, path)):
        where = (*path, i)
        if isinstance(item, str):
            mount = parse_volume_string(item, where)
        elif isinstance(item, dict):
            unknown.extend(
                (*where, k)
                for k in map(str, item)
                if k not in VOLUME_KEYS and not k.startswith("x-")
            )
            mount = _long_volume(item, where)
        else:
            raise fail(
                f"invalid volume: expected a string or a mapping, got {type_name(item)}", where
            )
        source = mount.get("source")
        if mount["type"] == "volume" and source and source not in declared:
            raise fail(f'service "{service}" refers to undefined volume {source}', where)
        out.append(mount)
    return out


def normalize_tmpfs(
    value: object, path: Path, diagnostics: Diagnostics, service: str
) -> list[MountDict]:
    """``tmpfs: /run`` or a list of ``/run:size=64k,mode=1770`` (size in bytes, mode octal)."""
    items = [value] if isinstance(value, str) else expect_list(value, path, "a string or a list")
    out: list[MountDict] = []
    for i, item in enumerate(items):
        where = path if isinstance(value, str) else (*path, i)
        target, _, opts = scalar_str(item, where).partition(":")
        options: dict[str, Any] = {}
        for option in filter(None, opts.split(",")):
            key, _, raw = option.partition("=")
            if key == "size":
                options["size"] = parse_size(raw, where)
            elif key == "mode":
                options["mode"] = parse_mode(raw, where)
            else:
                diagnostics.warn(
                    f"tmpfs option {option!r} of {target} is not kept by the model and is dropped",
                    where,
                    code="lossy",
                    service=service,
                    key="tmpfs",
                )
        mount: MountDict = {"type": "tmpfs", "target": target}
        if options:
            mount["tmpfs"] = options
        out.append(mount)
    return out
