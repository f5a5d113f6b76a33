"""What a platform refuses or cannot carry, through the CLI: exit code, message and position.

Each case runs ``translator convert`` in a subprocess under an address-space limit, so a
megabyte name that made work or memory blow up fails the case instead of the machine;
messages quote such values shortened (translator/errors.py, ``quote``/``shorten``).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # bytes of address space for one run
TIMEOUT = 120  # seconds; the runs take about one, a hang ends here
MEGA = 1 << 20
# "severity: file:line:col: path: [target] message"
LINE = re.compile(r"^(error|warning): compose\.yaml:(\d+):(\d+): (.*?): (\[\w+\] .*)$")


@dataclass(frozen=True)
class Case:
    name: str
    target: str
    compose: str
    exit_code: int
    severity: str
    position: tuple[int, int]
    path: str
    words: str


CASES = [
    Case("swarm-dnsrr-with-ingress-port", "swarm",
         "services:\n  web:\n    image: nginx\n    ports:\n      - '8080:80'\n"
         "    deploy:\n      endpoint_mode: dnsrr\n",
         1, "error", (5, 9), "services.web.ports[0]",
         "[swarm] port 80/tcp is published in ingress mode, which endpoint_mode dnsrr"),
    Case("swarm-start-interval", "swarm",
         "services:\n  web:\n    image: nginx\n    healthcheck:\n      test: [CMD, 'true']\n"
         "      start_interval: 2s\n",
         0, "warning", (6, 7), "services.web.healthcheck.start_interval",
         "[swarm] start_interval needs Docker Engine API 1.44"),
    Case("swarm-megabyte-service-name", "swarm",
         f"services:\n  ? {'s' * MEGA}\n  : image: nginx\n",
         1, "error", (2, 5), f"services.{'s' * 80}… ({MEGA} characters)",
         f"…' ({MEGA + len('case_')} characters) is longer than 63"),
    Case("kubernetes-megabyte-service-name", "kubernetes",
         f"services:\n  ? {'s' * MEGA}\n  : image: nginx\n",
         0, "warning", (2, 5), f"services.{'s' * 80}… ({MEGA} characters)",
         f"…' ({MEGA} characters) is cut to the 63-character Kubernetes name {'s' * 54}-"),
    Case("kubernetes-megabyte-label-key", "kubernetes",
         f"services:\n  web:\n    image: nginx\n    labels:\n      ? {'k' * MEGA}\n      : v\n",
         0, "warning", (4, 5), "services.web.labels",
         f"…' ({MEGA} characters) is not a valid annotation key"),
    Case("marathon-megabyte-network-name", "marathon",
         f"services:\n  web:\n    image: nginx\n    networks: [front]\n"
         f"networks:\n  front:\n    name: {'n' * MEGA}\n",
         0, "warning", (4, 5), "services.web.networks",
         f"…' ({MEGA} characters) is cut to 63 characters"),
    Case("marathon-reserved-app-id", "marathon",
         "services:\n  restart:\n    image: nginx\n",
         0, "warning", (2, 3), "services.restart", "the app is /case/restart-app"),
    Case("marathon-two-networks-with-docker-parameters", "marathon",
         "services:\n  web:\n    image: nginx\n    init: true\n    networks: [front, back]\n"
         "networks:\n  front: {}\n  back: {}\n",
         0, "warning", (5, 5), "services.web.networks",
         "[marathon] network back is left out: the app joins front only"),
]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _convert(tmp_path: Path, case: Case) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "compose.yaml").write_text(case.compose)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "translator", "convert", "--to", case.target, "-f",
         "compose.yaml"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT,
        preexec_fn=_limit_memory, check=False,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_platform_limit(case: Case, tmp_path: Path) -> None:
    done = _convert(tmp_path, case)
    assert done.returncode == case.exit_code, done.stderr[-2000:]
    found = [LINE.match(line) for line in done.stderr.splitlines()]
    matches = [m for m in found if m and case.words in m.group(5)]
    assert len(matches) == 1, done.stderr[-2000:]
    severity, line, column, path, _ = matches[0].groups()
    assert (severity, (int(line), int(column)), path) == (case.severity, case.position, case.path)
    # Long values are quoted shortened: no diagnostic line carries the megabyte.
    assert max(map(len, done.stderr.splitlines()), default=0) < 1000
