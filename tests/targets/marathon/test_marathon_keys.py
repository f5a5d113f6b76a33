"""Every compose key is mapped or diagnosed, by service, key and target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from marathon_helpers import plan as make_plan
from marathon_helpers import planned, render, service

from translator.errors import Severity
from translator.model import (
    Dependency,
    Healthcheck,
    Mount,
    Placement,
    PlannedService,
    Port,
    Resources,
    ResourceSpec,
    RestartPolicy,
    ServiceNetwork,
    Topology,
    Ulimit,
    UpdateConfig,
)
from translator.model.base import MIB
from translator.model.hostfiles import HostFile, HostSource
from translator.targets.base import handling_of
from translator.targets.marathon import TARGET as _TARGET

KEYS = _TARGET.keys

S = 1_000_000_000


def test_keys_cover_the_compose_spec(conformance_dir: Path) -> None:
    spec = json.loads((conformance_dir / "schemas" / "compose-spec.json").read_text())
    keys = set(spec["definitions"]["service"]["properties"])
    assert len(keys) == 92
    assert set(KEYS) == keys


@pytest.mark.parametrize("key", sorted(k for k, v in KEYS.items() if handling_of(v) != "mapped"))
def test_unmapped_keys_warn_by_service_key_and_target(key: str) -> None:
    svc = service("web", source_keys=("image", key))
    result = render(make_plan(svc))
    [diag] = list(result.diagnostics)
    assert (diag.severity, diag.service, diag.key, diag.target) == (
        Severity.WARNING, "web", key, "marathon")
    assert diag.path == ("services", "web", key)


def test_mapped_keys_are_silent() -> None:
    mapped = tuple(k for k, v in KEYS.items() if handling_of(v) == "mapped")
    svc = service("web", source_keys=mapped)
    assert list(render(make_plan(svc)).diagnostics) == []


def one(svc: Any = None, **kw: Any) -> PlannedService:
    return planned(svc if svc is not None else service(), **kw)


# Losses that depend on a value: (case, planned service, the keys warned about).
VALUE_CASES: list[tuple[str, PlannedService, list[str]]] = [
    ("restart no", one(service(restart="no")), ["restart"]),
    ("restart on-failure", one(service(restart="on-failure")), ["restart"]),
    ("restart always", one(service(restart="always")), []),
    ("pull never", one(service(pull_policy="never")), ["pull_policy"]),
    ("pass-through env", one(service(environment={"TOKEN": None})), ["environment"]),
    ("network aliases", one(service(networks={"back": ServiceNetwork(aliases=("api",))})),
     ["networks"]),
    ("plain network", one(service(networks={"back": None})), []),
    ("network_mode none", one(service(network_mode="none")), ["network_mode"]),
    ("sctp port", one(service(ports=(Port(target=9, protocol="sctp"),))), ["ports"]),
    ("host_ip", one(service(ports=(Port(target=80, host_ip="127.0.0.1"),))), ["ports"]),
    ("image healthcheck", one(service(healthcheck=Healthcheck(interval=5 * S))),
     ["healthcheck"]),
    ("configuration bind", one(service(volumes=(Mount(
        type="bind", source="./conf", target="/c",
        host=HostSource(kind="folder", files=(HostFile(name="a.conf", text="x"),))),))),
     ["volumes"]),
    ("data bind", one(service(volumes=(Mount(type="bind", source="./data", target="/data",
                                             host=HostSource(kind="missing")),))), []),
    ("anonymous volume", one(service(volumes=(Mount(type="volume", target="/cache"),))),
     ["volumes"]),
    ("completed dependency",
     one(service(depends_on={"db": Dependency(condition="service_completed_successfully")})),
     ["depends_on"]),
    ("optional dependency outside the project",
     one(service(depends_on={"ghost": Dependency(required=False), "db": Dependency()})),
     ["depends_on"]),
    ("binpack", one(topology=Topology(placement=Placement(strategy="binpack"))), ["deploy"]),
    ("global", one(topology=Topology(mode="global")), ["deploy"]),
    ("job", one(topology=Topology(mode="replicated-job")), ["deploy"]),
    ("restart condition none",
     one(topology=Topology(restart_policy=RestartPolicy(condition="none"))), ["deploy"]),
    ("update monitor", one(topology=Topology(update_config=UpdateConfig(monitor=S))),
     ["deploy"]),
    ("reservation differs from limit", one(topology=Topology(resources=Resources(
        limits=ResourceSpec(memory=2 * MIB), reservations=ResourceSpec(memory=MIB)))), ["deploy"]),
    ("role constraint", one(topology=Topology(placement=Placement(
        spread_over=("node.role",)))), ["deploy"]),
]


@pytest.mark.parametrize(("label", "subject", "keys"), VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_value_losses(label: str, subject: PlannedService, keys: list[str]) -> None:
    # The keys used are all mapped: only their values are reported (the loader's source_keys
    # stay, since a key the service does not use is never rendered).
    result = render(make_plan(subject, service("db", "postgres:16", source_keys=())))
    # Choices said at info level (a bind's volume) lose nothing.
    assert [d.key for d in result.diagnostics if d.severity is not Severity.INFO] == keys
    assert all(d.service == "web" and d.target == "marathon" for d in result.diagnostics)


def test_ulimits_and_cap_add_are_reported() -> None:
    svc = service(ulimits={"nofile": Ulimit(soft=1, hard=2)}, cap_add=("NET_ADMIN",))
    assert sorted(render(make_plan(svc)).diagnostic_keys()) == ["cap_add", "ulimits"]
