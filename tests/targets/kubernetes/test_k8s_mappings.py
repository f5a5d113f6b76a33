"""Table-driven: compose input -> expected manifest fragment (sqlglot-style tables)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import at, make_plan, planned, render, service

from translator.model import (
    Constraint,
    Dependency,
    EnvFile,
    Environment,
    ExposedPort,
    Exposure,
    Healthcheck,
    HealthTest,
    Mount,
    Placement,
    Port,
    PortRange,
    Resources,
    ResourceSpec,
    RestartPolicy,
    Storage,
    Topology,
    UpdateConfig,
    Volume,
)
from translator.model.base import MIB, NS_PER_SECOND
from translator.model.hostfiles import HostSource
from translator.model.service import BindOptions, TmpfsOptions
from translator.model.topology import DeviceRequest
from translator.targets.base import RenderOptions
from translator.targets.kubernetes.pod import WAIT_SCRIPT

S = NS_PER_SECOND
C = "spec.template.spec.containers.0."
P = "spec.template.spec."


def _render_one(kind: str, fields: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    topology = fields.pop("topology", None)
    svc = service(**fields)
    docs, _ = render(make_plan(planned(svc, topology=topology, **extra)),
                     RenderOptions(wait_for_dependencies=True))
    return next(d.content for d in docs if d.kind == kind)


def hc(**kw: Any) -> Healthcheck:
    return Healthcheck(**kw)


CONTAINER_CASES: list[tuple[str, dict[str, Any], str, Any]] = [
    ("image", {}, C + "image", "nginx:1.25"),
    ("entrypoint->command", {"entrypoint": ("/bin/app",)}, C + "command", ["/bin/app"]),
    ("command->args", {"command": ("serve", "--port", "80")}, C + "args",
     ["serve", "--port", "80"]),
    ("env sorted", {"environment": {"B": "2", "A": "1"}}, C + "env",
     [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]),
    ("env pass-through dropped", {"environment": {"HOME": None, "A": "1"}}, C + "env",
     [{"name": "A", "value": "1"}]),
    ("$( stays literal", {"command": ("echo", "$(date)", "$HOME", "a$$b")}, C + "args",
     ["echo", "$$(date)", "$HOME", "a$$$$b"]),
    ("env $( stays literal", {"environment": {"A": "$(B)"}}, C + "env",
     [{"name": "A", "value": "$$(B)"}]),
    ("working_dir", {"working_dir": "/srv"}, C + "workingDir", "/srv"),
    ("tty", {"tty": True}, C + "tty", True),
    ("stdin_open", {"stdin_open": True}, C + "stdin", True),
    ("pull always", {"pull_policy": "always"}, C + "imagePullPolicy", "Always"),
    ("pull missing", {"pull_policy": "missing"}, C + "imagePullPolicy", "IfNotPresent"),
    ("kompose pull policy", {"labels": {"kompose.image-pull-policy": "Never"}},
     C + "imagePullPolicy", "Never"),
    ("user uid:gid", {"user": "1000:2000"}, C + "securityContext",
     {"runAsUser": 1000, "runAsGroup": 2000}),
    ("user name", {"user": "postgres"}, C + "securityContext", "<absent>"),
    ("caps", {"cap_add": ("NET_ADMIN",), "cap_drop": ("CAP_ALL",)},
     C + "securityContext.capabilities", {"add": ["NET_ADMIN"], "drop": ["ALL"]}),
    ("privileged", {"privileged": True}, C + "securityContext.privileged", True),
    ("read_only", {"read_only": True}, C + "securityContext.readOnlyRootFilesystem", True),
    ("no-new-privileges", {"security_opt": ("no-new-privileges:true",)},
     C + "securityContext.allowPrivilegeEscalation", False),
    ("ports", {"ports": (Port(target=80, published=PortRange(start=8080, end=8080)),
                         Port(target=53, protocol="udp"))}, C + "ports",
     [{"name": "tcp-80", "containerPort": 80, "protocol": "TCP"},
      {"name": "udp-53", "containerPort": 53, "protocol": "UDP"}]),
    ("expose range", {"expose": (ExposedPort(start=7000, end=7001),)}, C + "ports.1.containerPort",
     7001),
    ("cpu+memory", {"topology": Topology(resources=Resources(
        limits=ResourceSpec(cpus=0.5, memory=256 * MIB),
        reservations=ResourceSpec(cpus=0.1, memory=64 * MIB)))}, C + "resources",
     {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}}),
    ("whole cpus, odd bytes exact", {"topology": Topology(resources=Resources(
        limits=ResourceSpec(cpus=2.0, memory=1000)))}, C + "resources.limits",
     {"cpu": "2", "memory": "1000"}),
    ("request clamped to limit", {"topology": Topology(resources=Resources(
        limits=ResourceSpec(memory=MIB), reservations=ResourceSpec(memory=2 * MIB)))},
     C + "resources.requests.memory", "1Mi"),
    ("gpu", {"topology": Topology(resources=Resources(reservations=ResourceSpec(devices=(
        DeviceRequest(capabilities=("gpu",), driver="nvidia", count=2),))))},
     C + "resources", {"limits": {"nvidia.com/gpu": "2"}}),
    ("engine keys", {"cpus": 1.5, "mem_limit": 1 << 30, "mem_reservation": 512 * MIB},
     C + "resources", {"limits": {"cpu": "1500m", "memory": "1Gi"},
                       "requests": {"memory": "512Mi"}}),
    ("healthcheck CMD", {"healthcheck": hc(test=HealthTest(kind="CMD", command=("true",)),
                                           interval=10 * S, timeout=2 * S, retries=5)},
     C + "livenessProbe", {"exec": {"command": ["true"]}, "periodSeconds": 10,
                           "timeoutSeconds": 2, "failureThreshold": 5}),
    ("healthcheck CMD-SHELL", {"healthcheck": hc(test=HealthTest(kind="CMD-SHELL",
                                                                  command=("pg_isready",)))},
     C + "livenessProbe.exec.command", ["sh", "-c", "pg_isready"]),
    ("healthcheck defaults", {"healthcheck": hc(test=HealthTest(kind="CMD", command=("x",)))},
     C + "livenessProbe.periodSeconds", 30),
    ("healthcheck NONE", {"healthcheck": hc(test=HealthTest(kind="NONE"))},
     C + "livenessProbe", "<absent>"),
    ("healthcheck disable", {"healthcheck": hc(test=HealthTest(kind="CMD", command=("x",)),
                                               disable=True)}, C + "livenessProbe", "<absent>"),
    ("start_period -> startupProbe", {"healthcheck": hc(
        test=HealthTest(kind="CMD", command=("x",)), start_period=20 * S, start_interval=2 * S,
        retries=3)}, C + "startupProbe",
     {"exec": {"command": ["x"]}, "periodSeconds": 2, "timeoutSeconds": 30,
      "failureThreshold": 13}),
    ("kompose readiness http", {"labels": {
        "kompose.service.healthcheck.readiness.http_get_path": "/ready",
        "kompose.service.healthcheck.readiness.http_get_port": "8080",
        "kompose.service.healthcheck.readiness.interval": "5s"}}, C + "readinessProbe",
     {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5, "timeoutSeconds": 30,
      "failureThreshold": 3}),
    ("kompose readiness test", {"labels": {
        "kompose.service.healthcheck.readiness.test": "curl -f localhost",
        "kompose.service.healthcheck.readiness.start_period": "1m"}},
     C + "readinessProbe.initialDelaySeconds", 60),
    ("post_start", {"extras": {"post_start": [{"command": "sh -c 'echo hi'"}]}},
     C + "lifecycle", {"postStart": {"exec": {"command": ["sh", "-c", "echo hi"]}}}),
    ("pre_stop list, two hooks", {"extras": {"pre_stop": [{"command": ["a", "b c"]},
                                                          {"command": "d"}]}},
     C + "lifecycle.preStop.exec.command", ["sh", "-c", "a 'b c' && d"]),
    ("hostname", {"hostname": "Db_1"}, P + "hostname", "db-1"),
    ("domainname", {"domainname": "internal"}, P + "subdomain", "internal"),
    ("stop_grace_period", {"stop_grace_period": 90 * S}, P + "terminationGracePeriodSeconds", 90),
    ("extra_hosts", {"extra_hosts": {"a": ("10.0.0.1",), "b": ("10.0.0.1", "::1")}},
     P + "hostAliases", [{"ip": "10.0.0.1", "hostnames": ["a", "b"]},
                         {"ip": "::1", "hostnames": ["b"]}]),
    ("sysctls", {"sysctls": {"net.core.somaxconn": "1024"}}, P + "securityContext.sysctls",
     [{"name": "net.core.somaxconn", "value": "1024"}]),
    ("dns", {"dns": ("1.1.1.1",), "dns_search": ("corp",), "dns_opt": ("ndots:2", "rotate")},
     P + "dnsConfig", {"nameservers": ["1.1.1.1"], "searches": ["corp"],
                       "options": [{"name": "ndots", "value": "2"}, {"name": "rotate"}]}),
    ("tmpfs", {"tmpfs": (Mount(type="tmpfs", target="/run",
                               tmpfs=TmpfsOptions(size=64 * MIB)),)}, P + "volumes",
     [{"name": "tmpfs-0", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}}]),
    ("network_mode host", {"network_mode": "host"}, P + "hostNetwork", True),
    ("image pull secret", {"labels": {"kompose.image-pull-secret": "regcred"}},
     P + "imagePullSecrets", [{"name": "regcred"}]),
    ("depends_on waits", {"depends_on": {"db": Dependency()}}, P + "initContainers.0.command",
     "<set below>"),
    ("constraints", {"topology": Topology(placement=Placement(constraints=(
        Constraint(key="node.labels.disk", op="==", value="ssd"),
        Constraint(key="node.hostname", op="!=", value="n1"))))}, P + "nodeSelector",
     {"disk": "ssd"}),
    ("constraint !=", {"topology": Topology(placement=Placement(constraints=(
        Constraint(key="node.hostname", op="!=", value="n1"),)))},
     P + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
     {"nodeSelectorTerms": [{"matchExpressions": [
         {"key": "kubernetes.io/hostname", "operator": "NotIn", "values": ["n1"]}]}]}),
    ("arch constraint", {"topology": Topology(placement=Placement(constraints=(
        Constraint(key="node.platform.arch", op="==", value="x86_64"),)))},
     P + "nodeSelector", {"kubernetes.io/arch": "amd64"}),
    ("spread", {"topology": Topology(placement=Placement(strategy="spread"))},
     P + "topologySpreadConstraints.0.topologyKey", "kubernetes.io/hostname"),
    ("spread over label", {"topology": Topology(placement=Placement(
        spread_over=("node.labels.zone",)))}, P + "topologySpreadConstraints.0",
     {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway",
      "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "web",
                                        "app.kubernetes.io/part-of": "shop"}}}),
    ("platform", {"platform": "linux/aarch64"}, P + "nodeSelector",
     {"kubernetes.io/arch": "arm64", "kubernetes.io/os": "linux"}),
    ("shm_size", {"shm_size": 256 * MIB}, P + "volumes",
     [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}}]),
    ("shm_size mount", {"shm_size": 256 * MIB}, C + "volumeMounts",
     [{"name": "dshm", "mountPath": "/dev/shm"}]),
    ("binpack", {"topology": Topology(placement=Placement(strategy="binpack"))},
     P + "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.weight", 100),
]


@pytest.mark.parametrize(("case", "fields", "path", "expected"), CONTAINER_CASES,
                         ids=[c[0] for c in CONTAINER_CASES])
def test_pod_mapping(case: str, fields: dict[str, Any], path: str, expected: Any) -> None:
    if case == "depends_on waits":
        expected = ["sh", "-c", WAIT_SCRIPT, "wait-for", "db:5432"]
        db = planned(
            service("db", image="postgres:16", expose=(ExposedPort(start=5432, end=5432),))
        )
        web = planned(service(**fields))
        docs, _ = render(make_plan(web, db), RenderOptions(wait_for_dependencies=True))
        content = next(d.content for d in docs if d.kind == "Deployment" and d.name == "web")
    else:
        content = _render_one("Deployment", dict(fields), {})
    assert at(content, path) == expected


WORKLOAD_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str, Any]] = [
    ("replicas", {"topology": Topology(replicas=3)}, {}, "Deployment", "spec.replicas", 3),
    ("scale", {"scale": 2}, {}, "Deployment", "spec.replicas", 2),
    ("global", {"topology": Topology(mode="global")}, {}, "DaemonSet", "spec.replicas",
     "<absent>"),
    ("kompose daemonset", {"labels": {"kompose.controller.type": "daemonset"}}, {}, "DaemonSet",
     "kind", "DaemonSet"),
    ("replicated-job", {"topology": Topology(mode="replicated-job", replicas=3,
                                             restart_policy=RestartPolicy(condition="on-failure",
                                                                          max_attempts=4))},
     {}, "Job", "spec", "<job>"),
    ("start-first", {"topology": Topology(update_config=UpdateConfig(order="start-first",
                                                                    parallelism=2))}, {},
     "Deployment", "spec.strategy",
     {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2, "maxUnavailable": 0}}),
    ("stop-first", {"topology": Topology(update_config=UpdateConfig(order="stop-first"))}, {},
     "Deployment", "spec.strategy.rollingUpdate", {"maxSurge": 0, "maxUnavailable": 1}),
    ("daemonset update", {"topology": Topology(mode="global", update_config=UpdateConfig(
        parallelism=0))}, {}, "DaemonSet", "spec.updateStrategy.rollingUpdate",
     {"maxSurge": 0, "maxUnavailable": "100%"}),
    ("stateful", {"volumes": (Mount(type="volume", source="data", target="/data"),)},
     {"stateful": True}, "StatefulSet", "spec.volumeClaimTemplates",
     [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                              "resources": {"requests": {"storage": "1Gi"}}}}]),
    ("stateful service name", {}, {"stateful": True}, "StatefulSet", "spec.serviceName", "web"),
    ("selector excludes version", {}, {}, "Deployment", "spec.selector.matchLabels",
     {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop"}),
    ("labels", {}, {}, "Deployment", "metadata.labels",
     {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop",
      "app.kubernetes.io/version": "1.25", "app.kubernetes.io/managed-by": "compose-translator"}),
    ("env labels", {}, {"labels": {"team": "core"}}, "Deployment", "metadata.labels.team",
     "core"),
    ("deploy labels annotate the workload", {"topology": Topology(labels={"team": "core"})}, {},
     "Deployment", "metadata.annotations", {"team": "core"}),
    ("app_protocol", {"ports": (Port(target=80, app_protocol="http"),)}, {}, "Service",
     "spec.ports.0.appProtocol", "http"),
    ("compose labels annotate pods", {"labels": {"com.example.x": "y"}}, {}, "Deployment",
     "spec.template.metadata.annotations", {"com.example.x": "y"}),
    ("service ports", {"ports": (Port(target=80, published=PortRange(start=8080, end=8080)),),
                       "expose": (ExposedPort(start=9000, end=9000),)}, {}, "Service",
     "spec.ports", [{"name": "tcp-80", "port": 80, "targetPort": 80, "protocol": "TCP"},
                    {"name": "tcp-9000", "port": 9000, "targetPort": 9000, "protocol": "TCP"}]),
    ("load balancer listens on published", {"ports": (Port(target=80, published=PortRange(
        start=8080, end=8080)),)}, {"exposure": Exposure(type="load-balancer")}, "Service",
     "spec.ports.0", {"name": "tcp-8080", "port": 8080, "targetPort": 80, "protocol": "TCP"}),
    ("headless when depended on", {"depends_on": {"db": Dependency()}}, {}, "Service", "spec",
     "<db>"),
    ("clusterip default", {"expose": (ExposedPort(start=80, end=80),)}, {}, "Service",
     "spec.type", "ClusterIP"),
    ("node-port exposure", {"ports": (Port(target=80, published=PortRange(start=30080,
                                                                          end=30080)),)},
     {"exposure": Exposure(type="node-port")}, "Service", "spec.ports.0.nodePort", 30080),
    ("no nodePort outside range", {"ports": (Port(target=80, published=PortRange(start=8080,
                                                                                 end=8080)),)},
     {"exposure": Exposure(type="load-balancer")}, "Service", "spec.ports.0.nodePort",
     "<absent>"),
    ("kompose service type", {"expose": (ExposedPort(start=80, end=80),),
                              "labels": {"kompose.service.type": "LoadBalancer"}}, {},
     "Service", "spec.type", "LoadBalancer"),
    ("headless for stateful", {"expose": (ExposedPort(start=80, end=80),)}, {"stateful": True},
     "Service", "spec.clusterIP", "None"),
    ("ingress", {"ports": (Port(target=80),)}, {"exposure": Exposure(
        type="ingress", host="shop.example.com", path="/api", tls_secret="shop-tls",
        ingress_class="nginx")}, "Ingress", "spec",
     {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com", "http": {"paths": [
         {"path": "/api", "pathType": "Prefix", "backend": {"service": {
             "name": "web", "port": {"number": 80}}}}]}}],
      "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]}),
    ("kompose expose", {"ports": (Port(target=80),), "labels": {
        "kompose.service.expose": "a.example.com/x",
        "kompose.service.expose.tls-secret": "tls"}}, {}, "Ingress", "spec.rules.0.host",
     "a.example.com"),
]


@pytest.mark.parametrize(("case", "fields", "extra", "kind", "path", "expected"), WORKLOAD_CASES,
                         ids=[c[0] for c in WORKLOAD_CASES])
def test_object_mapping(case: str, fields: dict[str, Any], extra: dict[str, Any], kind: str,
                        path: str, expected: Any) -> None:
    if expected == "<job>":
        spec = _render_one(kind, dict(fields), extra)["spec"]
        assert {k: spec[k] for k in ("completions", "parallelism", "backoffLimit")} == {
            "completions": 3, "parallelism": 3, "backoffLimit": 4}
        assert spec["template"]["spec"]["restartPolicy"] == "OnFailure"
        assert "selector" not in spec  # generated by the Job controller
        return
    if expected == "<db>":  # a port-less dependency still gets a DNS name
        db = planned(service("db", image="postgres:16"))
        docs, _ = render(make_plan(planned(service(**fields)), db))
        spec = next(d.content for d in docs if d.kind == "Service" and d.name == "db")["spec"]
        assert spec == {"clusterIP": "None", "selector": {
            "app.kubernetes.io/name": "db", "app.kubernetes.io/part-of": "shop"}}
        return
    assert at(_render_one(kind, dict(fields), extra), path) == expected


def test_env_file_becomes_configmap_and_env_keeps_overrides() -> None:
    env_file = EnvFile(path=".env", values={"A": "1", "B": "2"})
    svc = service(env_files=(env_file,), environment={"A": "1", "B": "override", "C": "3"})
    docs, _ = render(make_plan(planned(svc)))
    cm = next(d.content for d in docs if d.kind == "ConfigMap")
    assert cm["metadata"]["name"] == "web-env-0"
    assert cm["data"] == {"A": "1", "B": "2"}
    container = next(d.content for d in docs if d.kind == "Deployment")
    c = container["spec"]["template"]["spec"]["containers"][0]
    assert c["envFrom"] == [{"configMapRef": {"name": "web-env-0"}}]
    assert c["env"] == [{"name": "B", "value": "override"}, {"name": "C", "value": "3"}]


def test_bind_mounts_need_allow_host_paths() -> None:
    mount = Mount(type="bind", source="/var/log", target="/logs", host=HostSource(kind="system"))
    svc = service(volumes=(mount,))
    docs, diags = render(make_plan(planned(svc)))
    assert "volumes" not in docs[0].content["spec"]["template"]["spec"]
    assert any("allow_host_paths" in d.message for d in diags)
    docs, _ = render(make_plan(planned(svc), environment=Environment(allow_host_paths=True)))
    spec = docs[0].content["spec"]["template"]["spec"]
    assert spec["volumes"] == [{"name": "host-0", "hostPath": {"path": "/var/log"}}]
    assert spec["containers"][0]["volumeMounts"] == [{"name": "host-0", "mountPath": "/logs"}]


@pytest.mark.parametrize(
    ("propagation", "privileged", "expected"),
    [("rslave", False, "HostToContainer"), ("rshared", True, "Bidirectional"),
     ("rshared", False, "HostToContainer"), ("rprivate", False, "<absent>")],
)
def test_bind_propagation(propagation: str, privileged: bool, expected: str) -> None:
    mount = Mount(type="bind", source="/", target="/host", bind=BindOptions(
        propagation=propagation))
    svc = service(volumes=(mount,), privileged=privileged)
    docs, _ = render(make_plan(planned(svc), environment=Environment(allow_host_paths=True)))
    assert at(docs[0].content, C + "volumeMounts.0.mountPropagation") == expected


GIB = 1 << 30
CLAIMS: list[tuple[str, dict[str, Any], dict[str, Any], Any]] = [
    ("default 1Gi", {}, {}, {"accessModes": ["ReadWriteOnce"],
                             "resources": {"requests": {"storage": "1Gi"}}}),
    ("plan storage", {}, {"storage": {"data": Storage(size=5 * GIB, storage_class="fast")}},
     {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}},
      "storageClassName": "fast"}),
    ("environment default", {}, {"environment": Environment(volume_defaults=Storage(
        size=2 * GIB))}, {"accessModes": ["ReadWriteOnce"],
                          "resources": {"requests": {"storage": "2Gi"}}}),
    ("kompose labels", {"labels": {"kompose.volume.size": "3Gi",
                                   "kompose.volume.storage-class-name": "ssd"}}, {},
     {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "3Gi"}},
      "storageClassName": "ssd"}),
    ("external volume: no claim", {}, {"volumes": {"data": Volume(external=True,
                                                                  name="existing")}}, None),
]


@pytest.mark.parametrize(("case", "fields", "plan_kw", "expected"), CLAIMS,
                         ids=[c[0] for c in CLAIMS])
def test_claims(case: str, fields: dict[str, Any], plan_kw: dict[str, Any], expected: Any) -> None:
    svc = service(volumes=(Mount(type="volume", source="data", target="/data"),), **fields)
    docs, _ = render(make_plan(planned(svc), **plan_kw))
    claims = [d.content["spec"] for d in docs if d.kind == "PersistentVolumeClaim"]
    assert claims == ([] if expected is None else [expected])
    volume = docs[-1].content["spec"]["template"]["spec"]["volumes"][0]
    claim = "existing" if expected is None else "data"
    assert volume["persistentVolumeClaim"] == {"claimName": claim}


def _kubelet_expand(text: str, env: dict[str, str]) -> str:
    """The kubelet's $(VAR) expansion (third_party/forked/golang/expansion), for the test."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            end = text.find(")", i + 2) if nxt == "(" else -1
            if end != -1:
                name = text[i + 2:end]
                out.append(env.get(name, text[i:end + 1]))
                i = end + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


@pytest.mark.parametrize("value", ["$(B)", "a$$b", "$HOME", "x$(B)y$", "$$(B)", "plain"])
def test_values_survive_kubelet_expansion(value: str) -> None:
    docs, _ = render(make_plan(planned(service(command=(value,), environment={"B": "oops"}))))
    args = docs[0].content["spec"]["template"]["spec"]["containers"][0]["args"]
    assert _kubelet_expand(args[0], {"B": "oops"}) == value
