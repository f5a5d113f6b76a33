"""The options several commands share, as typer ``Annotated`` types, and the target flags.

Target choices and target-specific flags come from the registry
(:mod:`translator.targets`): a new target brings its ``--to`` name, its aliases and its
own switches (:class:`~translator.targets.base.TargetOption`) without a change here or in
any command module.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from translator import targets
from translator.cli.complete import complete_environments

if TYPE_CHECKING:
    from translator.targets.base import RenderOptions, TargetOption

    OutputFormatName = str
else:
    OutputFormatName = Literal["yaml", "json"]

TARGETS = ", ".join(targets.names())


# A target's aliases are its own (Target.aliases), so listing them imports every target:
# --to is checked when it is given and its spellings are listed when completed, never
# while the command line is built (``--version`` loads no target).
def _target(name: str) -> str:
    found = targets.canonical(name)
    if found is None:
        choices = ", ".join(repr(spelling) for spelling in targets.aliases())
        raise typer.BadParameter(f"{name!r} is not one of {choices}.")
    return found


def _canonical(name: str | None) -> str | None:
    return None if name is None else _target(name)


def _canonical_all(names: list[str] | None) -> list[str] | None:
    return None if names is None else [_target(n) for n in names]


def _complete_targets(incomplete: str) -> list[str]:
    return [name for name in targets.aliases() if name.startswith(incomplete)]


FilesOpt = Annotated[
    list[str] | None,
    typer.Option("-f", "--file", metavar="FILE",
                 help="Compose file (repeatable; '-' reads stdin)."),
]
ProjectOpt = Annotated[
    str | None, typer.Option("-p", "--project-name", metavar="NAME", help="Project name.")
]
EnvFileOpt = Annotated[
    list[str] | None,
    typer.Option("--env-file", metavar="FILE", help="Variables file (repeatable)."),
]
ProfileOpt = Annotated[
    list[str] | None, typer.Option("--profile", metavar="NAME", help="Enable a profile.")
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Treat warnings (unknown keys, lossy mappings) as errors.")
]
QuietOpt = Annotated[
    bool, typer.Option("-q", "--quiet",
                       help="Show errors only (with --strict, the warnings that fail the run too).")
]  # fmt: skip
EnvironmentsOpt = Annotated[
    Path | None,
    typer.Option(
        "--environments", metavar="DIR",
        help="Folder of environment files (default: environments/ beside the compose file).",
    ),
]  # fmt: skip
ArtifactsOpt = Annotated[
    Path | None,
    typer.Option("--artifacts", metavar="FILE", help="Artifacts file (default: artifacts.yaml)."),
]
ImageOpt = Annotated[
    list[str] | None,
    typer.Option("--image", metavar="SERVICE=REF",
                 help="Override an artifact: SERVICE=REF or SERVICE=TAG (repeatable)."),
]  # fmt: skip
EnvOpt = Annotated[
    str,
    typer.Option("--env", metavar="ENV", autocompletion=complete_environments,
                 help="Environment name (default: local).", show_default=False),
]  # fmt: skip
EnvArg = Annotated[
    str,
    typer.Argument(metavar="ENV", autocompletion=complete_environments,
                   help="Environment name (default: local).", show_default=False),
]  # fmt: skip

# ---- rendering (convert, deploy) ------------------------------------------------------------
ToOpt = Annotated[
    str | None,
    typer.Option("--to", callback=_canonical, metavar="TARGET", autocompletion=_complete_targets,
                 help=f"Target platform: {TARGETS} (default: the environment's)."),
]  # fmt: skip
ToManyOpt = Annotated[
    list[str] | None,
    typer.Option("--to", callback=_canonical_all, metavar="TARGET",
                 autocompletion=_complete_targets,
                 help=f"Target to check: {TARGETS} (repeatable; default: the environment's "
                      "platform, or every target when it names none)."),
]  # fmt: skip
ExplainToOpt = Annotated[
    list[str] | None,
    typer.Option("--to", callback=_canonical_all, metavar="TARGET",
                 autocompletion=_complete_targets,
                 help=f"Target (repeatable; default: all of {TARGETS})."),
]  # fmt: skip
OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="DIR", help="Write one file per object into DIR."),
]
OutputFormatOpt = Annotated[
    OutputFormatName | None,
    typer.Option("--format", metavar="FORMAT",
                 help="Output format: yaml or json (default: the target's)."),
]  # fmt: skip
TemplatesOpt = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR", help="Folder of template overrides."),
]
EmbedSecretsOpt = Annotated[
    bool, typer.Option("--embed-secrets", help="Embed secret values in the output.")
]
EmbedOutsideOpt = Annotated[
    bool,
    typer.Option(
        "--embed-outside-files",
        help="Embed configs and secrets read from files outside the project folder "
        "(default: they are not read, and referenced by name).",
    ),
]
WaitOpt = Annotated[
    bool,
    typer.Option("--wait-for-dependencies", help="Init containers wait for depends_on."),
]


# ---- target flags ---------------------------------------------------------------------------
def target_options() -> list[TargetOption]:
    """Every target's switches, in registry order."""
    return [option for name in targets.names() for option in targets.get(name).options]


