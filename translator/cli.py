"""The command line. The only module that prints or exits.

Exit codes: 0 ok, 1 bad input, 2 usage, 3 internal error. Diagnostics go to
stderr, never into a stdout stream. Heavy modules (pydantic, jinja2, the
renderers) are imported inside the commands so ``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from translator import __version__, targets
from translator.errors import Diagnostic, Severity, TranslatorError, UsageError

if TYPE_CHECKING:
    from translator.api import PlanInputs
    from translator.compose.loader import Loaded
    from translator.targets.base import Document, RenderOptions

app = typer.Typer(
    name="translator",
    help="Translate docker-compose files into Kubernetes, Swarm and Marathon deployments.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
schema_app = typer.Typer(help="Print JSON Schemas of translator's own file formats.")
app.add_typer(schema_app, name="schema")

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# ---- shared options -------------------------------------------------------------------------
FilesOpt = Annotated[
    list[str] | None,
    typer.Option("-f", "--file", help="Compose file (repeatable; '-' reads stdin)."),
]
ProjectOpt = Annotated[str | None, typer.Option("-p", "--project-name", help="Project name.")]
EnvFileOpt = Annotated[
    list[str] | None, typer.Option("--env-file", help="Variables file (repeatable).")
]
ProfileOpt = Annotated[list[str] | None, typer.Option("--profile", help="Enable a profile.")]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Treat warnings (unknown keys, lossy mappings) as errors.")
]
FormatOpt = Annotated[
    str | None, typer.Option("--format", help="Output format: yaml or json.", show_default=False)
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to",
        help=f"Target platform: {', '.join(targets.names())} (default: the environment's).",
        show_default=False,
    ),
]
OutOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write one file per object into DIR.")
]
TemplatesOpt = Annotated[
    Path | None, typer.Option("--templates", help="Folder of template overrides.")
]
EnvsDirOpt = Annotated[
    Path | None, typer.Option("--environments", help="Folder of environment files.")
]
ArtifactsOpt = Annotated[
    Path | None, typer.Option("--artifacts", help="Artifacts file (default: artifacts.yaml).")
]
ImageOpt = Annotated[
    list[str] | None,
    typer.Option("--image", help="Override an artifact: SERVICE=REF or SERVICE=TAG (repeatable)."),
]


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _report(diagnostics: list[Diagnostic], strict: bool) -> None:
    """Print diagnostics to stderr; under --strict any warning fails the run."""
    for d in diagnostics:
        label = "error" if d.severity is Severity.ERROR or strict else d.severity.value
        typer.echo(f"{label}: {d.format()}", err=True)
    if any(d.severity is Severity.ERROR for d in diagnostics) or (strict and diagnostics):
        raise typer.Exit(EXIT_BAD_INPUT)


def _format(fmt: str | None, default: str = "yaml") -> str:
    value = fmt or default
    if value not in ("yaml", "json"):
        raise UsageError(f"--format must be yaml or json, not {value!r}")
    return value


def _load(
    files: list[str] | None,
    project_name: str | None,
    env_files: list[str] | None,
    profiles: list[str] | None,
    strict: bool,
) -> Loaded:
    from translator import api

    use_stdin = files is not None and "-" in files
    return api.load_project(
        files or (),
        project_name=project_name,
        env_files=env_files or (),
        profiles=profiles or (),
        stdin=_read_stdin() if use_stdin else None,
        strict=strict,
    )


def _read_stdin() -> str:
    """Standard input, bounded like any compose file: an endless stream must end. One
    character over the limit is enough for the parser to refuse it with its usual error."""
    from translator.compose.yamlio import MAX_FILE_BYTES

    return sys.stdin.read(MAX_FILE_BYTES + 1)


# ---- config ---------------------------------------------------------------------------------
@app.command()
def config(
    files: FilesOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    fmt: FormatOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Print the normalized project as a compose file, like `docker compose config`."""
    from translator import api
    from translator.compose.serialize import escape_dollars
    from translator.emit import dump

    loaded = _load(files, project_name, env_file, profile, strict)
    _report(api.locate(loaded, loaded.diagnostics.items), strict)
    # `$` is written as `$$`, as Compose does, so the output loads back to the same project.
    document = escape_dollars(api.compose_document(loaded.project))
    sys.stdout.write(dump(document, _format(fmt)))  # type: ignore[arg-type]


