"""``extends``: a service built on another one, from the same file or another file.

Spec: https://github.com/compose-spec/compose-spec/blob/main/05-services.md#extends and
https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/

The base service is resolved first (chains are followed, each service once, so the work is
linear), then the extending service is merged over it with the ordinary merge rules
(:func:`translator.compose.merge.merge_service`). A base read from another file keeps its
relative paths (``build``, ``env_file``, bind mounts ...) meaning what they meant in that
file: they are rewritten relative to the extending document's base directory, and stay
relative (outputs never carry host paths).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from translator.compose.merge import merge_service, strip_tags
from translator.errors import Location, TranslatorError

# (file) -> parsed, interpolated document of another compose file
DocLoader = Callable[[Path], dict[str, Any]]
FileLocator = Callable[[Path, tuple[str | int, ...]], Location | None]
# Real chains are a few links long; each link is a few Python frames, and a chain of 3,000
# hit the recursion limit (tests/hardening/test_paths.py).
MAX_EXTENDS_CHAIN = 100


def _nowhere(file: Path, path: tuple[str | int, ...]) -> Location | None:
    return None


@dataclass
class ExtendsResolver:
    """Resolves ``extends`` for every service of a document; shared across files of a load."""

    load_doc: DocLoader
    locate: FileLocator = _nowhere
    _done: dict[tuple[Path, str], dict[str, Any]] = field(default_factory=dict)
    _stack: list[tuple[Path, str]] = field(default_factory=list)
    _docs: dict[Path, dict[str, Any]] = field(default_factory=dict)  # each file read once

    def apply(self, doc: dict[str, Any], file: Path, base_dir: Path) -> dict[str, Any]:
        services = doc.get("services")
        if not isinstance(services, dict) or not any(
            isinstance(s, dict) and "extends" in s for s in services.values()
        ):
            return doc
        resolved = {
            name: self._resolve(file, base_dir, services, name) if isinstance(svc, dict) else svc
            for name, svc in services.items()
        }
        return {**doc, "services": resolved}

    def _resolve(
        self, file: Path, base_dir: Path, services: dict[str, Any], name: str
    ) -> dict[str, Any]:
        key = (file, name)
        if key in self._done:
            return self._done[key]
        service = services[name]
        if "extends" not in service:
            return dict(service)
        if key in self._stack:
            raise self._cycle(key)
        if len(self._stack) >= MAX_EXTENDS_CHAIN:  # resolution recurses once per link
            raise TranslatorError.at(
                f"extends chain longer than {MAX_EXTENDS_CHAIN} services",
                ("services", name, "extends"),
                self.locate(file, ("services", name, "extends")),
                code="extends",
                hint="extend a common base service directly instead of a long chain",
            )
        ref, other = self._parse(file, name, service["extends"])
        self._stack.append(key)
        try:
            base = self._base(file, base_dir, services, name, ref, other)
        finally:
            self._stack.pop()
        own = {k: v for k, v in service.items() if k != "extends"}
        merged = merge_service(strip_tags(base), own, name)
        self._done[key] = merged
        return merged

    def _base(
        self,
        file: Path,
        base_dir: Path,
        services: dict[str, Any],
        name: str,
        ref: str,
        other: str | None,
    ) -> dict[str, Any]:
        where: tuple[str | int, ...] = ("services", name, "extends")
        if other is None:
            target = services.get(ref)
            if not isinstance(target, dict):
                raise self._missing(file, where, ref, file)
            return self._resolve(file, base_dir, services, ref)
        other_file = Path(os.path.normpath(file.parent / os.path.expanduser(other)))
        try:
            doc = self._docs.get(other_file) or self._docs.setdefault(
                other_file, self.load_doc(other_file)
            )
        except TranslatorError as err:
            at: tuple[str | int, ...] = (*where, "file")
            raise _with_location(err, at, self.locate(file, at)) from None
        other_services = doc.get("services")
        if not isinstance(other_services, dict) or not isinstance(other_services.get(ref), dict):
            raise self._missing(file, where, ref, other_file)
        base = self._resolve(other_file, other_file.parent, other_services, ref)
        return rebase_service(base, other_file.parent, base_dir)

    def _parse(self, file: Path, name: str, value: Any) -> tuple[str, str | None]:
        where: tuple[str | int, ...] = ("services", name, "extends")
        if isinstance(value, str) and value:
            return value, None
        if isinstance(value, dict) and isinstance(value.get("service"), str):
            other = value.get("file")
            if other is None or isinstance(other, str):
                return value["service"], other
        raise TranslatorError.at(
            "extends must be a service name or a mapping {service: NAME, file: PATH}",
            where,
            self.locate(file, where),
            code="extends",
        )

    def _missing(
        self, file: Path, where: tuple[str | int, ...], ref: str, in_file: Path
    ) -> TranslatorError:
        return TranslatorError.at(
            f"cannot extend service {ref!r}: no such service in {in_file.name}",
            where,
            self.locate(file, where),
            code="extends",
            hint="check the service name and the file: path",
        )

    def _cycle(self, key: tuple[Path, str]) -> TranslatorError:
        start = self._stack.index(key)
        origin = self._stack[start][0]
        chain = [*self._stack[start:], key]
        text = " -> ".join(n if f == origin else f"{n} ({f.name})" for f, n in chain)
        where: tuple[str | int, ...] = ("services", key[1], "extends")
        return TranslatorError.at(
            f"extends cycle: {text}",
            where,
            self.locate(key[0], where),
            code="extends-cycle",
            hint="break the chain so that no service extends itself",
        )


def _with_location(
    err: TranslatorError, path: tuple[str | int, ...], location: Location | None
) -> TranslatorError:
    items = [
        d if d.location is not None else replace(d, path=d.path or path, location=location)
        for d in err.diagnostics
    ]
    return TranslatorError(items)


# --- relative paths --------------------------------------------------------------------------


def rebase_path(value: str, from_dir: Path, to_dir: Path) -> str:
    """``value`` (relative to ``from_dir``) made relative to ``to_dir``; absolute, ``~`` and
    variable-looking paths are left alone. The result starts with ``.`` so a bind-mount
    short syntax stays a bind mount."""
    if (
        from_dir == to_dir
        or not value
        or value.startswith(("/", "~", "\\"))
        or (len(value) > 1 and value[1] == ":")
    ):
        return value
    prefix = Path(os.path.relpath(from_dir, to_dir)).as_posix()
    joined = posixpath.normpath(posixpath.join(prefix, value))
    if joined == "." or joined.startswith("../") or joined == "..":
        return joined
    return f"./{joined}"


def _is_remote(value: str) -> bool:
    return "://" in value or value.startswith(("git@", "github.com/", "docker-image:", "service:"))


def _local(value: Any, from_dir: Path, to_dir: Path) -> Any:
    if isinstance(value, str) and not _is_remote(value):
        return rebase_path(value, from_dir, to_dir)
    return value


def _rebase_build(build: Any, f: Path, t: Path) -> Any:
    if isinstance(build, str):
        return _local(build, f, t)
    if not isinstance(build, dict):
        return build
    out = dict(build)
    if "context" in out:
        out["context"] = _local(out["context"], f, t)
    contexts = out.get("additional_contexts")
    if isinstance(contexts, dict):
        out["additional_contexts"] = {k: _local(v, f, t) for k, v in contexts.items()}
    elif isinstance(contexts, list):  # ["name=path", ...]
        pairs = [str(c).partition("=") for c in contexts]
        out["additional_contexts"] = [f"{k}{eq}{_local(v, f, t)}" for k, eq, v in pairs]
    return out


def _rebase_env_files(value: Any, f: Path, t: Path) -> Any:
    if isinstance(value, str):
        return rebase_path(value, f, t)
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            item = {**item, "path": rebase_path(item["path"], f, t)}
        elif isinstance(item, str):
            item = rebase_path(item, f, t)
        out.append(item)
    return out


def _rebase_volume(item: Any, f: Path, t: Path) -> Any:
    if isinstance(item, dict):
        source = item.get("source")
        if item.get("type") == "bind" and isinstance(source, str):
            return {**item, "source": rebase_path(source, f, t)}
        return item
    if isinstance(item, str) and item.startswith(".") and ":" in item:
        source, sep, rest = item.partition(":")
        return f"{rebase_path(source, f, t)}{sep}{rest}"
    return item


def rebase_service(service: dict[str, Any], from_dir: Path, to_dir: Path) -> dict[str, Any]:
    """A copy of ``service`` whose relative paths mean the same from ``to_dir``."""
    if from_dir == to_dir:
        return service
    out = dict(service)
    if "build" in out:
        out["build"] = _rebase_build(out["build"], from_dir, to_dir)
    for key in ("env_file", "label_file"):
        if key in out:
            out[key] = _rebase_env_files(out[key], from_dir, to_dir)
    if isinstance(out.get("volumes"), list):
        out["volumes"] = [_rebase_volume(v, from_dir, to_dir) for v in out["volumes"]]
    ext = out.get("extends")
    if isinstance(ext, dict) and isinstance(ext.get("file"), str):
        out["extends"] = {**ext, "file": rebase_path(ext["file"], from_dir, to_dir)}
    develop = out.get("develop")
    if isinstance(develop, dict) and isinstance(develop.get("watch"), list):
        watch = [
            {**w, "path": rebase_path(w["path"], from_dir, to_dir)}
            if isinstance(w, dict) and isinstance(w.get("path"), str)
            else w
            for w in develop["watch"]
        ]
        out["develop"] = {**develop, "watch": watch}
    return out
