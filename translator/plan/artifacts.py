"""Artifacts: which image each service runs, one for every environment.

Sources, lowest first: the compose ``image:``, the artifacts file
(``artifacts.yaml``: ``service: registry/name:tag`` as a CI build writes it),
then ``--image SERVICE=REF|TAG`` on the command line. ``pin`` edits the file.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from translator.errors import Location, TranslatorError
from translator.model import Artifact, ImageReferenceError, Project, parse_reference
from translator.model.artifact import DIGEST_RE
from translator.plan._source import MAX_BYTES, Source

_NEW_FILE_HEADER = (
    "# The artifact of each service: one image reference for every environment.\n"
    "# Written by CI or `translator pin SERVICE VERSION`; environments never name images.\n"
)


def load_artifacts(path: Path, services: Collection[str]) -> dict[str, Artifact]:
    """Read an artifacts file; a missing file means no overrides."""
    if not path.exists():
        return {}
    source = Source.read(path, what="artifacts file")
    data: Any = {} if source.data is None else source.data
    if not isinstance(data, dict):
        raise source.error("an artifacts file maps service names to image references", ())
    out: dict[str, Artifact] = {}
    for name, value in data.items():
        key = str(name)
        if key not in services:
            listing = ", ".join(sorted(services)) or "none"
            raise source.error(
                f"unknown service {key!r}: the compose project defines {listing}",
                (key,), code="unknown-service",
            )
        if not isinstance(value, str):
            raise source.error(
                f"expected an image reference such as registry/name:tag, got {value!r}", (key,)
            )
        try:
            out[key] = parse_reference(value)
        except ImageReferenceError as err:
            raise source.error(str(err), (key,), code="image-reference") from None
    return out


def is_version(value: str) -> bool:
    """A bare tag (``v456``) or digest (``sha256:…``), as opposed to a full reference.

    A word without ``/``, ``:`` or ``@`` is read as a tag (and checked as one):
    write a tag or the registry to give a whole reference (``docker.io/library/redis``).
    """
    return bool(DIGEST_RE.match(value)) or not any(c in value for c in "/:@")


def artifact_for(value: str, base: Artifact | None, service: str) -> Artifact:
    """``value`` as a new artifact of ``service``: a full reference or ``base`` at a version."""
    try:
        if not is_version(value):
            return parse_reference(value)
        if base is None:
            raise TranslatorError.at(
                f"service {service!r} has no image in compose or the artifacts file, so "
                f"{value!r} has no repository: give a full reference such as "
                f"registry.example.com/{service}:{value}",
                code="no-repository",
            )
        return base.with_version(value)
    except ImageReferenceError as err:
        raise TranslatorError.at(f"service {service!r}: {err}", code="image-reference") from None


def parse_image_overrides(
    values: Sequence[str],
    project: Project,
    *,
    artifacts: Mapping[str, Artifact] | None = None,
) -> dict[str, Artifact]:
    """``--image SERVICE=REF`` / ``SERVICE=TAG`` values; a later value for a service wins.

    A bare tag or digest keeps the repository of the artifacts file, else of compose.
    """
    known = artifacts or {}
    out: dict[str, Artifact] = {}
    for raw in values:
        service, sep, value = raw.partition("=")
        service, value = service.strip(), value.strip()
        if not sep or not service or not value:
            raise TranslatorError.at(
                f"invalid --image {raw!r}: expected SERVICE=REF (registry/name:tag) "
                "or SERVICE=TAG", code="image-option",
            )
        _require_service(project, service, f"--image {raw}")
        base = known.get(service) or project.services[service].artifact
        out[service] = artifact_for(value, base, service)
    return out


def _require_service(project: Project, service: str, what: str) -> None:
    if service not in project.services:
        listing = ", ".join(project.services) or "none"
        raise TranslatorError.at(
            f"{what}: unknown service {service!r}; the project defines {listing}",
            code="unknown-service",
        )


def pin(path: Path, service: str, version: str, project: Project) -> Artifact:
    """Set ``service``'s artifact in the artifacts file at ``path``, creating it if missing.

    A round-trip edit: comments, order, quoting and every other entry stay as
    they were. ``version`` is a tag, a digest, or a whole reference. The
    repository comes from the file's entry, else from the compose image.
    Returns the artifact written.
    """
    # ruamel.yaml loads only for `pin`, which edits the artifacts file in place.
    from ruamel.yaml.comments import CommentedMap

    _require_service(project, service, "pin")
    yaml = round_trip()
    exists = path.exists()
    data = _load_round_trip(yaml, path) if exists else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise TranslatorError.at(
            f"{path}: an artifacts file maps service names to image references",
            location=Location(str(path), 1, 1),
        )
    base = _entry(data, service, path) or project.services[service].artifact
    artifact = artifact_for(version, base, service)
    data[service] = artifact.reference
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue() if exists else _NEW_FILE_HEADER + buffer.getvalue()
    write_atomically(path, text)
    return artifact


def round_trip() -> Any:
    # As above: only `pin` round-trips the artifacts file.
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Long references stay on one line.
    yaml.width = 4096
    return yaml


def _load_round_trip(yaml: Any, path: Path) -> Any:
    # Only `pin` reads with ruamel.yaml (see round_trip).
    from ruamel.yaml.error import YAMLError

    from translator.compose import yamlio

    text = yamlio.read_text(path, what="artifacts file", limit=MAX_BYTES)
    try:
        return yaml.load(text)
    except YAMLError as err:
        raise TranslatorError.at(f"{path}: invalid YAML: {err}", code="yaml") from None


def _entry(data: Any, service: str, path: Path) -> Artifact | None:
    if service not in data:
        return None
    value = data[service]
    line, col = data.lc.key(service)
    where = Location(str(path), line + 1, col + 1)
    if not isinstance(value, str):
        raise TranslatorError.at(
            f"expected an image reference such as registry/name:tag, got {value!r}",
            (service,), where,
        )
    try:
        return parse_reference(value)
    except ImageReferenceError as err:
        raise TranslatorError.at(str(err), (service,), where, code="image-reference") from None


def write_atomically(path: Path, text: str | bytes) -> None:
    # A crash mid-write must never leave a half-written artifacts file behind.
    import tempfile  # here, not at the top: it loads random and hashlib, for pin only

    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
