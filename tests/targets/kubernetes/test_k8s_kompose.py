"""Kompose's labels, the environment settings that say the same, and services sharing a pod.

Tables: label -> manifest fragment; label -> diagnostic (with its compose line); the
API-server checks of the new kinds (CronJob schedule, HPA bounds). One fixture carries
every label Kompose documents: each is mapped or reported, and the output validates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import K8S_VERSIONS, at, make_plan, planned, render, service, validate_strict
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.errors import TranslatorError
from translator.locate import locate_for_plan
from translator.model import Autoscale, Environment, Port, Schedule, ServiceSettings
from translator.plan.resolve import plan_service
from translator.targets.base import handling_of
from translator.targets.kubernetes import TARGET
from translator.targets.kubernetes.checks import check_object
from translator.targets.kubernetes.cron import cron_problem

FIXTURE = Path(__file__).parent / "fixtures" / "kompose-labels.yaml"
P = "spec.template.spec."
C = P + "containers.0."


def _docs(labels: dict[str, str], **fields: Any) -> dict[str, dict[str, Any]]:
    docs, _ = render(make_plan(planned(service(labels=labels, **fields))))
    return {d.kind: d.content for d in docs}


LABEL_CASES: list[tuple[str, dict[str, str], dict[str, Any], str, str, Any]] = [
    ("cronjob", {"kompose.cronjob.schedule": "0 3 * * *",
                 "kompose.cronjob.concurrency_policy": "replace",
                 "kompose.cronjob.backoff_limit": "4"}, {"restart": "no"},
     "CronJob", "spec", {"schedule": "0 3 * * *", "concurrencyPolicy": "Replace"}),
    ("cronjob backoff", {"kompose.cronjob.schedule": "@hourly",
                         "kompose.cronjob.backoff_limit": "4"}, {},
     "CronJob", "spec.jobTemplate.spec.backoffLimit", 4),
    ("cronjob pods restart on failure", {"kompose.cronjob.schedule": "@daily"}, {},
     "CronJob", "spec.jobTemplate.spec.template.spec.restartPolicy", "OnFailure"),
    ("hpa defaults", {"kompose.hpa.replicas.max": "5"}, {}, "HorizontalPodAutoscaler",
     "spec", {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                 "name": "web"}, "minReplicas": 1, "maxReplicas": 5,
              "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                  "type": "Utilization", "averageUtilization": 50}}}]}),
    ("hpa memory percent", {"kompose.hpa.memory": "70%"}, {}, "HorizontalPodAutoscaler",
     "spec.metrics.0.resource", {"name": "memory", "target": {
         "type": "Utilization", "averageUtilization": 70}}),
    ("hpa min over default max", {"kompose.hpa.replicas.min": "4"}, {},
     "HorizontalPodAutoscaler", "spec.maxReplicas", 4),
    ("init container", {"kompose.init.containers.image": "busybox:1.36",
                        "kompose.init.containers.command": "echo hi"}, {}, "Deployment",
     P + "initContainers", [{"name": "web-init", "image": "busybox:1.36",
                             "command": ["sh", "-c", "echo hi"]}]),
    ("fsgroup", {"kompose.security-context.fsgroup": "2000"}, {}, "Deployment",
     P + "securityContext", {"fsGroup": 2000}),
    ("service account", {"kompose.serviceaccount-name": "builder"}, {}, "Deployment",
     P + "serviceAccountName", "builder"),
    ("ephemeral storage", {"kompose.ephemeral-storage.request": "1Gi",
                           "kompose.ephemeral-storage.limit": "2Gi"}, {}, "Deployment",
     C + "resources", {"requests": {"ephemeral-storage": "1Gi"},
                       "limits": {"ephemeral-storage": "2Gi"}}),
    ("liveness http", {"kompose.service.healthcheck.liveness.http_get_path": "/h",
                       "kompose.service.healthcheck.liveness.http_get_port": "8080"}, {},
     "Deployment", C + "livenessProbe", {"httpGet": {"path": "/h", "port": 8080}}),
    ("liveness tcp", {"kompose.service.healthcheck.liveness.tcp_port": "5432"}, {},
     "Deployment", C + "livenessProbe.tcpSocket.port", 5432),
    ("readiness tcp", {"kompose.service.healthcheck.readiness.tcp_port": "5432"}, {},
     "Deployment", C + "readinessProbe.tcpSocket.port", 5432),
    ("host port", {"kompose.controller.port.expose": "true"},
     {"ports": (Port(target=80, published=None),)}, "Deployment", C + "ports.0.hostPort",
     "<absent>"),
    ("traffic policy", {"kompose.service.type": "nodeport",
                        "kompose.service.external-traffic-policy": "Local"},
     {"ports": (Port(target=80),)}, "Service", "spec.externalTrafficPolicy", "Local"),
    ("node port", {"kompose.service.type": "nodeport",
                   "kompose.service.nodeport.port": "30100"},
     {"ports": (Port(target=80),)}, "Service", "spec.ports.0.nodePort", 30100),
    ("daemonset", {"kompose.controller.type": "DaemonSet"}, {}, "DaemonSet", "kind",
     "DaemonSet"),
    ("replicationcontroller", {"kompose.controller.type": "replicationcontroller"}, {},
     "Deployment", "kind", "Deployment"),
    ("service annotation label", {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"},
     {"ports": (Port(target=80),)}, "Service", "metadata.annotations",
     {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}),
]


@pytest.mark.parametrize(("case", "labels", "fields", "kind", "path", "expected"), LABEL_CASES,
                         ids=[c[0] for c in LABEL_CASES])
def test_label_mapping(case: str, labels: dict[str, str], fields: dict[str, Any], kind: str,
                       path: str, expected: Any) -> None:
    docs = _docs(labels, **fields)
    found = at(docs[kind], path)
    if isinstance(expected, dict) and isinstance(found, dict):
        assert {k: found.get(k) for k in expected} == expected
    else:
        assert found == expected


DIAGNOSED: list[tuple[str, dict[str, str], str]] = [
    ("unknown label", {"kompose.hpa.cpus": "50"}, "did you mean kompose.hpa.cpu"),
    ("bad schedule", {"kompose.cronjob.schedule": "61 * * * *"}, "minute '61': outside 0-59"),
    ("schedule with time zone", {"kompose.cronjob.schedule": "TZ=UTC 0 * * * *"}, "timeZone"),
    ("bad policy", {"kompose.cronjob.schedule": "@daily",
                    "kompose.cronjob.concurrency_policy": "Never"}, "not one of Allow"),
    ("policy without schedule", {"kompose.cronjob.backoff_limit": "1"}, "with a schedule"),
    ("hpa max under min", {"kompose.hpa.replicas.min": "5", "kompose.hpa.replicas.max": "2"},
     "raised to 5"),
    ("hpa zero min", {"kompose.hpa.replicas.min": "0"}, "at least 1"),
    ("hpa bad memory", {"kompose.hpa.memory": "lots"}, "neither a percentage"),
    ("hpa on daemonset", {"kompose.hpa.cpu": "50", "kompose.controller.type": "daemonset"},
     "cannot be autoscaled"),
    ("init without image", {"kompose.init.containers.name": "x"}, "needs an image"),
    ("bad fsgroup", {"kompose.security-context.fsgroup": "root"}, "not an integer"),
    ("request over limit", {"kompose.ephemeral-storage.request": "2Gi",
                            "kompose.ephemeral-storage.limit": "1Gi"}, "exceeds the limit"),
    ("traffic policy on ClusterIP", {"kompose.service.external-traffic-policy": "local"},
     "NodePort and LoadBalancer Services only"),
    ("node port out of range", {"kompose.service.type": "nodeport",
                                "kompose.service.nodeport.port": "80"}, "between 30000"),
    ("unknown controller", {"kompose.controller.type": "pod"}, "not one of deployment"),
    ("suffix-lb", {"kompose.service.suffix-lb": "-x"}, "one Service carries both protocols"),
    ("lonely group", {"kompose.service.group": "g"}, "no other service"),
    ("liveness without port", {"kompose.service.healthcheck.liveness.http_get_path": "/"},
     "need http_get_port or tcp_port"),
]


@pytest.mark.parametrize(("case", "labels", "message"), DIAGNOSED, ids=[c[0] for c in DIAGNOSED])
def test_label_problems_are_warnings_naming_the_label(
    case: str, labels: dict[str, str], message: str
) -> None:
    docs, diagnostics = render(make_plan(planned(service(labels=labels,
                                                         ports=(Port(target=80),)))))
    found = [d for d in diagnostics if message in d.message]
    assert found, [d.message for d in diagnostics]
    assert all(d.key == "labels" and d.service == "web" for d in found)
    assert any(len(d.path) == 4 and d.path[3] in labels and d.path[3] in d.message
               for d in found), [(d.path, d.message) for d in found]
    for doc in docs:
        for version in K8S_VERSIONS:
            assert validate_strict(doc.content, version) == []


def _fixture() -> tuple[Any, Any, api.Rendered]:
    loaded = api.load_project([FIXTURE], working_dir=FIXTURE.parent)
    plan = api.resolve(loaded, "local")
    return loaded, plan, api.render(plan, "kubernetes")


def test_every_kompose_label_is_mapped_or_diagnosed() -> None:
    _, plan, rendered = _fixture()
    used = {label for p in plan.services.values() for label in p.service.labels
            if label.startswith("kompose.")}
    assert set(TARGET.labels) <= used  # the fixture covers the whole table
    diagnosed = {(d.service, d.path[3]) for d in rendered.diagnostics
                 if d.key == "labels" and len(d.path) == 4}
    for name, p in plan.services.items():
        for label in p.service.labels:
            if not label.startswith("kompose."):
                continue
            entry = TARGET.labels.get(label)
            assert handling_of(entry) == "mapped" or (name, label) in diagnosed, (name, label)
    assert ("web", "kompose.servce.type") in diagnosed


POSITIONS = [
    ("kompose.servce.type", 32, "did you mean kompose.service.type"),
    ("kompose.service.suffix-lb", 14, "both protocols"),
]


@pytest.mark.parametrize(("label", "line", "message"), POSITIONS)
def test_label_diagnostics_point_at_the_label(label: str, line: int, message: str) -> None:
    loaded, plan, rendered = _fixture()
    located = locate_for_plan(loaded, plan, rendered.diagnostics)
    found = [d for d in located if d.path[3:] == (label,) and message in d.message]
    assert [d.location.line for d in found if d.location] == [line]


def test_fixture_output_validates_and_matches_snapshot(snapshot_yaml: SnapshotAssertion) -> None:
    _, _, rendered = _fixture()
    kinds = {d.kind for d in rendered.documents}
    assert {"CronJob", "HorizontalPodAutoscaler", "StatefulSet", "Job"} <= kinds
    for doc in rendered.documents:
        for version in K8S_VERSIONS:
            assert validate_strict(doc.content, version) == [], (doc.filename, version)
    assert api.to_text(rendered.documents) == snapshot_yaml


def test_services_sharing_a_pod() -> None:
    _, _, rendered = _fixture()
    by_file = {d.filename: d.content for d in rendered.documents}
    assert "deployment-app.yaml" not in by_file and "deployment-nginx.yaml" not in by_file
    vpn = by_file["deployment-vpn.yaml"]["spec"]["template"]["spec"]
    assert [c["name"] for c in vpn["containers"]] == ["vpn", "app"]
    pod = by_file["deployment-logs.yaml"]["spec"]["template"]["spec"]
    assert [c["name"] for c in pod["containers"]] == ["logs", "nginx"]
    assert "initContainers" not in pod  # never wait for a container of the same pod


def test_one_shot_service_is_a_job_and_a_service_with_ports_is_not() -> None:
    docs, _ = render(make_plan(planned(service("once", restart="no")),
                               planned(service("api", restart="no",
                                               ports=(Port(target=80),)))))
    kinds = {(d.kind, d.name) for d in docs}
    assert ("Job", "once") in kinds and ("Deployment", "api") in kinds
    job = next(d.content for d in docs if d.kind == "Job")
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_environment_settings_reach_the_same_features() -> None:
    settings = ServiceSettings(
        schedule=Schedule(cron="@daily", concurrency_policy="Forbid"),
        service_account="runner", service_annotations={"example.com/lb": "internal"})
    scaled = ServiceSettings(autoscale=Autoscale(max_replicas=4, memory_percent=60),
                             pod="shared")
    env = Environment(services={"task": settings, "web": scaled, "side": scaled})
    services = [plan_service(s, env) for s in (
        service("task", ports=(Port(target=80),)), service("web", ports=(Port(target=80),)),
        service("side"))]
    docs, _ = render(make_plan(*services, environment=env))
    by = {(d.kind, d.name): d.content for d in docs}
    cron = by[("CronJob", "task")]["spec"]
    assert (cron["schedule"], cron["concurrencyPolicy"]) == ("@daily", "Forbid")
    assert cron["jobTemplate"]["spec"]["template"]["spec"]["serviceAccountName"] == "runner"
    assert by[("Service", "task")]["metadata"]["annotations"] == {"example.com/lb": "internal"}
    hpa = by[("HorizontalPodAutoscaler", "side")]["spec"]
    assert (hpa["maxReplicas"], hpa["metrics"][0]["resource"]["name"]) == (4, "memory")
    pod = by[("Deployment", "side")]["spec"]["template"]["spec"]
    assert [c["name"] for c in pod["containers"]] == ["side", "web"]


def test_autoscale_setting_refuses_max_below_min() -> None:
    with pytest.raises(ValueError, match="at least min_replicas"):
        Autoscale(min_replicas=3, max_replicas=2)


CRON = [
    ("*/5 * * * *", None), ("0 3 * * MON-FRI", None), ("@every 1h30m", None),
    ("0 0 1 JAN ?", None), ("@weekly", None),
    ("* * * *", "5 fields"), ("60 * * * *", "outside 0-59"), ("0 24 * * *", "outside 0-23"),
    ("0 0 0 * *", "outside 1-31"), ("0 0 * 13 *", "outside 1-12"), ("0 0 * * 7", "outside 0-6"),
    ("*/0 * * * *", "positive"), ("@often", "descriptor"), ("CRON_TZ=UTC 0 * * * *", "timeZone"),
    ("5-1 * * * *", "outside"),
]


@pytest.mark.parametrize(("schedule", "problem"), CRON, ids=[c[0] for c in CRON])
def test_cron_schedule_syntax(schedule: str, problem: str | None) -> None:
    found = cron_problem(schedule)
    assert (found is None) if problem is None else (problem in (found or "")), found


def _object(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "metadata": {"name": "web"}, "spec": spec}


API_REFUSES = [
    ("hpa min 0", _object("HorizontalPodAutoscaler", {"minReplicas": 0, "maxReplicas": 2}),
     "minReplicas"),
    ("hpa max under min", _object("HorizontalPodAutoscaler",
                                  {"minReplicas": 3, "maxReplicas": 2}), "maxReplicas"),
    ("cron schedule", _object("CronJob", {"schedule": "* *", "jobTemplate": {"spec": {}}}),
     "schedule"),
    ("traffic policy on ClusterIP", _object("Service", {"type": "ClusterIP",
                                                        "externalTrafficPolicy": "Local"}),
     "externalTrafficPolicy"),
]


@pytest.mark.parametrize(("case", "obj", "field"), API_REFUSES, ids=[c[0] for c in API_REFUSES])
def test_api_server_checks_of_new_kinds(case: str, obj: dict[str, Any], field: str) -> None:
    with pytest.raises(TranslatorError) as err:
        check_object(obj)
    assert err.value.diagnostics[0].path[-1] == field


def test_a_bad_environment_schedule_points_at_the_environment_file(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  task:\n    image: busybox:1.36\n")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.yaml").write_text(
        "services:\n  task:\n    autoscale: {max_replicas: 2}\n"
        "    schedule:\n      cron: '0 0 31 2 8'\n")
    loaded = api.load_project([tmp_path / "compose.yaml"], working_dir=tmp_path)
    plan = api.resolve(loaded, "prod")
    rendered = api.render(plan, "kubernetes")
    located = locate_for_plan(loaded, plan, rendered.diagnostics)
    found = {d.path: d.location.line for d in located if d.location is not None
             and d.path[:1] == ("environment",)}
    assert found == {("environment", "services", "task", "schedule"): 4}
    assert {d.kind for d in rendered.documents} == {"Deployment", "HorizontalPodAutoscaler"}


def test_two_containers_of_one_pod_on_one_port_are_reported() -> None:
    group = {"kompose.service.group": "g"}
    docs, diagnostics = render(make_plan(
        planned(service("a", labels=group, ports=(Port(target=80),))),
        planned(service("b", labels=group, ports=(Port(target=80),)))))
    assert [d.service for d in diagnostics if "port 80/TCP" in d.message] == ["b"]
    assert {(d.kind, d.name) for d in docs if d.kind == "Deployment"} == {("Deployment", "a")}


EXPLAINED = [
    ("web", "labels.kompose.hpa.cpu", "mapped", "HorizontalPodAutoscaler"),
    ("web", "labels.kompose.servce.type", "dropped", "did you mean kompose.service.type"),
    ("web", "labels.kompose.service.suffix-lb", "dropped", "both protocols"),
    ("cron", "labels.kompose.cronjob.schedule", "mapped", "CronJob"),
    ("logs", "labels.kompose.service.group", "mapped", "one pod"),
]


@pytest.mark.parametrize(("service_name", "key", "handling", "note"), EXPLAINED)
def test_explain_has_a_row_per_kompose_label(
    service_name: str, key: str, handling: str, note: str
) -> None:
    from translator.explain import explain

    _, plan, _ = _fixture()
    rows = [r for r in explain(plan, ["kubernetes", "swarm"])
            if r.key == key and r.service == service_name]
    # Swarm keeps them as container labels: no row of its own.
    assert [(r.target, r.handling) for r in rows] == [("kubernetes", handling)]
    assert note in rows[0].note
