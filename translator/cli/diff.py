"""``translator diff``: the topology fields that differ between two environments."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from translator.cli import common
from translator.cli.complete import complete_environments
from translator.cli.explain import TableFormatOpt
from translator.cli.options import (
    ArtifactsOpt,
    EnvFileOpt,
    EnvironmentsOpt,
    FilesOpt,
    ProfileOpt,
    ProjectOpt,
)

EPILOG = """\
Examples:

\b
  translator diff uat production
  translator diff local production --format json | jq '.[].service'
  translator diff uat production --exit-code >/dev/null || echo "they differ"
"""


def diff(
    env_a: Annotated[
        str, typer.Argument(metavar="ENV_A", help="First environment.",
                            autocompletion=complete_environments, show_default=False)
    ],
    env_b: Annotated[
        str, typer.Argument(metavar="ENV_B", help="Second environment.",
                            autocompletion=complete_environments, show_default=False)
    ],
    files: FilesOpt = None,
    fmt: TableFormatOpt = "table",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the environments differ, "
                           "0 when they do not (as git diff --exit-code).")
    ] = False,
) -> int:
    """Show, per service, the topology fields that differ between two environments.

    Topology only (replicas, placement, resources, policies, exposure, storage): the
    artifact is the same everywhere, so images never differ. Artifacts need not be pinned.
    """
    import json

    from translator import api
    from translator.plan.diff import diff_json, diff_plans, diff_table

    loaded = common.load(files, project_name, env_file, profile)
    plan_inputs = common.inputs(environments, artifacts)
    plans = [api.resolve(loaded, e, plan_inputs, require_artifacts=False)
             for e in (env_a, env_b)]  # fmt: skip
    rows = diff_plans(plans[0], plans[1])
    if fmt == "json":
        sys.stdout.write(json.dumps(diff_json(rows), indent=2) + "\n")
    else:
        sys.stdout.write(diff_table(rows, a_name=env_a, b_name=env_b))
    return common.EXIT_BAD_INPUT if exit_code and rows else common.EXIT_OK
