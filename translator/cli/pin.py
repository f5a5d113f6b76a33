"""``translator pin``: record a service's artifact version in the artifacts file."""

from __future__ import annotations

from typing import Annotated

import typer

from translator.cli import common
from translator.cli.complete import complete_services
from translator.cli.options import ArtifactsOpt, EnvFileOpt, FilesOpt, ProjectOpt


def pin(
    service: Annotated[
        str, typer.Argument(metavar="SERVICE", autocompletion=complete_services,
                            help="The service whose artifact to pin.", show_default=False)
    ],
    version: Annotated[
        str, typer.Argument(metavar="VERSION", help="Tag or digest.", show_default=False)
    ],
    files: FilesOpt = None,
    artifacts: ArtifactsOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
) -> int:
    """Record SERVICE's artifact version in the artifacts file, keeping its comments and
    order."""
    from translator import api
    from translator.plan.artifacts import pin as pin_artifact

    loaded = common.load(files, project_name, env_file)
    path = api.artifacts_path(loaded, artifacts)
    pin_artifact(path, service, version, loaded.project)
    common.err(f"pinned {service} to {version} in {path}")
    return common.EXIT_OK
