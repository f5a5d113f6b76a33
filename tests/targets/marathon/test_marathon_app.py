"""Compose service -> Marathon app fragment, one table row per mapping rule.

Every rendered app is also validated against Marathon 1.7's AppDefinition schema.
"""

from __future__ import annotations

from typing import Any

import pytest
from marathon_helpers import Validate, planned, render, service
from marathon_helpers import plan as make_plan

from translator.model import (
    Constraint,
    Dependency,
    Environment,
    ExposedPort,
    Exposure,
    Healthcheck,
    HealthTest,
    Mount,
    Placement,
    PlannedService,
    Port,
    PortRange,
    Resources,
    ResourceSpec,
    RestartPolicy,
    ServiceSettings,
    Storage,
    Topology,
    UpdateConfig,
)
from translator.model.service import TmpfsOptions

S = 1_000_000_000
MIB = 1024 * 1024
ABSENT = object()


def get(app: dict[str, Any], dotted: str) -> Any:
    node: Any = app
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return ABSENT
        node = node[part]
    return node


def one(svc: Any = None, **kw: Any) -> PlannedService:
    return planned(svc if svc is not None else service(), **kw)


def pub(port: int) -> PortRange:
    return PortRange(start=port, end=port)


CASES: list[tuple[str, PlannedService, dict[str, Any]]] = [
    ("defaults", one(), {
        "id": "/shop/web", "instances": 1, "cpus": 1.0, "mem": 128, "disk": 0,
        "container": {"type": "DOCKER", "docker": {"image": "nginx:1.25"}},
        "networks": [{"mode": "container/bridge"}],
        "cmd": ABSENT, "args": ABSENT, "healthChecks": ABSENT, "upgradeStrategy": ABSENT,
    }),
    ("pull always", one(service(pull_policy="always")),
     {"container.docker.forcePullImage": True}),
    ("pull missing", one(service(pull_policy="missing")),
     {"container.docker.forcePullImage": ABSENT}),
    ("exec command -> args", one(service(command=("npm", "start"))),
     {"args": ["npm", "start"], "cmd": ABSENT}),
    ("shell form -> cmd", one(service(command=("sh", "-c", "echo $HOME && run"))),
     {"cmd": "echo $HOME && run", "args": ABSENT}),
    ("bash path shell form -> cmd", one(service(command=("/bin/bash", "-c", "ls"))),
     {"cmd": "ls", "args": ABSENT}),
    # AppValidation.scala refuses a cmd of one character: it stays args.
    ("one-character script stays args", one(service(command=("sh", "-c", "x"))),
     {"args": ["sh", "-c", "x"], "cmd": ABSENT}),
    ("shell form with entrypoint stays args",
     one(service(command=("sh", "-c", "x"), entrypoint=("tini", "--"))),
     {"args": ["--", "sh", "-c", "x"], "cmd": ABSENT,
      "container.docker.parameters": [{"key": "entrypoint", "value": "tini"}]}),
    ("entrypoint alone", one(service(entrypoint=("/docker-entrypoint.sh", "serve"))),
     {"args": ["serve"],
      "container.docker.parameters": [{"key": "entrypoint", "value": "/docker-entrypoint.sh"}]}),
    ("empty entrypoint resets", one(service(entrypoint=())),
     {"args": ABSENT, "container.docker.parameters": [{"key": "entrypoint", "value": ""}]}),
    ("working_dir -> workdir parameter", one(service(working_dir="/srv")),
     {"container.docker.parameters": [{"key": "workdir", "value": "/srv"}]}),
    ("init -> init parameter", one(service(init=True)),
     {"container.docker.parameters": [{"key": "init", "value": "true"}]}),
    ("init false adds nothing", one(service(init=False)),
     {"container.docker.parameters": ABSENT}),
    ("published port", one(service(ports=(Port(target=80, published=pub(8080)),))),
     {"container.portMappings": [
         {"containerPort": 80, "hostPort": 8080, "protocol": "tcp", "name": "tcp-80"}]}),
    ("unpublished udp port is dynamic",
     one(service(ports=(Port(target=53, protocol="UDP", name="DNS"),))),
     {"container.portMappings": [
         {"containerPort": 53, "hostPort": 0, "protocol": "udp", "name": "dns"}]}),
    ("expose on the bridge", one(service(expose=(ExposedPort(start=9000, end=9001),))),
     {"container.portMappings": [
         {"containerPort": 9000, "hostPort": 0, "protocol": "tcp", "name": "tcp-9000"},
         {"containerPort": 9001, "hostPort": 0, "protocol": "tcp", "name": "tcp-9001"}]}),
    ("named network, expose takes no host port",
     one(service(networks={"backend": None}, expose=(ExposedPort(start=8080, end=8080),))),
     {"networks": [{"mode": "container", "name": "backend"}],
      "container.portMappings": [{"containerPort": 8080, "protocol": "tcp", "name": "tcp-8080"}]}),
    ("two networks pin the host port to the first, on the MESOS containerizer",
     one(service(networks={"front": None, "back_end": None},
                 ports=(Port(target=80, published=pub(80)),))),
     {"container.type": "MESOS",
      "networks": [{"mode": "container", "name": "front"},
                   {"mode": "container", "name": "back-end"}],
      "container.portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp",
                                  "name": "tcp-80", "networkNames": ["front"]}]}),
    ("default network only is the bridge", one(service(networks={"default": None})),
     {"networks": [{"mode": "container/bridge"}]}),
    ("host network", one(service(network_mode="host", ports=(Port(target=9100),))),
     {"networks": [{"mode": "host"}], "requirePorts": True,
      "portDefinitions": [{"port": 9100, "protocol": "tcp", "name": "tcp-9100"}],
      "container.portMappings": ABSENT}),
    ("host network without ports", one(service(network_mode="host")),
     {"portDefinitions": [], "requirePorts": ABSENT}),
    ("env and labels are strings",
     one(service(environment={"A": "1", "EMPTY": "", "PASS": None}, labels={"tier": "web"})),
     {"env": {"A": "1", "EMPTY": ""},
      "labels": {"tier": "web", "managed-by": "compose-translator"}}),
    ("replicas -> instances", one(topology=Topology(replicas=3)), {"instances": 3}),
    ("zero replicas", one(topology=Topology(replicas=0)), {"instances": 0}),
    ("scale without deploy replicas", one(service(scale=2)), {"instances": 2}),
    ("limits -> cpus and mem MiB",
     one(topology=Topology(resources=Resources(
         limits=ResourceSpec(cpus=0.5, memory=256 * MIB)))),
     {"cpus": 0.5, "mem": 256}),
    ("reservation when no limit, bytes round up to MiB",
     one(topology=Topology(resources=Resources(
         reservations=ResourceSpec(cpus=0.25, memory=100_000_000)))),
     {"cpus": 0.25, "mem": 96}),
    ("compose-engine mem_limit", one(service(mem_limit=64 * MIB, cpus=2.0)),
     {"cpus": 2.0, "mem": 64}),
    ("user name -> user", one(service(user="nobody")),
     {"user": "nobody", "container.docker.parameters": ABSENT}),
    ("uid:gid -> docker user parameter", one(service(user="65534:65534")),
     {"user": ABSENT, "container.docker.parameters": [{"key": "user", "value": "65534:65534"}]}),
    ("uid -> docker user parameter", one(service(user="1000")),
     {"user": ABSENT, "container.docker.parameters": [{"key": "user", "value": "1000"}]}),
    ("stop_grace_period", one(service(stop_grace_period=90 * S)),
     {"taskKillGracePeriodSeconds": 90}),
    ("privileged", one(service(privileged=True)), {"container.docker.privileged": True}),
    ("tty and stdin are never emitted", one(service(tty=True, stdin_open=True)),
     {"tty": ABSENT, "container.docker.tty": ABSENT, "check": ABSENT, "role": ABSENT}),
    ("CMD healthcheck -> COMMAND",
     one(service(healthcheck=Healthcheck(
         test=HealthTest(kind="CMD", command=("curl", "-f", "http://localhost/a b")),
         interval=10 * S, timeout=2 * S, retries=5, start_period=30 * S))),
     {"healthChecks": [{"protocol": "COMMAND",
                        "command": {"value": "curl -f 'http://localhost/a b'"},
                        "gracePeriodSeconds": 30, "intervalSeconds": 10,
                        "timeoutSeconds": 2, "maxConsecutiveFailures": 5}]}),
    ("CMD-SHELL healthcheck with compose defaults",
     one(service(healthcheck=Healthcheck(
         test=HealthTest(kind="CMD-SHELL", command=("pg_isready || exit 1",))))),
     {"healthChecks": [{"protocol": "COMMAND", "command": {"value": "pg_isready || exit 1"},
                        "gracePeriodSeconds": 0, "intervalSeconds": 30,
                        "timeoutSeconds": 30, "maxConsecutiveFailures": 3}]}),
    ("disabled healthcheck", one(service(healthcheck=Healthcheck(disable=True))),
     {"healthChecks": ABSENT}),
    ("ingress exposure without a test -> MESOS_HTTP",
     one(service(ports=(Port(target=8080),), expose=(ExposedPort(start=9090, end=9090),)),
         exposure=Exposure(type="ingress", host="shop.example.com", path="/api", port=9090)),
     {"healthChecks": [{"protocol": "MESOS_HTTP", "path": "/api", "portIndex": 1,
                        "gracePeriodSeconds": 0, "intervalSeconds": 30,
                        "timeoutSeconds": 30, "maxConsecutiveFailures": 3}],
      "labels": {"HAPROXY_GROUP": "external", "HAPROXY_1_VHOST": "shop.example.com",
                 "managed-by": "compose-translator"}}),
    ("node-port exposure -> servicePort on the published port",
     one(service(ports=(Port(target=80, published=pub(8080)),)),
         exposure=Exposure(type="node-port")),
     {"container.portMappings": [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp",
                                  "name": "tcp-80", "servicePort": 8080}],
      "healthChecks": ABSENT}),
    ("restart delay -> constant backoff",
     one(topology=Topology(restart_policy=RestartPolicy(delay=5 * S))),
     {"backoffSeconds": 5, "backoffFactor": 1.0}),
    ("stop-first update", one(topology=Topology(
        replicas=4, update_config=UpdateConfig(parallelism=2, order="stop-first"))),
     {"upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.0}}),
    ("start-first update", one(topology=Topology(
        replicas=4, update_config=UpdateConfig(parallelism=1, order="start-first"))),
     {"upgradeStrategy": {"minimumHealthCapacity": 1.0, "maximumOverCapacity": 0.25}}),
    ("parallelism 0 is all at once", one(topology=Topology(
        replicas=3, update_config=UpdateConfig(parallelism=0))),
     {"upgradeStrategy": {"minimumHealthCapacity": 0.0, "maximumOverCapacity": 0.0}}),
    ("spread", one(topology=Topology(placement=Placement(strategy="spread"))),
     {"constraints": [["hostname", "GROUP_BY"]]}),
    ("spread over a label preference",
     one(topology=Topology(placement=Placement(spread_over=("node.labels.zone",)))),
     {"constraints": [["zone", "GROUP_BY"]]}),
    ("global mode", one(topology=Topology(mode="global")),
     {"constraints": [["hostname", "UNIQUE"]]}),
    ("hostname and label constraints, max per node",
     one(topology=Topology(placement=Placement(
         constraints=(Constraint(key="node.hostname", op="==", value="db-1"),
                      Constraint(key="node.hostname", op="!=", value="edge"),
                      Constraint(key="node.labels.disk", op="==", value="ssd")),
         max_replicas_per_node=2))),
     {"constraints": [["hostname", "CLUSTER", "db-1"], ["hostname", "UNLIKE", "edge"],
                      ["disk", "CLUSTER", "ssd"], ["hostname", "MAX_PER", "2"]]}),
    ("binpack adds no constraint",
     one(topology=Topology(placement=Placement(strategy="binpack"))), {"constraints": ABSENT}),
    ("bind mounts without host paths -> local persistent volumes",
     one(service(volumes=(Mount(type="bind", source="/srv/data", target="/data"),))),
     {"container.volumes": [
         {"containerPath": "bind-srv-data", "mode": "RW",
          "persistent": {"type": "root", "size": 1024}},
         {"containerPath": "/data", "hostPath": "bind-srv-data", "mode": "RW"}],
      "upgradeStrategy": {"minimumHealthCapacity": 0.0, "maximumOverCapacity": 0.0}}),
    ("tmpfs -> docker parameter",
     one(service(tmpfs=(Mount(type="tmpfs", target="/run",
                              tmpfs=TmpfsOptions(size=64 * MIB, mode=0o1777)),))),
     {"container.docker.parameters": [{"key": "tmpfs", "value": "/run:size=64m,mode=1777"}]}),
    ("depends_on -> absolute ids",
     one(service(depends_on={"db": Dependency(condition="service_healthy")})),
     {"dependencies": ["/shop/db"]}),
]


@pytest.mark.parametrize(("label", "subject", "expected"), CASES, ids=[c[0] for c in CASES])
def test_app_fragment(
    label: str, subject: PlannedService, expected: dict[str, Any], validate: Validate
) -> None:
    extra = [] if subject.name == "db" else [service("db", "postgres:16")]
    result = render(make_plan(subject, *extra))
    app = result.group["apps"][0]
    for dotted, value in expected.items():
        assert get(app, dotted) == value if value is not ABSENT else get(app, dotted) is ABSENT, (
            dotted, get(app, dotted)
        )
    assert validate(result.group, "group") == []
    assert validate(app, "app") == []


def test_named_volume_is_a_local_persistent_volume(validate: Validate) -> None:
    svc = service("db", "postgres:16", volumes=(
        Mount(type="volume", source="db_data", target="/var/lib/postgresql/data"),))
    result = render(make_plan(
        planned(svc, topology=Topology(update_config=UpdateConfig(order="start-first"))),
        storage={"db_data": Storage(size=10 * 1024 * MIB)},
    ))
    app = result.app
    assert app["container"]["volumes"] == [
        {"containerPath": "db-data", "mode": "RW", "persistent": {"type": "root", "size": 10240}},
        {"containerPath": "/var/lib/postgresql/data", "hostPath": "db-data", "mode": "RW"},
    ]
    # Resident apps never over-provision and keep at most half their tasks during upgrades.
    assert app["upgradeStrategy"] == {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.0}
    assert validate(app, "app") == []


def test_unsized_volume_gets_the_default_and_a_warning() -> None:
    svc = service("db", "postgres:16", volumes=(
        Mount(type="volume", source="data", target="/data"),))
    result = render(make_plan(svc))
    assert result.app["container"]["volumes"][0]["persistent"]["size"] == 1024
    assert "volumes" in result.diagnostic_keys()


def test_environment_spread_key_is_used() -> None:
    env = Environment(platform="marathon", spread_key="node.labels.rack",
                      defaults=ServiceSettings(strategy="spread"))
    subject = planned(service(), topology=Topology(placement=Placement(strategy="spread")))
    result = render(make_plan(subject, environment=env))
    assert result.app["constraints"] == [["rack", "GROUP_BY"]]
