"""File references that point at things that are not small regular files.

Every read goes through ``yamlio.read_text``: ``stat`` then a non-blocking open checked
again with ``fstat`` (a FIFO or device never blocks), and at most limit + 1 bytes read
(compose files 16 MiB, env files 1 MiB, secret/config files 1 MiB). A several-GB sparse
file costs one bounded read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_helpers import BASE, assert_clean_failure, run_cli, write

SPARSE_SIZE = 4 * 1024**3


def _make(kind: str, folder: Path) -> str:
    """Create the hostile path ``kind`` under ``folder``; return how compose names it."""
    if kind == "folder":
        (folder / "thing").mkdir()
        return "./thing"
    if kind == "fifo":
        os.mkfifo(folder / "thing")
        return "./thing"
    if kind == "sparse-4GB":
        with open(folder / "thing", "wb") as handle:
            handle.truncate(SPARSE_SIZE)  # no blocks on disk: free to create
        return "./thing"
    if kind == "symlink-to-dev-zero":
        os.symlink("/dev/zero", folder / "thing")
        return "./thing"
    return kind  # an absolute device path such as /dev/zero


KINDS = ["folder", "fifo", "sparse-4GB", "/dev/zero", "/dev/stdin", "symlink-to-dev-zero"]

# compose text for each reference form; the path is substituted for {p}
REFUSING: dict[str, Callable[[str], str]] = {
    "env_file": lambda p: BASE + f"    env_file: {p}\n",
    "env_file-long": lambda p: BASE + f"    env_file:\n      - path: {p}\n",
    "extends-file": lambda p: "services:\n  web:\n    extends:\n"
    f"      file: {p}\n      service: base\n",
    "include": lambda p: f"include:\n  - {p}\n" + BASE,
    "include-env_file": lambda p: f"include:\n  - path: ./inc.yaml\n    env_file: {p}\n" + BASE,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("form", sorted(REFUSING))
def test_reference_to_non_regular_file_is_refused(form: str, kind: str, tmp_path: Path) -> None:
    path = _make(kind, tmp_path)
    write(tmp_path, "inc.yaml", "services:\n  other:\n    image: busybox\n")
    write(tmp_path, "compose.yaml", REFUSING[form](path))
    run = run_cli(["config", "-f", "compose.yaml"], tmp_path, stdin="")
    assert_clean_failure(run)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("option", ["-f", "--env-file"])
def test_command_line_path_to_non_regular_file_is_refused(
    option: str, kind: str, tmp_path: Path
) -> None:
    path = _make(kind, tmp_path)
    write(tmp_path, "compose.yaml", BASE)
    args = ["config", "-f", path] if option == "-f" else ["config", "--env-file", path]
    assert_clean_failure(run_cli(args, tmp_path, stdin=""))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("section", ["secrets", "configs"])
def test_secret_or_config_file_that_cannot_be_read_is_referenced_not_read(
    section: str, kind: str, tmp_path: Path
) -> None:
    # Compose does not read these at `config` time either; with --embed-secrets the
    # renderer cannot embed them, says so, and references the object by name.
    path = _make(kind, tmp_path)
    text = BASE + f"    {section}: [thing]\n{section}:\n  thing:\n    file: {path}\n"
    write(tmp_path, "compose.yaml", text)
    for target in ("kubernetes", "swarm", "marathon"):
        run = run_cli(["convert", "--to", target, "--embed-secrets", "-f", "compose.yaml"],
                      tmp_path, stdin="")
        assert "Traceback" not in run.stderr and run.code in (0, 1), (target, run.stderr)
        assert len(run.stdout) < 100_000  # nothing of /dev/zero or the sparse file


@pytest.mark.parametrize("kind", ["folder", "fifo", "symlink-to-dev-zero"])
def test_dot_env_that_is_not_a_regular_file_does_not_hang(kind: str, tmp_path: Path) -> None:
    target = _make(kind, tmp_path)
    os.rename(tmp_path / target, tmp_path / ".env")
    write(tmp_path, "compose.yaml", BASE)
    run = run_cli(["config", "-f", "compose.yaml"], tmp_path, stdin="")
    assert "Traceback" not in run.stderr and run.code in (0, 1), run.stderr


def test_dot_env_sparse_file_is_refused(tmp_path: Path) -> None:
    _make("sparse-4GB", tmp_path)
    os.rename(tmp_path / "thing", tmp_path / ".env")
    write(tmp_path, "compose.yaml", BASE)
    assert_clean_failure(run_cli(["config", "-f", "compose.yaml"], tmp_path),
                         expect="larger than 1,048,576 bytes")


@pytest.mark.parametrize("kind", ["fifo", "sparse-4GB", "folder"])
def test_environment_and_artifacts_files_are_bounded(kind: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", BASE)
    (tmp_path / "environments").mkdir()
    for name in ("environments/production.yaml", "artifacts.yaml"):
        _make(kind, tmp_path)
        os.rename(tmp_path / "thing", tmp_path / name)
        env = "production" if "environments" in name else "local"
        run = run_cli(["convert", "--to", "kubernetes", "--env", env, "-f", "compose.yaml"],
                      tmp_path, stdin="")
        assert_clean_failure(run)
        (tmp_path / name).rmdir() if kind == "folder" else (tmp_path / name).unlink()


@pytest.mark.parametrize("kind", ["fifo", "sparse-4GB", "symlink-to-dev-zero"])
def test_check_against_a_folder_holding_special_files_does_not_hang(
    kind: str, tmp_path: Path
) -> None:
    write(tmp_path, "compose.yaml", BASE)
    (tmp_path / "out").mkdir()
    _make(kind, tmp_path / "out")
    os.rename(tmp_path / "out" / "thing", tmp_path / "out" / "deployment-web.yaml")
    run = run_cli(["convert", "--to", "kubernetes", "-f", "compose.yaml", "-o", "out", "--check"],
                  tmp_path)
    assert run.code == 1 and "Traceback" not in run.stderr, run.stderr
    assert "out of date" in run.stderr


@pytest.mark.parametrize("kind", ["fifo", "sparse-4GB", "symlink-to-dev-zero"])
def test_lint_config_that_is_not_a_small_regular_file_does_not_hang(
    kind: str, tmp_path: Path
) -> None:
    write(tmp_path, "compose.yaml", BASE)
    (tmp_path / ".git").mkdir()  # the config search stops at the repository root
    _make(kind, tmp_path)
    os.rename(tmp_path / "thing", tmp_path / "pyproject.toml")
    run = run_cli(["validate", "-f", "compose.yaml"], tmp_path)
    assert run.code in (0, 1) and "Traceback" not in run.stderr, run.stderr


def _include_bomb(folder: Path, levels: int, fan_out: int) -> None:
    """Each level includes the next one ``fan_out`` times (spelled differently)."""
    for level in range(levels):
        body = f"services:\n  s{level}:\n    image: busybox\n"
        if level < levels - 1:
            spellings = [f"l{level + 1}.yaml", f"./l{level + 1}.yaml",
                         f"../{folder.name}/l{level + 1}.yaml"][:fan_out]
            body = "include:\n" + "".join(f"  - path: {s}\n" for s in spellings) + body
        write(folder, f"l{level}.yaml", body)


def test_include_bomb_ends(tmp_path: Path) -> None:
    import subprocess

    _include_bomb(tmp_path, levels=25, fan_out=3)
    try:
        run = run_cli(["config", "-f", "l0.yaml"], tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("translator config did not end within the time limit")
    assert_clean_failure(run, expect="include")


def test_modest_include_fan_out_is_fine(tmp_path: Path) -> None:
    _include_bomb(tmp_path, levels=4, fan_out=3)
    run = run_cli(["config", "-f", "l0.yaml"], tmp_path)
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr


def _extends_chain(length: int, users: int = 0) -> str:
    lines = ["services:"]
    for i in range(length):
        lines.append(f"  c{i}:\n    image: busybox\n" + (f"    extends: c{i + 1}\n"
                                                          if i < length - 1 else ""))
    lines += [f"  u{j}:\n    extends: c0\n" for j in range(users)]
    return "\n".join(lines) + "\n"


def test_long_extends_chain_is_a_clear_error(tmp_path: Path) -> None:
    # Found here: a 3,000-link chain raised RecursionError (exit 3).
    write(tmp_path, "compose.yaml", _extends_chain(3_000, users=3_000))
    assert_clean_failure(run_cli(["config", "-f", "compose.yaml"], tmp_path),
                         expect="extends chain longer than 100")


def test_long_extends_chain_across_files_is_a_clear_error(tmp_path: Path) -> None:
    for i in range(150):
        body = "services:\n  base:\n    image: busybox\n"
        if i < 149:
            body += f"    extends:\n      file: f{i + 1}.yaml\n      service: base\n"
        write(tmp_path, f"f{i}.yaml", body)
    assert_clean_failure(run_cli(["config", "-f", "f0.yaml"], tmp_path),
                         expect="extends chain longer than 100")


def test_extends_within_the_limit_with_wide_fan_in_is_fast(tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", _extends_chain(90, users=3_000))
    run = run_cli(["config", "-f", "compose.yaml", "--format", "json"], tmp_path)
    assert run.code == 0, run.stderr[:2000]
