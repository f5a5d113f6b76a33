"""The command line. The only module that prints or exits.

Exit codes: 0 ok, 1 bad input, 2 usage, 3 internal error. Diagnostics go to
stderr, never into a stdout stream. The grammar lives in :mod:`translator.cli_parser`
(argparse); heavy modules (pydantic, jinja2, the renderers) are imported inside the
commands, so ``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from translator.errors import Diagnostic, Severity, TranslatorError, UsageError

if TYPE_CHECKING:
    from translator.api import PlanInputs
    from translator.compose.loader import Loaded
    from translator.targets.base import Document, OutputFormat, RenderOptions

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
Args = argparse.Namespace


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


def _report(diagnostics: list[Diagnostic], strict: bool) -> None:
    """Print diagnostics to stderr; under --strict any warning fails the run."""
    # One write: 2,000 warnings printed line by line cost more than rendering them.
    lines = [
        f"{'error' if d.severity is Severity.ERROR or strict else d.severity.value}: "
        f"{d.format()}\n"
        for d in diagnostics
    ]
    sys.stderr.write("".join(lines))
    if any(d.severity is Severity.ERROR for d in diagnostics) or (strict and diagnostics):
        sys.exit(EXIT_BAD_INPUT)


def _output_format(fmt: str | None, target: str | None = None) -> OutputFormat:
    """--format if given (argparse allows only yaml and json), else the target's default."""
    from translator.targets import get

    if fmt is not None:
        return cast("OutputFormat", fmt)
    default: OutputFormat = getattr(get(target), "default_format", "yaml") if target else "yaml"
    return default


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


def _load_args(args: Args, strict: bool = False) -> Loaded:
    return _load(args.files, args.project_name, args.env_file, getattr(args, "profile", None),
                 strict)


def _read_stdin() -> str:
    """Standard input, bounded like any compose file: an endless stream must end. One
    character over the limit is enough for the parser to refuse it with its usual error."""
    from translator.compose.yamlio import MAX_FILE_BYTES

    return sys.stdin.read(MAX_FILE_BYTES + 1)


def _inputs(args: Args) -> PlanInputs:
    from translator import api

    images = getattr(args, "image", None) or ()  # deploy, explain and diff take no --image
    return api.PlanInputs(args.environments, args.artifacts, tuple(images))


# ---- config ---------------------------------------------------------------------------------
def config(args: Args) -> None:
    """Print the normalized project as a compose file, like `docker compose config`."""
    from translator import api
    from translator.compose.serialize import escape_dollars
    from translator.emit import dump

    loaded = _load_args(args, args.strict)
    _report(api.locate(loaded, loaded.diagnostics.items), args.strict)
    # `$` is written as `$$`, as Compose does, so the output loads back to the same project.
    document = escape_dollars(api.compose_document(loaded.project))
    sys.stdout.write(dump(document, _output_format(args.fmt)))


# ---- convert / deploy -----------------------------------------------------------------------
def _options(args: Args) -> RenderOptions:
    from translator.targets.base import RenderOptions

    return RenderOptions(
        embed_secrets=args.embed_secrets,
        wait_for_dependencies=args.wait_for_dependencies,
        extra={
            "network_policies": args.network_policies,
            "create_namespace": getattr(args, "create_namespace", False),
            "marathon_layout": args.marathon_layout,
        },
    )


def _render_env(
    loaded: Loaded,
    env: str,
    inputs: PlanInputs,
    args: Args,
    only: list[str] | None = None,
    version: str | None = None,
    out: Path | None = None,
) -> tuple[str, list[Document], list[Diagnostic]]:
    from translator import api

    options = _options(args)
    if out is not None:
        # Relative file references (secrets, configs) must resolve from where the output lands.
        rel = os.path.relpath(loaded.base_dir, out.absolute())
        options = replace(options, extra={**options.extra, "project_dir": rel})
    from translator.locate import locate_for_plan

    plan = api.resolve(loaded, env, inputs, only=only, version=version)
    try:
        rendered = api.render(plan, args.to, options=options, templates_dir=args.templates)
    except TranslatorError as err:  # e.g. an object a user's template misshaped: say where
        raise TranslatorError(locate_for_plan(loaded, plan, err.diagnostics)) from None
    found = locate_for_plan(loaded, plan, rendered.diagnostics.items)
    return rendered.target, list(rendered.documents), found


