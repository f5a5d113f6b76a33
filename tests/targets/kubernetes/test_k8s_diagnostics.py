"""Nothing is dropped silently: every key a service uses is mapped or named in a diagnostic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import make_plan, planned, render, service

from translator.errors import Diagnostics
from translator.model import (
    Dependency,
    FileObject,
    FileReference,
    Healthcheck,
    Mount,
    Network,
    Placement,
    Port,
    PortRange,
    Resources,
    ResourceSpec,
    ServiceNetwork,
    Topology,
    UpdateConfig,
)
from translator.model.hostfiles import HostSource
from translator.model.topology import DeviceRequest
from translator.targets.base import RenderOptions, handling_of
from translator.targets.kubernetes import TARGET

KEYS = TARGET.keys


def unaccounted(source_keys: tuple[str, ...], service: str, diagnostics: Diagnostics) -> set[str]:
    """Keys neither mapped by the table nor named in a diagnostic for this service."""
    diagnosed = {d.key for d in diagnostics if d.service == service}
    mapped = {k for k in source_keys if k in KEYS and handling_of(KEYS[k]) == "mapped"}
    return set(source_keys) - mapped - diagnosed


def test_table_covers_every_compose_service_key(conformance_dir: Path) -> None:
    schema = json.loads((conformance_dir / "schemas" / "compose-spec.json").read_text())
    keys = set(schema["definitions"]["service"]["properties"])
    assert len(keys) == 92
    assert set(KEYS) == keys


@pytest.mark.parametrize(
    "key", sorted(k for k, v in KEYS.items() if handling_of(v) != "mapped"))
def test_unmapped_keys_are_diagnosed(key: str) -> None:
    _docs, diagnostics = render(make_plan(planned(service(source_keys=("image", key)))))
    found = [d for d in diagnostics if d.key == key]
    assert len(found) == 1
    assert (found[0].service, found[0].target) == ("web", "kubernetes")
    assert unaccounted(("image", key), "web", diagnostics) == set()


S = 1_000_000_000
CONDITIONAL: list[tuple[str, dict[str, Any], str, str]] = [
    ("user name", {"user": "app"}, "user", "numeric"),
    ("pass-through env", {"environment": {"X": None}}, "environment", "no value"),
    ("depends_on without waiting", {"depends_on": {"db": Dependency()}}, "depends_on",
     "--wait-for-dependencies"),
    ("bind mount", {"volumes": (Mount(type="bind", source="/var/run/docker.sock",
                                      target="/var/run/docker.sock",
                                      host=HostSource(kind="system")),)}, "volumes",
     "allow_host_paths"),
    ("anonymous volume", {"volumes": (Mount(type="volume", target="/x"),)}, "volumes",
     "emptyDir"),
    ("security_opt", {"security_opt": ("seccomp:unconfined",)}, "security_opt",
     "no securityContext"),
    ("restart no with a port", {"restart": "no", "ports": (Port(target=80),)}, "restart",
     "always restart"),
    ("host-gateway", {"extra_hosts": {"h": ("host-gateway",)}}, "extra_hosts", "host-gateway"),
    ("network_mode", {"network_mode": "container:db"}, "network_mode", "no pod equivalent"),
    ("pull_policy build", {"pull_policy": "build"}, "pull_policy", "no Kubernetes"),
    ("sctp-less protocol", {"ports": (Port(target=1, protocol="icmp"),)}, "ports", "dropped"),
    ("binpack", {"topology": Topology(placement=Placement(strategy="binpack"))}, "deploy",
     "approximated"),
    ("update delay", {"topology": Topology(update_config=UpdateConfig(delay=S))}, "deploy",
     "delay"),
    ("request > limit", {"topology": Topology(resources=Resources(
        limits=ResourceSpec(cpus=0.5), reservations=ResourceSpec(cpus=1.0)))}, "deploy",
     "exceeds its limit"),
    ("host_ip", {"ports": (Port(target=80, host_ip="127.0.0.1"),)}, "ports", "host_ip"),
    ("network aliases", {"networks": {"back": ServiceNetwork(aliases=("api",))}}, "networks",
     "aliases api"),
    ("platform variant", {"platform": "linux/arm/v7"}, "platform", "variant"),
    ("hook user", {"extras": {"pre_stop": [{"command": "x", "user": "root"}]}}, "pre_stop",
     "user"),
    ("all gpus", {"topology": Topology(resources=Resources(reservations=ResourceSpec(devices=(
        DeviceRequest(capabilities=("gpu",), count=-1),))))}, "deploy", "device plugin"),
    ("completion is not awaited", {"depends_on": {"db": Dependency(
        condition="service_completed_successfully")}}, "depends_on", "to complete"),
    ("link alias", {"links": ("db:database",)}, "links", "alias"),
    ("more than 3 nameservers", {"dns": ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4")}, "dns",
     "at most 3"),
    ("exposure without port", {"expose": ()}, "ports", "needs a port"),
]


@pytest.mark.parametrize(("case", "fields", "key", "message"), CONDITIONAL,
                         ids=[c[0] for c in CONDITIONAL])
def test_conditional_losses_are_diagnosed(
    case: str, fields: dict[str, Any], key: str, message: str
) -> None:
    from translator.model import Exposure

    exposure = Exposure(type="node-port") if case == "exposure without port" else None
    db = planned(service("db", image="postgres:16"))
    options = RenderOptions(wait_for_dependencies=case == "completion is not awaited")
    _docs, diagnostics = render(make_plan(planned(service(**fields), exposure=exposure), db),
                                options)
    found = [d for d in diagnostics if d.key == key and d.service == "web"]
    assert any(message in d.message for d in found), [d.message for d in diagnostics]
    assert all(d.target == "kubernetes" for d in found)


def test_networks_without_policies_are_diagnosed_and_with_policies_rendered() -> None:
    web = planned(service(networks={"backend": None}, ports=(Port(
        target=80, published=PortRange(start=80, end=80)),)))
    db = planned(service("db", image="postgres:16", networks={"backend": None}))
    plan = make_plan(web, db, networks={"backend": Network()})
    _, diagnostics = render(plan)
    assert {d.service for d in diagnostics if d.key == "networks"} == {"web", "db"}
    docs, diagnostics = render(plan, RenderOptions(extra={"network_policies": True}))
    assert not [d for d in diagnostics if d.key == "networks"]
    policies = {d.name: d.content["spec"] for d in docs if d.kind == "NetworkPolicy"}
    label = {"network.compose-translator.io/backend": "true"}
    assert policies["net-backend"]["podSelector"] == {"matchLabels": label}
    assert policies["web"]["ingress"] == [{"ports": [{"port": 80, "protocol": "TCP"}]}]
    pod_labels = next(d.content for d in docs if d.name == "db" and d.kind == "Deployment")[
        "spec"]["template"]["metadata"]["labels"]
    assert pod_labels["network.compose-translator.io/backend"] == "true"


def test_secrets_are_references_unless_embedded() -> None:
    ref = FileReference(source="db-password")
    svc = service(secrets=(ref,))
    secrets = {"db-password": FileObject(file="./pw.txt", content="s3cret")}
    docs, diagnostics = render(make_plan(planned(svc), secrets=secrets))
    assert not [d for d in docs if d.kind == "Secret"]
    assert any("kubectl create secret" in d.message for d in diagnostics)
    pod = next(d.content for d in docs if d.kind == "Deployment")["spec"]["template"]["spec"]
    assert pod["containers"][0]["volumeMounts"] == [{
        "name": "secret-db-password-0", "mountPath": "/run/secrets/db-password",
        "subPath": "db-password", "readOnly": True}]
    assert pod["volumes"][0]["secret"] == {
        "secretName": "db-password", "items": [{"key": "db-password", "path": "db-password"}]}
    docs, _ = render(make_plan(planned(svc), secrets=secrets), RenderOptions(embed_secrets=True))
    secret = [d for d in docs if d.kind == "Secret"]
    assert len(secret) == 1 and secret[0].sensitive
    assert secret[0].content["data"] == {"db-password": "czNjcmV0"}  # base64 of s3cret


def test_config_without_content_is_referenced_and_diagnosed() -> None:
    svc = service(configs=(FileReference(source="rules", target="/etc/rules.yaml", mode=0o440),))
    configs = {"rules": FileObject(file="./rules.yaml")}
    docs, diagnostics = render(make_plan(planned(svc), configs=configs))
    assert not [d for d in docs if d.kind == "ConfigMap"]
    assert any(d.key == "configs" and "not in the plan" in d.message for d in diagnostics)
    pod = next(d.content for d in docs if d.kind == "Deployment")["spec"]["template"]["spec"]
    assert pod["volumes"][0]["configMap"] == {
        "name": "rules", "items": [{"key": "rules", "path": "rules", "mode": 0o440}]}
    inline = {"rules": FileObject(content="a: 1\n")}
    docs, _ = render(make_plan(planned(svc), configs=inline))
    assert next(d.content for d in docs if d.kind == "ConfigMap")["data"] == {"rules": "a: 1\n"}


def test_healthcheck_without_test_is_diagnosed() -> None:
    _, diagnostics = render(make_plan(planned(service(healthcheck=Healthcheck(interval=S)))))
    assert any(d.key == "healthcheck" for d in diagnostics)


def test_a_loss_is_reported_once() -> None:
    from translator.model import Exposure

    svc = service(ports=(Port(target=80),), labels={"kompose.service.type": "weird"})
    _, diagnostics = render(make_plan(planned(svc, exposure=Exposure(type="ingress",
                                                                     host="a.example.com"))))
    assert len([d for d in diagnostics if "weird" in d.message]) == 1
