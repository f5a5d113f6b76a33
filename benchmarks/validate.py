"""`translator validate` speed: `python benchmarks/validate.py [--runs N]`.

Goal (issue 7): a 10-service project, every target, at most 0.3 s of wall time in a fresh
process. Prints the median of ``--runs`` fresh processes for ``validate`` and
``--version``, then an in-process breakdown (load, lint, render per target, report) and
lint alone at 1,000 and 10,000 services, to show the rules stay linear.

Bytecode: an installed package has ``.pyc`` files; a checkout run with
PYTHONDONTWRITEBYTECODE=1 recompiles every module on every start (about 0.2 s here).
So the runs below use a temporary PYTHONPYCACHEPREFIX, warmed by one untimed run.
Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import write_project  # noqa: E402
from run import measure, translator  # noqa: E402


def _median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(compose: Path, runs: int) -> list[tuple[str, float]]:
    from translator import api
    from translator.lint import lint, load_config
    from translator.report import render_report
    from translator.validate import validate

    loaded = api.load_project([compose])
    plan = api.resolve(loaded, "local")
    config = load_config(loaded.base_dir)
    rows = [("load", _median_seconds(lambda: api.load_project([compose]), runs)),
            ("resolve", _median_seconds(lambda: api.resolve(loaded, "local"), runs)),
            ("lint", _median_seconds(lambda: lint(plan, config), runs))]
    for target in api.target_names():
        rows.append((f"render {target}", _median_seconds(lambda t=target: api.render(plan, t),
                                                         runs)))
    found = validate(loaded, ["local"], None, api.PlanInputs(), config)
    rows.append(("validate (resolve+lint+render all)", _median_seconds(
        lambda: validate(loaded, ["local"], None, api.PlanInputs(), config), runs)))
    rows.append(("report human", _median_seconds(lambda: render_report(found, "human"), runs)))
    rows.append(("report sarif", _median_seconds(lambda: render_report(found, "sarif"), runs)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(root / "pyc")
        small = write_project(root / "p10", 10)
        print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
        for label, argv in (("translator --version", translator("--version")),
                            ("translator validate (10 services, all targets)",
                             translator("validate")),
                            ("translator validate --format sarif",
                             translator("validate", "--format", "sarif"))):
            subprocess.run(argv, cwd=small.parent, capture_output=True, check=False,
                           env={**os.environ, "PYTHONPATH": str(HERE.parent)})  # warm .pyc
            wall, mem = measure(argv, args.runs, small.parent)
            print(f"{label:<50} {wall:.3f} s  {mem:.0f} MB  (median of {args.runs})")
        print("\nin process, 10 services:")
        for label, seconds in in_process(small, args.runs):
            print(f"  {label:<40} {seconds * 1000:8.1f} ms")
        from translator import api
        from translator.lint import lint

        for n in (1_000, 10_000):
            compose = write_project(root / f"p{n}", n)
            plan = api.resolve(api.load_project([compose]), "local")
            seconds = _median_seconds(lambda p=plan: lint(p), 3)
            print(f"  lint, {n:>6} services{'':<22} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
