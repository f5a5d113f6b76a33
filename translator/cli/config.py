"""``translator config``: the normalized project, like ``docker compose config``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from translator.cli import common
from translator.cli.options import (
    EnvFileOpt,
    FilesOpt,
    OutputFormatName,
    ProfileOpt,
    ProjectOpt,
    StrictOpt,
)

EPILOG = """\
Examples:

\b
  translator config                      # compose.yaml in this folder, as YAML
  translator config -f a.yaml -f b.yaml  # two files merged, as Compose merges them
  translator config --format json | jq '.services | keys'
"""


def config(
    files: FilesOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    fmt: Annotated[
        OutputFormatName | None,
        typer.Option("--format", metavar="FORMAT",
                     help="Output format: yaml or json (default: yaml)."),
    ] = None,
    strict: StrictOpt = False,
) -> int:
    """Print the normalized project as a compose file, like `docker compose config`.

    Reads the compose files as docker compose does (-f, COMPOSE_FILE, or compose.yaml in
    this folder or a parent), interpolates variables, merges overrides and includes, and
    prints the result with `$` written as `$$`, so the output loads back to the same
    project. Warnings go to stderr.
    """
    from translator import api
    from translator.compose.serialize import escape_dollars
    from translator.emit import dump

    loaded = common.load(files, project_name, env_file, profile, strict)
    code = common.report(api.locate(loaded, loaded.diagnostics.items), strict)
    if code:
        return code
    # `$` is written as `$$`, as Compose does, so the output loads back to the same project.
    document = escape_dollars(api.compose_document(loaded.project))
    sys.stdout.write(dump(document, common.output_format(fmt)))
    return common.EXIT_OK