def _emit(
    target: str,
    documents: list[Document],
    out: Path | None,
    fmt: str | None,
    prune: bool = False,
) -> None:
    from translator import api

    chosen = _output_format(fmt, target)
    if out is None:
        sys.stdout.write(api.to_text(documents, chosen))
    else:
        api.write(documents, out, chosen, prune=prune)


def convert(args: Args) -> None:
    """Render the project for a target platform, in one environment or all of them."""
    from translator import api

    out: Path | None = args.out
    if args.check and out is None:
        raise UsageError("--check needs -o DIR: the folder of committed manifests to compare")
    if args.prune and out is None:
        raise UsageError("--prune needs -o DIR")
    if args.all_envs and out is None:
        raise UsageError("--all-envs needs -o DIR: each environment goes to DIR/<env>/")
    inputs = _inputs(args)
    loaded = _load_args(args, args.strict)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    if args.all_envs:
        assert out is not None
        results: list[tuple[Path | None, tuple[str, list[Document], list[Diagnostic]]]] = [
            (out / n, _render_env(loaded, n, inputs, args, out=out / n))
            for n in api.list_environments(loaded, inputs)
        ]
    else:
        results = [(out, _render_env(loaded, args.env, inputs, args, out=out))]
    _report(load_diags + [d for _, r in results for d in r[2]], args.strict)
    if args.check:
        _check([(folder, target, docs) for folder, (target, docs, _) in results], args.fmt)
    for folder, (target, docs, _) in results:
        _emit(target, docs, folder, args.fmt, args.prune)


def _check(outputs: list[tuple[Path | None, str, list[Document]]], fmt: str | None) -> NoReturn:
    """Compare rendered documents with the files in each folder; print a diff; exit 1 if stale."""
    from translator.validate import check_tree

    diffs = []
    for folder, target, docs in outputs:
        assert folder is not None
        diffs.append(check_tree(docs, folder, _output_format(fmt, target)))
    text = "".join(diffs)
    if text:
        sys.stdout.write(text)
        _err("error: rendered manifests are out of date; run without --check")
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_OK)


def deploy(args: Args) -> None:
    """Render one service at one version for one environment: the same command everywhere."""
    from translator import api

    loaded = _load_args(args, args.strict)
    load_diags = api.locate(loaded, loaded.diagnostics.items)
    target, docs, diags = _render_env(
        loaded, args.env, _inputs(args), args, only=[args.service], version=args.version,
        out=args.out,
    )
    _report(load_diags + diags, args.strict)
    _emit(target, docs, args.out, args.fmt)


# ---- validate / rules / explain -------------------------------------------------------------
def validate(args: Args) -> None:
    """Load, resolve and render everything in memory; report every problem. Writes nothing."""
    from translator import api
    from translator.lint import RULES, load_config
    from translator.report import render_report
    from translator.validate import validate as run_validate

    inputs = _inputs(args)
    try:
        loaded = _load_args(args)
        lint_config = load_config(loaded.base_dir)
    except TranslatorError as exc:
        # Loading errors go through the chosen format too: CI parsers read every line.
        diags = list(exc.diagnostics)
    else:
        names = api.list_environments(loaded, inputs) if args.all_envs else (args.env or ["local"])
        diags = run_validate(loaded, names, args.to or None, inputs, lint_config)
    color = args.fmt == "human" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render_report(diags, args.fmt, color=color, rules=RULES))
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    if any(d.severity in failing for d in diags):
        sys.exit(EXIT_BAD_INPUT)


def rules(args: Args) -> None:
    """List the topology lint rules with their IDs and rationale."""
    from translator.lint import rules_table

    sys.stdout.write(rules_table())


