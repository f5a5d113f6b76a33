"""Where a project's variables and name come from, as Compose decides them.

Environment (compose-go ``cli/options.go``, checked with the Compose v2.40 binary): the
process environment wins over ``.env``; ``--env-file`` (repeatable, later wins) replaces
the default ``.env``, which is read from the working directory (or the first ``-f`` file's
directory) and then from the project directory. The project name is ``-p``, else
``COMPOSE_PROJECT_NAME``, else ``name:``, else the project directory's name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from translator.compose import dotenv
from translator.compose.discovery import ConfigFile
from translator.errors import TranslatorError

_VALID_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAME_CHARS = re.compile(r"[^a-z0-9_-]")


def first_file_dir(files: tuple[str, ...], working_dir: Path) -> Path:
    for name in files:
        if name != "-":
            return Path(os.path.normpath(working_dir / os.path.expanduser(name))).parent
    return working_dir


def project_dir_of(files: tuple[ConfigFile, ...], working_dir: Path) -> Path:
    for f in files:
        if not f.stdin:
            return f.path.parent
    return working_dir


def env_files(given: tuple[str, ...], working_dir: Path, first_dir: Path) -> list[Path]:
    if given:
        return [Path(os.path.normpath(working_dir / f)) for f in given]
    return [first_dir / ".env"]


def with_dotenv(
    environ: dict[str, str], files: list[Path], *, explicit: bool = False
) -> dict[str, str]:
    """``environ`` plus the files' variables; what is already set wins, later files win."""
    from_files: dict[str, str] = {}
    for path in files:
        if not os.path.isfile(path):
            if explicit:
                raise TranslatorError.at(
                    f"env file not found: {path}",
                    code="file-not-found",
                    hint="check the --env-file path (relative to the working directory)",
                )
            continue
        known = lookup({**from_files, **environ})
        for key, value in dotenv.read_env_file(path, known).items():
            if value is not None:
                from_files[key] = value
    return {**from_files, **environ}


def lookup(environ: Mapping[str, str]) -> Callable[[str], str | None]:
    return environ.get


def project_name(
    given: str | None, environ: Mapping[str, str], raw: Any, project_dir: Path
) -> str:
    # -p, then COMPOSE_PROJECT_NAME: must already be valid; `name:` and the directory
    # name are normalized (compose-go cli/options.go, types.NormalizeProjectName).
    for value, what in ((given, "-p"), (environ.get("COMPOSE_PROJECT_NAME") or None, "env")):
        if value is None:
            continue
        if not _VALID_NAME.match(value):
            raise TranslatorError.at(
                f"invalid project name {value!r}: it must consist only of lowercase letters, "
                "digits, hyphens and underscores, and start with a letter or digit",
                code="project-name",
                hint=("fix -p" if what == "-p" else "fix COMPOSE_PROJECT_NAME"),
            )
        return value
    if raw is not None:
        name = normalize_name(str(raw))
        if not name:
            raise TranslatorError.at(
                f"project name {raw!r} has no usable characters", ("name",), code="project-name"
            )
        return name
    name = normalize_name(project_dir.name)
    if not name:
        raise TranslatorError.at(
            f"cannot derive a project name from the directory {project_dir.name!r}",
            code="project-name",
            hint="set name: in the compose file or pass -p NAME",
        )
    return name


def normalize_name(value: str) -> str:
    """Lowercase, keep ``[a-z0-9_-]``, drop leading ``_``/``-`` (Compose's normalization)."""
    return _NAME_CHARS.sub("", value.lower()).lstrip("_-")
