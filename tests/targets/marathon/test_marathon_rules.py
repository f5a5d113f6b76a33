"""Marathon's own validation rules (marathon_rules.py): each breaks on an app Marathon
refuses and holds on its fixed form, and the renderer's checks refuse the same app."""

from __future__ import annotations

from typing import Any

import pytest
from marathon_rules import RULES, violations

from translator.errors import TranslatorError
from translator.targets.marathon.checks import check_app

ID = "/shop/web"
HOST = [{"mode": "host"}]
TWO = [{"mode": "container", "name": "a"}, {"mode": "container", "name": "b"}]
DISK = {"containerPath": "data", "mode": "RW", "persistent": {"size": 1}}

# rule name -> (an app Marathon refuses, the same app fixed)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "id segments match ID_PATH_SEGMENT_PATTERN": ({"id": "/shop/a.-b"}, {"id": "/shop/a.b"}),
    "id does not end in restart, tasks or versions": (
        {"id": "/shop/restart"}, {"id": "/shop/restart-app"}),
    "cmd is longer than one character": ({"id": ID, "cmd": "x"}, {"id": ID, "cmd": "ls"}),
    "cmd and args are exclusive": (
        {"id": ID, "cmd": "ls", "args": ["x"]}, {"id": ID, "cmd": "ls"}),
    "DOCKER joins at most one container network": (
        {"id": ID, "networks": TWO}, {"id": ID, "networks": TWO, "container": {"type": "MESOS"}}),
    "MESOS takes no docker parameters": (
        {"id": ID, "container": {"type": "MESOS", "docker": {"parameters": [{"key": "init"}]}}},
        {"id": ID, "container": {"type": "DOCKER", "docker": {"parameters": [{"key": "init"}]}}}),
    "one host, one bridge, or 1-n container networks": (
        {"id": ID, "networks": [*HOST, {"mode": "container/bridge"}]},
        {"id": ID, "networks": HOST}),
    "container network names are unique": (
        {"id": ID, "container": {"type": "MESOS"}, "networks": [TWO[0], TWO[0]]},
        {"id": ID, "container": {"type": "MESOS"}, "networks": TWO}),
    "no portMappings on host networking": (
        {"id": ID, "networks": HOST, "container": {"portMappings": [{"containerPort": 80}]}},
        {"id": ID, "networks": HOST, "portDefinitions": [{"port": 80}]}),
    "portDefinitions only on host networking": (
        {"id": ID, "portDefinitions": [{"port": 80}]},
        {"id": ID, "container": {"portMappings": [{"containerPort": 80}]}}),
    "port names are unique": (
        {"id": ID, "container": {"portMappings": [{"containerPort": 1, "name": "a"},
                                                  {"containerPort": 2, "name": "a"}]}},
        {"id": ID, "container": {"portMappings": [{"containerPort": 1, "name": "a"},
                                                  {"containerPort": 2, "name": "b"}]}}),
    "portDefinitions ports are unique (0 aside)": (
        {"id": ID, "networks": HOST, "portDefinitions": [{"port": 53}, {"port": 53}]},
        {"id": ID, "networks": HOST, "portDefinitions": [{"port": 0}, {"port": 0}]}),
    "a hostPort on several networks names one of them": (
        {"id": ID, "networks": TWO, "container": {"type": "MESOS", "portMappings": [
            {"containerPort": 80, "hostPort": 0}]}},
        {"id": ID, "networks": TWO, "container": {"type": "MESOS", "portMappings": [
            {"containerPort": 80, "hostPort": 0, "networkNames": ["a"]}]}}),
    "at most one Mesos (non-command) health check": (
        {"id": ID, "healthChecks": [{"protocol": "MESOS_HTTP"}, {"protocol": "MESOS_TCP"}]},
        {"id": ID, "healthChecks": [{"protocol": "MESOS_HTTP"}, {"protocol": "COMMAND"}]}),
    "a health check portIndex addresses a port": (
        {"id": ID, "healthChecks": [{"protocol": "HTTP", "portIndex": 1}],
         "container": {"portMappings": [{"containerPort": 80}]}},
        {"id": ID, "healthChecks": [{"protocol": "HTTP", "portIndex": 0}],
         "container": {"portMappings": [{"containerPort": 80}]}}),
    "constraints follow their operator's rules": (
        {"id": ID, "constraints": [["zone", "UNLIKE", "(eu"]]},
        {"id": ID, "constraints": [["zone", "UNLIKE", "eu"]]}),
    "single-instance apps run one instance, upgrade 0/0": (
        {"id": ID, "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}, "instances": 2},
        {"id": ID, "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}, "instances": 1,
         "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}),
    "persistent volumes: one relative segment, size > 0": (
        {"id": ID, "container": {"volumes": [{**DISK, "containerPath": "/data"}]},
         "upgradeStrategy": {"maximumOverCapacity": 0}},
        {"id": ID, "container": {"volumes": [DISK]},
         "upgradeStrategy": {"maximumOverCapacity": 0}}),
    "resident apps never over-provision": (
        {"id": ID, "container": {"volumes": [DISK]}},
        {"id": ID, "container": {"volumes": [DISK]},
         "upgradeStrategy": {"maximumOverCapacity": 0}}),
}


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(r.name for r in RULES)
    assert all(r.source.endswith(".scala") for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule(rule: Any) -> None:
    refused, fixed = CASES[rule.name]
    assert not rule.holds(refused)
    assert violations(fixed) == []
    # The renderer's checks refuse what Marathon refuses, at the service's path.
    with pytest.raises(TranslatorError) as info:
        check_app(refused, (), ("services", "web"))
    assert info.value.diagnostics[0].path == ("services", "web")
    assert info.value.diagnostics[0].code == "marathon.invalid-app"
    check_app(fixed, (), ("services", "web"))
