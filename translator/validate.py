"""``translator validate`` and ``convert --check``: everything that is wrong, nothing written.

``validate`` resolves each environment, lints the plan and renders the targets it
deploys to in memory. A target or environment that fails keeps its own error diagnostics
and does not hide the others, and neither does a compose error inside one service
(:func:`load_collecting`). Every diagnostic leaves with a ``file:line:col``: compose paths
through the loader's source map, ``("environment", ...)`` paths through the
environment file's.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from translator import api
from translator.errors import Diagnostic, Severity, TranslatorError, format_path
from translator.errors import Path as DocPath
from translator.lint import LintConfig, lint
from translator.lint.config import relevel
from translator.locate import locate_compose, locate_for_plan
from translator.targets import names as registered_targets

if TYPE_CHECKING:
    from translator.compose.loader import Loaded
    from translator.model import Plan
    from translator.targets.base import Document, OutputFormat, RenderOptions

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
# Files in an output folder that ``check_tree`` compares: what the emitter writes.
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def validate(
    loaded: Loaded,
    environments: Sequence[str],
    targets: Sequence[str] | None,
    inputs: api.PlanInputs,
    config: LintConfig,
    options: RenderOptions | None = None,
) -> list[Diagnostic]:
    """The loader's warnings, then per environment: plan errors, lint findings and the
    render diagnostics of ``targets`` (default: the environment's own ``platform:``, or
    every target for an environment that names none), rendered with ``options``, the
    command's target flags; located, configured (:func:`relevel`), de-duplicated, tagged
    with their environment when several are checked, and sorted by position."""
    per_env = {env: _environment(loaded, env, targets, inputs, config, options)
               for env in dict.fromkeys(environments)}  # fmt: skip
    found = [*loaded.diagnostics.items, *by_environment(per_env)]
    return sort_unique(relevel(found, config))


def by_environment(per_env: Mapping[str, Sequence[Diagnostic]]) -> list[Diagnostic]:
    """Every environment's diagnostics, each naming its environment when there are several;
    one found in every environment alike (a compose-level warning) appears once, unnamed."""
    if len(per_env) <= 1:
        return [d for found in per_env.values() for d in found]
    seen: dict[Diagnostic, list[str]] = {}
    for env, found in per_env.items():
        for d in dict.fromkeys(found):
            seen.setdefault(d, []).append(env)
    out: list[Diagnostic] = []
    for d, envs in seen.items():
        if len(envs) == len(per_env):
            out.append(d)
        else:
            out.extend(replace(d, environment=env) for env in envs)
    return out


def load_collecting(
    load: Callable[[Sequence[DocPath]], Loaded], rounds: int = 50
) -> tuple[Loaded | None, list[Diagnostic]]:
    """Load the project; after an error inside one service, key or named object, load again
    without that part, so that one error does not hide the rest of the project (two
    services publishing one port behind an undefined ``depends_on``). Returns the project
    loaded without the broken parts (None when an error leaves nothing to check: a YAML
    syntax error, a missing file) and every error met on the way."""
    omitted: list[DocPath] = []
    errors: list[Diagnostic] = []
    for _ in range(rounds):
        try:
            return load(tuple(omitted)), errors
        except TranslatorError as exc:
            errors.extend(exc.diagnostics)
            parts = [_omittable(d.path, omitted) for d in exc.diagnostics]
            if not parts or None in parts:
                return None, errors
            omitted.extend(p for p in parts if p is not None)
    return None, errors


def _omittable(path: DocPath, omitted: Sequence[DocPath]) -> DocPath | None:
    """The part of the compose document to leave out after an error at ``path``: the
    service's key, else the service (or named volume, network ...); None: nothing."""
    if len(path) < 2 or path[0] not in _OMITTABLE_SECTIONS:
        return None
    candidates = (path[:3], path[:2]) if path[0] == "services" else (path[:2],)
    return next((c for c in candidates if len(c) <= len(path) and c not in omitted), None)


_OMITTABLE_SECTIONS = ("services", "networks", "volumes", "secrets", "configs")


