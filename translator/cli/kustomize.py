"""``--layout kustomize``: what ``convert`` and ``deploy`` do with a Kustomize layout.

``convert --all-envs --layout kustomize -o DIR`` writes ``DIR/base/`` and one
``DIR/overlays/<env>/`` per environment (see :mod:`translator.kustomize`);
``deploy SERVICE VERSION ENV --layout kustomize -o DIR`` edits that environment's
``images:`` entry in place, so a version bump is a one-line diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from translator.errors import Diagnostic, UsageError

if TYPE_CHECKING:
    from translator.api import PlanInputs
    from translator.cli.render import Request
    from translator.compose.loader import Loaded
    from translator.targets.base import Document

LayoutName = Literal["files", "kustomize"]
LayoutOpt = Annotated[
    LayoutName,
    typer.Option("--layout", help="files: one file per object; kustomize: a Kustomize base "
                 "and one overlay per environment (Kubernetes, with -o DIR)."),
]  # fmt: skip
KUBERNETES = "kubernetes"


def check_request(target: str | None, out: Path | None, all_envs: bool = True) -> None:
    """A Kustomize layout is a folder of Kubernetes objects covering every environment."""
    if out is None:
        raise UsageError("--layout kustomize needs -o DIR: the folder of the base and overlays")
    if not all_envs:
        raise UsageError("--layout kustomize needs --all-envs: the overlays are the "
                         "environments, and the base is what they share")
    if target not in (None, KUBERNETES):
        raise UsageError(f"--layout kustomize writes Kubernetes objects, not {target}: "
                         "use --to kubernetes")


def layout(
    loaded: Loaded, names: list[str], inputs: PlanInputs, request: Request
) -> tuple[list[Document], list[Diagnostic]]:
    """The base and overlays of every environment, and the diagnostics of their renders."""
    from dataclasses import replace

    from translator import api
    from translator.cli.render import render_env
    from translator.errors import Diagnostics
    from translator.kustomize import EnvInfo, build_layout

    request = replace(request, target=KUBERNETES)
    rendered = {name: render_env(loaded, name, inputs, request) for name in names}
    envs = {name: EnvInfo.of(api.load_environment(loaded, name, inputs)) for name in names}
    notes = Diagnostics()
    documents = build_layout({n: r.documents for n, r in rendered.items()}, envs, notes)
    found = [d for r in rendered.values() for d in r.diagnostics]
    return documents, found + list(notes.items)


def set_version(
    loaded: Loaded, service: str, version: str, env: str, inputs: PlanInputs, out: Path
) -> list[Diagnostic]:
    """Point ``service``'s ``images:`` entry in ``out/overlays/<env>`` at ``version``."""
    from translator import api
    from translator.kustomize import set_image

    plan = api.resolve(loaded, env, inputs, only=[service], version=version)
    artifact = plan.services[service].service.artifact
    assert artifact is not None  # resolve refuses a service with no artifact
    # Always kustomization.yaml: a layout written with --format json holds JSON there,
    # which Kustomize reads as YAML.
    return set_image(out / "overlays" / env / "kustomization.yaml", artifact.repository, version)
