"""The plan's topology -> deploy:, and the checks the manager makes but the schema does not."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from swarm_helpers import plan, planned, render, schema_errors, service

from translator.errors import TranslatorError
from translator.model import (
    Constraint,
    Environment,
    Placement,
    Port,
    PortRange,
    Resources,
    ResourceSpec,
    RestartPolicy,
    UpdateConfig,
)
from translator.model.base import NS_PER_SECOND
from translator.model.topology import GenericResource

MIB = 1024 * 1024
S = NS_PER_SECOND
ZONE = Environment(spread_key="node.labels.zone")

# (id, topology fields, service fields, environment, expected deploy)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], Environment, dict[str, Any]]] = [
    ("replicas", {"replicas": 3}, {}, Environment(), {"mode": "replicated", "replicas": 3}),
    ("zero-replicas", {"replicas": 0}, {}, Environment(), {"mode": "replicated", "replicas": 0}),
    ("global", {"mode": "global"}, {}, Environment(), {"mode": "global"}),
    (
        "replicated-job",
        {"mode": "replicated-job", "replicas": 2},
        {},
        Environment(),
        {"mode": "replicated-job", "replicas": 2},
    ),
    ("global-job", {"mode": "global-job"}, {}, Environment(), {"mode": "global-job"}),
    (
        "scale-becomes-replicas",
        {},
        {"scale": 4},
        Environment(),
        {"mode": "replicated", "replicas": 4},
    ),
    (
        "deploy-replicas-win-over-scale",
        {"replicas": 2},
        {"scale": 4},
        Environment(),
        {"mode": "replicated", "replicas": 2},
    ),
    (
        "endpoint-mode-labels",
        {"endpoint_mode": "dnsrr", "labels": {"tier": "web"}},
        {},
        Environment(),
        {"mode": "replicated", "endpoint_mode": "dnsrr", "labels": {"tier": "web"}},
    ),
    (
        "resources",
        {
            "resources": Resources(
                limits=ResourceSpec(cpus=0.5, memory=256 * MIB, pids=100),
                reservations=ResourceSpec(
                    cpus=0.1,
                    memory=64 * MIB,
                    generic_resources=(GenericResource(kind="gpu", value=1),),
                ),
            )
        },
        {},
        Environment(),
        {
            "mode": "replicated",
            "resources": {
                "limits": {"cpus": "0.5", "memory": "256m", "pids": 100},
                "reservations": {
                    "cpus": "0.1",
                    "memory": "64m",
                    "generic_resources": [{"discrete_resource_spec": {"kind": "gpu", "value": 1}}],
                },
            },
        },
    ),
    (
        "odd-memory-in-bytes",
        {"resources": Resources(limits=ResourceSpec(memory=5 * MIB + 1))},
        {},
        Environment(),
        {"mode": "replicated", "resources": {"limits": {"memory": "5242881b"}}},
    ),
    (
        "compose-resource-keys",
        {},
        {"cpus": 1.5, "mem_limit": 2 * 1024 * MIB, "mem_reservation": 512 * MIB, "pids_limit": 50},
        Environment(),
        {
            "mode": "replicated",
            "resources": {
                "limits": {"cpus": "1.5", "memory": "2g", "pids": 50},
                "reservations": {"memory": "512m"},
            },
        },
    ),
    (
        "deploy-resources-win",
        {"resources": Resources(limits=ResourceSpec(cpus=0.25))},
        {"cpus": 2.0, "mem_limit": 8 * MIB},
        Environment(),
        {"mode": "replicated", "resources": {"limits": {"cpus": "0.25", "memory": "8m"}}},
    ),
    (
        "restart-policy",
        {
            "restart_policy": RestartPolicy(
                condition="on-failure", delay=10 * S, max_attempts=3, window=120 * S
            )
        },
        {},
        Environment(),
        {
            "mode": "replicated",
            "restart_policy": {
                "condition": "on-failure",
                "delay": "10s",
                "max_attempts": 3,
                "window": "2m0s",
            },
        },
    ),
    (
        "restart-no",
        {},
        {"restart": "no"},
        Environment(),
        {"mode": "replicated", "restart_policy": {"condition": "none"}},
    ),
    (
        "restart-always",
        {},
        {"restart": "always"},
        Environment(),
        {"mode": "replicated", "restart_policy": {"condition": "any"}},
    ),
    (
        "restart-unless-stopped",
        {},
        {"restart": "unless-stopped"},
        Environment(),
        {"mode": "replicated", "restart_policy": {"condition": "any"}},
    ),
    (
        "restart-on-failure-n",
        {},
        {"restart": "on-failure:5"},
        Environment(),
        {"mode": "replicated", "restart_policy": {"condition": "on-failure", "max_attempts": 5}},
    ),
    (
        "update-rollback",
        {
            "update_config": UpdateConfig(
                parallelism=2,
                delay=10 * S,
                failure_action="rollback",
                monitor=30 * S,
                max_failure_ratio=0.1,
                order="start-first",
            ),
            "rollback_config": UpdateConfig(parallelism=1, order="stop-first"),
        },
        {},
        Environment(),
        {
            "mode": "replicated",
            "update_config": {
                "parallelism": 2,
                "delay": "10s",
                "failure_action": "rollback",
                "monitor": "30s",
                "max_failure_ratio": 0.1,
                "order": "start-first",
            },
            "rollback_config": {"parallelism": 1, "order": "stop-first"},
        },
    ),
    (
        "constraints",
        {
            "placement": Placement(
                constraints=(
                    Constraint(key="node.role", op="==", value="manager"),
                    Constraint(key="node.labels.disk", op="!=", value="hdd"),
                )
            )
        },
        {},
        Environment(),
        {
            "mode": "replicated",
            "placement": {"constraints": ["node.role == manager", "node.labels.disk != hdd"]},
        },
    ),
    (
        "spread-over-zone",
        {"placement": Placement(strategy="spread")},
        {},
        ZONE,
        {"mode": "replicated", "placement": {"preferences": [{"spread": "node.labels.zone"}]}},
    ),
    (
        "spread-bare-label",
        {"placement": Placement(strategy="spread")},
        {},
        Environment(spread_key="rack"),
        {"mode": "replicated", "placement": {"preferences": [{"spread": "node.labels.rack"}]}},
    ),
    (
        "spread-over-hostname-is-default",
        {"placement": Placement(strategy="spread", spread_over=("node.hostname",))},
        {},
        Environment(),
        {"mode": "replicated"},
    ),
    (
        "spread-resolved-not-repeated",
        {"placement": Placement(strategy="spread", spread_over=("node.labels.zone",))},
        {},
        ZONE,
        {"mode": "replicated", "placement": {"preferences": [{"spread": "node.labels.zone"}]}},
    ),
    (
        "max-replicas-per-node",
        {"replicas": 4, "placement": Placement(max_replicas_per_node=2)},
        {},
        Environment(),
        {"mode": "replicated", "replicas": 4, "placement": {"max_replicas_per_node": 2}},
    ),
]


@pytest.mark.parametrize(
    ("topology", "fields", "env", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_deploy(
    topology: dict[str, Any], fields: dict[str, Any], env: Environment, expected: dict[str, Any]
) -> None:
    result = render(plan(planned(service(**fields), **topology), environment=env))
    assert result.service()["deploy"] == expected
    assert schema_errors(result.content) == []


def test_planned_labels_join_deploy_labels() -> None:
    p = planned(service(), labels={"a": "1"}).model_copy(update={"labels": {"env": "prod"}})
    assert render(plan(p)).service()["deploy"]["labels"] == {"a": "1", "env": "prod"}


# (id, topology fields, service fields, key, path of the warning)
LOSSY: list[tuple[str, dict[str, Any], dict[str, Any], str, tuple[Any, ...]]] = [
    (
        "binpack",
        {"placement": Placement(strategy="binpack")},
        {},
        "deploy",
        ("services", "web", "deploy", "placement", "strategy"),
    ),
    (
        "job-update-config",
        {"mode": "replicated-job", "update_config": UpdateConfig(parallelism=1)},
        {},
        "deploy",
        ("services", "web", "deploy", "update_config"),
    ),
    (
        "global-max-per-node",
        {"mode": "global", "placement": Placement(max_replicas_per_node=1)},
        {},
        "deploy",
        ("services", "web", "deploy", "placement", "max_replicas_per_node"),
    ),
    ("global-scale", {"mode": "global"}, {"scale": 3}, "scale", ("services", "web", "scale")),
    (
        "restart-overridden",
        {"restart_policy": RestartPolicy(condition="on-failure")},
        {"restart": "always"},
        "restart",
        ("services", "web", "restart"),
    ),
    (
        "reservation-pids",
        {"resources": Resources(reservations=ResourceSpec(pids=5))},
        {},
        "deploy",
        ("services", "web", "deploy", "resources", "reservations", "pids"),
    ),
]


@pytest.mark.parametrize(
    ("topology", "fields", "key", "path"), [c[1:] for c in LOSSY], ids=[c[0] for c in LOSSY]
)
def test_lossy_deploy_is_diagnosed(
    topology: dict[str, Any], fields: dict[str, Any], key: str, path: tuple[Any, ...]
) -> None:
    result = render(plan(planned(service(**fields), **topology)))
    found = [d for d in result.diagnostics if d.path == path]
    assert [(d.service, d.key, d.target) for d in found] == [("web", key, "swarm")]
    assert schema_errors(result.content) == []


def test_restart_matching_policy_is_not_diagnosed() -> None:
    p = planned(service(restart="no"), restart_policy=RestartPolicy(condition="none"))
    assert render(plan(p)).diagnostics.items == []


def _published(
    name: str, port: int, mode: Literal["ingress", "host"] = "ingress", protocol: str = "tcp"
) -> Any:
    return service(
        name,
        ports=(
            Port(
                target=80, published=PortRange(start=port, end=port), mode=mode, protocol=protocol
            ),
        ),
    )


# (id, plan, error path, words the message must hold) - each is refused by a real manager.
ERRORS: list[tuple[str, Any, tuple[Any, ...], str]] = [
    (
        "memory-limit-below-4mib",
        plan(planned(service(), resources=Resources(limits=ResourceSpec(memory=4 * MIB - 1)))),
        ("services", "web", "deploy", "resources", "limits", "memory"),
        "4 MiB",
    ),
    (
        "memory-reservation-below-4mib",
        plan(planned(service(), resources=Resources(reservations=ResourceSpec(memory=MIB)))),
        ("services", "web", "deploy", "resources", "reservations", "memory"),
        "4 MiB",
    ),
    (
        "mem-limit-key-below-4mib",
        plan(service(mem_limit=1024)),
        ("services", "web", "mem_limit"),
        "4 MiB",
    ),
    (
        "cpus-below-0.001",
        plan(planned(service(), resources=Resources(limits=ResourceSpec(cpus=0.0005)))),
        ("services", "web", "deploy", "resources", "limits", "cpus"),
        "0.001",
    ),
    (
        "mem-reservation-key-below-4mib",
        plan(service(mem_reservation=4 * MIB - 1)),
        ("services", "web", "mem_reservation"),
        "4 MiB",
    ),
    (
        "cpus-key-below-0.001",
        plan(service(cpus=0.0001)),
        ("services", "web", "cpus"),
        "0.001",
    ),
    ("name-with-dot", plan(service("web.v2")), ("services", "web.v2"), "DNS label"),
    ("name-trailing-dash", plan(service("web-")), ("services", "web-"), "DNS label"),
    (
        "stack-prefix-with-dot",
        plan(service(), environment=Environment(namespace="my.app")),
        ("services", "web"),
        "DNS label",
    ),
    (
        "name-too-long-with-stack",
        plan(service("s" * 60), name="demo"),
        ("services", "s" * 60),
        "63",
    ),
    (
        "bad-restart",
        plan(service(restart="sometimes")),
        ("services", "web", "restart"),
        "restart condition",
    ),
    (
        "restart-count-on-always",
        plan(service(restart="always:3")),
        ("services", "web", "restart"),
        "on-failure",
    ),
    (
        "same-ingress-port",
        plan(_published("a", 8080), _published("b", 8080)),
        ("services", "b", "ports", 0),
        "8080/tcp",
    ),
    (
        "replicas-with-global",
        plan(planned(service(), mode="global", replicas=2)),
        ("services", "web", "deploy", "replicas"),
        "global",
    ),
    (
        "replicas-with-global-job",
        plan(planned(service(), mode="global-job", replicas=1)),
        ("services", "web", "deploy", "replicas"),
        "global-job",
    ),
    ("no-artifact", plan(service(image=None)), ("services", "web", "image"), "no image"),
    (
        "dnsrr-with-ingress-port",
        plan(planned(_published("web", 8080), endpoint_mode="dnsrr")),
        ("services", "web", "ports", 0),
        "endpoint_mode dnsrr",
    ),
    (
        "dnsrr-with-unpublished-ingress-port",
        plan(planned(service(ports=(Port(target=80),)), endpoint_mode="dnsrr")),
        ("services", "web", "ports", 0),
        "ingress mode",
    ),
]


@pytest.mark.parametrize(
    ("p", "path", "words"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS]
)
def test_manager_checks(p: Any, path: tuple[Any, ...], words: str) -> None:
    with pytest.raises(TranslatorError) as info:
        render(p)
    [diagnostic] = info.value.diagnostics
    assert diagnostic.path == path
    assert words in diagnostic.message


ACCEPTED: list[tuple[str, Any]] = [
    ("memory-exactly-4mib", plan(service(mem_limit=4 * MIB))),
    ("dnsrr-with-host-port", plan(planned(_published("web", 8080, "host"), endpoint_mode="dnsrr"))),
    ("dnsrr-without-ports", plan(planned(service(), endpoint_mode="dnsrr"))),
    ("cpus-exactly-0.001", plan(service(cpus=0.001))),
    (
        "deploy-resources-override-a-bad-compose-key",
        plan(
            planned(service(mem_limit=1), resources=Resources(limits=ResourceSpec(memory=MIB * 8)))
        ),
    ),
    (
        "zero-means-unlimited",
        plan(planned(service(), resources=Resources(limits=ResourceSpec(cpus=0, memory=0)))),
    ),
    ("underscore-name", plan(service("web_v2"))),
    ("leading-dash-after-stack-prefix", plan(service("-web"))),
    ("same-port-other-protocol", plan(_published("a", 53), _published("b", 53, protocol="udp"))),
    ("same-port-host-mode", plan(_published("a", 80, "host"), _published("b", 80, "host"))),
]


@pytest.mark.parametrize("p", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_manager_checks_accept_edges(p: Any) -> None:
    assert schema_errors(render(p).content) == []
