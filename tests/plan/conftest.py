"""Fixtures for the plan tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_helpers import make_project

from translator.model import Project


@pytest.fixture
def project() -> Project:
    return make_project()


@pytest.fixture
def env_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "environments"
    directory.mkdir()
    return directory
