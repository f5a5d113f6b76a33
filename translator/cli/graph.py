"""``translator graph``: a picture of one environment's topology (Mermaid, DOT, SVG, PNG)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from translator.cli import common
from translator.cli.complete import complete_environments
from translator.cli.options import (
    ArtifactsOpt,
    EnvFileOpt,
    EnvironmentsOpt,
    EnvOpt,
    FilesOpt,
    ImageOpt,
    ProfileOpt,
    ProjectOpt,
)
from translator.errors import UsageError

EPILOG = """\
Examples:

\b
  translator graph > topology.mmd                      # paste into GitHub Markdown
  translator graph --env production --format svg -o docs/production.svg
  translator graph --diff uat production --format png -o diff.png
"""

GraphFormatName = Literal["mermaid", "dot", "svg", "png"]


def graph(
    files: FilesOpt = None,
    env: EnvOpt = "local",
    fmt: Annotated[
        GraphFormatName,
        typer.Option("--format", help="mermaid (renders in GitHub and GitLab Markdown), dot "
                     "(Graphviz), or svg/png (drawn by Graphviz's dot)."),
    ] = "mermaid",
    out: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE",
                                  help="Write the picture to FILE (default: stdout).")
    ] = None,
    diff: Annotated[
        tuple[str, str] | None,
        typer.Option("--diff", metavar="ENV_A ENV_B", autocompletion=complete_environments,
                     help="Draw ENV_B and highlight what differs from ENV_A (replicas, "
                     "exposure, placement, resources, policies)."),
    ] = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvironmentsOpt = None,
    artifacts: ArtifactsOpt = None,
    image: ImageOpt = None,
) -> int:
    """Draw the services of one environment: artifacts, replicas, ports, dependencies.

    Nodes are services (artifact, replicas and mode, published ports); solid edges are
    depends_on (labelled with the condition), dashed edges links. Services sharing the same
    networks sit in one cluster; named volumes, secrets and configs hang off their users,
    and the environment's exposure (ingress host, load balancer, node port) points in from
    the edge. Artifacts need not be pinned.
    """
    from translator import api
    from translator import graph as pictures

    loaded = common.load(files, project_name, env_file, profile)
    plan_inputs = common.inputs(environments, artifacts, image)
    if diff is not None:
        before, after = (api.resolve(loaded, e, plan_inputs, require_artifacts=False)
                         for e in diff)  # fmt: skip
        built = pictures.build(after, pictures.differences(before, after))
    else:
        built = pictures.build(api.resolve(loaded, env, plan_inputs, require_artifacts=False))
    if fmt == "mermaid":
        data = pictures.to_mermaid(built).encode()
    elif fmt == "dot":
        data = pictures.to_dot(built).encode()
    else:
        if out is None and sys.stdout.isatty():
            raise UsageError(f"--format {fmt} writes binary data: give -o FILE or redirect stdout")
        data = pictures.render_image(pictures.to_dot(built), fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from translator.plan.artifacts import write_atomically

        write_atomically(out, data)
    return common.EXIT_OK
