"""Fixtures for the lint tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import PlanFactory, write_project

from translator import api
from translator.model import Plan


@pytest.fixture
def make_plan(tmp_path: Path) -> PlanFactory:
    """Load ``compose`` (and an environment file when ``env_text`` is given) through the real
    loader and resolve environment ``env``."""

    def build(compose: str, env: str = "local", env_text: str | None = None) -> Plan:
        path = write_project(tmp_path, compose, {env: env_text} if env_text is not None else None)
        loaded = api.load_project([path])
        return api.resolve(loaded, env)

    return build
