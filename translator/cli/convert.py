"""``translator convert``: render the project for a target, one environment or all."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from translator.cli import common
from translator.cli.kustomize import LayoutOpt, check_request
from translator.cli.options import (
    ArtifactsOpt,
    EmbedOutsideOpt,
    EmbedSecretsOpt,
    EnvFileOpt,
    EnvironmentsOpt,
    EnvOpt,
    FilesOpt,
    ImageOpt,
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
from translator.cli.render import Rendered, Request, emit, render_env
from translator.errors import UsageError

EPILOG = """\
Examples:

\b
  translator convert --to kubernetes | kubectl apply -f -
  translator convert --env production -o manifests/
  translator convert --all-envs -o manifests --check   # in CI: exit 1 if stale
  translator convert --to k8s --all-envs --layout kustomize -o deploy/
"""


def convert(
    files: FilesOpt = None,
    env: EnvOpt = "local",
    all_envs: Annotated[
        bool, typer.Option("--all-envs", help="Render every environment into OUT/<env>/.")
    ] = False,
    to: ToOpt = None,
    out: OutOpt = None,
    fmt: OutputFormatOpt = None,
    templates: TemplatesOpt = None,
    embed_secrets: EmbedSecretsOpt = False,
    embed_outside_files: EmbedOutsideOpt = False,
    wait_for_dependencies: WaitOpt = False,
    target_flags: Mapping[str, Any] | None = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 with a diff if -o DIR is out of date."),
    ] = False,
    layout: LayoutOpt = "files",
    prune: Annotated[
        bool,
        typer.Option("--prune", help="With -o DIR: also delete files there that carry the "
                     "managed-by marker and that this run did not write."),
    ] = False,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
    image: ImageOpt = None,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
) -> int:
    """Render the project for a target platform, in one environment or all of them.

    The target is --to, else the environment's platform. Without -o the documents go to
    stdout as one stream (YAML, or JSON for Marathon; Kubernetes JSON is one v1 List); with
    -o DIR each object is written to its own file. Warnings about compose keys a target
    cannot express go to stderr, a warning repeated for several services as one line.
    """
    from translator import api
    from translator.lint import load_config
    from translator.lint.config import relevel
    from translator.validate import by_environment

    if layout == "kustomize":
        check_request(to, out, all_envs)
    if check and out is None:
        raise UsageError("--check needs -o DIR: the folder of committed manifests to compare")
    if prune and out is None:
        raise UsageError("--prune needs -o DIR")
    if all_envs and out is None:
        raise UsageError("--all-envs needs -o DIR: each environment goes to DIR/<env>/")
    plan_inputs = common.inputs(environments, artifacts, image)
    request = Request(to, render_options(embed_secrets, wait_for_dependencies, target_flags),
                      templates)  # fmt: skip
    loaded = common.load(files, project_name, env_file, profile, strict,
                         embed_outside_files=embed_outside_files)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    results: list[tuple[Path | None, Rendered]]
    envs = [env]
    if layout == "kustomize":
        assert out is not None
        from translator.cli.kustomize import layout as kustomize_layout

        documents, found = kustomize_layout(
            loaded, api.list_environments(loaded, plan_inputs), plan_inputs, request)
        results = [(out, Rendered("kubernetes", documents, found))]
    elif all_envs:
        assert out is not None
        envs = api.list_environments(loaded, plan_inputs)
        load_diags += api.environment_file_warnings(loaded, plan_inputs)
        results = [(out / n, render_env(loaded, n, plan_inputs, request, out=out / n))
                   for n in envs]  # fmt: skip
    else:
        results = [(out, render_env(loaded, env, plan_inputs, request, out=out))]
    # --all-envs: each finding names its environment, one found in all of them is shown once.
    per_env = {n: r.diagnostics for n, (_, r) in zip(envs, results, strict=True)}
    shown = relevel(load_diags + by_environment(per_env), load_config(loaded.base_dir))
    code = common.report(shown, strict, quiet)
    if code:
        return code
    if check:
        return _check(results, fmt)
    for folder, rendered in results:
        emit(rendered, folder, fmt, prune)
    return common.EXIT_OK


def _check(results: list[tuple[Path | None, Rendered]], fmt: str | None) -> int:
    """Compare rendered documents with the files in each folder; print a diff; 1 if stale."""
    from translator.validate import check_tree

    diffs = []
    for folder, rendered in results:
        assert folder is not None
        diffs.append(check_tree(rendered.documents, folder,
                                common.output_format(fmt, rendered.target)))  # fmt: skip
    text = "".join(diffs)
    if text:
        sys.stdout.write(text)
        again = shlex.join(["translator", *(a for a in common.ARGV if a != "--check")])
        common.err(f"error: rendered manifests are out of date; regenerate them with: {again}")
        return common.EXIT_BAD_INPUT
    return common.EXIT_OK
