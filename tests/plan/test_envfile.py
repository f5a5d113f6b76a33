from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.model import Constraint, Environment
from translator.plan.envfile import to_bytes, to_constraint, to_cpus, to_nanoseconds
from translator.plan.environments import load_environment

GI = 1024**3
MI = 1024**2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("512M", 512 * MI),
        ("512m", 512 * MI),
        ("1g", GI),
        ("1GB", GI),
        ("1Gi", GI),
        ("500Mi", 500 * MI),
        ("1.5Gi", 3 * GI // 2),
        ("64Ki", 64 * 1024),
        (1048576, MI),
        ("100", 100),
    ],
)
def test_sizes_accept_compose_and_kubernetes_forms(text: object, expected: int) -> None:
    assert to_bytes(text) == expected


@pytest.mark.parametrize("text", ["12X", "1 Gib x", "-1", "", "Gi", True, [1]])
def test_bad_sizes_say_what_is_expected(text: object) -> None:
    with pytest.raises(ValueError, match="1Gi"):
        to_bytes(text)


@given(st.integers(min_value=0, max_value=2**20), st.sampled_from(["Ki", "Mi", "Gi"]))
def test_kubernetes_binary_suffixes_multiply(number: int, suffix: str) -> None:
    power = {"Ki": 1, "Mi": 2, "Gi": 3}[suffix]
    assert to_bytes(f"{number}{suffix}") == number * 1024**power


@pytest.mark.parametrize(
    ("value", "expected"), [(0.5, 0.5), ("2", 2.0), (1, 1.0), ("500m", 0.5), ("1500m", 1.5)]
)
def test_cpus(value: object, expected: float) -> None:
    assert to_cpus(value) == expected


@pytest.mark.parametrize("value", ["half", -1, "m", None])
def test_bad_cpus(value: object) -> None:
    with pytest.raises(ValueError, match="CPUs"):
        to_cpus(value)


@pytest.mark.parametrize(
    ("value", "expected"), [("10s", 10 * 10**9), ("1m30s", 90 * 10**9), ("500ms", 5 * 10**8)]
)
def test_durations(value: str, expected: int) -> None:
    assert to_nanoseconds(value) == expected


@pytest.mark.parametrize("value", ["10", 10, "soon"])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        to_nanoseconds(value)


@pytest.mark.parametrize(
    ("text", "key", "op", "value"),
    [
        ("node.labels.role == database", "node.labels.role", "==", "database"),
        ("node.hostname==uat-1", "node.hostname", "==", "uat-1"),
        ("node.role != manager", "node.role", "!=", "manager"),
        ("engine.labels.os == linux", "engine.labels.os", "==", "linux"),
        ("node.platform.arch == x86_64", "node.platform.arch", "==", "x86_64"),
        ("  node.labels.zone ==  eu west  ", "node.labels.zone", "==", "eu west"),
    ],
)
def test_constraints_parse(text: str, key: str, op: str, value: str) -> None:
    assert to_constraint(text) == Constraint(key=key, op=op, value=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("node.labels.role = database", "expected '<attribute> == <value>'"),
        ("node.labels.role ==", "expected"),
        ("zone == eu", "unknown constraint attribute 'zone'"),
        ("node.labels. == x", "unknown constraint attribute"),
        (42, "invalid constraint"),
    ],
)
def test_bad_constraints_list_the_allowed_forms(text: object, match: str) -> None:
    with pytest.raises(ValueError, match=match) as info:
        to_constraint(text)
    assert "node.labels.<name>" in str(info.value)


def test_a_file_is_validated_once_by_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    original = Environment.model_validate.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Environment], data: object, **kwargs: Any) -> Environment:
        calls.append(data)
        result: Environment = original(cls, data, **kwargs)
        return result

    monkeypatch.setattr(Environment, "model_validate", classmethod(counting))
    (tmp_path / "prod.yaml").write_text(
        "platform: swarm\n"
        "defaults:\n  constraints: [node.role == worker]\n"
        "  resources: {limits: {memory: 512Mi, cpus: 500m}}\n"
        "  update_config: {delay: 10s}\n"
        "services:\n  web: {replicas: 2}\n"
        "volumes:\n  data: {size: 1Gi}\n"
    )
    env = load_environment("prod", tmp_path, ["web"], volumes=["data"])
    assert len(calls) == 1
    assert env.defaults.resources is not None
    assert (env.defaults.resources.limits.memory, env.defaults.resources.limits.cpus) == (
        512 * MI, 0.5)
    assert env.defaults.constraints == (Constraint(key="node.role", op="==", value="worker"),)
    assert env.volumes["data"].size == GI
