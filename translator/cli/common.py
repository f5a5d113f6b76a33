"""What every command shares: loading the project, reporting diagnostics, the exit codes.

Heavy modules (the API, the loader, pydantic, jinja2) are imported inside these helpers,
so importing the CLI (for ``--help`` and ``--version``) stays cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from translator.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from translator.api import PlanInputs
    from translator.compose.loader import Loaded
    from translator.targets.base import OutputFormat

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


# The words this run was started with (after the program name), so a message can show the
# command to run instead (``convert --check`` shows how to regenerate). Set by ``main``.
ARGV: list[str] = []


def err(message: str) -> None:
    sys.stderr.write(message + "\n")


def report(diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    """Print diagnostics to stderr; the exit code they call for (under --strict any warning
    fails the run)."""
    # One write: 2,000 warnings printed line by line cost more than rendering them.
    lines = [
        f"{'error' if d.severity is Severity.ERROR or strict else d.severity.value}: "
        f"{d.format()}\n"
        for d in diagnostics
    ]
    sys.stderr.write("".join(lines))
    failed = any(d.severity is Severity.ERROR for d in diagnostics) or (strict and diagnostics)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def output_format(fmt: str | None, target: str | None = None) -> OutputFormat:
    """--format if given (its choices are yaml and json), else the target's default."""
    from translator.targets import get

    if fmt is not None:
        return cast("OutputFormat", fmt)
    default: OutputFormat = getattr(get(target), "default_format", "yaml") if target else "yaml"
    return default


def load(
    files: Sequence[str] | None,
    project_name: str | None,
    env_files: Sequence[str] | None,
    profiles: Sequence[str] | None = None,
    strict: bool = False,
    embed_outside_files: bool = False,
) -> Loaded:
    from translator import api

    use_stdin = files is not None and "-" in files
    return api.load_project(
        files or (),
        project_name=project_name,
        env_files=env_files or (),
        profiles=profiles or (),
        stdin=read_stdin() if use_stdin else None,
        strict=strict,
        embed_outside_files=embed_outside_files,
    )


def read_stdin() -> str:
    """Standard input, bounded like any compose file: an endless stream must end. One
    character over the limit is enough for the parser to refuse it with its usual error."""
    from translator.compose.yamlio import MAX_FILE_BYTES

    return sys.stdin.read(MAX_FILE_BYTES + 1)


def inputs(
    environments: Path | None, artifacts: Path | None, images: Sequence[str] | None = None
) -> PlanInputs:
    from translator import api

    return api.PlanInputs(environments, artifacts, tuple(images or ()))
