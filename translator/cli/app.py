"""The command line: one typer app, one module per command, one place for exit codes.

Exit codes: 0 ok, 1 bad input, 2 usage, 3 internal error. Each command returns its code;
:func:`handle` turns every failure into one, and typer (click) reports its own usage
errors with exit 2. Diagnostics go to stderr, never into a stdout stream. Heavy modules
(the API, pydantic, jinja2, the renderers) are imported inside the commands, and the
target modules only when a command that takes their flags runs, so ``--help`` and
``--version`` start fast.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from translator import __version__
from translator.cli import (
    common,
    config,
    convert,
    deploy,
    diff,
    explain,
    graph,
    pin,
    rules,
    schema,
    validate,
)
from translator.cli.options import with_target_flags, without_target_flags
from translator.errors import TranslatorError, UsageError

PROG = "translator"


class Spec(NamedTuple):
    """One command: its function, the line listed in ``translator --help``, its examples."""

    run: Callable[..., int]
    short_help: str
    epilog: str | None = None


COMMANDS: dict[str, Spec] = {
    "config": Spec(config.config, "Print the normalized project, like `docker compose config`.",
                   config.EPILOG),
    "convert": Spec(convert.convert, "Render the project for a target platform.",
                    convert.EPILOG),
    "deploy": Spec(deploy.deploy, "Render one service at one version for one environment.",
                   deploy.EPILOG),
    "validate": Spec(validate.validate, "Lint and render everything in memory; writes nothing.",
                     validate.EPILOG),
    "rules": Spec(rules.rules, "List the topology lint rules."),
    "explain": Spec(explain.explain, "What each target does with each compose key."),
    "diff": Spec(diff.diff, "Topology fields that differ between two environments.",
                 diff.EPILOG),
    "pin": Spec(pin.pin, "Record a service's artifact version in artifacts.yaml."),
    "graph": Spec(graph.graph, "Draw an environment's topology (Mermaid, DOT, SVG, PNG).",
                  graph.EPILOG),
}  # fmt: skip


# ---- the one error handler ------------------------------------------------------------------
def handle(run: Callable[[], int]) -> int:
    """Run ``run`` and return its exit code; the one place that maps failures to codes."""
    try:
        return run()
    except TranslatorError as exc:
        common.err("".join(f"error: {d.format()}\n" for d in exc.diagnostics).rstrip("\n"))
        return common.EXIT_BAD_INPUT
    except UsageError as exc:
        common.err(f"error: {exc}")
        return common.EXIT_USAGE
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        return common.EXIT_OK
    except Exception as exc:  # our own bugs
        if os.environ.get("TRANSLATOR_DEBUG"):
            raise
        common.err(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in translator, not in your files. Set TRANSLATOR_DEBUG=1 for a "
            "traceback and report it."
        )
        return common.EXIT_INTERNAL


def _exits(func: Callable[..., int]) -> Callable[..., None]:
    """The command as typer calls it: its code, through :func:`handle`, ends the run."""

    @functools.wraps(func)
    def command(**kwargs: Any) -> None:
        raise typer.Exit(handle(lambda: func(**kwargs)))

    return command


# ---- building the app -----------------------------------------------------------------------
def _takes_target_flags(func: Callable[..., int]) -> bool:
    return "target_flags" in inspect.signature(func).parameters


def _add(app: typer.Typer, name: str, spec: Spec, *, flags: bool) -> None:
    func = spec.run
    if _takes_target_flags(func):
        func = with_target_flags(name)(func) if flags else without_target_flags(name)(func)
    app.command(name, short_help=spec.short_help, epilog=spec.epilog)(_exits(func))


class Commands(TyperGroup):
    """The top-level group. A command whose flags come from the targets
    (:class:`~translator.targets.base.TargetOption`) is listed without them and rebuilt
    with them when it runs, completes or shows its help: the flags need every target
    module imported, which would double the time of ``translator --version``."""

    def resolve_command(
        self, ctx: Any, args: list[str]
    ) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name in COMMANDS and _takes_target_flags(COMMANDS[name].run):
            single = _typer()
            _add(single, name, COMMANDS[name], flags=True)
            command = typer.main.get_command(single)
        return name, command, rest


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit(common.EXIT_OK)


def _root(
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version,
                           help="Show the version and exit.")
    ] = False,
) -> None:
    """Translate docker-compose files into Kubernetes, Swarm and Marathon deployments."""


# -h as well as --help, as before; wide help where the terminal allows it.
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _typer(add_completion: bool = False, **settings: Any) -> typer.Typer:
    # Plain help (no rich panels): it reads the same in a pipe, a log and a terminal.
    return typer.Typer(add_completion=add_completion, pretty_exceptions_enable=False,
                       rich_markup_mode=None, context_settings=CONTEXT,
                       **settings)  # fmt: skip


def build() -> typer.Typer:
    """The whole command line: the root options, one command per module, ``schema KIND``."""
    app = _typer(add_completion=True, name=PROG, cls=Commands, no_args_is_help=True)
    app.callback()(_root)
    for name, spec in COMMANDS.items():
        _add(app, name, spec, flags=False)
    kinds = _typer(help="Print JSON Schemas of translator's own file formats.",
                   no_args_is_help=True)
    kinds.command("environment", help=inspect.getdoc(schema.environment))(
        _exits(schema.environment))
    app.add_typer(kinds, name="schema", short_help="Print JSON Schemas of translator's own files.")
    return app


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command line; every path out of it is a ``SystemExit`` with the exit code."""
    # A run builds one large graph of objects that all live until it exits (the project,
    # the plan, the documents): the cyclic collector's default thresholds make it walk that
    # graph again and again, a third of a 10,000-service Kubernetes run (12.0 s -> 8.2 s,
    # same peak memory). Collections still happen, just less often. The CLI owns this
    # process-wide setting; the library leaves its host's collector alone.
    gc.set_threshold(50_000, 20, 100)
    command = typer.main.get_command(build())
    common.ARGV[:] = sys.argv[1:] if argv is None else argv
    sys.exit(handle(lambda: command.main(args=argv, prog_name=PROG)))
