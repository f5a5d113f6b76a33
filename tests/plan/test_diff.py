from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from plan_helpers import REPO, SHOP_SERVICES, make_project
from plan_strategies import environments

from translator.model import (
    Environment,
    Exposure,
    Resources,
    ResourceSpec,
    ServiceSettings,
    Storage,
    UpdateConfig,
)
from translator.plan.diff import (
    ENVIRONMENT_ROW,
    DiffRow,
    diff_json,
    diff_plans,
    diff_table,
    format_value,
    volume_row,
)
from translator.plan.environments import load_environment
from translator.plan.resolve import resolve_plan

PROJECT = make_project()
SERVICES = list(PROJECT.services)
ENVIRONMENTS = environments(SERVICES, list(PROJECT.volumes))
MI = 1024**2

# Which diff fields each environment setting can change.
SETTING_FIELDS = {
    "replicas": {"replicas"},
    "mode": {"mode"},
    "strategy": {"strategy", "spread_over"},
    "constraints": {"constraints"},
    "max_replicas_per_node": {"max_replicas_per_node"},
    "resources": {"resources.limits", "resources.reservations"},
    "restart_policy": {"restart_policy"},
    "update_config": {"update_config"},
    "exposure": {"exposure"},
    "stateful": {"stateful"},
    "readiness_probe": {"readiness_probe"},
    "labels": {"labels"},
    "annotations": {"annotations"},
}


def settable(env: Environment, service: str) -> set[str]:
    """The diff fields ``env`` sets for ``service`` (defaults and its own settings)."""
    layers = [env.defaults, env.services.get(service, ServiceSettings())]
    out: set[str] = set()
    for layer in layers:
        for name in layer.model_fields_set:
            if name in ("labels", "annotations") and not getattr(layer, name):
                continue
            out |= SETTING_FIELDS[name]
    return out


def test_identical_plans_have_no_rows() -> None:
    plan = resolve_plan(PROJECT, Environment())
    assert diff_plans(plan, plan) == []
    assert diff_table([]) == "no differences\n"


def test_rows_name_the_differing_fields_in_stable_order() -> None:
    a = resolve_plan(PROJECT, Environment(name="uat"))
    b = resolve_plan(PROJECT, Environment(
        name="production", production=True,
        defaults=ServiceSettings(replicas=3),
        services={"db": ServiceSettings(
            replicas=1, resources=Resources(limits=ResourceSpec(memory=512 * MI)),
            update_config=UpdateConfig(delay=10**10), exposure=Exposure(type="node-port"),
        )},
        volumes={"db-data": Storage(size=1024 * MI)},
    ))
    rows = diff_plans(a, b)
    assert [(r.service, r.field) for r in rows] == [
        (ENVIRONMENT_ROW, "production"),
        *[(name, "replicas") for name in SHOP_SERVICES],
        ("db", "resources.limits"),
        ("db", "update_config"),
        ("db", "exposure"),
        (volume_row("db-data"), "size"),
    ]
    by_key = {(r.service, r.field): r for r in rows}
    assert by_key["accounts", "replicas"] == DiffRow("accounts", "replicas", None, 3)
    assert by_key["db", "resources.limits"].b == {"cpus": 1.0, "memory": 512 * MI}
    data = diff_json(rows)
    assert json.loads(json.dumps(data)) == data
    assert data[-1] == {"service": "(volume db-data)", "field": "size", "a": None, "b": 1024**3}
    table = diff_table(rows, "uat", "production").splitlines()
    assert table[0].split() == ["SERVICE", "FIELD", "uat", "production"]
    assert table[-1].split() == ["(volume", "db-data)", "size", "-", "1Gi"]
    assert any("cpus=1.0 memory=512Mi" in line for line in table)
    assert any("delay=10s" in line for line in table)
    assert "\x1b" not in "\n".join(table)


def test_services_in_one_plan_only() -> None:
    env = Environment()
    rows = diff_plans(resolve_plan(PROJECT, env, only=["db"]), resolve_plan(PROJECT, env))
    assert {(r.field, r.a, r.b) for r in rows} == {("planned", False, True)}
    assert [r.service for r in rows] == list(SHOP_SERVICES)


@pytest.mark.parametrize(
    ("value", "key", "text"),
    [(None, "", "-"), (True, "", "true"), (512 * MI, "memory", "512Mi"), (1000, "size", "1000"),
     (90 * 10**9, "delay", "1m30s"), (["a", "b"], "", "a, b"), ([], "", "[]"), ({}, "", "{}"),
     ({"memory": 1024**3, "cpus": 0.5}, "", "memory=1Gi cpus=0.5"), (3, "replicas", "3")],
)
def test_format_value(value: object, key: str, text: str) -> None:
    assert format_value(value, key) == text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ENVIRONMENTS, ENVIRONMENTS)
def test_plans_differ_only_in_fields_the_environments_set(a: Environment, b: Environment) -> None:
    plan_a, plan_b = resolve_plan(PROJECT, a), resolve_plan(PROJECT, b)
    rows = diff_plans(plan_a, plan_b)
    for name in SERVICES:
        fields = {r.field for r in rows if r.service == name}
        # Complete: a service without rows is planned identically ...
        assert (not fields) == (plan_a.services[name] == plan_b.services[name])
        # ... and sound: every row is a field one of the environments sets.
        assert fields <= settable(a, name) | settable(b, name)
    for name in PROJECT.volumes:
        has_rows = any(r.service == volume_row(name) for r in rows)
        assert has_rows == (plan_a.storage[name] != plan_b.storage[name])


def test_shop_uat_versus_production() -> None:
    directory = REPO / "samples" / "shop" / "environments"
    names = [*SHOP_SERVICES, "db"]
    uat = resolve_plan(PROJECT, load_environment("uat", directory, names))
    prod = resolve_plan(PROJECT, load_environment("production", directory, names))
    rows = {(r.service, r.field): r for r in diff_plans(uat, prod)}
    assert rows["db", "constraints"].b == ["node.labels.role==database"]
    assert rows["customer-service", "exposure"].b["type"] == "ingress"
    assert rows["accounts", "replicas"] == DiffRow("accounts", "replicas", 1, 3)
    assert (ENVIRONMENT_ROW, "production") in rows
    assert not any(r.field == "image" for r in rows.values())
