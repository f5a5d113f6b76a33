"""Finding the compose files to load, as ``docker compose`` does.

Docker docs: https://docs.docker.com/compose/intro/compose-application-model/#the-compose-file
and https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/ ; behaviour checked
against compose-go ``cli/options.go`` and the Compose v2.40 binary:

* ``-f`` values win, in order; ``-`` is standard input (its base directory is the working dir);
* else ``COMPOSE_FILE`` (split on ``COMPOSE_PATH_SEPARATOR``, default ``:`` on Linux);
* else the first of ``compose.yaml``, ``compose.yml``, ``docker-compose.yml``,
  ``docker-compose.yaml`` found in the working directory or, failing that, the nearest
  parent directory; plus the first override file (``compose.override.yml`` ...) beside it.
  Finding more than one name in a directory is a warning, as in Compose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.errors import Diagnostics, TranslatorError

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_FILES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
STDIN = "-"


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """One file to load. ``path`` is absolute; for stdin it is ``<working dir>/-``."""

    path: Path
    stdin: bool = False

    @property
    def display(self) -> str:
        return STDIN if self.stdin else str(self.path)


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[ConfigFile, ...]
    explicit: bool  # named by -f or COMPOSE_FILE, not found by the default names


def discover(
    working_dir: Path,
    files: Sequence[str],
    environ: Mapping[str, str],
    diagnostics: Diagnostics,
) -> Discovery:
    """The files to load, in merge order."""
    if files:
        return Discovery(tuple(_named(working_dir, f) for f in files), explicit=True)
    from_env = environ.get("COMPOSE_FILE", "")
    if from_env:
        sep = environ.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
        names = [n for n in from_env.split(sep) if n]
        return Discovery(tuple(_named(working_dir, n) for n in names), explicit=True)
    return Discovery(_search(working_dir, diagnostics), explicit=False)


def _named(working_dir: Path, name: str) -> ConfigFile:
    if name == STDIN:
        return ConfigFile(working_dir / STDIN, stdin=True)
    path = Path(os.path.normpath(working_dir / os.path.expanduser(name)))
    return ConfigFile(path)


def _search(working_dir: Path, diagnostics: Diagnostics) -> tuple[ConfigFile, ...]:
    directory = working_dir
    while True:
        found = _first(directory, DEFAULT_FILES, "config", diagnostics)
        if found is not None:
            override = _first(directory, OVERRIDE_FILES, "override", diagnostics)
            chosen = [found] if override is None else [found, override]
            return tuple(ConfigFile(p) for p in chosen)
        if directory.parent == directory:
            raise TranslatorError.at(
                f"no compose file found in {working_dir} or any parent directory",
                code="file-not-found",
                hint="create compose.yaml, or name the file with -f FILE or COMPOSE_FILE",
            )
        directory = directory.parent


def _first(
    directory: Path, names: Sequence[str], kind: str, diagnostics: Diagnostics
) -> Path | None:
    present = [directory / n for n in names if (directory / n).is_file()]
    if len(present) > 1:
        diagnostics.warn(
            f"found multiple {kind} files with supported names: "
            f"{', '.join(p.name for p in present)}; using {present[0].name}",
            code="multiple-files",
        )
    return present[0] if present else None
