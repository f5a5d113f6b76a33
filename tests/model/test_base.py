from __future__ import annotations

import pytest

from translator.model import Port, Service
from translator.model.base import format_duration, mebibytes_ceil, seconds_ceil
from translator.model.frozen import FrozenInstanceError, ModelError

S = 1_000_000_000


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (500_000_000, "500ms"),
        (1_500_000_000, "1.5s"),
        (90 * S, "1m30s"),
        (3600 * S, "1h0m0s"),
        (3600 * S + 1, "1h0m0.000000001s"),
        (26 * 3600 * S + 61 * S, "26h1m1s"),
    ],
)
def test_format_duration_matches_go(ns: int, text: str) -> None:
    assert format_duration(ns) == text


@pytest.mark.parametrize(("ns", "seconds"), [(0, 0), (1, 1), (S, 1), (S + 1, 2), (90 * S, 90)])
def test_seconds_ceil(ns: int, seconds: int) -> None:
    assert seconds_ceil(ns) == seconds


@pytest.mark.parametrize(("size", "mib"), [(0, 0), (1, 1), (1 << 20, 1), ((1 << 20) + 1, 2)])
def test_mebibytes_ceil(size: int, mib: int) -> None:
    assert mebibytes_ceil(size) == mib


def test_model_is_frozen_and_forbids_unknown_fields() -> None:
    service = Service(name="web")
    with pytest.raises(FrozenInstanceError):
        service.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError, match="imagee"):
        Service(name="web", imagee="typo")  # type: ignore[call-arg]
    with pytest.raises(ModelError, match="imagee"):
        Service.model_validate({"name": "web", "imagee": "typo"})


@pytest.mark.parametrize("target", [-1, 65536])
def test_port_numbers_are_bounded(target: int) -> None:
    with pytest.raises(ModelError, match="target"):
        Port(target=target)
