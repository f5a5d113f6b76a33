"""Bind mounts on Marathon: the shared decision table, as far as Marathon can express it
(local persistent volumes, sandbox folders, host volumes where allowed)."""

from __future__ import annotations

from typing import Any

import pytest
from marathon_helpers import Validate, planned, render, service
from marathon_helpers import plan as make_plan

from translator.errors import Severity
from translator.model import Environment, Mount, ServiceSettings, Storage
from translator.model.base import MIB
from translator.model.hostfiles import HostFile, HostSource

FILES = (HostFile(name="a.conf", text="x"),)
MISSING = HostSource(kind="missing")
HOSTS = Environment(platform="marathon", allow_host_paths=True)


def _persistent(name: str, target: str, size: int = 1024) -> list[dict[str, Any]]:
    return [{"containerPath": name, "mode": "RW", "persistent": {"type": "root", "size": size}},
            {"containerPath": target, "hostPath": name, "mode": "RW"}]


CASES: list[tuple[str, Mount, Environment | None, list[dict[str, Any]], Severity]] = [
    ("data folder -> persistent volume",
     Mount(type="bind", source="./data", target="/data", host=MISSING), None,
     _persistent("bind-data", "/data"), Severity.INFO),
    ("sized by the environment's volume defaults",
     Mount(type="bind", source="./data", target="/data", host=MISSING),
     Environment(platform="marathon", volume_defaults=Storage(size=2048 * MIB)),
     _persistent("bind-data", "/data", 2048), Severity.INFO),
    ("configuration -> dropped, the image's files stay",
     Mount(type="bind", source="./conf", target="/etc/app",
           host=HostSource(kind="folder", files=FILES)), None, [], Severity.WARNING),
    ("a file cannot be a persistent volume",
     Mount(type="bind", source="./a.conf", target="/etc/a.conf",
           host=HostSource(kind="file", files=FILES)), None, [], Severity.WARNING),
    ("socket without host paths -> dropped",
     Mount(type="bind", source="/var/run/docker.sock", target="/var/run/docker.sock",
           host=HostSource(kind="system")), None, [], Severity.WARNING),
    ("host paths allowed -> host volume",
     Mount(type="bind", source="/var/run/docker.sock", target="/var/run/docker.sock",
           read_only=True, host=HostSource(kind="system")), HOSTS,
     [{"containerPath": "/var/run/docker.sock", "hostPath": "/var/run/docker.sock",
       "mode": "RO"}], Severity.INFO),
    ("emptyDir override -> a folder of the sandbox",
     Mount(type="bind", source="./cache", target="/cache", host=MISSING),
     Environment(platform="marathon",
                 services={"web": ServiceSettings(mounts={"/cache": "emptyDir"})}),
     [{"containerPath": "/cache", "hostPath": "scratch-0", "mode": "RW"}], Severity.INFO),
]


@pytest.mark.parametrize(("case", "mount", "env", "volumes", "severity"), CASES,
                         ids=[c[0] for c in CASES])
def test_bind(case: str, mount: Mount, env: Environment | None,
              volumes: list[dict[str, Any]], severity: Severity, validate: Validate) -> None:
    result = render(make_plan(planned(service(volumes=(mount,))), environment=env))
    app = result.app
    assert app["container"].get("volumes", []) == volumes
    said = [d for d in result.diagnostics if d.key == "volumes"]
    assert [d.severity for d in said] == [severity]
    assert said[0].path == ("services", "web", "volumes", 0)
    assert validate(app, "app") == []
    resident = any("persistent" in v for v in volumes)
    assert (app.get("upgradeStrategy") == {"minimumHealthCapacity": 0.0,
                                           "maximumOverCapacity": 0.0}) is resident
