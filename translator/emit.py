"""The one emitter: canonical text for documents, to a stream or atomically to a folder.

Output is deterministic: keys keep the order the templates give them, strings
are quoted whenever a YAML 1.1 or 1.2 reader could take them for anything else
(yaml-rs quotes conservatively), and nothing carries a time, version or host path.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import yaml_rs

from translator.errors import TranslatorError
from translator.targets.base import Document, OutputFormat

MANAGED_BY = "compose-translator"


def dump(content: Any, fmt: OutputFormat) -> str:
    """One document as canonical YAML (starting with ``---``) or indented JSON."""
    if fmt == "json":
        return json.dumps(content, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    text: str = yaml_rs.dumps(content)
    if not text.startswith("---"):
        text = "---\n" + text
    return text if text.endswith("\n") else text + "\n"


def dumps_stream(documents: Sequence[Document], fmt: OutputFormat) -> str:
    """All documents as one stream: YAML documents, or concatenated JSON objects."""
    return "".join(dump(doc.content, fmt) for doc in documents)


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
    return path


def file_name(document: Document, fmt: OutputFormat) -> PurePosixPath:
    path = safe_relative(document.filename)
    suffix = ".json" if fmt == "json" else ".yaml"
    return path if path.suffix in (".yaml", ".yml", ".json") else path.with_name(path.name + suffix)


def render_files(documents: Sequence[Document], fmt: OutputFormat) -> dict[PurePosixPath, str]:
    files: dict[PurePosixPath, str] = {}
    for doc in documents:
        name = file_name(doc, fmt)
        if name in files:
            raise TranslatorError.at(
                f"two documents would be written to {name}", code="output-collision"
            )
        files[name] = dump(doc.content, fmt)
    return files


def write_tree(documents: Sequence[Document], out_dir: Path, fmt: OutputFormat) -> list[Path]:
    """Write documents under ``out_dir`` atomically.

    Everything is rendered in memory first, written to a temporary sibling folder,
    then swapped in with renames. Files already in ``out_dir`` that this run does
    not write are carried over untouched. Symlinks are never followed.
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
            _carry_over(out_dir, staging, set(files))
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


def _carry_over(src: Path, dst: Path, replaced: set[PurePosixPath]) -> None:
    for root, dirs, names in os.walk(src, followlinks=False):
        rel_root = Path(root).relative_to(src)
        for d in dirs:
            (dst / rel_root / d).mkdir(exist_ok=True)
        for n in names:
            rel = PurePosixPath(*(rel_root / n).parts)
            if rel in replaced:
                continue
            source = Path(root) / n
            if source.is_symlink():
                os.symlink(os.readlink(source), dst / rel_root / n)
            else:
                shutil.copy2(source, dst / rel_root / n, follow_symlinks=False)


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
