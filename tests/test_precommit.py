"""The hooks of ``.pre-commit-hooks.yaml``, run by the real ``pre-commit try-repo``.

try-repo runs a hook in a temporary git repository holding a small compose project. The
hooks are ``language: python``: pre-commit would pip-install this repository and its
dependencies from the package index into a virtualenv, which needs the network and takes
10-25 s a call. So by default the snapshot's manifest says ``language: system`` instead,
and a ``translator`` on PATH runs this tree's code: every other line of the hook (entry,
args, files, pass_filenames, always_run) is the repository's own, and pre-commit, git and
the exit codes are real, offline. ``TRANSLATOR_HOOK_INSTALL=1`` keeps ``language: python``
and tests the install too.

The repository under test is a snapshot of this working tree (tracked and untracked,
not ignored files) committed once into a temporary git repository and passed with a
fixed ``--ref``: try-repo of the dirty tree itself would write a shadow commit into this
checkout's ``.git``, which other work shares. try-repo installs into a throw-away store
on every call (about 10-25 s here, pip's cache helps); PRE_COMMIT_HOME still points at
one session folder so that nothing lands in the user's home.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 1200  # every call installs the package and its dependencies
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
}


INSTALL = os.environ.get("TRANSLATOR_HOOK_INSTALL") == "1"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    if not INSTALL:  # the `translator` that `language: system` hooks find first
        env["PATH"] = f"{home / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONPATH"] = str(REPO)
    return env


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=_env(cwd), capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pre-commit-home")
    shim = home / "bin" / "translator"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m translator "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return home


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree, committed once into a temporary repository: (path, commit)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    target = tmp_path_factory.mktemp("hook-repo")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    if not INSTALL:
        manifest = target / ".pre-commit-hooks.yaml"
        text = manifest.read_text(encoding="utf-8")
        assert text.count("language: python") == 2
        manifest.write_text(text.replace("language: python", "language: system"), "utf-8")
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target, git(target, "rev-parse", "HEAD")


def project(folder: Path, files: dict[str, str]) -> Path:
    """A git repository holding ``files``, all committed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "project")
    return folder


def try_repo(
    hook: str, cwd: Path, hook_repo: tuple[Path, str], home: Path
) -> subprocess.CompletedProcess[str]:
    path, ref = hook_repo
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(path), hook, "--ref", ref,
         "--all-files", "--verbose"],
        cwd=cwd, env=_env(home), capture_output=True, text=True, timeout=TIMEOUT,
    )


GOOD = """
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    healthcheck:
      test: ["CMD", "true"]
  api:
    image: httpd:2.4
"""
# Two services publishing host port 8080: rule TR004, an error.
BAD = GOOD.replace("image: httpd:2.4", 'image: httpd:2.4\n    ports: ["8080:8080"]')


def render_manifests(folder: Path) -> None:
    """What ``translator convert --all-envs -o manifests`` writes, through the Python API."""
    from translator import api
    from translator.targets import get
    from translator.targets.base import OutputFormat

    loaded = api.load_project([folder / "compose.yaml"])
    for env in api.list_environments(loaded):
        rendered = api.render(api.resolve(loaded, env))
        fmt: OutputFormat = getattr(get(rendered.target), "default_format", "yaml")
        api.write(rendered.documents, folder / "manifests" / env, fmt)


def test_translator_validate_hook_fails_at_the_position_then_passes_after_the_fix(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = project(tmp_path / "p", {"compose.yaml": BAD})
    done = try_repo("translator-validate", repo, hook_repo, pre_commit_home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    # web's 8080 is taken again by api: the finding points at web's port, line 4 column 13.
    assert "compose.yaml:4:13: services.web.ports[0]: error[TR004]: host port 8080/tcp is " \
        "also published by service 'api'" in output
    (repo / "compose.yaml").write_text(textwrap.dedent(GOOD).lstrip("\n"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "fix")
    done = try_repo("translator-validate", repo, hook_repo, pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("stale", [False, True])
def test_translator_up_to_date_hook(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, stale: bool
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "compose.yaml").write_text(textwrap.dedent(GOOD).lstrip("\n"), encoding="utf-8")
    render_manifests(folder)
    if stale:
        manifest = next((folder / "manifests").rglob("deployment-web.*"))
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace("nginx:1.27", "nginx:1.26"), encoding="utf-8")
    repo = project(folder, {})
    before = {p: p.read_bytes() for p in (repo / "manifests").rglob("*") if p.is_file()}
    done = try_repo("translator-up-to-date", repo, hook_repo, pre_commit_home)
    output = done.stdout + done.stderr
    assert (done.returncode == 0) is not stale, output
    if stale:
        assert "-" in output and "nginx:1.26" in output and "nginx:1.27" in output
        # The hook's own args, as the command that brings the manifests up to date.
        assert "error: rendered manifests are out of date; regenerate them with: " \
            "translator convert --all-envs -o manifests\n" in output
    # --check writes nothing.
    after = {p: p.read_bytes() for p in (repo / "manifests").rglob("*") if p.is_file()}
    assert after == before