def _flag_parameter(option: TargetOption, command: str) -> inspect.Parameter:
    default = option.default(command)
    if option.choices:
        kind: Any = Literal[option.choices]
        text = f"{option.help.rstrip('.')} (default: {default})."
    else:
        kind, text = bool, option.help
    info = typer.Option(option.flag, help=text, show_default=False)
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[kind, info])  # fmt: skip


def _flag_defaults(command: str) -> dict[str, Any]:
    """Every target option's value when its flag is not given (or not offered)."""
    return {option.name: option.default(command) for option in target_options()}


def _resign(
    func: Callable[..., int], parameters: list[inspect.Parameter], run: Callable[..., int]
) -> Callable[..., int]:
    """``run``, standing for ``func`` with ``parameters``: typer reads the signature."""
    functools.update_wrapper(run, func)
    signature = inspect.signature(func, eval_str=True)
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


def with_target_flags(command: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Give ``command`` one flag per :class:`TargetOption` that offers it.

    The decorated function takes ``target_flags: Mapping[str, Any]``: every target
    option's value by name (the flag's, or its default for this command). The flags
    take that parameter's place in the signature typer reads.
    """

    def decorate(func: Callable[..., int]) -> Callable[..., int]:
        offered = [o for o in target_options() if command in o.commands]
        defaults = _flag_defaults(command)
        parameters: list[inspect.Parameter] = []
        for param in inspect.signature(func, eval_str=True).parameters.values():
            if param.name == "target_flags":
                parameters.extend(_flag_parameter(o, command) for o in offered)
            else:
                parameters.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        def run(**values: Any) -> int:
            flags = {name: values.pop(name, default) for name, default in defaults.items()}
            return func(**values, target_flags=flags)

        return _resign(func, parameters, run)

    return decorate


def without_target_flags(command: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """``command`` without the target flags (each takes its default): how it is listed
    before it runs. Building the flags imports every target."""

    def decorate(func: Callable[..., int]) -> Callable[..., int]:
        signature = inspect.signature(func, eval_str=True)
        parameters = [p for p in signature.parameters.values() if p.name != "target_flags"]

        def run(**values: Any) -> int:
            return func(**values, target_flags=_flag_defaults(command))

        return _resign(func, parameters, run)

    return decorate


def render_options(
    embed_secrets: bool, wait_for_dependencies: bool, target_flags: Mapping[str, Any] | None
) -> RenderOptions:
    """The :class:`~translator.targets.base.RenderOptions` of one run."""
    from translator.targets.base import RenderOptions

    return RenderOptions(embed_secrets=embed_secrets, wait_for_dependencies=wait_for_dependencies,
                         extra=dict(target_flags or {}))  # fmt: skip
