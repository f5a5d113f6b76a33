"""Builders of plans for the Marathon target's tests (imported by the test modules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.errors import Diagnostics
from translator.model import (
    Environment,
    Exposure,
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
from translator.targets.marathon import TARGET
from translator.templating import Templates

# Model field -> compose key, for the keys a builder-made service "had" in its file.
_FIELD_KEYS = {"artifact": "image", "env_files": "env_file"}


def service(name: str = "web", image: str | None = "nginx:1.25", **fields: Any) -> Service:
    """A service as the loader would give it, ``source_keys`` included."""
    keys = ["image"] if image else []
    keys += [_FIELD_KEYS.get(k, k) for k in fields if k not in ("source_keys", "topology")]
    if "topology" in fields:
        keys.append("deploy")
    fields.setdefault("source_keys", tuple(keys))
    artifact = parse_reference(image) if image else None
    return Service(name=name, artifact=artifact, **fields)


def planned(
    svc: Service, topology: Topology | None = None, exposure: Exposure | None = None
) -> PlannedService:
    return PlannedService(
        service=svc,
        topology=topology if topology is not None else svc.topology,
        exposure=exposure or Exposure(),
    )


def plan(
    *services: Service | PlannedService,
    name: str = "shop",
    environment: Environment | None = None,
    storage: dict[str, Storage] | None = None,
    networks: dict[str, Network] | None = None,
    volumes: dict[str, Volume] | None = None,
    only: tuple[str, ...] | None = None,
) -> Plan:
    items = [s if isinstance(s, PlannedService) else planned(s) for s in services]
    project = Project(
        name=name,
        services={p.name: p.service for p in items},
        networks=networks or {},
        volumes=volumes or {},
    )
    return Plan(
        project=project,
        environment=environment or Environment(platform="marathon"),
        services={p.name: p for p in items if only is None or p.name in only},
        storage=storage or {},
    )


@dataclass
class Result:
    documents: list[Document]
    diagnostics: Diagnostics

    @property
    def group(self) -> dict[str, Any]:
        assert len(self.documents) == 1 and self.documents[0].kind == "group"
        return self.documents[0].content

    @property
    def app(self) -> dict[str, Any]:
        apps: list[dict[str, Any]] = self.group["apps"]
        assert len(apps) == 1
        return apps[0]

    def diagnostic_keys(self) -> list[str | None]:
        return [d.key for d in self.diagnostics]


def render(p: Plan, layout: str | None = None, templates_dir: Path | None = None) -> Result:
    diagnostics = Diagnostics()
    extra = {} if layout is None else {"marathon_layout": layout}
    docs = TARGET.render(p, RenderOptions(extra=extra), Templates(templates_dir), diagnostics)
    return Result(docs, diagnostics)


# validate(document, kind) -> schema error messages; kind is "group" or "app".
Validate = Callable[[dict[str, Any], str], list[str]]
