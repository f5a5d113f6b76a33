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
    QuietOpt,
    StrictOpt,
    ToManyOpt,
    render_options,
)
from translator.errors import Severity, TranslatorError

EPILOG = """\
Examples:

\b
  translator validate                         # the local environment, its targets
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
    quiet: QuietOpt = False,
) -> int:
    """Load, resolve and render everything in memory; report every problem with its
    position. Writes nothing.

    Each environment is resolved, its topology linted (translator rules lists the rules)
    and rendered for its own platform: (every target for an environment that names none;
    --to chooses the targets instead); each finding names its file:line:col, and its
    environment when several are checked. An error inside one service does not hide the
    rest of the project. Exit 1 on any error, or on any warning with --strict. The json,
    github and sarif formats are for CI; human text groups a warning repeated across
    services into one line.
    """
    from translator import api
    from translator.lint import RULES, LintConfig, load_config
    from translator.report import render_report
    from translator.validate import load_collecting, sort_unique
    from translator.validate import validate as run_validate

    plan_inputs = common.inputs(environments, artifacts, image)
    stdin = common.read_stdin() if files and "-" in files else None
    loaded, diags = load_collecting(
        lambda omit: common.load(files, project_name, env_file, profile, omit=omit, stdin=stdin))
    if loaded is not None:
        try:
            lint_config = load_config(loaded.base_dir)
        except TranslatorError as exc:  # reported; the project is checked with the defaults
            diags.extend(exc.diagnostics)
            lint_config = LintConfig()
        names = api.list_environments(loaded, plan_inputs) if all_envs else (env or ["local"])
        if all_envs:
            diags.extend(api.environment_file_warnings(loaded, plan_inputs))
        options = render_options(False, False, target_flags)
        diags = sort_unique([*diags, *run_validate(loaded, names, to or None, plan_inputs,
                                                   lint_config, options)])  # fmt: skip
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    shown = [d for d in diags if d.severity in failing] if quiet else diags
    color = fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render_report(shown, fmt, color=color, rules=RULES, quiet=quiet))
    return common.EXIT_BAD_INPUT if any(d.severity in failing for d in diags) else common.EXIT_OK
