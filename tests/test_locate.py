"""translator.locate: findings about settings the environment made point at that file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from translator.errors import Diagnostic, Location, Severity
from translator.locate import ENVIRONMENT_ROOT, environment_origins, setting_path
from translator.model import (
    Artifact,
    Environment,
    Exposure,
    Plan,
    PlannedService,
    Project,
    Service,
    ServiceSettings,
)

REPO = Path(__file__).resolve().parent.parent


def _plan(defaults: dict[str, Any], own: dict[str, Any]) -> Plan:
    names = ("api", "db", "web")
    services = {n: Service(name=n, artifact=Artifact(repository="nginx", tag="1")) for n in names}
    env = Environment(
        name="production",
        defaults=ServiceSettings(**defaults),
        services={"db": ServiceSettings(**own)},
    )
    planned = {
        n: PlannedService(service=s, topology=s.topology, exposure=Exposure(), stateful=False,
                          readiness_probe=False, labels={})
        for n, s in services.items()
    }
    return Plan(project=Project(name="p", services=services), environment=env, services=planned)


def _warn(path: tuple[str | int, ...], message: str = "m", location: Location | None = None,
          ) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, path, location, code="x", service=str(path[1]))


PLAN = {"defaults": {"replicas": 3}, "own": {"strategy": "binpack", "replicas": 1}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # set per service in the environment file: that line
        (("services", "db", "deploy", "replicas"), ("environment", "services", "db", "replicas")),
        (("services", "db", "deploy", "placement", "strategy"),
         ("environment", "services", "db", "strategy")),
        # only the defaults set it: the defaults line
        (("services", "web", "deploy", "replicas"), ("environment", "defaults", "replicas")),
        # the environment did not set it: compose keeps the finding
        (("services", "web", "deploy", "placement", "constraints", 0),
         ("services", "web", "deploy", "placement", "constraints", 0)),
        # not a topology setting at all
        (("services", "web", "ports", 0), ("services", "web", "ports", 0)),
        (("volumes", "data"), ("volumes", "data")),
    ],
)
def test_a_finding_moves_to_the_setting_that_decided_it(
    path: tuple[str | int, ...], expected: tuple[str | int, ...]
) -> None:
    plan = _plan(PLAN["defaults"], PLAN["own"])
    [moved] = environment_origins(plan, [_warn(path)])
    assert moved.path == expected


def test_one_finding_per_default_naming_its_services() -> None:
    plan = _plan(PLAN["defaults"], PLAN["own"])
    found = environment_origins(plan, [
        _warn(("services", name, "deploy", "replicas"), "too few") for name in ("web", "api")
    ])
    assert [(d.path, d.message, d.service) for d in found] == [
        (("environment", "defaults", "replicas"), "too few (services api, web)", None)
    ]


def test_located_and_already_placed_findings_are_left_alone() -> None:
    plan = _plan(PLAN["defaults"], PLAN["own"])
    located = _warn(("services", "web", "deploy", "replicas"), location=Location("c.yaml", 1, 1))
    lint = Diagnostic(Severity.WARNING, "no limits", (ENVIRONMENT_ROOT, "defaults", "resources"),
                      code="TR003")
    assert environment_origins(plan, [located, lint]) == [located, lint]


def test_setting_path_prefers_the_service_then_the_defaults() -> None:
    plan = _plan({"replicas": 3, "strategy": "spread"}, {"replicas": 1})
    compose = ("services", "db", "deploy", "replicas")
    assert setting_path(plan, "db", "replicas", compose) == (
        "environment", "services", "db", "replicas")
    assert setting_path(plan, "db", "strategy", compose) == ("environment", "defaults", "strategy")
    assert setting_path(plan, "db", "resources", compose) == compose


@pytest.mark.parametrize(
    ("module", "below"),
    [
        ("translator.locate", ("translator.api", "translator.plan")),
        ("translator.explain", ("translator.api", "translator.plan")),
        ("translator.lint", ("translator.api", "translator.plan")),
    ],
)
def test_data_flows_one_way(module: str, below: tuple[str, ...]) -> None:
    """Diagnostics and reports sit below the API: importing them imports neither the API
    nor the plan package (checked in a fresh interpreter)."""
    code = (f"import sys, {module}; "
            f"print(sorted(m for m in sys.modules if m.startswith({below!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert out.strip() == "[]"
