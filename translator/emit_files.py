"""Writing documents as files: safe names, and an atomic swap of the output folder.

Nothing the user had is lost: the new tree is written beside the output folder, files
this tool did not write are carried over (``--prune`` drops only our own stale ones),
and the folders are swapped by renames. Kept apart from :mod:`translator.emit` so that
a run writing a stream never loads shutil and tempfile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from translator.emit import dump
from translator.emit_siblings import make_sibling, release, remove_stale_siblings
from translator.errors import TranslatorError
from translator.targets.base import (
    APP_MARKER_LABEL,
    MANAGED_BY,
    MANAGED_BY_LABEL,
    STACK_MARKER_KEY,
    Document,
    OutputFormat,
)

_MAX_NAME_BYTES = 250
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def safe_relative(filename: str) -> PurePosixPath:
    """Refuse any output name that is absolute or climbs out of the output folder."""
    path = PurePosixPath(filename)
    if (
        not filename
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in filename.split("/"))
        or "\\" in filename
        or "\0" in filename
    ):
        raise TranslatorError.at(
            f"refusing to write {filename!r}: output names must stay inside the output folder",
            code="unsafe-output",
        )
    # Suffixes add at most 5 bytes; file systems refuse components over 255 bytes.
    if any(len(part.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES for part in path.parts):
        raise TranslatorError.at(
            f"refusing to write {filename[:80]!r}...: a file name longer than "
            f"{_MAX_NAME_BYTES} bytes",
            code="unsafe-output",
            hint="shorten the service or project name",
        )
    return path


def file_name(document: Document, fmt: OutputFormat) -> PurePosixPath:
    path = safe_relative(document.filename)
    suffix = ".json" if fmt == "json" else ".yaml"
    return path if path.suffix in (".yaml", ".yml", ".json") else path.with_name(path.name + suffix)


def render_files(documents: Sequence[Document], fmt: OutputFormat) -> dict[PurePosixPath, str]:
    files: dict[PurePosixPath, str] = {}
    folded: set[str] = set()  # names differing only in case are one file on macOS/Windows
    for doc in documents:
        name = file_name(doc, fmt)
        if name in files or str(name).casefold() in folded:
            raise TranslatorError.at(
                f"two documents would be written to {name}", code="output-collision"
            )
        files[name] = dump(doc.content, fmt)
        folded.add(str(name).casefold())
    return files


def write_tree(
    documents: Sequence[Document], out_dir: Path, fmt: OutputFormat, *, prune: bool = False
) -> list[Path]:
    """Write documents under ``out_dir`` atomically.

    Everything is rendered in memory first, written to a temporary sibling folder,
    then swapped in with renames. Files already in ``out_dir`` that this run does
    not write are carried over untouched, except with ``prune``: then files that
    :func:`is_managed` recognises as ours are left behind. Symlinks are never followed;
    what cannot be replaced by a file (a folder, FIFO or device of an output file's name)
    is refused before anything is written. ``out_dir``'s mode is kept. The working folder
    or one above it (``-o .``) is never moved: there each file is replaced atomically.
    """
    files = render_files(documents, fmt)
    sensitive = {file_name(d, fmt) for d in documents if d.sensitive}
    out_dir = out_dir.absolute()
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise TranslatorError.at(
            f"output path {str(out_dir)!r} exists and is not a folder", code="unsafe-output"
        )
    try:
        in_place = _holds_working_folder(out_dir)
        if out_dir.is_dir():
            check_targets(out_dir, files, through_links=not in_place)
        if in_place:
            _write_in_place(out_dir, files, sensitive, prune)
        else:
            _write_swapped(out_dir, files, sensitive, prune)
    except OSError as exc:
        raise TranslatorError.at(
            f"cannot write the output folder {str(out_dir)!r}: "
            f"{exc.strerror or exc}{_at(exc, out_dir)}",
            code="unsafe-output",
            hint="write to a folder you can create files in",
        ) from exc
    return [out_dir.joinpath(*rel.parts) for rel in files]


def _at(exc: OSError, out_dir: Path) -> str:
    """The file the error is about, when it is one of the user's (not a staging folder)."""
    inside = exc.filename and str(exc.filename).startswith(str(out_dir) + os.sep)
    return f" ({exc.filename})" if inside else ""


def check_targets(
    out_dir: Path, files: Iterable[PurePosixPath], *, through_links: bool = True
) -> None:
    """Refuse, before writing anything, an output file whose name in ``out_dir`` is a folder,
    FIFO or device, or whose folder is a file: replacing any of them would lose what the
    user put there. A symlinked folder on the way becomes a real one in a swapped tree
    (``through_links``); in place it is refused, as writing through it could land anywhere."""
    for rel in files:
        path = out_dir
        for index, part in enumerate(rel.parts):
            path = path / part
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                break
            last = index == len(rel.parts) - 1
            problem = _blocker(mode, last, through_links)
            if problem:
                raise TranslatorError.at(
                    f"output folder holds {str(path)!r}, {problem}, where {rel} is to be written",
                    code="unsafe-output",
                    hint="remove or rename it, or write to another folder",
                )


def _blocker(mode: int, last: bool, through_links: bool) -> str | None:
    if last:
        if stat.S_ISDIR(mode):
            return "a folder"
        return None if stat.S_ISREG(mode) or stat.S_ISLNK(mode) else "not a regular file"
    if stat.S_ISLNK(mode):
        return None if through_links else "a symlink"
    return None if stat.S_ISDIR(mode) else "not a folder"


def _holds_working_folder(out_dir: Path) -> bool:
    """Whether ``out_dir`` is the working folder or one above it (``-o .``, ``-o ..``)."""
    try:
        cwd = Path.cwd()
    except OSError:
        return False
    return out_dir.exists() and (cwd == out_dir.resolve() or out_dir.resolve() in cwd.parents)


def _write_swapped(
    out_dir: Path, files: dict[PurePosixPath, str], sensitive: set[PurePosixPath], prune: bool
) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_siblings(out_dir)
    staging = make_sibling(out_dir, "new")
    try:
        _copy_folder_mode(out_dir, staging)
        if out_dir.is_dir():
            _carry_over(out_dir, staging, set(files), prune)
        for rel, text in files.items():
            target = staging.joinpath(*rel.parts)
            _make_parents(staging, target.parent)
            if target.is_symlink() or target.exists():
                target.unlink()
            _write_file(target, text, 0o600 if rel in sensitive else 0o644)
        _swap(staging, out_dir)
    finally:
        release(staging)


def _make_parents(root: Path, folder: Path) -> None:
    """Create ``folder`` under ``root`` with the modes a plain ``mkdir`` gives."""
    if folder != root and not folder.is_dir():
        _make_parents(root, folder.parent)
        folder.mkdir()


def _write_file(target: Path, text: str, mode: int) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _write_in_place(
    out_dir: Path, files: dict[PurePosixPath, str], sensitive: set[PurePosixPath], prune: bool
) -> None:
    """Each file written beside its final name and renamed over it; the folder stays."""
    stale = _stale_managed(out_dir, set(files)) if prune else []
    for rel, text in files.items():
        target = out_dir.joinpath(*rel.parts)
        _make_parents(out_dir, target.parent)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            os.fchmod(fd, 0o600 if rel in sensitive else 0o644)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    for path in stale:
        path.unlink()


def _stale_managed(out_dir: Path, written: set[PurePosixPath]) -> list[Path]:
    """Our own manifests in ``out_dir``'s tree that this run does not write (for --prune)."""
    stale = []
    for root, dirs, names in os.walk(out_dir, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for n in names:
            path = Path(root) / n
            rel = PurePosixPath(*path.relative_to(out_dir).parts)
            if rel not in written and is_managed(path):
                stale.append(path)
    return stale


def _copy_folder_mode(out_dir: Path, staging: Path) -> None:
    """The new folder gets the old one's mode (setgid, group write) and group; a first run
    gets what ``mkdir`` gives (mkdtemp's is 0700)."""
    if out_dir.is_dir():
        info = out_dir.stat()
        if info.st_gid != staging.stat().st_gid:
            with contextlib.suppress(OSError):  # only the group's members may set it
                os.chown(staging, -1, info.st_gid)
        os.chmod(staging, stat.S_IMODE(info.st_mode))
    else:
        os.chmod(staging, 0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _carry_over(src: Path, dst: Path, replaced: set[PurePosixPath], prune: bool) -> None:
    # A symlinked folder is kept as the symlink, unless an output file goes into it: then
    # it becomes a real folder, as writing through it could land outside. Neither is
    # descended into (os.walk does not follow links).
    on_path = {str(PurePosixPath(*p.parts[:i])) for p in replaced for i in range(1, len(p.parts))}
    for root, dirs, names in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        for d in dirs:
            source = Path(root) / d
            if source.is_symlink() and (rel_root / d).as_posix() not in on_path:
                os.symlink(os.readlink(source), dst / rel_root / d)
            elif source.is_symlink():
                (dst / rel_root / d).mkdir()
            else:
                (dst / rel_root / d).mkdir()
                os.chmod(dst / rel_root / d, stat.S_IMODE(source.lstat().st_mode))
        for n in names:
            _carry_file(Path(root) / n, dst / rel_root / n, replaced, prune, src)


def _carry_file(
    source: Path, target: Path, replaced: set[PurePosixPath], prune: bool, src: Path
) -> None:
    mode = source.lstat().st_mode
    if stat.S_ISLNK(mode):
        if PurePosixPath(*source.relative_to(src).parts) not in replaced:
            os.symlink(os.readlink(source), target)
    elif not stat.S_ISREG(mode):
        raise TranslatorError.at(
            f"output folder holds {str(source)!r}, which is not a regular file",
            code="unsafe-output",
            hint="remove it, or write to another folder",
        )
    elif PurePosixPath(*source.relative_to(src).parts) in replaced:
        return
    elif not (prune and is_managed(source)):
        shutil.copy2(source, target, follow_symlinks=False)


def is_managed(path: Path) -> bool:
    """Whether ``path`` is a manifest this tool wrote: every document in it carries the
    managed-by marker (``app.kubernetes.io/managed-by: compose-translator`` in
    ``metadata.labels``, ``x-managed-by`` at the top of a stack file, or a ``managed-by``
    label on a Marathon app or group). Anything unreadable or unparsable is not ours."""
    # Only a run that meets an existing file needs the YAML reader.
    from translator.compose.yamlio import parse_documents, read_text

    if path.suffix not in _MANIFEST_SUFFIXES or path.is_symlink():
        return False
    try:
        documents = parse_documents(read_text(path, what="output file"), str(path))
    except TranslatorError:
        return False
    return bool(documents) and all(_has_marker(doc) for doc in documents)


def _has_marker(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    metadata = doc.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    marathon = doc.get("labels")
    apps = doc.get("apps")  # a Marathon group has no labels: all of its apps must be ours
    return (
        (isinstance(labels, dict) and labels.get(MANAGED_BY_LABEL) == MANAGED_BY)
        or doc.get(STACK_MARKER_KEY) == MANAGED_BY
        or (isinstance(marathon, dict) and marathon.get(APP_MARKER_LABEL) == MANAGED_BY)
        or (isinstance(apps, list) and bool(apps) and all(_has_marker(a) for a in apps))
    )


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    backup = make_sibling(out_dir, "old")
    try:
        os.rmdir(backup)
        os.rename(out_dir, backup)
        try:
            os.rename(staging, out_dir)
        except OSError:
            os.rename(backup, out_dir)
            raise
    finally:
        release(backup)
