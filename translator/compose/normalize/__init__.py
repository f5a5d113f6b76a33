"""Normalization: a merged, interpolated compose mapping to the model's :class:`Project`.

The loader hands over plain data (str/int/float/bool/None/list/dict, keys in file
order). Every short syntax becomes the model's long form here, once; errors carry
the exact document path so the loader can attach ``file:line:col``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from translator.compose.normalize.cycles import check_cycles
from translator.compose.normalize.hostfiles import attach_host_sources
from translator.compose.normalize.keys import TOP_LEVEL_KEYS, expect_mapping
from translator.compose.normalize.service import Context, normalize_service
from translator.compose.normalize.suggest import did_you_mean
from translator.compose.normalize.toplevel import normalize_resource
from translator.errors import Diagnostic, Diagnostics, Path, Severity, TranslatorError
from translator.model import Project

__all__ = ["normalize_project"]

_SECTIONS = ("networks", "volumes", "secrets", "configs")


def normalize_project(
    data: dict[str, Any],
    *,
    name: str,
    base_dir: FsPath,
    diagnostics: Diagnostics,
    read_env_file: Callable[[FsPath], dict[str, str | None]],
    environ: Mapping[str, str] | None = None,
    read_outside: bool = False,
) -> Project:
    """The project described by ``data``; ``name`` is the already-resolved project name.

    ``environ`` is the project's environment (the process's, then ``.env``): a variable
    named without a value (``environment: [TZ]``) takes its value from there.
    ``read_outside``: read configs and secrets files outside ``base_dir`` too.
    """
    return _normalize(data, name, base_dir, diagnostics, read_env_file, environ or {},
                      read_outside)


# https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json: the
# sections whose patternProperties come with additionalProperties false. Compose refuses
# other names there ("we b", "../x"); network names are free (tests/compose/test_parity.py).
_NAME = re.compile(r"[a-zA-Z0-9._-]+")
_NAMED = {"services": "service", "volumes": "volume", "secrets": "secret",
          "configs": "config"}  # fmt: skip


def _check_names(data: dict[str, Any]) -> None:
    for section, kind in _NAMED.items():
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue  # expect_mapping reports it where it is used
        for key in entries:
            if not _NAME.fullmatch(str(key)):
                raise TranslatorError.at(
                    f"{kind} name {str(key)!r} is invalid: expected letters, digits, '.', '_' "
                    "and '-' (Compose refuses it too)",
                    (section, str(key)),
                    code="invalid-name",
                    hint=f"rename the {kind}",
                )


def _normalize(
    data: dict[str, Any],
    name: str,
    base_dir: FsPath,
    diagnostics: Diagnostics,
    read_env_file: Callable[[FsPath], dict[str, str | None]],
    environ: Mapping[str, str],
    read_outside: bool = False,
) -> Project:
    data = expect_mapping(data, (), "a compose document (a mapping)")
    out: dict[str, Any] = {"name": name, "extras": {}, "extensions": {}}
    _top_level_keys(data, out, diagnostics)
    _check_names(data)
    for section in _SECTIONS:
        entries = expect_mapping(data.get(section) or {}, (section,))
        out[section] = {
            str(key): normalize_resource(section, str(key), value, (section, str(key)), diagnostics)
            for key, value in entries.items()
            if not str(key).startswith("x-")
        }
    for section in ("secrets", "configs"):
        for key, entry in out[section].items():
            if entry.get("file") and not entry.get("external"):
                where = (section, key, "file")
                entry["file_text"] = _file_text(
                    section, entry["file"], base_dir, where, diagnostics, read_outside
                )
    services = expect_mapping(data.get("services") or {}, ("services",))
    ctx = Context(
        diagnostics=diagnostics,
        base_dir=base_dir,
        read_env_file=read_env_file,
        environ=environ,
        services=frozenset(map(str, services)),
        volumes=frozenset(out["volumes"]),
        networks=frozenset(out["networks"]),
        secrets=frozenset(out["secrets"]),
        configs=frozenset(out["configs"]),
    )
    out["services"] = {
        str(key): normalize_service(ctx, str(key), value, ("services", str(key)))
        for key, value in services.items()
    }
    check_cycles(out["services"])
    attach_host_sources(out["services"].values(), base_dir)
    if any("default" in s.get("networks", {}) for s in out["services"].values()):
        out["networks"].setdefault("default", {})
    return _validate(out)


# Kubernetes caps a ConfigMap or Secret at 1 MiB; a bigger file cannot be embedded anyway.
_MAX_FILE_TEXT = 1024 * 1024


def _file_text(
    section: str, file: str, base_dir: FsPath, where: Path, diagnostics: Diagnostics,
    read_outside: bool = False,
) -> str | None:
    """A secret or config file's text, or None. A missing file is Compose's to judge at run
    time (``config`` does not require it), so it is a warning here, and the renderer then
    references the object by name; a system file (/proc, /sys, /dev) is refused. A file
    outside the project folder (``/etc/shadow``, ``../../.ssh/id_rsa``, or a symlink that
    leads there) is not read unless asked: a compose file must not pull a host's files into
    manifests that are shared and committed."""
    # Only a project with configs or secrets from files reads them.
    from translator.compose.yamlio import read_text, refuse_system_file

    path = base_dir / os.path.expanduser(file)  # Compose reads ~ as the home folder
    what = f"{section[:-1]} file"
    try:
        refuse_system_file(path, what=what, shown=repr(file))
    except TranslatorError as exc:
        raise TranslatorError([replace(d, path=where) for d in exc.diagnostics]) from None
    # lexists, not Path.exists: a name too long for the file system (ENAMETOOLONG) is a
    # file that cannot exist, not a crash (a fuzzer found it).
    if not os.path.lexists(path):
        diagnostics.warn(
            f"{what} {file!r} is missing: Compose needs it when a service that uses "
            f"{where[1]!r} starts",
            where,
            code="missing-file",
            key=section,
            hint="create the file, or declare it `external: true` if the platform holds it",
        )
        return None
    if not read_outside and not _inside(path, base_dir):
        # Information, not a warning: only a target that embeds file contents (Kubernetes)
        # loses anything, and it says so itself.
        diagnostics.items.append(Diagnostic(
            Severity.INFO,
            f"{what} {file!r} is outside the project folder: it is not read, so it is "
            "referenced by name, not embedded in a ConfigMap or Secret",
            where,
            code="outside-project",
            key=section,
            hint="create the object on the platform, or render with --embed-outside-files",
        ))
        return None
    try:
        return read_text(path, what="file", limit=_MAX_FILE_TEXT)
    except (TranslatorError, OSError):
        return None


def _inside(path: FsPath, folder: FsPath) -> bool:
    """Whether ``path``, symlinks resolved, lies in ``folder``."""
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _top_level_keys(data: dict[str, Any], out: dict[str, Any], diagnostics: Diagnostics) -> None:
    for raw_key, value in data.items():
        key = str(raw_key)
        if key.startswith("x-"):
            out["extensions"][key] = value
        elif key == "version":
            diagnostics.warn(
                "the attribute `version` is obsolete, it will be ignored",
                ("version",),
                code="obsolete",
                key="version",
            )
        elif key == "models" and value is not None:
            out["extras"]["models"] = value
        elif key not in TOP_LEVEL_KEYS:
            diagnostics.warn(
                f"unknown top-level key {key!r} is not part of the Compose Specification and "
                "is ignored",
                (key,),
                code="unknown-key",
                key=key,
                hint=did_you_mean(key, TOP_LEVEL_KEYS),
            )


def _validate(out: dict[str, Any]) -> Project:
    """One validation for the whole project; a failure here means a value out of range."""
    try:
        return Project.model_validate(out)
    except ValidationError as exc:
        items = [
            Diagnostic(
                Severity.ERROR,
                f"{err['msg']} (got {err.get('input')!r})",
                _model_path(err["loc"]),
                code="invalid",
            )
            for err in exc.errors(include_url=False)
        ]
        raise TranslatorError(items) from None


def _model_path(loc: tuple[int | str, ...]) -> Path:
    """Best effort: model field paths match compose paths for the top levels."""
    path: list[int | str] = []
    for part in loc:
        if part in ("topology",):
            path.append("deploy")
        elif part not in ("artifact",):
            path.append(part)
    return tuple(path)