# ---- convert / deploy -----------------------------------------------------------------------
def _options(
    embed_secrets: bool,
    wait: bool,
    network_policies: bool,
    create_namespace: bool,
    marathon_layout: str,
) -> RenderOptions:
    from translator.targets.base import RenderOptions

    if marathon_layout not in ("group", "apps"):
        raise UsageError("--marathon-layout must be group or apps")
    return RenderOptions(
        embed_secrets=embed_secrets,
        wait_for_dependencies=wait,
        extra={
            "network_policies": network_policies,
            "create_namespace": create_namespace,
            "marathon_layout": marathon_layout,
        },
    )


def _render_env(
    loaded: Loaded,
    env: str,
    inputs: PlanInputs,
    to: str | None,
    options: RenderOptions,
    templates: Path | None,
    only: list[str] | None = None,
    version: str | None = None,
    out: Path | None = None,
) -> tuple[str, list[Document], list[Diagnostic]]:
    from translator import api

    if to is not None and to not in api.target_names():
        raise UsageError(f"unknown target {to!r}; choose one of: {', '.join(api.target_names())}")
    if out is not None:
        # Relative file references (secrets, configs) must resolve from where the output lands.
        rel = os.path.relpath(loaded.base_dir, out.absolute())
        options = replace(options, extra={**options.extra, "project_dir": rel})
    plan = api.resolve(loaded, env, inputs, only=only, version=version)
    rendered = api.render(plan, to, options=options, templates_dir=templates)
    return rendered.target, list(rendered.documents), api.locate(loaded, rendered.diagnostics.items)


def _emit(
    target: str,
    documents: list[Document],
    out: Path | None,
    fmt: str | None,
    prune: bool = False,
) -> None:
    from translator import api
    from translator.targets import get

    default = getattr(get(target), "default_format", "yaml")
    chosen = _format(fmt, default)
    if out is None:
        sys.stdout.write(api.to_text(documents, chosen))  # type: ignore[arg-type]
    else:
        api.write(documents, out, chosen, prune=prune)  # type: ignore[arg-type]


@app.command()
def convert(
    files: FilesOpt = None,
    to: ToOpt = None,
    env: Annotated[str, typer.Option("--env", help="Environment name.")] = "local",
    all_envs: Annotated[
        bool, typer.Option("--all-envs", help="Render every environment into OUT/<env>/.")
    ] = False,
    out: OutOpt = None,
    fmt: FormatOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    environments: EnvsDirOpt = None,
    artifacts: ArtifactsOpt = None,
    image: ImageOpt = None,
    embed_secrets: Annotated[
        bool, typer.Option("--embed-secrets", help="Embed secret values in the output.")
    ] = False,
    wait_for_dependencies: Annotated[
        bool, typer.Option("--wait-for-dependencies", help="Init containers wait for depends_on.")
    ] = False,
    network_policies: Annotated[
        bool, typer.Option("--network-policies", help="Emit NetworkPolicy objects for networks.")
    ] = False,
    create_namespace: Annotated[
        bool, typer.Option("--create-namespace", help="Emit the Namespace object.")
    ] = False,
    marathon_layout: Annotated[
        str, typer.Option("--marathon-layout", help="Marathon output: group or apps.")
    ] = "group",
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 with a diff if -o DIR is out of date."),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="With -o DIR: also delete files there that carry the managed-by marker and "
            "that this run did not write.",
        ),
    ] = False,
    strict: StrictOpt = False,
) -> None:
    """Render the project for a target platform, in one environment or all of them."""
    from translator import api

    options = _options(
        embed_secrets, wait_for_dependencies, network_policies, create_namespace, marathon_layout
    )
    inputs = api.PlanInputs(environments, artifacts, tuple(image or ()))
    loaded = _load(files, project_name, env_file, profile, strict)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    if check and out is None:
        raise UsageError("--check needs -o DIR: the folder of committed manifests to compare")
    if prune and out is None:
        raise UsageError("--prune needs -o DIR")
    if all_envs:
        if out is None:
            raise UsageError("--all-envs needs -o DIR: each environment goes to DIR/<env>/")
        results: list[tuple[Path | None, tuple[str, list[Document], list[Diagnostic]]]] = [
            (out / n, _render_env(loaded, n, inputs, to, options, templates, out=out / n))
            for n in api.list_environments(loaded, inputs)
        ]
    else:
        results = [(out, _render_env(loaded, env, inputs, to, options, templates, out=out))]
    _report(load_diags + [d for _, r in results for d in r[2]], strict)
    if check:
        _check([(folder, target, docs) for folder, (target, docs, _) in results], fmt)
    for folder, (target, docs, _) in results:
        _emit(target, docs, folder, fmt, prune)


