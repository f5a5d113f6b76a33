"""Writing small compose projects to disk for tests (importable from any test module:
pytest puts tests/ on sys.path for its conftest)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_project(
    folder: Path, compose: str, environments: dict[str, str] | None = None
) -> Path:
    """A compose project on disk: ``compose.yaml`` plus ``environments/<name>.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "compose.yaml"
    path.write_text(textwrap.dedent(compose).lstrip("\n"), encoding="utf-8")
    for name, text in (environments or {}).items():
        env = folder / "environments" / f"{name}.yaml"
        env.parent.mkdir(exist_ok=True)
        env.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
