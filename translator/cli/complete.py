"""Dynamic shell completion: environment names, service names (targets complete from the
``--to`` choices). Typer calls these while the shell asks, with the words typed so far
parsed into ``ctx.params``; a project that does not load completes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer


def _first_compose_file(params: dict[str, Any]) -> Path | None:
    from translator.compose.discovery import discover
    from translator.errors import Diagnostics

    found = discover(Path.cwd(), params.get("files") or (), os.environ, Diagnostics())
    return found.files[0].path if found.files and not found.files[0].stdin else None


def environment_names(params: dict[str, Any]) -> list[str]:
    """``local`` and the environments in the folder ``--environments`` names, or beside
    the (first) compose file."""
    from translator.errors import TranslatorError
    from translator.plan.environments import environments_dir, list_environments

    try:
        first = _first_compose_file(params)
    except TranslatorError:
        first = None
    try:
        names = list_environments(environments_dir(first, params.get("environments")))
    except TranslatorError:  # names differing only in case: completion offers none of them
        names = []
    return names if "local" in names else ["local", *names]


def service_names(params: dict[str, Any]) -> list[str]:
    """The services of the project the options typed so far load."""
    from translator import api
    from translator.errors import TranslatorError

    files = params.get("files") or ()
    if "-" in files:
        return []  # standard input belongs to the shell while it completes
    try:
        loaded = api.load_project(files, project_name=params.get("project_name"),
                                  env_files=params.get("env_file") or (),
                                  profiles=params.get("profile") or ())  # fmt: skip
    except TranslatorError:
        return []
    return list(loaded.project.services)


def complete_environments(ctx: typer.Context, incomplete: str) -> list[str]:
    return [n for n in environment_names(ctx.params) if n.startswith(incomplete)]


def complete_services(ctx: typer.Context, incomplete: str) -> list[str]:
    return [n for n in service_names(ctx.params) if n.startswith(incomplete)]
