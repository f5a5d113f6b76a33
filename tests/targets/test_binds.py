"""The bind mount decision table every cluster target shares (translator/targets/binds.py)."""

from __future__ import annotations

import pytest

from translator.model import (
    Build,
    Environment,
    Mount,
    Plan,
    PlannedService,
    Project,
    Service,
    ServiceSettings,
    Topology,
)
from translator.model.hostfiles import HostFile, HostSource
from translator.targets.binds import OUTCOMES, Outcome, decide, is_config

FILES = (HostFile(name="a.conf", text="x"),)
FOLDER = HostSource(kind="folder", files=FILES)
FILE = HostSource(kind="file", files=FILES)
EMPTY = HostSource(kind="folder")
ALL = frozenset(OUTCOMES)
NO_CONFIG_MAPS = frozenset({"pvc", "emptyDir", "hostPath"})


def _mount(source: str, target: str, host: HostSource | None, read_only: bool = False) -> Mount:
    return Mount(type="bind", source=source, target=target, host=host, read_only=read_only)


def _plan(mount: Mount, env: Environment | None = None, labels: dict[str, str] | None = None,
          build: str | None = None) -> tuple[Plan, PlannedService]:
    svc = Service(name="web", volumes=(mount,), labels=labels or {},
                  build=Build(context=build) if build else None)
    planned = PlannedService(service=svc, topology=Topology())
    plan = Plan(project=Project(name="p", services={"web": svc}),
                environment=env or Environment(), services={"web": planned})
    return plan, planned


HOSTS = Environment(allow_host_paths=True)
TABLE: list[tuple[str, Mount, Environment | None, dict[str, str], frozenset[Outcome],
                  Outcome, bool]] = [
    ("config file", _mount("./a.conf", "/etc/a.conf", FILE), None, {}, ALL, "configMap", False),
    ("read-only folder", _mount("./x", "/srv", FOLDER, True), None, {}, ALL, "configMap", False),
    ("folder at a config path", _mount("./p", "/etc/prometheus", FOLDER), None, {}, ALL,
     "configMap", False),
    ("data folder", _mount("./data", "/var/lib/mysql", FOLDER), None, {}, ALL, "pvc", False),
    ("empty folder", _mount("./x", "/srv", EMPTY), None, {}, ALL, "pvc", False),
    ("missing source", _mount("./x", "/srv", HostSource(kind="missing")), None, {}, ALL, "pvc",
     False),
    ("nested config", _mount("./x", "/etc/x", HostSource(kind="nested")), None, {}, ALL, "pvc",
     True),
    ("config without ConfigMaps", _mount("./x", "/etc/x", FOLDER), None, {}, NO_CONFIG_MAPS,
     "pvc", True),
    ("socket", _mount("/var/run/docker.sock", "/s", HostSource(kind="system")), None, {}, ALL,
     "dropped", True),
    ("socket where host paths are allowed", _mount("/var/run/docker.sock", "/s",
     HostSource(kind="system")), HOSTS, {}, ALL, "hostPath", False),
    ("relative source where host paths are allowed", _mount("./a.conf", "/etc/a.conf", FILE),
     HOSTS, {}, ALL, "configMap", False),
    ("outside the project", _mount("../x", "/x", HostSource(kind="outside")), None, {}, ALL,
     "pvc", False),
    ("environment override", _mount("./a.conf", "/etc/a.conf", FILE),
     Environment(services={"web": ServiceSettings(mounts={"/etc/a.conf": "emptyDir"})}), {},
     ALL, "emptyDir", False),
    ("persistentVolumeClaim spelling", _mount("./a.conf", "/etc/a.conf", FILE),
     Environment(defaults=ServiceSettings(mounts={"/etc/a.conf": "persistentVolumeClaim"})),
     {}, ALL, "pvc", False),
    ("label", _mount("./a.conf", "/etc/a.conf", FILE), None,
     {"kompose.volume.type": "emptyDir"}, ALL, "emptyDir", False),
    ("environment wins over label", _mount("./a.conf", "/etc/a.conf", FILE),
     Environment(services={"web": ServiceSettings(mounts={"/etc/a.conf": "pvc"})}),
     {"kompose.volume.type": "emptyDir"}, ALL, "pvc", False),
    ("hostPath refused", _mount("/srv", "/srv", HostSource(kind="outside")), None,
     {"kompose.volume.type": "hostPath"}, ALL, "pvc", True),
    ("configMap of a missing source refused", _mount("./x", "/x", HostSource(kind="missing")),
     None, {"kompose.volume.type": "configMap"}, ALL, "pvc", True),
    ("override the target lacks", _mount("./a.conf", "/etc/a.conf", FILE), None,
     {"kompose.volume.type": "configMap"}, NO_CONFIG_MAPS, "pvc", True),
]


@pytest.mark.parametrize(("case", "mount", "env", "labels", "can", "outcome", "lost"), TABLE,
                         ids=[t[0] for t in TABLE])
def test_decision(case: str, mount: Mount, env: Environment | None, labels: dict[str, str],
                  can: frozenset[Outcome], outcome: Outcome, lost: bool) -> None:
    plan, planned = _plan(mount, env, labels)
    found = decide(plan, planned, mount, can)
    assert (found.outcome, found.lost) == (outcome, lost), found.why


def test_the_build_context_mounted_over_its_image_is_dropped_quietly() -> None:
    mount = _mount("./app", "/usr/src/app", HostSource(kind="nested"))
    plan, planned = _plan(mount, build="./app")
    found = decide(plan, planned, mount, ALL)
    assert (found.outcome, found.lost) == ("dropped", False)
    plan, planned = _plan(mount, build="./other")
    assert decide(plan, planned, mount, ALL).outcome == "pvc"


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("./grafana", "/etc/grafana/provisioning", True),
    ("./dashboards", "/var/lib/grafana/dashboards", True),
    ("./html", "/usr/share/nginx/html", True),
    ("./data/nextcloud", "/var/www/html", False),
    ("./mysql", "/var/lib/mysql", False),
    ("./redis", "/data", False),
])
def test_configuration_or_data(source: str, target: str, expected: bool) -> None:
    assert is_config(_mount(source, target, FOLDER)) is expected
