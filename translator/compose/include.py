"""Top-level ``include``: other compose applications imported into this one.

Spec: https://github.com/compose-spec/compose-spec/blob/main/14-include.md ; behaviour
checked against compose-go ``loader/include.go`` and the Compose v2.40 binary:

* an entry is a path, or ``{path: str | [str], project_directory, env_file}``;
  paths are relative to the including document's base directory;
* the included files load as a project of their own (merge, extends, nested include),
  their relative paths meaning what they mean from ``project_directory`` (default: the
  directory of the first path); we rewrite them relative to the includer, keeping them
  relative;
* variables: the includer's wins; the ``env_file`` (default ``<project_directory>/.env``)
  only adds variables not set yet;
* a resource defined both here and in the included project is an error unless both
  definitions are identical ("services.db conflicts with imported resource");
* a file including itself, directly or not, is an error naming the chain.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.compose.extends import rebase_path, rebase_service
from translator.compose.merge import strip_tags
from translator.errors import Path as DocPath
from translator.errors import TranslatorError

RESOURCES = ("services", "networks", "volumes", "secrets", "configs", "models")


@dataclass(frozen=True, slots=True)
class Included:
    files: tuple[Path, ...]
    project_dir: Path
    environ: Mapping[str, str]
    chain: tuple[Path, ...]  # the including files, outermost first, for cycle reports


# Loads an included project: its merged document, paths relative to ``project_dir``.
ProjectLoader = Callable[[Included], dict[str, Any]]
EnvReader = Callable[[Path, Mapping[str, str]], dict[str, str | None]]


def apply_include(
    doc: dict[str, Any],
    *,
    base_dir: Path,
    environ: Mapping[str, str],
    chain: tuple[Path, ...],
    load_project: ProjectLoader,
    read_env: EnvReader,
) -> dict[str, Any]:
    """``doc`` with its ``include`` entries imported and the key removed."""
    if "include" not in doc:
        return doc
    entries = doc["include"]
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise TranslatorError.at(
            "include must be a list of paths or {path: ...} mappings", ("include",), code="include"
        )
    out = {k: v for k, v in doc.items() if k != "include"}
    for index, entry in enumerate(entries):
        spec = _spec(entry, index, base_dir, environ, chain, read_env)
        imported = load_project(spec)
        imported = _rebase(imported, spec.project_dir, base_dir)
        out = _import(out, imported, spec.files[0], base_dir)
    return out


def _strings(value: Any, where: DocPath) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise TranslatorError.at("expected a path or a list of paths", where, code="include")


def _spec(
    entry: Any,
    index: int,
    base_dir: Path,
    environ: Mapping[str, str],
    chain: tuple[Path, ...],
    read_env: EnvReader,
) -> Included:
    where: DocPath = ("include", index)
    path_at: DocPath = where if isinstance(entry, str) else (*where, "path")
    if isinstance(entry, str):
        entry = {"path": entry}
    if not isinstance(entry, dict) or "path" not in entry:
        raise TranslatorError.at(
            "an include entry must be a path or a mapping with a path", where, code="include"
        )
    files = tuple(_abs(base_dir, p) for p in _strings(entry["path"], path_at))
    _check_files(files, path_at)
    if files[0] in chain:
        root = chain[0].parent if chain else base_dir
        names = " -> ".join(Path(os.path.relpath(p, root)).as_posix() for p in (*chain, files[0]))
        raise TranslatorError.at(f"include cycle: {names}", where, code="include-cycle")
    project_dir = files[0].parent
    if isinstance(entry.get("project_directory"), str):
        project_dir = _abs(base_dir, entry["project_directory"])
    if "env_file" in entry and entry["env_file"] is not None:
        env_files = [_abs(base_dir, p) for p in _strings(entry["env_file"], (*where, "env_file"))]
    else:
        default = project_dir / ".env"
        env_files = [default] if os.path.isfile(default) else []
    env = _environment(environ, env_files, (*where, "env_file"), read_env)
    return Included(files, project_dir, env, chain)


def _check_files(files: tuple[Path, ...], where: DocPath) -> None:
    """Say which include path is wrong, at its line, before trying to read it."""
    for index, file in enumerate(files):
        at = where if len(files) == 1 else (*where, index)
        if os.path.isdir(file):
            raise TranslatorError.at(
                f"include path {file} is a folder, not a compose file",
                at, code="include",
                hint=f"name the file inside it, for example {file / 'compose.yaml'}",
            )
        if not os.path.exists(file):
            raise TranslatorError.at(
                f"included file not found: {file}", at, code="file-not-found",
                hint="include paths are relative to the including file's folder",
            )


def _environment(
    environ: Mapping[str, str], env_files: list[Path], where: DocPath, read_env: EnvReader
) -> dict[str, str]:
    """The includer's variables, plus those of the env files that it does not set."""
    env = dict(environ)
    for env_file in env_files:
        if not os.path.isfile(env_file):
            raise TranslatorError.at(
                f"env file not found: {env_file}",
                where,
                code="file-not-found",
                hint="fix the env_file path (it is relative to the including file's directory)",
            )
        for key, value in read_env(env_file, env).items():
            if key not in environ and value is not None:
                env[key] = value
    return env


def _abs(base_dir: Path, value: str) -> Path:
    return Path(os.path.normpath(base_dir / os.path.expanduser(value)))


def _rebase(doc: dict[str, Any], from_dir: Path, to_dir: Path) -> dict[str, Any]:
    if from_dir == to_dir:
        return doc
    out = dict(doc)
    services = doc.get("services")
    if isinstance(services, dict):
        out["services"] = {
            n: rebase_service(s, from_dir, to_dir) if isinstance(s, dict) else s
            for n, s in services.items()
        }
    for section in ("secrets", "configs"):
        items = doc.get(section)
        if isinstance(items, dict):
            out[section] = {
                n: {**v, "file": rebase_path(v["file"], from_dir, to_dir)}
                if isinstance(v, dict) and isinstance(v.get("file"), str)
                else v
                for n, v in items.items()
            }
    return out


def _import(
    doc: dict[str, Any], imported: dict[str, Any], source: Path, base_dir: Path
) -> dict[str, Any]:
    out = dict(doc)
    for section in RESOURCES:
        theirs = imported.get(section)
        if not isinstance(theirs, dict) or not theirs:
            continue
        ours = out.get(section)
        merged: dict[str, Any] = dict(ours) if isinstance(ours, dict) else {}
        for name, value in theirs.items():
            if name in merged and strip_tags(merged[name]) != value:
                shown = os.path.relpath(source, base_dir)
                raise TranslatorError.at(
                    f"{section}.{name} conflicts with the one imported from {shown}",
                    (section, name),
                    code="include-conflict",
                    hint="rename one of them, or remove it from one of the files",
                )
            merged[name] = value
        out[section] = merged
    return out