def _check(outputs: list[tuple[Path | None, str, list[Document]]], fmt: str | None) -> NoReturn:
    """Compare rendered documents with the files in each folder; print a diff; exit 1 if stale."""
    from translator.targets import get
    from translator.validate import check_tree

    diffs = []
    for folder, target, docs in outputs:
        assert folder is not None
        chosen = _format(fmt, getattr(get(target), "default_format", "yaml"))
        diffs.append(check_tree(docs, folder, chosen))  # type: ignore[arg-type]
    text = "".join(diffs)
    if text:
        sys.stdout.write(text)
        typer.echo("error: rendered manifests are out of date; run without --check", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_OK)


@app.command()
def deploy(
    service: Annotated[str, typer.Argument(help="The service to render.")],
    version: Annotated[str, typer.Argument(help="Tag or digest of its artifact.")] = "latest",
    env: Annotated[str, typer.Argument(help="Environment name.")] = "local",
    files: FilesOpt = None,
    to: ToOpt = None,
    out: OutOpt = None,
    fmt: FormatOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    environments: EnvsDirOpt = None,
    artifacts: ArtifactsOpt = None,
    embed_secrets: Annotated[bool, typer.Option("--embed-secrets")] = False,
    wait_for_dependencies: Annotated[bool, typer.Option("--wait-for-dependencies")] = False,
    network_policies: Annotated[bool, typer.Option("--network-policies")] = False,
    marathon_layout: Annotated[
        str,
        typer.Option(
            "--marathon-layout",
            help="Marathon output: apps (default here: PUT /v2/apps/<id> leaves the other apps "
            "of the group running) or group.",
        ),
    ] = "apps",
    strict: StrictOpt = False,
) -> None:
    """Render one service at one version for one environment: the same command everywhere.

    Example: translator deploy returns v456 production | kubectl apply -f -
    """
    from translator import api

    options = _options(
        embed_secrets, wait_for_dependencies, network_policies, False, marathon_layout
    )
    inputs = api.PlanInputs(environments, artifacts, ())
    loaded = _load(files, project_name, env_file, profile, strict)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    target, docs, diags = _render_env(
        loaded, env, inputs, to, options, templates, only=[service], version=version, out=out
    )
    _report(load_diags + diags, strict)
    _emit(target, docs, out, fmt)


# ---- validate / rules / explain -------------------------------------------------------------
ReportFormat = Annotated[
    str, typer.Option("--format", help="human, json, github or sarif.")
]


@app.command()
def validate(
    files: FilesOpt = None,
    env: Annotated[
        list[str] | None, typer.Option("--env", help="Environment (repeatable).")
    ] = None,
    all_envs: Annotated[
        bool, typer.Option("--all-envs", help="Validate every environment.")
    ] = False,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Target to render (repeatable; default all).")
    ] = None,
    fmt: ReportFormat = "human",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvsDirOpt = None,
    artifacts: ArtifactsOpt = None,
    image: ImageOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Load, resolve and render everything in memory; report every problem. Writes nothing."""
    from translator import api
    from translator.errors import Severity
    from translator.lint import RULES, load_config
    from translator.report import render_report
    from translator.validate import validate as run_validate

    if fmt not in ("human", "json", "github", "sarif"):
        raise UsageError("--format must be human, json, github or sarif")
    for name in to or ():
        if name not in api.target_names():
            choices = ", ".join(api.target_names())
            raise UsageError(f"unknown target {name!r}; choose from {choices}")
    inputs = api.PlanInputs(environments, artifacts, tuple(image or ()))
    try:
        loaded = _load(files, project_name, env_file, profile, False)
        config = load_config(loaded.base_dir)
    except TranslatorError as exc:
        # Loading errors go through the chosen format too: CI parsers read every line.
        diags = list(exc.diagnostics)
    else:
        names = api.list_environments(loaded, inputs) if all_envs else (env or ["local"])
        diags = run_validate(loaded, names, to or None, inputs, config)
    color = fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render_report(diags, fmt, color=color, rules=RULES))  # type: ignore[arg-type]
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diags):
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def rules() -> None:
    """List the topology lint rules with their IDs and rationale."""
    from translator.lint import rules_table

    sys.stdout.write(rules_table())


@app.command()
def explain(
    files: FilesOpt = None,
    env: Annotated[str, typer.Option("--env", help="Environment name.")] = "local",
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Target (repeatable; default all).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
    environments: EnvsDirOpt = None,
    artifacts: ArtifactsOpt = None,
) -> None:
    """The conversion report: what each target does with each compose key of each service."""
    import json

    from translator import api
    from translator.explain import explain as run_explain
    from translator.explain import explain_json, explain_table

    if fmt not in ("table", "json"):
        raise UsageError("--format must be table or json")
    loaded = _load(files, project_name, env_file, profile, False)
    plan = api.resolve(loaded, env, api.PlanInputs(environments, artifacts, ()),
                       require_artifacts=False)  # fmt: skip
    rows = run_explain(plan, to or api.target_names())
    if fmt == "json":
        sys.stdout.write(json.dumps(explain_json(rows), indent=2) + "\n")
    else:
        sys.stdout.write(explain_table(rows))


# ---- diff / pin / schema --------------------------------------------------------------------
@app.command()
def diff(
    env_a: Annotated[str, typer.Argument(help="First environment.")],
    env_b: Annotated[str, typer.Argument(help="Second environment.")],
    files: FilesOpt = None,
    environments: EnvsDirOpt = None,
    artifacts: ArtifactsOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Show, per service, the topology fields that differ between two environments."""
    import json

    from translator import api
    from translator.plan.diff import diff_json, diff_plans, diff_table

    if fmt not in ("table", "json"):
        raise UsageError("--format must be table or json")
    loaded = _load(files, project_name, env_file, profile, False)
    inputs = api.PlanInputs(environments, artifacts, ())
    plans = [api.resolve(loaded, e, inputs, require_artifacts=False) for e in (env_a, env_b)]
    rows = diff_plans(plans[0], plans[1])
    if fmt == "json":
        sys.stdout.write(json.dumps(diff_json(rows), indent=2) + "\n")
    else:
        sys.stdout.write(diff_table(rows, a_name=env_a, b_name=env_b))


