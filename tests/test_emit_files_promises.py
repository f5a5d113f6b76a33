"""What ``-o DIR`` promises, run through the CLI in a subprocess (1 GB address-space limit,
60 s hang guard: tests/hardening/hardening_helpers.py): bad output folders are bad input
(exit 1, a message naming the path), what the user put in DIR is kept, DIR's mode is kept,
``-o .`` never moves the project folder, and a killed run's leftovers are cleaned up.
Before these, the refusals ended in exit 3 and the rest silently replaced the user's things.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from translator.emit_siblings import lock, make_sibling

sys.path.insert(0, str(Path(__file__).resolve().parent / "hardening"))
from hardening_helpers import REPO, assert_clean_failure, run_cli, write

COMPOSE = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n'
OUTPUT = "deployment-web.yaml"


def _tree(folder: Path, skip: Path | None = None) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``folder`` (but ``skip``'s tree): mode, size and inode."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        info = path.lstat()
        entries[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_ino)
    return entries


def _project(tmp_path: Path) -> Path:
    write(tmp_path, "compose.yaml", COMPOSE)
    return tmp_path


def _folder_named_like_output(out: Path) -> None:
    (out / OUTPUT).mkdir(parents=True)
    (out / OUTPUT / "mine.txt").write_text("mine")


def _fifo_named_like_output(out: Path) -> None:
    out.mkdir()
    os.mkfifo(out / OUTPUT)


def _device_named_like_output(out: Path) -> None:
    out.mkdir()
    try:
        os.mknod(out / OUTPUT, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("creating a device file needs privileges")


def _file_where_a_folder_goes(out: Path) -> None:
    out.mkdir()
    (out / "local").write_text("mine")


# (how DIR is prepared, -o argument relative to the project, extra args, message, position)
REFUSED: dict[str, tuple[Callable[[Path], None] | None, str, list[str], str]] = {
    "proc": (None, "/proc/x", [], "cannot write the output folder '/proc/x'"),
    "sys": (None, "/sys/x", [], "cannot write the output folder '/sys/x'"),
    "folder-named-like-output": (
        _folder_named_like_output, "out", [], f"out/{OUTPUT}', a folder, where {OUTPUT}"
    ),
    "fifo-named-like-output": (
        _fifo_named_like_output, "out", [], f"out/{OUTPUT}', not a regular file"
    ),
    "device-named-like-output": (
        _device_named_like_output, "out", [], f"out/{OUTPUT}', not a regular file"
    ),
    "file-named-like-an-env-folder": (
        _file_where_a_folder_goes, "out", ["--all-envs"], "out/local' exists and is not a folder"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_an_output_folder_that_cannot_be_written_is_bad_input(case: str, tmp_path: Path) -> None:
    prepare, target, extra, message = REFUSED[case]
    project = _project(tmp_path)
    if prepare is not None:
        prepare(project / target)
    before = _tree(tmp_path)
    run = run_cli(["convert", "--to", "kubernetes", "-o", target, *extra], project)
    assert_clean_failure(run, expect=message)
    assert _tree(tmp_path) == before  # nothing written, inside DIR or beside it


def _convert(project: Path, target: str = "out") -> None:
    run = run_cli(["convert", "--to", "kubernetes", "-o", target], project)
    assert run.code == 0, run.stderr


def test_a_symlinked_folder_inside_dir_is_kept(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = project / "out"
    (out / "real").mkdir(parents=True)
    (out / "real" / "notes.txt").write_text("mine")
    (out / "link").symlink_to("real", target_is_directory=True)
    outside = _tree(tmp_path, skip=out)
    _convert(project)
    assert (out / "link").is_symlink() and os.readlink(out / "link") == "real"
    assert (out / "link" / "notes.txt").read_text() == "mine"
    assert (out / OUTPUT).is_file()
    assert _tree(tmp_path, skip=out) == outside


def test_dir_keeps_its_mode(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = project / "out"
    out.mkdir()
    os.chmod(out, 0o2775)  # setgid, group write
    _convert(project)
    assert stat.S_IMODE(out.stat().st_mode) == 0o2775
    fresh = project / "fresh"
    _convert(project, "fresh")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o777 & ~umask  # what mkdir gives


def test_dot_writes_in_place_and_never_moves_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _project(project)
    write(project, ".git/HEAD", "ref: refs/heads/main\n")
    (project / "keep.txt").write_text("mine")
    before = _tree(tmp_path)
    _convert(project, ".")
    after = _tree(tmp_path)
    assert after[f"project/{OUTPUT}"][0] & 0o777 == 0o644
    new = {k for k in after if k not in before}
    assert new == {f"project/{OUTPUT}", "project/service-web.yaml"}  # no sibling left
    # The project folder and everything in it are the same files (inodes), not copies.
    assert {k: after[k] for k in before if k != "project"} == {
        k: v for k, v in before.items() if k != "project"
    }
    assert after["project"][2] == before["project"][2]
    _convert(project, ".")  # a second run replaces its own files in place
    assert (project / "keep.txt").read_text() == "mine"


def _killed_writer(out: Path, kind: str) -> Path:
    """A process that made a sibling of ``out`` (as a run does) and was killed by SIGKILL."""
    code = (
        "import os, signal, sys; from pathlib import Path;"
        "from translator.emit_siblings import make_sibling;"
        f"s = make_sibling(Path({str(out)!r}), {kind!r}); (s / 'half.yaml').write_text('x');"
        "print(s, flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return Path(proc.stdout.strip())


def test_the_next_run_removes_a_killed_runs_siblings(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = project / "out"
    out.mkdir()
    stale = [_killed_writer(out, "new"), _killed_writer(out, "old")]
    assert all(s.is_dir() and lock(s).is_file() for s in stale)
    # Not provably ours or not stale: kept.
    alive = make_sibling(out, "new")  # this (living) test process holds it
    unlocked = project / ".out.ct-new-999999-abc"
    unlocked.mkdir()
    _convert(project)
    assert not any(os.path.lexists(p) for s in stale for p in (s, lock(s)))
    assert alive.is_dir() and lock(alive).is_file() and unlocked.is_dir()


def test_a_run_killed_mid_swap_gets_the_users_folder_back(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = project / "out"
    out.mkdir()
    (out / "mine.txt").write_text("mine")
    backup = _killed_writer(out, "old")
    shutil.rmtree(backup)
    out.rename(backup)  # what the killed run had done: DIR moved away, the new one not in yet
    _convert(project)
    assert (out / "mine.txt").read_text() == "mine" and (out / OUTPUT).is_file()
    assert not os.path.lexists(backup) and not os.path.lexists(lock(backup))
