"""A real single-node Swarm manager for the ``swarm``-marked tests.

The session fixture starts Debian's dockerd (``apt-get install -y docker.io``) in a private
folder, with no iptables, no bridge and the vfs driver, makes it a swarm manager and drains
its node so that no task ever starts and no image is pulled. It skips, saying why, when
dockerd is missing or cannot start. Teardown leaves the swarm, stops dockerd by its PID and
deletes the docker_gwbridge interface that ``swarm init`` created.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# One client for every role: docker CLI 28 negotiates the engine's older API (1.41).
CLIENT = Path("/usr/local/bin/docker")
START_TIMEOUT = 30.0


@dataclass
class Engine:
    """A running dockerd in swarm mode, driven through the docker CLI."""

    root: Path
    client: Path

    @property
    def host(self) -> str:
        return f"unix://{self.root / 'docker.sock'}"

    def run(
        self, *args: str, cwd: Path | None = None, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DOCKER_HOST": self.host,
            "HOME": str(self.root),
            "DOCKER_CONFIG": str(self.root / "client"),
        }
        done = subprocess.run(
            [str(self.client), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done

    def inspect_service(self, name: str) -> dict[str, Any]:
        data: list[dict[str, Any]] = json.loads(self.run("service", "inspect", name).stdout)
        return data[0]

    def remove_stack(self, stack: str) -> None:
        """Remove the stack, then any network a failed deploy left behind under its label."""
        self.run("stack", "rm", stack, check=False)
        label = f"label=com.docker.stack.namespace={stack}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            left = self.run("network", "ls", "-q", "--filter", label).stdout.split()
            if not left:
                return
            self.run("network", "rm", *left, check=False)
            time.sleep(0.5)


def _client() -> Path:
    if CLIENT.is_file():
        return CLIENT
    found = shutil.which("docker")
    if found is None:
        pytest.skip("no docker client found (needs /usr/local/bin/docker or docker on PATH)")
    return Path(found)


def _start(dockerd: str, root: Path) -> subprocess.Popen[bytes]:
    # The flags issue 5 gives: a private socket, data and exec roots, nothing touching
    # the host's firewall or bridges, and vfs so no overlayfs support is needed.
    args = [
        dockerd,
        "--host",
        f"unix://{root / 'docker.sock'}",
        "--data-root",
        str(root / "data"),
        "--exec-root",
        str(root / "exec"),
        "--pidfile",
        str(root / "docker.pid"),
        "--iptables=false",
        "--ip6tables=false",
        "--bridge=none",
        "--storage-driver=vfs",
    ]
    log = (root / "dockerd.log").open("wb")
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_ready(engine: Engine, process: subprocess.Popen[bytes]) -> str | None:
    """None when the engine answers, else why it did not."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"dockerd exited with {process.returncode}"
        if engine.run("version", check=False, timeout=10).returncode == 0:
            return None
        time.sleep(0.3)
    return f"dockerd did not answer within {START_TIMEOUT:.0f}s"


def _stop(root: Path, process: subprocess.Popen[bytes]) -> None:
    """Stop dockerd by its PID (pidfile, else the process we started), never by name."""
    pidfile = root / "docker.pid"
    pid = int(pidfile.read_text()) if pidfile.is_file() else process.pid
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unmount_under(root: Path) -> None:
    """dockerd leaves network-namespace mounts under its exec root; lift them so the
    folder can be removed (deepest first, lazily in case one is still busy)."""
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    points = [line.split()[1] for line in mounts if len(line.split()) > 1]
    for point in sorted((p for p in points if p.startswith(f"{root}/")), reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True, check=False, timeout=30)


def _delete_gwbridge() -> None:
    if shutil.which("ip") is not None:
        subprocess.run(
            ["ip", "link", "delete", "docker_gwbridge"],
            capture_output=True,
            check=False,
            timeout=30,
        )


@pytest.fixture(scope="session")
def swarm_engine() -> Iterator[Engine]:
    dockerd = shutil.which("dockerd")
    if dockerd is None:
        pytest.skip("dockerd is not installed (apt-get install -y docker.io)")
    if os.geteuid() != 0:
        pytest.skip("dockerd needs root to start")
    # A short path under /tmp: a unix socket path must stay under 108 bytes.
    root = Path(tempfile.mkdtemp(prefix="swarm-", dir="/tmp"))
    engine = Engine(root, _client())
    process = _start(dockerd, root)
    try:
        why = _wait_ready(engine, process)
        if why is not None:
            tail = (root / "dockerd.log").read_text(errors="replace")[-800:]
            pytest.skip(f"dockerd cannot start here: {why}: {tail}")
        # Issue 5 uses port 2377; a free port lets two test sessions run side by side.
        listen = f"127.0.0.1:{_free_port()}"
        init = engine.run(
            "swarm", "init", "--advertise-addr", listen, "--listen-addr", listen, check=False
        )
        if init.returncode != 0:
            pytest.skip(f"docker swarm init failed: {init.stderr.strip()}")
        node = engine.run("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
        # Drained: the manager accepts services but never schedules a task or pulls an image.
        engine.run("node", "update", "--availability", "drain", node)
        yield engine
    finally:
        if process.poll() is None:
            engine.run("swarm", "leave", "--force", check=False, timeout=60)
        _stop(root, process)
        _delete_gwbridge()
        _unmount_under(root)
        shutil.rmtree(root, ignore_errors=True)
