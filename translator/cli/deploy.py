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
    QuietOpt,
    StrictOpt,
    TemplatesOpt,
    ToOpt,
    WaitOpt,
    render_options,
)
from translator.cli.render import Request, emit, render_env
from translator.errors import Diagnostic, Severity

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
        str | None, typer.Argument(metavar="VERSION", show_default=False,
                                   help="Tag or digest of its artifact (default: latest).")
    ] = None,
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
    quiet: QuietOpt = False,
) -> int:
    """Render one service at one version for one environment: the same command everywhere.

    The service's image is its artifact (artifacts.yaml) at VERSION; the environment file
    sets its topology. Only that service and the resources it uses are rendered, so the
    output can be applied on its own.
    """
    from translator import api
    from translator.lint import load_config
    from translator.lint.config import relevel

    if layout == "kustomize":
        check_request(to, out)
    loaded = common.load(files, project_name, env_file, profile, strict,
                         embed_outside_files=embed_outside_files)
    notes = api.locate(loaded, loaded.diagnostics.items)
    if version is None:
        notes.append(_latest(service))
    if layout == "kustomize":
        assert out is not None
        notes += set_version(loaded, service, version or "latest", env,
                             common.inputs(environments, artifacts), out)  # fmt: skip
        return common.report(notes, strict, quiet)
    request = Request(to, render_options(embed_secrets, wait_for_dependencies, target_flags),
                      templates)  # fmt: skip
    rendered = render_env(loaded, env, common.inputs(environments, artifacts), request,
                          only=[service], version=version or "latest", out=out)  # fmt: skip
    shown = relevel(notes + rendered.diagnostics, load_config(loaded.base_dir))
    code = common.report(shown, strict, quiet)
    if code:
        return code
    emit(rendered, out, fmt)
    return common.EXIT_OK


def _latest(service: str) -> Diagnostic:
    """No VERSION: the artifact's ``latest`` tag, which moves; said, so it is a choice."""
    return Diagnostic(
        Severity.INFO,
        f"no VERSION given: deploying {service} at 'latest', which moves with every push",
        code="latest",
        service=service,
        hint=f"name a tag or digest to deploy a fixed version: translator deploy {service} "
             "VERSION [ENV]",
    )
