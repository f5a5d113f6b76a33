"""Running the CLI the way CI does, under the issue's memory limit of 1 GB.

The issue's other limit, 5 s per run, is a speed goal that a loaded machine would turn
into a flaky failure: benchmarks/run.py measures it. Here a timeout only ends a hang."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TIME_LIMIT = 60.0  # a hang guard: every run here takes well under a second of work
MEMORY_LIMIT = 1024**3


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def _limits() -> None:
    # Address space, not RSS: a run that merely *tries* to allocate 1 GB fails here.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(
    args: list[str], cwd: Path, *, stdin: str | None = None, env: dict[str, str] | None = None
) -> Run:
    """``python -m translator ARGS`` in ``cwd`` with RLIMIT_AS 1 GB and a hang guard."""
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
        **(env or {}),
    }
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "translator", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIME_LIMIT,
        preexec_fn=_limits,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def assert_clean_failure(run: Run, *, expect: str | None = None) -> None:
    """Exit 1 with a one-line-per-problem error: never a traceback, never exit 3."""
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "internal error" not in run.stderr, run.stderr[-2000:]
    assert run.code == 1, (run.code, run.stderr[-2000:])
    assert run.stderr.startswith("error: "), run.stderr[:500]
    if expect is not None:
        assert expect in run.stderr, run.stderr[:2000]
    # A clear error, not a dump of the input: bounded whatever the input's size.
    assert len(run.stderr) < 20_000, f"stderr is {len(run.stderr):,} characters"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


BASE = "services:\n  web:\n    image: nginx:1.27\n"
