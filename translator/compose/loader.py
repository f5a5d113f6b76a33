"""The compose loading pipeline: files in, a located, validated :class:`Project` out.

discovery -> read and parse each file -> interpolate (per file, as Compose does) ->
extends -> include -> merge the files in order -> unicity -> profiles -> name ->
``normalize_project``. Every error and warning leaves here with a ``file:line:col`` when
its document path can be found in one of the files (last file first: the file whose
value won the merge is the one to show).

Variables and the project name: :mod:`translator.compose.project_env`. ``COMPOSE_*``
variables from ``.env`` count too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translator.compose import dotenv, interpolate, yamlio
from translator.compose.discovery import ConfigFile, discover
from translator.compose.extends import ExtendsResolver
from translator.compose.include import Included, apply_include
from translator.compose.merge import merge_documents, merge_file_documents, strip_tags, without
from translator.compose.normalize import normalize_project
from translator.compose.profiles import active_profiles, apply_profiles
from translator.compose.project_checks import no_services_warning, refuse_version_1
from translator.compose.project_env import (
    env_files,
    first_file_dir,
    lookup,
    project_dir_of,
    project_name,
    with_dotenv,
)
from translator.compose.unicity import enforce_unicity
from translator.errors import Diagnostic, Diagnostics, Location, Severity, TranslatorError
from translator.errors import Path as DocPath

if TYPE_CHECKING:
    from translator.model import Project

@dataclass(frozen=True)
class LoadOptions:
    files: tuple[str, ...] = ()  # -f values in order; "-" means stdin
    stdin: str | None = None  # text for "-"
    project_name: str | None = None  # -p
    env_files: tuple[str, ...] = ()  # --env-file, repeatable
    profiles: tuple[str, ...] = ()  # --profile
    environ: Mapping[str, str] | None = None  # None -> os.environ
    working_dir: str | None = None  # None -> os.getcwd(); base for discovery
    strict: bool = False  # warnings with code "unknown-key" become errors
    # Parts of the merged document left out before normalizing: ``validate`` loads again
    # without the part an error names, so one error does not hide the rest of the project.
    omit: tuple[DocPath, ...] = ()
    # configs/secrets files outside the project folder are read (to embed them) only on request
    embed_outside_files: bool = False


@dataclass
class Loaded:
    project: Project
    diagnostics: Diagnostics
    base_dir: Path
    files: tuple[Path, ...]
    locate: Callable[[DocPath], Location | None]
    environ: Mapping[str, str]  # the resolved variables (process env + .env)


MAX_INCLUDED = 1_000


@dataclass
class _Session:
    """State shared by one load: source maps for locating, warnings, stdin."""

    stdin: str | None
    working_dir: Path
    diagnostics: Diagnostics
    maps: list[yamlio.SourceMap] = field(default_factory=list)
    by_file: dict[Path, yamlio.SourceMap] = field(default_factory=dict)
    parsed: dict[Path, tuple[Any, str, yamlio.SourceMap]] = field(default_factory=dict)
    included: int = 0
    # Whether any text read so far may hold a YAML tag: every tag is written with "!",
    # so without one no ``Tagged`` value exists and strip_tags can skip its full walk.
    tags: bool = False
    # Files whose text has no "$" (nor a backslash escape that could write one): none of
    # their strings can hold a variable, so interpolation has nothing to do.
    literal: set[Path] = field(default_factory=set)

    def locate(self, path: DocPath) -> Location | None:
        # The longest prefix of the path that some file has: a merged list index may not
        # exist in any single file, but its key does.
        for n in range(len(path), 0, -1):
            for source in reversed(self.maps):
                found = source.locate(path[:n])
                if found is not None:
                    return found
        return None

    def locate_in(self, file: Path, path: DocPath) -> Location | None:
        source = self.by_file.get(file)
        return source.locate(path) if source is not None else None


def load(options: LoadOptions) -> Loaded:
    """Load, merge and normalize a compose project. Raises :class:`TranslatorError`."""
    working_dir = Path(os.path.abspath(options.working_dir or os.getcwd()))
    session = _Session(options.stdin, working_dir, Diagnostics())
    try:
        try:
            return _load(options, session)
        finally:
            # The loaded project keeps the session (for positions), not the parsed
            # documents: they die with the load.
            session.parsed.clear()
    except TranslatorError as err:
        raise err.located(session.locate) from None


@dataclass(frozen=True)
class Merged:
    """The merged, profile-filtered compose document, before normalization."""

    data: dict[str, Any]
    name: str
    base_dir: Path
    files: tuple[Path, ...]
    environ: Mapping[str, str]
    diagnostics: Diagnostics


def load_merged(options: LoadOptions) -> Merged:
    """Everything :func:`load` does before ``normalize_project`` (for tests and tools)."""
    working_dir = Path(os.path.abspath(options.working_dir or os.getcwd()))
    session = _Session(options.stdin, working_dir, Diagnostics())
    try:
        return _merge(options, session)
    except TranslatorError as err:
        raise err.located(session.locate) from None


def _merge(options: LoadOptions, session: _Session) -> Merged:
    working_dir = session.working_dir
    process_env = dict(os.environ if options.environ is None else options.environ)
    first_dir = first_file_dir(options.files, working_dir)
    dotenv_files = env_files(options.env_files, working_dir, first_dir)
    environ = with_dotenv(process_env, dotenv_files, explicit=bool(options.env_files))
    found = discover(working_dir, options.files, environ, session.diagnostics)
    project_dir = project_dir_of(found.files, working_dir)
    if not options.env_files and project_dir != first_dir:
        # Compose reads the project directory's .env too, below the first one.
        environ = with_dotenv(environ, [project_dir / ".env"])
    raw_name = _peek_name(session, found.files, environ)
    name = project_name(options.project_name, environ, raw_name, project_dir)
    # Compose lets files use the resolved project name as ${COMPOSE_PROJECT_NAME}.
    environ = {**environ, "COMPOSE_PROJECT_NAME": name}
    doc = _load_documents(session, found.files, project_dir, environ, chain=())
    declared = doc.get("services")
    active = active_profiles(options.profiles, environ)
    doc = apply_profiles(doc, active)
    files = tuple(f.path for f in found.files)
    if not doc.get("services"):
        where = session.locate(("services",)) or Location(_shown(files[0], working_dir), 1, 1)
        session.diagnostics.add(no_services_warning(declared, active, where))
    return Merged(doc, name, project_dir, files, environ, session.diagnostics)


def _load(options: LoadOptions, session: _Session) -> Loaded:
    merged = _merge(options, session)
    project_dir = merged.base_dir
    data = without(merged.data, options.omit)
    project = _normalize(data, merged.name, project_dir, merged.environ,
                         session.diagnostics, options.embed_outside_files)
    shown = tuple(_shown(p, project_dir) for p in merged.files)
    project = project.model_copy(update={"files": shown})
    located = Diagnostics(session.diagnostics.located(session.locate))
    _escalate(located, options.strict)
    return Loaded(project, located, project_dir, merged.files, session.locate, merged.environ)


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return os.path.relpath(path, base)


def _load_documents(
    session: _Session,
    files: tuple[ConfigFile, ...],
    base_dir: Path,
    environ: Mapping[str, str],
    chain: tuple[Path, ...],
) -> dict[str, Any]:
    """Read, interpolate, extend, include and merge ``files`` into one document."""
    resolver = ExtendsResolver(lambda p: _read_extra(session, p, environ), locate=session.locate_in)

    def load_included(spec: Included) -> dict[str, Any]:
        # Files that include each other several times over multiply: 25 levels of three
        # includes each are 3**25 loads. A budget per load keeps that finite.
        session.included += 1
        if session.included > MAX_INCLUDED:
            raise TranslatorError.at(
                f"more than {MAX_INCLUDED:,} included projects: do files include each other "
                "many times over?",
                ("include",),
                code="include",
                hint="include each file once; shared services belong in one included file",
            )
        inner = tuple(ConfigFile(p) for p in spec.files)
        return _load_documents(session, inner, spec.project_dir, spec.environ, spec.chain)

    merged: dict[str, Any] | None = None
    for config in files:
        doc = _read_document(session, config, environ, required=merged is None, main=not chain)
        doc = resolver.apply(doc, config.path, base_dir)
        doc = apply_include(
            doc,
            base_dir=base_dir,
            environ=environ,
            chain=(*chain, config.path),
            load_project=load_included,
            read_env=lambda p, env: dotenv.read_env_file(p, lookup(env)),
        )
        if merged is None:
            merged = strip_tags(doc) if session.tags else doc
        else:
            merged = merge_documents(merged, doc)
    assert merged is not None  # discovery never returns no files
    services = merged.get("services")
    if isinstance(services, dict):
        merged["services"] = {
            n: enforce_unicity(s) if isinstance(s, dict) else s for n, s in services.items()
        }
    return merged


def _read_document(
    session: _Session,
    config: ConfigFile,
    environ: Mapping[str, str],
    *,
    required: bool,
    main: bool,
) -> dict[str, Any]:
    data, display, source = _parse(session, config, main=main)
    literal = config.path in session.literal
    return _check_document(
        data, display, source, environ, session, required=required, literal=literal
    )


def _parse(
    session: _Session, config: ConfigFile, *, main: bool
) -> tuple[Any, str, yamlio.SourceMap]:
    """Read and parse a file once per load (the project name is peeked at before merging)."""
    if config.path in session.parsed:
        return session.parsed[config.path]
    display = "<stdin>" if config.stdin else _shown(config.path, session.working_dir)
    text = _read_text(session, config)
    session.tags = session.tags or "!" in text
    if "$" not in text and "\\" not in text:
        session.literal.add(config.path)
    source = yamlio.SourceMap(text, display)
    if main:
        session.maps.append(source)
    session.by_file[config.path] = source
    data = merge_file_documents(yamlio.parse_documents(text, display, source), text, display)
    parsed = (data, display, source)
    session.parsed[config.path] = parsed
    return parsed


def _peek_name(session: _Session, files: tuple[ConfigFile, ...], environ: Mapping[str, str]) -> Any:
    """The interpolated top-level ``name:`` of the last file that has one."""
    name: Any = None
    for config in files:
        data = _parse(session, config, main=True)[0]
        if isinstance(data, dict) and data.get("name") is not None:
            name = interpolate.interpolate(
                data["name"], lookup(environ), path=("name",), warn=_ignore
            )
    return name


def _ignore(message: str, path: tuple[str | int, ...]) -> None:
    """Warnings of the name peek are reported by the full interpolation later."""


def _read_text(session: _Session, config: ConfigFile) -> str:
    if config.stdin:
        if session.stdin is None:
            raise TranslatorError.at(
                "-f - reads the compose file from standard input, but none was given",
                code="file-not-found",
                hint="pipe the file in, or name it with -f FILE",
            )
        return session.stdin
    if os.path.isdir(config.path):
        raise TranslatorError.at(
            f"{_shown(config.path, session.working_dir)} is a folder, not a compose file",
            code="file-not-found",
            hint="name the compose file inside it, such as "
            f"{_shown(config.path / 'compose.yaml', session.working_dir)}, or run from that folder",
        )
    if not os.path.isfile(config.path):
        raise TranslatorError.at(
            f"file not found: {config.path}",
            code="file-not-found",
            hint="check the -f / COMPOSE_FILE / include / extends path, or run from the "
            "project directory",
        )
    return yamlio.read_text(config.path, what="compose file")


def _check_document(
    data: Any,
    display: str,
    source: yamlio.SourceMap,
    environ: Mapping[str, str],
    session: _Session,
    *,
    required: bool,
    literal: bool = False,
) -> dict[str, Any]:
    top = Location(display, 1, 1)
    if data is None or data == {}:
        if required:
            raise TranslatorError.at(
                "empty compose file", (), top, code="empty", hint="define at least services:"
            )
        return {}
    if not isinstance(data, dict):
        raise TranslatorError.at(
            "the top level of a compose file must be a mapping (services:, networks: ...)",
            (),
            top,
            code="invalid",
        )
    if "services" not in data:
        refuse_version_1(data, source.filename, source.locate)
    services = data.get("services")
    if services is not None and not isinstance(services, dict | yamlio.Tagged):
        raise TranslatorError.at(
            "services must be a mapping of service names to definitions",
            ("services",),
            source.locate(("services",)),
            code="invalid",
        )

    def warn(message: str, path: tuple[str | int, ...]) -> None:
        where = source.locate(path)
        session.diagnostics.add(
            Diagnostic(Severity.WARNING, message, path, where, code="interpolation")
        )

    if literal:
        # Nothing to substitute. The top level is copied as interpolation would: the
        # loader replaces keys of the merged document; deeper levels are never changed.
        return dict(data)
    result = interpolate.interpolate(data, lookup(environ), warn=warn)
    return result if isinstance(result, dict) else data


def _read_extra(session: _Session, path: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """Another file named by ``extends: {file: ...}``: read, check and interpolate it."""
    return _read_document(session, ConfigFile(path), environ, required=True, main=False)


def _normalize(
    doc: dict[str, Any],
    name: str,
    project_dir: Path,
    environ: Mapping[str, str],
    diagnostics: Diagnostics,
    read_outside: bool = False,
) -> Project:
    return normalize_project(
        doc, name=name, base_dir=project_dir, diagnostics=diagnostics, environ=environ,
        read_env_file=lambda path: dotenv.read_env_file(path, lookup(environ)),
        read_outside=read_outside,
    )


def _escalate(diagnostics: Diagnostics, strict: bool) -> None:
    if not strict:
        return
    unknown = [d.escalated() for d in diagnostics.warnings if d.code == "unknown-key"]
    if unknown:
        raise TranslatorError(unknown)
