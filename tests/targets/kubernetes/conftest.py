"""Builders for Kubernetes target tests: plans made directly from model objects."""

from __future__ import annotations

from typing import Any

import pytest
from k8s_schemas import kubernetes_validator

from translator.errors import Diagnostics
from translator.model import (
    Environment,
    Exposure,
    FileObject,
    Network,
    Plan,
    PlannedService,
    Project,
    Service,
    Storage,
    Topology,
    Volume,
    parse_reference,
)
from translator.targets.base import Document, RenderOptions
from translator.targets.kubernetes import TARGET
from translator.templating import Templates

K8S_VERSIONS = ("1.29", "1.37")


def at(obj: Any, path: str) -> Any:
    """The value at a dotted ``path`` (list indexes as numbers), or ``"<absent>"``."""
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj.get(part, "<absent>")
        if obj == "<absent>":
            return obj
    return obj


def service(name: str = "web", image: str | None = "nginx:1.25", **fields: Any) -> Service:
    artifact = parse_reference(image) if image else None
    # As the loader does: a key kept in ``extras`` is a source key of its own.
    keys = tuple(k for k in fields if k not in ("topology", "env_files", "source_keys", "extras"))
    keys += tuple(fields.get("extras", {}))
    fields.setdefault("source_keys", ("image", *keys))
    return Service(name=name, artifact=artifact, **fields)


def planned(
    svc: Service | None = None, *, topology: Topology | None = None,
    exposure: Exposure | None = None, stateful: bool = False, readiness_probe: bool = False,
    labels: dict[str, str] | None = None,
) -> PlannedService:
    svc = svc or service()
    return PlannedService(
        service=svc, topology=topology or svc.topology, exposure=exposure or Exposure(),
        stateful=stateful, readiness_probe=readiness_probe, labels=labels or {},
    )


def make_plan(
    *services: PlannedService, project: str = "shop", environment: Environment | None = None,
    volumes: dict[str, Volume] | None = None, configs: dict[str, FileObject] | None = None,
    secrets: dict[str, FileObject] | None = None, networks: dict[str, Network] | None = None,
    storage: dict[str, Storage] | None = None,
) -> Plan:
    services = services or (planned(),)
    # Compose refuses undeclared named volumes, so declare every one the services mount.
    used = {m.source for p in services for m in p.service.volumes
            if m.type == "volume" and m.source}
    volumes = {**{v: Volume() for v in sorted(used)}, **(volumes or {})}
    proj = Project(
        name=project, services={p.name: p.service for p in services},
        volumes=volumes, configs=configs or {}, secrets=secrets or {},
        networks=networks or {},
    )
    return Plan(project=proj, environment=environment or Environment(),
                services={p.name: p for p in services}, storage=storage or {})


def render(
    plan: Plan, options: RenderOptions | None = None, templates: Templates | None = None
) -> tuple[list[Document], Diagnostics]:
    diagnostics = Diagnostics()
    docs = TARGET.render(plan, options or RenderOptions(), templates or Templates(), diagnostics)
    return docs, diagnostics


def one(docs: list[Document], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d.content for d in docs if d.kind == kind and (name is None or d.name == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, got {[d.filename for d in docs]}"
    return found[0]


def pod(docs: list[Document], kind: str = "Deployment") -> dict[str, Any]:
    spec: dict[str, Any] = one(docs, kind)["spec"]["template"]["spec"]
    return spec


def container(docs: list[Document], kind: str = "Deployment") -> dict[str, Any]:
    result: dict[str, Any] = pod(docs, kind)["containers"][0]
    return result


def messages(diagnostics: Diagnostics, key: str | None = None) -> list[str]:
    return [d.message for d in diagnostics if key is None or d.key == key]


def validate_strict(content: dict[str, Any], version: str) -> list[str]:
    """kubernetes-validate --strict errors for one object (empty when valid)."""
    validator = kubernetes_validator(version, content["kind"], content["apiVersion"])
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(content)]


@pytest.fixture(params=K8S_VERSIONS)
def k8s_version(request: pytest.FixtureRequest) -> str:
    version: str = request.param
    return version
