"""Environment files whose names cannot become output folders: refused or said, never
skipped silently (the README promises names differing only in case are refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run, write

COMPOSE = """
services:
  web:
    image: nginx:1.27
"""


@pytest.mark.parametrize("command", [
    ("convert", "--all-envs", "-o", "out"),
    ("validate", "--all-envs"),
])  # fmt: skip
def test_names_differing_only_in_case_are_refused(tmp_path: Path, command: tuple[str, ...]) -> None:
    write(tmp_path, {"compose.yaml": COMPOSE, "environments/Prod.yaml": "defaults: {replicas: 2}\n",
                     "environments/prod.yaml": "defaults: {replicas: 3}\n"})
    result = run(tmp_path, *command)
    assert result.returncode == 1, result.stderr
    assert "environment names differ only in case: 'Prod' and 'prod'" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing half-written


@pytest.mark.parametrize("odd", [".yaml", "..yaml", "-x.yml", "_y.yaml"])
def test_odd_names_are_warned_about_not_skipped_silently(tmp_path: Path, odd: str) -> None:
    write(tmp_path, {"compose.yaml": COMPOSE, "environments/prod.yaml": "defaults: {replicas: 2}\n",
                     f"environments/{odd}": "defaults: {replicas: 3}\n"})
    result = run(tmp_path, "convert", "--all-envs", "-o", "out")
    assert result.returncode == 0, result.stderr
    assert f"{odd} is skipped: an environment name starts with a letter or digit" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["local", "prod"]


def test_a_single_environment_is_not_blocked_by_a_clash_elsewhere(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": COMPOSE, "environments/Prod.yaml": "defaults: {replicas: 2}\n",
                     "environments/prod.yaml": "defaults: {replicas: 3}\n"})
    assert run(tmp_path, "convert", "--env", "prod", "--to", "swarm").returncode == 0
