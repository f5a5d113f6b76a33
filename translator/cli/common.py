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


def report(diagnostics: Sequence[Diagnostic], strict: bool, quiet: bool = False) -> int:
    """Print diagnostics to stderr; the exit code they call for (under --strict any warning
    fails the run, as in ``validate``; an info never does). A warning repeated for several
    services is one line that names them; ``quiet`` prints only what fails the run."""
    from translator.report import grouped

    failing = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)

    def level(d: Diagnostic) -> str:
        return "error" if d.severity in failing else d.severity.value

    shown = [d for d in diagnostics if level(d) == "error"] if quiet else diagnostics
    # One write: 2,000 warnings printed line by line cost more than rendering them.
    lines = [
        f"{level(d)}: {d.format()}"
        + (f" [{len(also)} services: {', '.join(also)}]" if also else "") + "\n"
        for d, also in grouped(shown)
    ]
    sys.stderr.write("".join(lines))
    return EXIT_BAD_INPUT if any(d.severity in failing for d in diagnostics) else EXIT_OK


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
    omit: Sequence[tuple[str | int, ...]] = (),
    stdin: str | None = None,
    embed_outside_files: bool = False,
) -> Loaded:
    """The project; ``stdin`` is standard input's text when already read (a second load)."""
    from translator import api

    use_stdin = files is not None and "-" in files
    if use_stdin and stdin is None:
        stdin = read_stdin()
    return api.load_project(
        files or (),
        project_name=project_name,
        env_files=env_files or (),
        profiles=profiles or (),
        stdin=stdin if use_stdin else None,
        strict=strict,
        omit=omit,
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
