"""Sharing repeated immutable parts between services: same project, less work."""

from __future__ import annotations

from typing import Any

import pytest

from translator.compose.normalize.intern import Interner
from translator.errors import TranslatorError
from translator.model import Dependency, Healthcheck, Project, ResourceSpec
from translator.model.topology import Resources

from .conftest import run

HEALTH = {"test": ["CMD", "true"], "interval": "30s", "retries": 3}
DEPLOY = {
    "resources": {"limits": {"cpus": "0.5", "memory": "256M"}},
    "placement": {"constraints": ["node.role == worker"]},
}


def project(**services: dict[str, Any]) -> Project:
    return run({"services": {n: {"image": "nginx", **s} for n, s in services.items()}})


def test_repeated_parts_are_one_instance_equal_to_a_lone_one() -> None:
    spec = {"healthcheck": dict(HEALTH), "deploy": dict(DEPLOY), "depends_on": ["c"]}
    both = project(a=spec, b=dict(spec), c={})
    alone = project(a=spec, c={})
    a, b = both.services["a"], both.services["b"]
    assert a.healthcheck is b.healthcheck
    assert a.topology.placement is b.topology.placement
    assert a.topology.resources is b.topology.resources
    assert a.depends_on["c"] is b.depends_on["c"]
    # Sharing changes nothing a caller can see: values and the fields set are the same.
    assert a == alone.services["a"]
    assert a.model_dump(exclude_unset=True) == alone.services["a"].model_dump(exclude_unset=True)


def test_different_values_are_not_shared() -> None:
    p = project(a={"healthcheck": dict(HEALTH)}, b={"healthcheck": {**HEALTH, "retries": 4}})
    assert p.services["a"].healthcheck != p.services["b"].healthcheck
    assert p.services["b"].healthcheck is not None
    assert p.services["b"].healthcheck.retries == 4


def test_an_invalid_repeat_still_fails_at_its_own_path() -> None:
    bad = {"test": ["CMD", "true"], "retries": -1}
    with pytest.raises(TranslatorError) as info:
        project(a={"healthcheck": dict(HEALTH)}, b={"healthcheck": bad}, c={"healthcheck": bad})
    assert info.value.diagnostics[0].path == ("services", "b", "healthcheck", "retries")


def test_resources_with_device_requests_are_not_shared() -> None:
    # A device request holds an options dict: sharing it would let one service change another.
    gpu = {"resources": {"reservations": {"devices": [{"capabilities": ["gpu"]}]}}}
    p = project(a={"deploy": gpu}, b={"deploy": gpu})
    a, b = p.services["a"].topology.resources, p.services["b"].topology.resources
    assert a == b
    assert a is not b


def test_keys_keep_scalar_types_apart() -> None:
    # 1, 1.0 and True are equal in Python; as fields they are not the same value.
    interner = Interner()
    first = interner.get(ResourceSpec, {"cpus": 1.0})
    assert interner.get(ResourceSpec, {"cpus": 1.0}) is first
    assert interner.get(Dependency, {"restart": True}) is not interner.get(
        Dependency, {"restart": False}
    )
    assert interner.normalized(Healthcheck, {"retries": 1}, lambda: {"retries": 1}) is not (
        interner.normalized(Healthcheck, {"retries": True}, lambda: {"retries": 2})
    )


def test_fields_that_do_not_validate_come_back_unchanged() -> None:
    interner = Interner()
    fields: dict[str, Any] = {"limits": {"cpus": -1.0}}
    assert interner.get(Resources, fields) is fields
    # Nothing was stored: a later call validates again.
    assert interner.get(Resources, fields) is fields


def test_unpicklable_values_are_normalized_without_sharing() -> None:
    interner = Interner()
    calls: list[int] = []

    def build() -> dict[str, Any]:
        calls.append(1)
        return {"retries": 1}

    raw = {"retries": lambda: 1}  # pickle refuses a lambda
    first = interner.normalized(Healthcheck, raw, build)
    second = interner.normalized(Healthcheck, raw, build)
    # Plain fields, each built anew: the project-wide validation takes them as before.
    assert first == second == {"retries": 1}
    assert first is not second
    assert len(calls) == 2