def explain(args: Args) -> None:
    """The conversion report: what each target does with each compose key of each service."""
    import json

    from translator import api
    from translator.explain import explain as run_explain
    from translator.explain import explain_json, explain_table

    loaded = _load_args(args)
    plan = api.resolve(loaded, args.env, _inputs(args), require_artifacts=False)
    found = run_explain(plan, args.to or api.target_names())
    if args.fmt == "json":
        sys.stdout.write(json.dumps(explain_json(found), indent=2) + "\n")
    else:
        sys.stdout.write(explain_table(found))


# ---- diff / pin / schema / completion -------------------------------------------------------
def diff(args: Args) -> None:
    """Show, per service, the topology fields that differ between two environments."""
    import json

    from translator import api
    from translator.plan.diff import diff_json, diff_plans, diff_table

    loaded = _load_args(args)
    inputs = _inputs(args)
    plans = [api.resolve(loaded, e, inputs, require_artifacts=False)
             for e in (args.env_a, args.env_b)]  # fmt: skip
    rows = diff_plans(plans[0], plans[1])
    if args.fmt == "json":
        sys.stdout.write(json.dumps(diff_json(rows), indent=2) + "\n")
    else:
        sys.stdout.write(diff_table(rows, a_name=args.env_a, b_name=args.env_b))


def pin(args: Args) -> None:
    """Record SERVICE's artifact version in the artifacts file, keeping its comments."""
    from translator import api
    from translator.plan.artifacts import pin as pin_artifact

    loaded = _load_args(args)
    path = api.artifacts_path(loaded, args.artifacts)
    pin_artifact(path, args.service, args.version, loaded.project)
    _err(f"pinned {args.service} to {args.version} in {path}")


def schema(args: Args) -> None:
    """The JSON Schema of environment files (environments/<name>.yaml)."""
    import json

    from translator.plan.environments import environment_json_schema

    sys.stdout.write(json.dumps(environment_json_schema(), indent=2) + "\n")


def completion(args: Args) -> None:
    """A completion script for the shell, generated from the same grammar."""
    from translator.cli_completion import script
    from translator.cli_parser import build_parser

    sys.stdout.write(script(build_parser(), args.shell))


HANDLERS: dict[str, Callable[[Args], None]] = {
    "config": config, "convert": convert, "deploy": deploy, "validate": validate,
    "rules": rules, "explain": explain, "diff": diff, "pin": pin, "schema": schema,
    "completion": completion,
}


# ---- entry point ----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; the one place that maps failures to exit codes."""
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


def _main(argv: list[str]) -> NoReturn:
    from translator.cli_parser import build_parser

    # A command allocates millions of small objects (node trees, plain data, models) and
    # makes almost no reference cycles: a 1,000-service convert leaves about a thousand
    # cyclic objects. Reference counting frees everything else as it goes, while each
    # cyclic collection rescans every live object: 36-56 ms of a 1,000-service convert,
    # even with raised thresholds. So the collector is off while one command runs.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        parser = build_parser()
        if not argv:  # a usage error: the help goes to stderr, stdout stays a clean stream
            sys.stderr.write(parser.format_help())
            sys.exit(EXIT_USAGE)
        args = parser.parse_args(argv)
        HANDLERS[args.command](args)
    except TranslatorError as exc:
        _err("".join(f"error: {d.format()}\n" for d in exc.diagnostics).rstrip("\n"))
        sys.exit(EXIT_BAD_INPUT)
    except UsageError as exc:
        _usage_exit(str(exc))
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # the one handler for our own bugs
        _internal_exit(exc)
    finally:
        if was_enabled:  # main() also runs inside test processes
            gc.enable()
    sys.exit(EXIT_OK)


def _usage_exit(message: str) -> NoReturn:
    _err(f"error: {message}")
    sys.exit(EXIT_USAGE)


def _internal_exit(exc: Exception) -> NoReturn:
    if os.environ.get("TRANSLATOR_DEBUG"):
        raise exc
    _err(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in translator, not in your files. Set TRANSLATOR_DEBUG=1 for a traceback "
        "and report it."
    )
    sys.exit(EXIT_INTERNAL)
