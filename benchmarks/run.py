"""Speed and memory benchmarks: `python benchmarks/run.py` (see --help).

Generates synthetic projects of 10 to 10,000 services, converts each to every target
in a fresh process, and prints the median wall time and peak memory (RSS) of at least
five runs next to the floor: parsing the input and dumping a same-sized output with the
YAML library the tool uses. Nothing here runs in the test suite.

Byte code: every child gets a temporary PYTHONPYCACHEPREFIX (and no
PYTHONDONTWRITEBYTECODE), warmed by one untimed run of each command, so start-up costs
what it costs for an installed package. CPU seconds (user + system) are printed too:
on a busy machine they move much less than wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_project  # noqa: E402

TARGETS = ("kubernetes", "swarm", "marathon")


_PYCACHE = tempfile.mkdtemp(prefix="translator-bench-pyc-")


def child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": _PYCACHE}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def sample(argv: Sequence[str], runs: int, cwd: Path) -> tuple[float, float, float]:
    """Medians of wall seconds, CPU seconds and peak RSS (MB) over ``runs`` fresh processes,
    after one untimed run that writes the byte code."""
    walls, cpus, peaks = [], [], []
    env = child_env()
    for index in range(runs + 1):
        # stderr goes to a file: a pipe nobody reads would block a chatty child.
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                err.seek(0)
                text = err.read().decode(errors="replace")
                raise SystemExit(f"{' '.join(argv)} exited {code}:\n{text[-2000:]}")
        if index == 0:
            continue  # the warm-up run
        walls.append(wall)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(walls), statistics.median(cpus), statistics.median(peaks)


def measure(argv: Sequence[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) of ``argv`` over ``runs`` fresh processes."""
    wall, _, peak = sample(argv, runs, cwd)
    return wall, peak


FLOOR = """
import sys, time, yaml_rs
text = open(sys.argv[1]).read()
data = yaml_rs.loads(text, parse_datetime=False)
out = [dict(svc, kind=k) for svc in data["services"].values() for k in range(int(sys.argv[2]))]
yaml_rs.dumps({"items": out})
"""


def floor(compose: Path, objects_per_service: int, runs: int) -> tuple[float, float]:
    argv = [sys.executable, "-c", FLOOR, str(compose), str(objects_per_service)]
    return measure(argv, runs, compose.parent)


def _row(label: str, n: str, argv: list[str], runs: int, cwd: Path,
         base: tuple[float, float] | None = None) -> tuple[str, ...]:  # fmt: skip
    wall, cpu, mem = sample(argv, runs, cwd)
    floor_cells = (f"{base[0]:.3f}", f"{base[1]:.0f}") if base else ("", "")
    return (label, n, f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}", *floor_cells)


def translator(*args: str) -> list[str]:
    return [sys.executable, "-m", "translator", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000", help="service counts")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    targets = args.targets.split(",")
    rows = [("what", "services", "wall s", "cpu s", "peak MB", "floor s", "floor MB")]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small = write_project(root / "p10", 10)
        for label, argv in (
            ("--version", translator("--version")),
            ("--help", translator("--help")),
            ("validate (all targets)", translator("validate")),
        ):
            rows.append(_row(label, "-" if label.startswith("--") else "10", argv, args.runs,
                             small.parent))  # fmt: skip
        for n in sizes:
            compose = write_project(root / f"p{n}", n)
            base = floor(compose, 4, args.runs)
            argv = translator("config", "-f", compose.name, "--format", "json")
            rows.append(_row("load only (config)", str(n), argv, args.runs, compose.parent, base))
            for target in targets:
                argv = translator("convert", "-f", compose.name, "--to", target)
                rows.append(_row(f"convert --to {target}", str(n), argv, args.runs,
                                 compose.parent, base))  # fmt: skip
    _print_table(rows, args.runs, load_before)


def _print_table(
    rows: list[tuple[str, ...]], runs: int, load_before: tuple[float, float, float]
) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(rows[0], widths, strict=True)) + " |"
    load_after = os.getloadavg()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}, "
          f"date {time.strftime('%Y-%m-%d')}, medians of {runs} runs, load average "
          f"{load_before[0]:.2f} before / {load_after[0]:.2f} after")  # fmt: skip
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
