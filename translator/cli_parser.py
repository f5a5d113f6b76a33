"""The command line's grammar, built with argparse.

argparse ships with Python and builds this parser in about a millisecond; the CLI
framework it replaces imported pydantic and built type adapters for every option,
which cost ~0.1 s on every invocation of a pre-commit hook (issue #7's 0.3 s budget).
This module only describes commands and options: ``translator.cli`` runs them, prints
and exits. Target choices come from the registry.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from translator import __version__, targets
from translator.errors import UsageError

PROG = "translator"
REPORT_FORMATS = ("human", "json", "github", "sarif")
TABLE_FORMATS = ("table", "json")
OUTPUT_FORMATS = ("yaml", "json")
SHELLS = ("bash", "zsh", "fish")


class _Formatter(argparse.HelpFormatter):
    """Help in the usual shape: ``Usage:`` capitalized, defaults shown where they help."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=100)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Usage: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """Usage errors become :class:`UsageError`, so the CLI's one handler reports them
    (exit 2) instead of argparse printing and exiting from inside the grammar."""

    def error(self, message: str) -> Any:  # argparse's signature says NoReturn
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}\nRun '{self.prog} --help'.")


def _files(p: argparse.ArgumentParser) -> None:
    p.add_argument("-f", "--file", dest="files", action="append", metavar="FILE",
                   help="Compose file (repeatable; '-' reads stdin).")


def _project(p: argparse.ArgumentParser, profiles: bool = True) -> None:
    p.add_argument("-p", "--project-name", metavar="NAME", help="Project name.")
    p.add_argument("--env-file", action="append", metavar="FILE",
                   help="Variables file (repeatable).")
    if profiles:
        p.add_argument("--profile", action="append", metavar="NAME", help="Enable a profile.")


def _plan_inputs(p: argparse.ArgumentParser, images: bool = True) -> None:
    p.add_argument("--environments", type=Path, metavar="DIR",
                   help="Folder of environment files (default: environments/ beside the "
                   "compose file).")
    p.add_argument("--artifacts", type=Path, metavar="FILE",
                   help="Artifacts file (default: artifacts.yaml).")
    if images:
        p.add_argument("--image", action="append", metavar="SERVICE=REF",
                       help="Override an artifact: SERVICE=REF or SERVICE=TAG (repeatable).")


def _strict(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="Treat warnings (unknown keys, lossy mappings) as errors.")


def _render_options(p: argparse.ArgumentParser, marathon_default: str) -> None:
    choices = ", ".join(targets.names())
    p.add_argument("--to", choices=targets.names(), metavar="TARGET",
                   help=f"Target platform: {choices} (default: the environment's).")
    p.add_argument("-o", "--output", dest="out", type=Path, metavar="DIR",
                   help="Write one file per object into DIR.")
    p.add_argument("--format", dest="fmt", choices=OUTPUT_FORMATS,
                   help="Output format: yaml or json (default: the target's).")
    p.add_argument("--templates", type=Path, metavar="DIR", help="Folder of template overrides.")
    p.add_argument("--embed-secrets", action="store_true",
                   help="Embed secret values in the output.")
    p.add_argument("--wait-for-dependencies", action="store_true",
                   help="Init containers wait for depends_on.")
    p.add_argument("--network-policies", action="store_true",
                   help="Emit NetworkPolicy objects for networks.")
    p.add_argument("--marathon-layout", choices=("group", "apps"), default=marathon_default,
                   help=f"Marathon output: group or apps (default: {marathon_default}).")


def _config(sub: Any) -> None:
    p = sub.add_parser("config", help="Print the normalized project, like `docker compose "
                       "config`.", description="Print the normalized project as a compose "
                       "file, like `docker compose config`.")
    _files(p)
    _project(p)
    p.add_argument("--format", dest="fmt", choices=OUTPUT_FORMATS,
                   help="Output format: yaml or json (default: yaml).")
    _strict(p)


def _convert(sub: Any) -> None:
    p = sub.add_parser("convert", help="Render the project for a target platform.",
                       description="Render the project for a target platform, in one "
                       "environment or all of them.")
    _files(p)
    p.add_argument("--env", default="local", help="Environment name (default: local).")
    p.add_argument("--all-envs", action="store_true",
                   help="Render every environment into OUT/<env>/.")
    _render_options(p, "group")
    p.add_argument("--create-namespace", action="store_true",
                   help="Emit the Namespace object.")
    p.add_argument("--check", action="store_true",
                   help="Write nothing; exit 1 with a diff if -o DIR is out of date.")
    p.add_argument("--prune", action="store_true",
                   help="With -o DIR: also delete files there that carry the managed-by "
                   "marker and that this run did not write.")
    _project(p)
    _plan_inputs(p)
    _strict(p)


def _deploy(sub: Any) -> None:
    p = sub.add_parser(
        "deploy", help="Render one service at one version for one environment.",
        description="Render one service at one version for one environment: the same "
        "command everywhere. Example: translator deploy returns v456 production | "
        "kubectl apply -f -",
    )
    p.add_argument("service", help="The service to render.")
    p.add_argument("version", nargs="?", default="latest",
                   help="Tag or digest of its artifact (default: latest).")
    p.add_argument("env", nargs="?", default="local", help="Environment name (default: local).")
    _files(p)
    # apps by default here: PUT /v2/apps/<id> leaves the group's other apps running.
    _render_options(p, "apps")
    _project(p)
    _plan_inputs(p, images=False)
    _strict(p)


def _validate(sub: Any) -> None:
    p = sub.add_parser("validate", help="Lint and render everything in memory; writes nothing.",
                       description="Load, resolve and render everything in memory; report "
                       "every problem with its position. Writes nothing.")
    _files(p)
    p.add_argument("--env", action="append", metavar="ENV",
                   help="Environment (repeatable; default: local).")
    p.add_argument("--all-envs", action="store_true", help="Validate every environment.")
    p.add_argument("--to", action="append", choices=targets.names(), metavar="TARGET",
                   help=f"Target to render (repeatable; default: {', '.join(targets.names())}).")
    p.add_argument("--format", dest="fmt", choices=REPORT_FORMATS, default="human",
                   help="human, json, github or sarif (default: human).")
    _project(p)
    _plan_inputs(p)
    _strict(p)


def _explain(sub: Any) -> None:
    p = sub.add_parser("explain", help="What each target does with each compose key.",
                       description="The conversion report: what each target does with each "
                       "compose key of each service (mapped, approximated or dropped).")
    _files(p)
    p.add_argument("--env", default="local", help="Environment name (default: local).")
    p.add_argument("--to", action="append", choices=targets.names(), metavar="TARGET",
                   help="Target (repeatable; default: all).")
    p.add_argument("--format", dest="fmt", choices=TABLE_FORMATS, default="table",
                   help="table or json (default: table).")
    _project(p)
    _plan_inputs(p, images=False)


def _diff(sub: Any) -> None:
    p = sub.add_parser("diff", help="Topology fields that differ between two environments.",
                       description="Show, per service, the topology fields that differ "
                       "between two environments.")
    p.add_argument("env_a", metavar="ENV_A", help="First environment.")
    p.add_argument("env_b", metavar="ENV_B", help="Second environment.")
    _files(p)
    p.add_argument("--format", dest="fmt", choices=TABLE_FORMATS, default="table",
                   help="table or json (default: table).")
    _project(p)
    _plan_inputs(p, images=False)


def _pin(sub: Any) -> None:
    p = sub.add_parser("pin", help="Record a service's artifact version in artifacts.yaml.",
                       description="Record SERVICE's artifact version in the artifacts file, "
                       "keeping its comments and order.")
    p.add_argument("service", help="The service whose artifact to pin.")
    p.add_argument("version", help="Tag or digest.")
    _files(p)
    p.add_argument("--artifacts", type=Path, metavar="FILE",
                   help="Artifacts file (default: artifacts.yaml).")
    _project(p, profiles=False)


def _small(sub: Any) -> None:
    sub.add_parser("rules", help="List the topology lint rules.",
                   description="List the topology lint rules with their IDs and rationale.")
    schema = sub.add_parser("schema", help="Print JSON Schemas of translator's own files.",
                            description="Print JSON Schemas of translator's own file formats.")
    kinds = schema.add_subparsers(dest="schema", metavar="KIND", required=True,
                                  parser_class=Parser)
    kinds.add_parser("environment", help="The JSON Schema of environments/<name>.yaml files.",
                     description="The JSON Schema of environment files.",
                     formatter_class=_Formatter)
    completion = sub.add_parser("completion", help="Print a shell completion script.",
                                description="Print a completion script for SHELL. For bash: "
                                "translator completion bash > ~/.local/share/bash-completion/"
                                "completions/translator")
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish.")


COMMANDS: tuple[Callable[[Any], None], ...] = (
    _config, _convert, _deploy, _validate, _small, _explain, _diff, _pin,
)


def build_parser() -> Parser:
    """The whole grammar: one subcommand per command, with its options."""
    parser = Parser(
        prog=PROG, formatter_class=_Formatter,
        description="Translate docker-compose files into Kubernetes, Swarm and Marathon "
        "deployments.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="Show the version and exit.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=Parser)
    for add in COMMANDS:
        add(_Sub(sub))
    return parser


class _Sub:
    """Every subparser gets the same formatter and error handling."""

    def __init__(self, sub: Any) -> None:
        self._sub = sub

    def add_parser(self, name: str, **kwargs: Any) -> Parser:
        parser: Parser = self._sub.add_parser(name, formatter_class=_Formatter, **kwargs)
        return parser
