"""``translator validate``: lint and render everything in memory; report every problem."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import typer

from translator.cli import common
from translator.cli.complete import complete_environments
from translator.cli.options import (
    ArtifactsOpt,
    EnvFileOpt,
    EnvironmentsOpt,
    FilesOpt,
    ImageOpt,
    ProfileOpt,
    ProjectOpt,
    StrictOpt,
    ToManyOpt,
    render_options,
)
from translator.errors import Severity, TranslatorError

EPILOG = """\
Examples:

\b
  translator validate                         # local environment, every target
  translator validate --all-envs --strict     # as a pre-commit hook runs it
  translator validate --format github --env production --to kubernetes
"""


def validate(
    files: FilesOpt = None,
    env: Annotated[
        list[str] | None,
        typer.Option("--env", metavar="ENV", autocompletion=complete_environments,
                     help="Environment (repeatable; default: local)."),
    ] = None,
    all_envs: Annotated[
        bool, typer.Option("--all-envs", help="Validate every environment.")
    ] = False,
    to: ToManyOpt = None,
    target_flags: Mapping[str, Any] | None = None,
    fmt: Annotated[
        Literal["human", "json", "github", "sarif"],
        typer.Option("--format", metavar="FORMAT", show_default=False,
                     help="human, json, github or sarif (default: human)."),
    ] = "human",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
    image: ImageOpt = None,
    strict: StrictOpt = False,
) -> int:
    """Load, resolve and render everything in memory; report every problem with its
    position. Writes nothing.

    Each environment is resolved, its topology linted (translator rules lists the rules)
    and every target rendered; each finding names its file:line:col. Exit 1 on any error,
    or on any warning with --strict. The json, github and sarif formats are for CI.
    """
    from translator import api
    from translator.lint import RULES, load_config
    from translator.report import render_report
    from translator.validate import validate as run_validate

    plan_inputs = common.inputs(environments, artifacts, image)
    try:
        loaded = common.load(files, project_name, env_file, profile)
        lint_config = load_config(loaded.base_dir)
    except TranslatorError as exc:
        # Loading errors go through the chosen format too: CI parsers read every line.
        diags = list(exc.diagnostics)
    else:
        names = api.list_environments(loaded, plan_inputs) if all_envs else (env or ["local"])
        options = render_options(False, False, target_flags)
        diags = run_validate(loaded, names, to or None, plan_inputs, lint_config, options)
    color = fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render_report(diags, fmt, color=color, rules=RULES))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return common.EXIT_BAD_INPUT if any(d.severity in failing for d in diags) else common.EXIT_OK
