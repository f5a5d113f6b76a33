"""Builders shared by the plan tests (imported as ``plan_helpers``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from translator.model import (
    Build,
    Constraint,
    Placement,
    Project,
    Resources,
    ResourceSpec,
    RestartPolicy,
    Service,
    Topology,
    Volume,
    parse_reference,
)

SHOP_SERVICES = ("accounts", "returns", "invoicing", "shipping", "inventory", "customer-service")
REPO = Path(__file__).resolve().parents[2]


def make_project(*, build_only: tuple[str, ...] = ()) -> Project:
    """The shop's shape: six services, a database with a compose deploy: and a volume."""
    services = {
        name: Service(
            name=name, artifact=parse_reference(f"registry.example.com/shop/{name}:1.0.0")
        )
        for name in SHOP_SERVICES
    }
    services["db"] = Service(
        name="db",
        artifact=parse_reference("postgres:16.4"),
        topology=Topology(
            replicas=1,
            placement=Placement(
                constraints=(Constraint(key="node.role", op="==", value="manager"),)
            ),
            resources=Resources(limits=ResourceSpec(cpus=1.0, memory=1024**3)),
            restart_policy=RestartPolicy(condition="on-failure", max_attempts=3),
        ),
        has_deploy=True,
    )
    for name in build_only:
        services[name] = Service(name=name, build=Build(context=f"./{name}"))
    return Project(name="shop", services=services, volumes={"db-data": Volume(), "cache": Volume()})


def write(directory: Path, name: str, text: str) -> Path:
    """Write dedented ``text`` to ``directory/name`` and return the path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


