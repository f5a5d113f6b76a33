"""The public Python API, for scripts and CI jobs. The CLI is a thin layer over it.

>>> from translator import api
>>> loaded = api.load_project(["samples/shop/compose.yaml"])
>>> plan = api.resolve(loaded, "production")
>>> result = api.render(plan, "kubernetes")
>>> print(api.to_text(result.documents))

Every function raises :class:`translator.errors.TranslatorError` for bad input,
with positioned diagnostics; warnings come back in the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translator.compose.loader import Loaded, LoadOptions, load
from translator.compose.serialize import to_compose
from translator.emit import dumps_stream
from translator.errors import Diagnostic, Diagnostics, Severity, TranslatorError, UsageError
from translator.locate import locate_compose
from translator.targets import get, names
from translator.targets.base import Document, OutputFormat, RenderOptions, Target
from translator.templating import Templates

if TYPE_CHECKING:
    from translator.model import Artifact, Environment, Plan, Project


def load_project(
    files: Sequence[str | Path] = (),
    *,
    project_name: str | None = None,
    env_files: Sequence[str | Path] = (),
    profiles: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    working_dir: str | Path | None = None,
    stdin: str | None = None,
    strict: bool = False,
    omit: Sequence[tuple[str | int, ...]] = (),
    embed_outside_files: bool = False,
) -> Loaded:
    """Discover, read, interpolate, merge and normalize compose files, as Compose does.
    ``omit`` names parts of the merged document to leave out (``("services", "web",
    "depends_on")``), so the rest of a project with an error there can still be checked.
    Configs and secrets files outside the project folder are read (so that a renderer
    can embed them) only with ``embed_outside_files``."""
    return load(
        LoadOptions(
            files=tuple(str(f) for f in files),
            stdin=stdin,
            project_name=project_name,
            env_files=tuple(str(f) for f in env_files),
            profiles=tuple(profiles),
            environ=environ,
            working_dir=None if working_dir is None else str(working_dir),
            strict=strict,
            omit=tuple(omit),
            embed_outside_files=embed_outside_files,
        )
    )


@dataclass(frozen=True)
class PlanInputs:
    """Where environments and artifacts come from; the defaults sit beside the compose file."""

    environments_dir: Path | None = None
    artifacts_file: Path | None = None
    images: Sequence[str] = ()


def environments_dir(loaded: Loaded, override: Path | None = None) -> Path:
    # The plan package (about 30 ms) loads once a plan is wanted: `config` never needs it.
    from translator.plan.environments import environments_dir as find

    return find(loaded.files[0] if loaded.files else None, override)


def artifacts_path(loaded: Loaded, override: Path | None = None) -> Path:
    return override if override is not None else loaded.base_dir / "artifacts.yaml"


def load_environment(loaded: Loaded, name: str, inputs: PlanInputs = PlanInputs()) -> Environment:
    from translator.plan.environments import load_environment as load_env  # as above

    directory = environments_dir(loaded, inputs.environments_dir)
    project = loaded.project
    return load_env(name, directory, tuple(project.services), volumes=tuple(project.volumes))


def list_environments(loaded: Loaded, inputs: PlanInputs = PlanInputs()) -> list[str]:
    from translator.plan.environments import list_environments as list_envs  # as above

    names = list_envs(environments_dir(loaded, inputs.environments_dir))
    return names if "local" in names else ["local", *names]


def environment_file_warnings(
    loaded: Loaded, inputs: PlanInputs = PlanInputs()
) -> list[Diagnostic]:
    """A warning for each file in the environments folder that names no environment."""
    from translator.plan.environments import odd_environment_files  # as above

    directory = environments_dir(loaded, inputs.environments_dir)
    return [
        Diagnostic(Severity.WARNING, f"{directory / name} is skipped: an environment name "
                   "starts with a letter or digit, then letters, digits, '.', '_' or '-'",
                   (), code="environment-names")
        for name in odd_environment_files(directory)
    ]


def resolve(
    loaded: Loaded,
    environment: str = "local",
    inputs: PlanInputs = PlanInputs(),
    *,
    only: Sequence[str] | None = None,
    version: str | None = None,
    require_artifacts: bool = True,
) -> Plan:
    """Resolve project + artifacts + environment into the plan every renderer takes."""
    # As above: the plan package loads with the first plan.
    from translator.plan.artifacts import load_artifacts, parse_image_overrides
    from translator.plan.resolve import resolve_plan

    project = loaded.project
    env = load_environment(loaded, environment, inputs)
    path = artifacts_path(loaded, inputs.artifacts_file)
    artifacts = load_artifacts(path, tuple(project.services))
    images: dict[str, Artifact] = parse_image_overrides(
        list(inputs.images), project, artifacts=artifacts
    )
    return resolve_plan(
        project,
        env,
        artifacts=artifacts,
        images=images,
        only=only,
        version=version,
        require_artifacts=require_artifacts,
    )


@dataclass
class Rendered:
    target: str
    documents: list[Document]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def target_names() -> list[str]:
    return names()


def render(
    plan: Plan,
    target: str | None = None,
    *,
    options: RenderOptions | None = None,
    templates_dir: Path | None = None,
) -> Rendered:
    """Render a plan for ``target`` (default: the environment's platform)."""
    name = target or plan.environment.platform
    if name not in names():
        raise UsageError(f"unknown target {name!r}; choose one of: {', '.join(names())}")
    diagnostics = Diagnostics()
    documents = get(name).render(
        plan, options or RenderOptions(), Templates(templates_dir), diagnostics
    )
    return Rendered(name, documents, diagnostics)


def renamed(plan: Plan, target: str) -> list[Diagnostic]:
    """An info for each service of ``plan`` whose name ``target`` changes (``My_Web``
    becomes ``my-web`` on Kubernetes): other objects and ``kubectl`` commands use the new
    one. Apart from :func:`render`, whose diagnostics each name what a target loses of a
    compose key."""
    chosen: Target = get(target)
    title = chosen.title or chosen.name
    out: list[Diagnostic] = []
    for service in sorted(plan.services):
        new = chosen.object_name("services", service)
        if new is not None and new != service:
            out.append(Diagnostic(
                Severity.INFO, f"service {service!r} is named {new!r} in {title}",
                ("services", service), code=f"{chosen.name}.renamed",
                target=chosen.name,
                hint="the platform allows fewer characters in names; rename the service to "
                     "keep one name everywhere"))
    return out


def to_text(documents: Sequence[Document], fmt: OutputFormat = "yaml") -> str:
    return dumps_stream(documents, fmt)


def write(
    documents: Sequence[Document], out_dir: Path, fmt: OutputFormat = "yaml", *, prune: bool = False
) -> list[Path]:
    """Write one file per document under ``out_dir``, atomically; ``prune`` also removes
    files there that carry our managed-by marker and this run did not write."""
    # Folder writing (shutil, tempfile) loads only when a folder is written, not for a stream.
    from translator.emit_files import write_tree

    return write_tree(documents, out_dir, fmt, prune=prune)


def compose_document(project: Project) -> dict[str, object]:
    """The normalized project as a compose document (what ``translator config`` prints)."""
    return to_compose(project)


def locate(loaded: Loaded, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Attach compose ``file:line:col`` to diagnostics that carry only a path."""
    return locate_compose(loaded, diagnostics)


__all__ = [
    "PlanInputs",
    "RenderOptions",
    "Rendered",
    "TranslatorError",
    "compose_document",
    "environment_file_warnings",
    "list_environments",
    "load_environment",
    "load_project",
    "locate",
    "renamed",
    "render",
    "resolve",
    "target_names",
    "to_text",
    "write",
]
