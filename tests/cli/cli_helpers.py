"""Running the command line on a small project written into a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def write(folder: Path, files: dict[str, str]) -> Path:
    """``files`` (relative name -> text, dedented) under ``folder``; returns ``folder``."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def run(cwd: Path, *args: str, environ: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """``translator ARGS`` in ``cwd``, this tree's code, without colour."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(environ or {})}
    env.pop("TRANSLATOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "translator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