def _environment(
    loaded: Loaded, env: str, targets: Sequence[str] | None, inputs: api.PlanInputs,
    config: LintConfig, options: RenderOptions | None,
) -> list[Diagnostic]:
    try:
        plan = api.resolve(loaded, env, inputs)
    except TranslatorError as err:
        # No plan, so no environment positions: an environment file's own errors are
        # located as it is read.
        return locate_compose(loaded, err.diagnostics)
    found = lint(plan, config)
    for target in targets if targets is not None else platform_targets(plan):
        try:
            found.extend(api.render(plan, target, options=options).diagnostics)
            found.extend(api.renamed(plan, target))
        except TranslatorError as err:
            found.extend(replace(d, target=d.target or target) for d in err.diagnostics)
    return locate_for_plan(loaded, plan, found)


def platform_targets(plan: Plan) -> list[str]:
    """What an environment deploys to: its ``platform:``; every target when its file names
    none (the implied local environment, or a file without ``platform:``)."""
    if "platform" in plan.environment.model_fields_set:
        return [plan.environment.platform]
    return registered_targets()


def sort_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop exact repeats (the same warning from several environments), then order by file,
    line and column; diagnostics without a position come last. The sort is stable."""
    unique = list(dict.fromkeys(diagnostics))

    def key(d: Diagnostic) -> tuple[object, ...]:
        loc = d.location
        return (
            loc is None,
            (loc.file, loc.line, loc.col) if loc is not None else ("", 0, 0),
            format_path(d.path),
            _SEVERITY_ORDER[d.severity],
            d.code,
            d.target or "",
            d.environment or "",
            d.message,
        )

    return sorted(unique, key=key)


def check_tree(documents: Sequence[Document], out_dir: Path, fmt: OutputFormat) -> str:
    """A unified diff from the files in ``out_dir`` to what ``documents`` render to; empty
    when up to date. Manifest files in ``out_dir`` that would not be rendered any more
    count as stale (shown as deleted). Nothing is written."""
    # The folder writer's module (shutil, tempfile) loads only for --check, not for validate.
    from translator.emit_files import render_files

    expected = render_files(documents, fmt)
    actual = _existing(out_dir)
    chunks: list[str] = []
    for rel in sorted(set(expected) | set(actual)):
        old, new = actual.get(rel), expected.get(rel)
        if old == new:
            continue
        shown = PurePosixPath(*out_dir.parts, *rel.parts) if out_dir.parts else rel
        chunks.append(_diff(old, new, str(shown)))
    return "".join(chunks)


def _existing(out_dir: Path) -> dict[PurePosixPath, str]:
    files: dict[PurePosixPath, str] = {}
    if not out_dir.is_dir():
        return files
    for root, dirs, names in os.walk(out_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith(".") or not name.endswith(_MANIFEST_SUFFIXES):
                continue
            path = Path(root, name)
            rel = PurePosixPath(*path.relative_to(out_dir).parts)
            files[rel] = _read_manifest(path)
    return files


_MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def _read_manifest(path: Path) -> str:
    """A committed manifest's text, CRLF kept (a file with other line ends is not up to date).

    Opened without following a symlink and without blocking, at most 16 MiB read: a FIFO,
    device or huge file in the folder shows up as a difference instead of hanging --check.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as exc:
        return f"<cannot read: {exc.strerror}>\n"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "<not a regular file>\n"
        data = handle.read(_MAX_MANIFEST_BYTES + 1)
    if len(data) > _MAX_MANIFEST_BYTES:
        return f"<larger than {_MAX_MANIFEST_BYTES:,} bytes>\n"
    return data.decode("utf-8", errors="replace")


def _diff(old: str | None, new: str | None, shown: str) -> str:
    lines = difflib.unified_diff(
        [] if old is None else old.splitlines(keepends=True),
        [] if new is None else new.splitlines(keepends=True),
        fromfile="/dev/null" if old is None else f"a/{shown}",
        tofile="/dev/null" if new is None else f"b/{shown}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
