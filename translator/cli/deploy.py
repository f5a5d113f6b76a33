"""``translator deploy``: one service at one version in one environment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from translator.cli import common
from translator.cli.complete import complete_services
from translator.cli.kustomize import LayoutOpt, check_request, set_version
from translator.cli.options import (
    ArtifactsOpt,
    EmbedOutsideOpt,
    EmbedSecretsOpt,
    EnvArg,
    EnvFileOpt,
    EnvironmentsOpt,
    FilesOpt,
    OutOpt,
    OutputFormatOpt,
    ProfileOpt,
    ProjectOpt,
    StrictOpt,
    TemplatesOpt,
    ToOpt,
    WaitOpt,
    render_options,
)
from translator.cli.render import Request, emit, render_env

EPILOG = """\
Examples:

\b
  translator deploy returns v456 production | kubectl apply -f -
  translator deploy returns                  # latest, in the local environment
  translator deploy web 1.4.2 uat --to marathon -o out/
  translator deploy returns v457 production --layout kustomize -o deploy/   # one-line diff
"""


def deploy(
    service: Annotated[
        str, typer.Argument(metavar="SERVICE", autocompletion=complete_services,
                            help="The service to render.", show_default=False)
    ],
    version: Annotated[
        str, typer.Argument(metavar="VERSION", show_default=False,
                            help="Tag or digest of its artifact (default: latest).")
    ] = "latest",
    env: EnvArg = "local",
    files: FilesOpt = None,
    to: ToOpt = None,
    out: OutOpt = None,
    fmt: OutputFormatOpt = None,
    templates: TemplatesOpt = None,
    embed_secrets: EmbedSecretsOpt = False,
    embed_outside_files: EmbedOutsideOpt = False,
    wait_for_dependencies: WaitOpt = False,
    # apps by default here (the target's declaration says so): PUT /v2/apps/<id> leaves
    # the group's other apps running.
    target_flags: Mapping[str, Any] | None = None,
    layout: LayoutOpt = "files",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
    strict: StrictOpt = False,
) -> int:
    """Render one service at one version for one environment: the same command everywhere.

    The service's image is its artifact (artifacts.yaml) at VERSION; the environment file
    sets its topology. Only that service and the resources it uses are rendered, so the
    output can be applied on its own.
    """
    from translator import api

    if layout == "kustomize":
        check_request(to, out)
    loaded = common.load(files, project_name, env_file, profile, strict,
                         embed_outside_files)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    if layout == "kustomize":
        assert out is not None
        notes = set_version(loaded, service, version, env,
                            common.inputs(environments, artifacts), out)  # fmt: skip
        return common.report(load_diags + notes, strict)
    request = Request(to, render_options(embed_secrets, wait_for_dependencies, target_flags),
                      templates)  # fmt: skip
    rendered = render_env(loaded, env, common.inputs(environments, artifacts), request,
                          only=[service], version=version, out=out)  # fmt: skip
    code = common.report(load_diags + rendered.diagnostics, strict)
    if code:
        return code
    emit(rendered, out, fmt)
    return common.EXIT_OK
