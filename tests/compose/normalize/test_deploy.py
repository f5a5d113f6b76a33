"""``deploy:`` to Topology and ``healthcheck:`` to Healthcheck."""

from __future__ import annotations

from typing import Any

import pytest

from translator.model import (
    Constraint,
    Healthcheck,
    HealthTest,
    Placement,
    Resources,
    ResourceSpec,
    RestartPolicy,
    Topology,
    UpdateConfig,
)
from translator.model.topology import DeviceRequest, GenericResource

from .conftest import error_of, one_service

S = 1_000_000_000


@pytest.mark.parametrize(
    ("text", "key", "op", "value"),
    [
        ("node.role == manager", "node.role", "==", "manager"),
        ("node.labels.zone!=eu", "node.labels.zone", "!=", "eu"),
        ("  node.hostname==n1  ", "node.hostname", "==", "n1"),
        ("engine.labels.os == linux x", "engine.labels.os", "==", "linux x"),
    ],
)
def test_constraints(text: str, key: str, op: str, value: str) -> None:
    topology = one_service({"deploy": {"placement": {"constraints": [text]}}}).topology
    assert topology.placement.constraints == (Constraint(key=key, op=op, value=value),)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["node.role", "node.role = manager", "== x", "node.role ==", 5])
def test_bad_constraint(text: Any) -> None:
    diag = error_of({"deploy": {"placement": {"constraints": ["node.role==manager", text]}}})
    assert diag.path == ("services", "web", "deploy", "placement", "constraints", 1)
    assert diag.message == (
        f"invalid placement constraint {text!r}: expected <key> == <value> or <key> != <value>, "
        "such as node.role == manager"
    )


def test_full_deploy() -> None:
    deploy = {
        "mode": "replicated",
        "replicas": 3,
        "endpoint_mode": "dnsrr",
        "labels": ["a=b"],
        "resources": {
            "limits": {"cpus": "0.5", "memory": "1.5g", "pids": 10},
            "reservations": {
                "cpus": 0.25,
                "memory": "512m",
                "devices": [{"capabilities": ["gpu"], "driver": "nvidia", "count": "all"}],
                "generic_resources": [{"discrete_resource_spec": {"kind": "ssd", "value": 2}}],
            },
        },
        "restart_policy": {
            "condition": "on-failure",
            "delay": "5s",
            "max_attempts": 3,
            "window": "2m",
        },
        "update_config": {
            "parallelism": 2,
            "delay": "10s",
            "order": "start-first",
            "failure_action": "rollback",
            "monitor": "1m",
            "max_failure_ratio": 0.3,
        },
        "rollback_config": {"parallelism": 0},
        "placement": {"preferences": [{"spread": "node.labels.zone"}], "max_replicas_per_node": 1},
    }
    service = one_service({"deploy": deploy})
    assert service.has_deploy
    assert service.topology == Topology(
        mode="replicated",
        replicas=3,
        endpoint_mode="dnsrr",
        labels={"a": "b"},
        resources=Resources(
            limits=ResourceSpec(cpus=0.5, memory=1_610_612_736, pids=10),
            reservations=ResourceSpec(
                cpus=0.25,
                memory=536_870_912,
                devices=(DeviceRequest(capabilities=("gpu",), driver="nvidia", count=-1),),
                generic_resources=(GenericResource(kind="ssd", value=2),),
            ),
        ),
        restart_policy=RestartPolicy(
            condition="on-failure", delay=5 * S, max_attempts=3, window=120 * S
        ),
        update_config=UpdateConfig(
            parallelism=2,
            delay=10 * S,
            order="start-first",
            failure_action="rollback",
            monitor=60 * S,
            max_failure_ratio=0.3,
        ),
        rollback_config=UpdateConfig(parallelism=0),
        placement=Placement(spread_over=("node.labels.zone",), max_replicas_per_node=1),
    )


@pytest.mark.parametrize(
    ("spec", "has_deploy"), [({}, False), ({"deploy": {}}, True), ({"deploy": None}, True)]
)
def test_has_deploy(spec: dict[str, Any], has_deploy: bool) -> None:
    service = one_service(spec)
    assert service.has_deploy is has_deploy
    assert service.topology == Topology()


