"""Run fuzz targets for a wall-clock budget, restarting after each finding.

    python fuzz/run.py --minutes 30 loader kubernetes swarm marathon templates

Each target runs in its own process with a working corpus under --work (seeded from
fuzz/corpus/), libFuzzer's per-input limits of 5 s and 1 GB, and its findings written
to WORK/crashes/. libFuzzer stops at a finding; this restarts it until the budget is spent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "loader": ("fuzz_loader.py", "loader"),
    "kubernetes": ("fuzz_render.py", "render"),
    "swarm": ("fuzz_render.py", "render"),
    "marathon": ("fuzz_render.py", "render"),
    "templates": ("fuzz_templates.py", "templates"),
}


def run_one(name: str, minutes: float, work: Path) -> None:
    script, seeds = SCRIPTS[name]
    corpus = work / name
    crashes = work / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + minutes * 60
    with open(work / f"{name}.log", "a") as log:
        while (left := int(deadline - time.monotonic())) > 10:
            subprocess.run(
                [sys.executable, str(HERE / script), str(corpus), str(HERE / "corpus" / seeds),
                 f"-max_total_time={left}", "-timeout=5", "-rss_limit_mb=1024",
                 f"-artifact_prefix={crashes}/{name}-", "-print_final_stats=1"],
                stdout=log, stderr=subprocess.STDOUT, check=False,
                env={**os.environ, "FUZZ_TARGET": name},
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="*", default=list(SCRIPTS))
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/translator-fuzz"))
    args = parser.parse_args()
    procs = [
        subprocess.Popen([sys.executable, __file__, "--one", t, str(args.minutes), str(args.work)])
        for t in args.targets
    ]
    for proc in procs:
        proc.wait()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        run_one(sys.argv[2], float(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
