"""Writing documents as files: safe names, and an atomic swap of the output folder.

Nothing the user had is lost: the new tree is written beside the output folder, files
this tool did not write are carried over (``--prune`` drops only our own stale ones),
and the folders are swapped by renames. Kept apart from :mod:`translator.emit` so that
a run writing a stream never loads shutil and tempfile.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from translator.emit import dump
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
    :func:`is_managed` recognises as ours are left behind. Symlinks are never followed.
    """
    files = render_files(documents, fmt)
    sensitive = {file_name(d, fmt) for d in documents if d.sensitive}
    out_dir = out_dir.absolute()
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise TranslatorError.at(
            f"output path {str(out_dir)!r} exists and is not a folder", code="unsafe-output"
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        if out_dir.is_dir():
            _carry_over(out_dir, staging, set(files), prune)
        for rel, text in files.items():
            target = staging.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.exists():
                target.unlink()
            mode = 0o600 if rel in sensitive else 0o644
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir.joinpath(*rel.parts) for rel in files]


def _carry_over(src: Path, dst: Path, replaced: set[PurePosixPath], prune: bool) -> None:
    # A symlinked folder becomes a real (empty) one: writing through it could land outside.
    for root, dirs, names in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        for d in dirs:
            (dst / rel_root / d).mkdir(exist_ok=True)
        for n in names:
            rel = PurePosixPath(*(rel_root / n).parts)
            if rel in replaced:
                continue
            source = Path(root) / n
            mode = source.lstat().st_mode
            if stat.S_ISLNK(mode):
                os.symlink(os.readlink(source), dst / rel_root / n)
            elif not stat.S_ISREG(mode):
                raise TranslatorError.at(
                    f"output folder holds {str(source)!r}, which is not a regular file",
                    code="unsafe-output",
                    hint="remove it, or write to another folder",
                )
            elif not (prune and is_managed(source)):
                shutil.copy2(source, dst / rel_root / n, follow_symlinks=False)


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
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
    os.rmdir(backup)
    os.rename(out_dir, backup)
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(backup, out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)