@pytest.mark.parametrize(
    ("deploy", "path", "message"),
    [
        (
            {"mode": "daemon"},
            ("mode",),
            "invalid value 'daemon': expected one of replicated, global, replicated-job, "
            "global-job",
        ),
        ({"replicas": -1}, ("replicas",), "expected an integer of at least 0, got -1"),
        ({"replicas": "two"}, ("replicas",), "expected an integer, got a string 'two'"),
        (
            {"resources": {"limits": {"memory": "lots"}}},
            ("resources", "limits", "memory"),
            "invalid size 'lots': expected a size in bytes such as 512m, 1g, 1.5GB or 100k",
        ),
        (
            {"resources": {"limits": {"cpus": "x"}}},
            ("resources", "limits", "cpus"),
            "invalid cpus 'x': expected a number of CPUs such as 0.5 or 2",
        ),
        (
            {"restart_policy": {"condition": "always"}},
            ("restart_policy", "condition"),
            "invalid value 'always': expected one of none, on-failure, any, unless-stopped",
        ),
        (
            {"restart_policy": {"delay": "5"}},
            ("restart_policy", "delay"),
            "invalid duration '5': expected a Go duration such as 1m30s or 500ms",
        ),
        (
            {"update_config": {"order": "random"}},
            ("update_config", "order"),
            "invalid value 'random': expected one of start-first, stop-first",
        ),
        ({"placement": "anywhere"}, ("placement",), "expected a mapping, got a string"),
        (
            {"endpoint_mode": "lb"},
            ("endpoint_mode",),
            "invalid value 'lb': expected one of vip, dnsrr",
        ),
    ],
)
def test_deploy_errors(deploy: dict[str, Any], path: tuple[Any, ...], message: str) -> None:
    diag = error_of({"deploy": deploy})
    assert (diag.path, diag.message) == (("services", "web", "deploy", *path), message)


@pytest.mark.parametrize(
    ("healthcheck", "expected"),
    [
        (
            {"test": "curl -f http://localhost"},
            Healthcheck(test=HealthTest(kind="CMD-SHELL", command=("curl -f http://localhost",))),
        ),
        (
            {"test": ["CMD", "curl", "-f", "x"]},
            Healthcheck(test=HealthTest(kind="CMD", command=("curl", "-f", "x"))),
        ),
        (
            {"test": ["CMD-SHELL", "exit 0"]},
            Healthcheck(test=HealthTest(kind="CMD-SHELL", command=("exit 0",))),
        ),
        ({"test": ["NONE"]}, Healthcheck(test=HealthTest(kind="NONE"))),
        ({"disable": True}, Healthcheck(disable=True)),
        (
            {
                "interval": "1m30s",
                "timeout": "10s",
                "start_period": "1.5s",
                "start_interval": "5s",
                "retries": 3,
            },
            Healthcheck(
                interval=90 * S,
                timeout=10 * S,
                start_period=1_500_000_000,
                start_interval=5 * S,
                retries=3,
            ),
        ),
    ],
)
def test_healthcheck(healthcheck: dict[str, Any], expected: Healthcheck) -> None:
    assert one_service({"healthcheck": healthcheck}).healthcheck == expected


@pytest.mark.parametrize(
    ("healthcheck", "path", "message"),
    [
        (
            {"test": ["curl", "x"]},
            ("test",),
            "invalid healthcheck test ['curl', 'x']: a list must start with CMD, CMD-SHELL or NONE",
        ),
        (
            {"test": []},
            ("test",),
            "invalid healthcheck test []: a list must start with CMD, CMD-SHELL or NONE",
        ),
        (
            {"interval": 30},
            ("interval",),
            "invalid duration 30: expected a Go duration such as 1m30s or 500ms (a string, not a "
            "bare number)",
        ),
        ({"retries": -1}, ("retries",), "expected an integer of at least 0, got -1"),
    ],
)
def test_healthcheck_errors(
    healthcheck: dict[str, Any], path: tuple[Any, ...], message: str
) -> None:
    diag = error_of({"healthcheck": healthcheck})
    assert (diag.path, diag.message) == (("services", "web", "healthcheck", *path), message)


@pytest.mark.parametrize(
    ("engine", "kind", "deployed", "conflict"),
    [
        ({"cpus": 1.5}, "limits", {"cpus": "0.5"}, "'cpus' and 'deploy.resources.limits.cpus'"),
        (
            {"mem_limit": "1g"},
            "limits",
            {"memory": "2g"},
            "'mem_limit' and 'deploy.resources.limits.memory'",
        ),
        (
            {"pids_limit": 3},
            "limits",
            {"pids": 4},
            "'pids_limit' and 'deploy.resources.limits.pids'",
        ),
        (
            {"mem_reservation": "1m"},
            "reservations",
            {"memory": "2m"},
            "'mem_reservation' and 'deploy.resources.reservations.memory'",
        ),
    ],
)
def test_engine_and_deploy_resources_must_agree(
    engine: dict[str, Any], kind: str, deployed: dict[str, Any], conflict: str
) -> None:
    diag = error_of({**engine, "deploy": {"resources": {kind: deployed}}})
    assert diag.path == ("services", "web")
    assert diag.message == (
        f"can't set distinct values on {conflict}: set one of them, or the same value"
    )


def test_equal_engine_and_deploy_resources_are_fine() -> None:
    service = one_service(
        {
            "cpus": 1,
            "mem_limit": "1g",
            "deploy": {"resources": {"limits": {"cpus": "1.0", "memory": 1073741824}}},
        }
    )
    assert (service.cpus, service.topology.resources.limits.cpus) == (1.0, 1.0)