@app.command()
def pin(
    service: Annotated[str, typer.Argument(help="The service whose artifact to pin.")],
    version: Annotated[str, typer.Argument(help="Tag or digest.")],
    files: FilesOpt = None,
    artifacts: ArtifactsOpt = None,
    project_name: ProjectOpt = None,
    env_file: EnvFileOpt = None,
) -> None:
    """Record SERVICE's artifact version in the artifacts file, keeping its comments."""
    from translator import api
    from translator.plan.artifacts import pin as pin_artifact

    loaded = _load(files, project_name, env_file, None, False)
    path = api.artifacts_path(loaded, artifacts)
    pin_artifact(path, service, version, loaded.project)
    typer.echo(f"pinned {service} to {version} in {path}", err=True)


@schema_app.command("environment")
def schema_environment() -> None:
    """The JSON Schema of environment files (environments/<name>.yaml)."""
    import json

    from translator.plan.environments import environment_json_schema

    sys.stdout.write(json.dumps(environment_json_schema(), indent=2) + "\n")


# ---- entry point ----------------------------------------------------------------------------
def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"translator {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Translate docker-compose files into Kubernetes, Swarm and Marathon deployments."""


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; the one place that maps failures to exit codes.

    Typer (click) handles its own usage errors with exit 2 and ends with SystemExit;
    everything else that escapes a command is ours to classify.
    """
    try:
        _main(sys.argv[1:] if argv is None else argv)
    except SystemExit as done:
        if argv is None:  # the real command line, not a test calling main([...])
            _exit_now(done)
        raise


def _exit_now(done: SystemExit) -> None:
    """End the process without tearing the interpreter down: freeing every object of a
    1,000-service run one by one took ~0.2 s, and nothing is left to clean up (files are
    closed by their ``with`` blocks). Output is flushed first; if that fails (a closed
    pipe) or the exit carries a message, the interpreter ends the run as before."""
    code = done.code
    if code is not None and not isinstance(code, int):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


def _main(args: list[str]) -> NoReturn:
    # A run allocates millions of small objects (node trees, plain data, models) but makes
    # few reference cycles; at the default thresholds the collector rescanned the growing
    # heap so often that it cost ~20% of a 1,000-service convert. Cycles are still
    # collected, just in larger batches.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        app(args=args, prog_name="translator")
    except TranslatorError as exc:
        for d in exc.diagnostics:
            typer.echo(f"error: {d.format()}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except UsageError as exc:
        _usage_exit(str(exc))
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # the one handler for our own bugs
        _internal_exit(exc)
    finally:
        gc.set_threshold(*thresholds)  # main() also runs inside test processes
    sys.exit(EXIT_OK)


def _usage_exit(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _internal_exit(exc: Exception) -> NoReturn:
    if os.environ.get("TRANSLATOR_DEBUG"):
        raise exc
    typer.echo(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in translator, not in your files. Set TRANSLATOR_DEBUG=1 for a traceback "
        "and report it.",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)
