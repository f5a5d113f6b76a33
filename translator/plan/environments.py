"""Environment files: ``environments/<name>.yaml``, how the project is laid out there.

An environment carries topology only (replicas, placement, resources, policies,
exposure, storage). It never names an artifact: the same image runs everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from translator.errors import Path as DocPath
from translator.errors import TranslatorError
from translator.model import Environment
from translator.model.environment import SourcePositions
from translator.plan._source import Source, walk_keys

DEFAULT_ENVIRONMENT = "local"
_SUFFIXES = (".yaml", ".yml")
# A file name, never a path: "../x" must not escape the environments folder.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Only these keys hold service names; artifact keys below them are still refused.
_NAMED_SECTIONS = ("services", "volumes")


def environments_dir(first_compose_file: Path | None, override: Path | None) -> Path:
    """``--environments DIR`` if given, else ``environments/`` beside the first compose file."""
    if override is not None:
        return override
    base = first_compose_file.parent if first_compose_file is not None else Path.cwd()
    return base / "environments"


def list_environments(directory: Path) -> list[str]:
    """The environment names found in ``directory`` (``*.yaml`` / ``*.yml``), sorted.

    Names differing only in case are refused: their output folders (``-o DIR/<env>``)
    would be one folder on a case-insensitive file system (macOS, Windows)."""
    names = sorted(n for n in _stems(directory) if _NAME.match(n))
    by_folded: dict[str, list[str]] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), []).append(name)
    clashes = [group for group in by_folded.values() if len(group) > 1]
    if clashes:
        shown = "; ".join(" and ".join(repr(n) for n in group) for group in clashes)
        raise TranslatorError.at(
            f"environment names differ only in case: {shown}",
            code="environment-names",
            hint=f"rename one of each in {directory}: their output folders would be one "
                 "folder on a case-insensitive file system",
        )
    return names


def odd_environment_files(directory: Path) -> list[str]:
    """Files with an environment suffix whose name is no environment name (``.yaml``,
    ``..yaml``, ``-x.yaml``): skipped, and said so."""
    return sorted(f"{stem}{suffix}" for stem, suffix in _stems(directory).items()
                  if not _NAME.match(stem))


def _stems(directory: Path) -> dict[str, str]:
    # ".yaml" alone has no suffix to Path (it is a hidden file's name): count it too.
    if not directory.is_dir():
        return {}
    found: dict[str, str] = {}
    for path in directory.iterdir():
        stem, suffix = (("", path.name) if path.name in _SUFFIXES else (path.stem, path.suffix))
        if suffix in _SUFFIXES and path.is_file():
            found[stem] = suffix
    return found


def environment_file(name: str, directory: Path) -> Path | None:
    """The file that defines ``name``, or None when there is none."""
    for suffix in _SUFFIXES:
        candidate = directory / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def load_environment(
    name: str,
    directory: Path,
    services: Collection[str],
    *,
    volumes: Collection[str] | None = None,
) -> Environment:
    """Read and check ``<directory>/<name>.yaml`` against the project's service names.

    ``local`` is implied when it has no file. ``volumes``, when given, checks the
    names under ``volumes:`` too.
    """
    file = environment_file(name, directory) if _NAME.match(name) else None
    if file is None:
        if name == DEFAULT_ENVIRONMENT:
            return Environment(name=DEFAULT_ENVIRONMENT)
        raise _unknown_environment(name, directory)
    source = Source.read(file, what="environment file")
    env = parse_environment(name, source, services, volumes)
    return env.with_source(_positions(source))


def _positions(source: Source) -> SourcePositions:
    """Every value's position in the file, kept with the environment: diagnostics about a
    setting (found while rendering, long after the load) point at its line."""
    found: dict[DocPath, tuple[int, ...]] = {}
    for path in _paths(source.data):
        where = source.locate(path)
        if where is not None:
            found[path] = (where.line, where.col)
    return SourcePositions(file=_shown(source.file), positions=found)


def _paths(data: Any, path: DocPath = ()) -> Iterator[DocPath]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _shown(file: Path) -> str:
    """Relative to the working folder when under it, as the loader shows compose files."""
    absolute = file.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def parse_environment(
    name: str, source: Source, services: Collection[str], volumes: Collection[str] | None = None
) -> Environment:
    """Validate the parsed text of an environment file and convert it to the model."""
    data: Any = {} if source.data is None else source.data
    if not isinstance(data, dict):
        raise source.error(
            f"an environment file is a mapping of settings, got {type(data).__name__}", ()
        )
    # The file helpers load only when there is a file: the implied local needs none.
    from translator.plan.envfile import InvalidFile, validate

    _refuse_artifacts(source, data)
    try:
        environment = validate(name, data)
    except InvalidFile as err:
        from translator.plan._source import model_keys

        raise source.validation_error(
            err.errors, hint="run `translator schema environment` for the file format",
            keys=model_keys(Environment),
        ) from None
    _check_names(source, "services", environment.services, services)
    if volumes is not None:
        _check_names(source, "volumes", environment.volumes, volumes)
    return environment


def _refuse_artifacts(source: Source, data: dict[str, Any]) -> None:
    from translator.plan.envfile import ARTIFACT_HINT, FORBIDDEN_KEYS

    for path, key in walk_keys(data):
        # A key directly under services:/volumes: is a name (a service may be called "version").
        if len(path) == 2 and path[0] in _NAMED_SECTIONS:
            continue
        if key in FORBIDDEN_KEYS:
            raise source.error(
                f"{key!r} is not allowed in an environment file: {ARTIFACT_HINT}",
                path,
                code="artifact-in-environment",
            )


def _check_names(
    source: Source, section: str, written: Collection[str], known: Collection[str]
) -> None:
    unknown = [n for n in written if n not in known]
    if unknown:
        listing = ", ".join(sorted(known)) or "none"
        raise TranslatorError([
            source.error(
                f"unknown {section[:-1]} {n!r}: the compose project defines {listing}",
                (section, n),
                code=f"unknown-{section[:-1]}",
            ).diagnostics[0]
            for n in unknown
        ])


def _unknown_environment(name: str, directory: Path) -> TranslatorError:
    known = list_environments(directory)
    if DEFAULT_ENVIRONMENT not in known:
        known = sorted([*known, DEFAULT_ENVIRONMENT])
    return TranslatorError.at(
        f"unknown environment {name!r}: known environments are {', '.join(known)}",
        code="unknown-environment",
        hint=f"add {directory / (name + '.yaml')} or pass --environments DIR",
    )


def environment_json_schema() -> dict[str, Any]:
    """The JSON Schema of the environment FILE format, for editors and CI checks."""
    from translator.plan.envfile import ARTIFACT_HINT, json_schema

    schema = json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "description": (
            "How a compose project is laid out in one environment (topology only). "
            f"Artifacts are not allowed here: {ARTIFACT_HINT}."
        ),
    }
