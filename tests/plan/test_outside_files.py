"""configs and secrets files outside the project folder are not read into manifests unless
asked (--embed-outside-files): a compose file must not pull /etc/shadow or ~/.ssh into a
ConfigMap. Each case runs the CLI in a subprocess (1 GB limit, 60 s hang guard)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hardening"))
from hardening_helpers import run_cli, write

TOKEN = "outside-token-4f1c"
INSIDE = "inside-value-9a2b"


def _compose(section: str, file: str) -> str:
    kind = section[:-1]
    return (f"services:\n  web:\n    image: nginx\n    {section}: [{kind}]\n"
            f"{section}:\n  {kind}:\n    file: {file}\n")


def _absolute(outside: Path, project: Path) -> str:
    return str(outside / "token.txt")


def _parent(outside: Path, project: Path) -> str:
    return "../outside/token.txt"


def _symlink(outside: Path, project: Path) -> str:
    os.symlink(outside / "token.txt", project / "link.txt")
    return "./link.txt"


# (how the file is named, the section, extra flags)
OUTSIDE = {
    "config-absolute": (_absolute, "configs", []),
    "config-parent": (_parent, "configs", []),
    "config-symlink-inside-to-outside": (_symlink, "configs", []),
    "secret-absolute-embed-secrets": (_absolute, "secrets", ["--embed-secrets"]),
}


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    project, outside = tmp_path / "project", tmp_path / "outside"
    write(outside, "token.txt", TOKEN)
    write(project, "inside.txt", INSIDE)
    return project, outside


@pytest.mark.parametrize("case", sorted(OUTSIDE))
def test_a_file_outside_the_project_is_referenced_not_embedded(case: str, tmp_path: Path) -> None:
    name, section, flags = OUTSIDE[case]
    project, outside = _setup(tmp_path)
    file = name(outside, project)
    write(project, "compose.yaml", _compose(section, file))
    before = sorted((str(p), p.lstat().st_mtime_ns) for p in tmp_path.rglob("*"))
    run = run_cli(["convert", "--to", "kubernetes", *flags], project)
    assert run.code == 0, run.stderr
    assert TOKEN not in run.stdout and "b3V0c2lkZS10b2tlbi00ZjFj" not in run.stdout  # nor base64
    kind = section[:-1]
    # Said where the file is named: line 7, column 5 of compose.yaml (the ``file`` key).
    assert (f"info: compose.yaml:7:5: {section}.{kind}.file: {kind} file {file!r} is outside "
            "the project folder") in run.stderr, run.stderr
    assert "--embed-outside-files" in run.stderr
    assert sorted((str(p), p.lstat().st_mtime_ns) for p in tmp_path.rglob("*")) == before
    opted = run_cli(["convert", "--to", "kubernetes", "--embed-outside-files", *flags], project)
    assert opted.code == 0, opted.stderr
    assert (TOKEN in opted.stdout) != (section == "secrets")  # a Secret's data is base64
    assert "outside the project folder" not in opted.stderr


def test_a_file_inside_the_project_is_embedded_as_before(tmp_path: Path) -> None:
    project, _ = _setup(tmp_path)
    write(project, "compose.yaml", _compose("configs", "./inside.txt"))
    run = run_cli(["convert", "--to", "kubernetes"], project)
    assert run.code == 0, run.stderr
    assert INSIDE in run.stdout and "outside the project" not in run.stderr
