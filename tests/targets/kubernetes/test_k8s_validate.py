"""Every object the mapping tables produce passes kubernetes-validate --strict (1.29, 1.37)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_plan, planned, render, service, validate_strict
from test_k8s_mappings import CONTAINER_CASES, WORKLOAD_CASES

from translator.model import Environment, ExposedPort, FileObject, FileReference, Mount, Network
from translator.targets.base import RenderOptions

CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    *((c[0], c[1], {}) for c in CONTAINER_CASES), *((c[0], c[1], c[2]) for c in WORKLOAD_CASES)]


@pytest.mark.parametrize(("case", "fields", "extra"), CASES, ids=[c[0] for c in CASES])
def test_case_objects_validate(
    case: str, fields: dict[str, Any], extra: dict[str, Any], k8s_version: str
) -> None:
    fields = dict(fields)
    topology = fields.pop("topology", None)
    db = planned(service("db", image="postgres:16", expose=(ExposedPort(start=5432, end=5432),)))
    plan = make_plan(planned(service(**fields), topology=topology, **extra), db)
    docs, _ = render(plan, RenderOptions(wait_for_dependencies=True))
    for doc in docs:
        assert validate_strict(doc.content, k8s_version) == [], doc.filename


def test_everything_at_once_validates(k8s_version: str) -> None:
    svc = service(
        volumes=(Mount(type="volume", source="data", target="/data"),
                 Mount(type="bind", source="/var/log", target="/logs")),
        configs=(FileReference(source="rules"),), secrets=(FileReference(source="pw"),),
        networks={"backend": None}, expose=(ExposedPort(start=80, end=80),),
    )
    plan = make_plan(
        planned(svc), configs={"rules": FileObject(content="x")},
        secrets={"pw": FileObject(content="y")}, networks={"backend": Network()},
        environment=Environment(namespace="shop-prod", allow_host_paths=True),
    )
    options = RenderOptions(embed_secrets=True, wait_for_dependencies=True,
                            extra={"create_namespace": True, "network_policies": True})
    docs, _ = render(plan, options)
    assert [d.kind for d in docs] == ["Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim",
                                      "Service", "Deployment", "NetworkPolicy"]
    assert all(d.content["metadata"].get("namespace") == "shop-prod" for d in docs[1:])
    for doc in docs:
        assert validate_strict(doc.content, k8s_version) == [], doc.filename


def test_in_process_validator_agrees_with_kubernetes_validate(k8s_version: str) -> None:
    """conftest.validate_strict caches kubernetes-validate's schemas; check it against the
    package's own API on valid objects and on an object with an unknown field."""
    import kubernetes_validate  # type: ignore[import-untyped]

    docs, _ = render(make_plan(planned(service(expose=(ExposedPort(start=80, end=80),)))))
    for doc in docs:
        kubernetes_validate.validate(doc.content, k8s_version, strict=True)
        assert validate_strict(doc.content, k8s_version) == []
    broken = {**docs[0].content, "spec": {**docs[0].content["spec"], "bogus": 1}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, k8s_version, strict=True)
    assert validate_strict(broken, k8s_version) != []
