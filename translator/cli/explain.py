"""``translator explain``: what each target does with each compose key."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from translator.cli import common
from translator.cli.options import (
    ArtifactsOpt,
    EnvFileOpt,
    EnvironmentsOpt,
    EnvOpt,
    ExplainToOpt,
    FilesOpt,
    ProfileOpt,
    ProjectOpt,
)

TableFormatOpt = Annotated[
    Literal["table", "json"],
    typer.Option("--format", metavar="FORMAT", show_default=False,
                 help="table or json (default: table)."),
]  # fmt: skip


def explain(
    files: FilesOpt = None,
    env: EnvOpt = "local",
    to: ExplainToOpt = None,
    fmt: TableFormatOpt = "table",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
) -> int:
    """The conversion report: what each target does with each compose key of each service
    (mapped, approximated or dropped)."""
    import json

    from translator import api
    from translator.explain import explain as run_explain
    from translator.explain import explain_json, explain_table

    loaded = common.load(files, project_name, env_file, profile)
    plan = api.resolve(loaded, env, common.inputs(environments, artifacts),
                       require_artifacts=False)  # fmt: skip
    found = run_explain(plan, to or api.target_names())
    if fmt == "json":
        sys.stdout.write(json.dumps(explain_json(found), indent=2) + "\n")
    else:
        sys.stdout.write(explain_table(found))
    return common.EXIT_OK
