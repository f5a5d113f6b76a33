from __future__ import annotations

import pydantic
import pytest

from translator.model import Environment, Port, ResourceSpec, Service, ServiceSettings
from translator.model.base import format_duration, mebibytes_ceil, seconds_ceil

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
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        service.name = "other"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="imagee"):
        Service(name="web", imagee="typo")  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError, match="imagee"):
        Service.model_validate({"name": "web", "imagee": "typo"})


@pytest.mark.parametrize("target", [-1, 65536])
def test_port_numbers_are_bounded(target: int) -> None:
    with pytest.raises(pydantic.ValidationError, match="target"):
        Port(target=target)


def test_copies_keep_instances_and_fields_set() -> None:
    spec = ResourceSpec.model_validate({"memory": 1024})
    copy = spec.model_copy(update={"cpus": 0.5})
    assert copy.model_fields_set == {"memory", "cpus"}
    assert copy == ResourceSpec(memory=1024, cpus=0.5)
    nested = Service.model_validate({"name": "web", "topology": {"resources": {"limits": spec}}})
    assert nested.topology.resources.limits is spec  # an instance is not validated again


def test_text_units_parse_only_with_the_readers_parsers() -> None:
    data = {"memory": "1k", "cpus": "half"}
    with pytest.raises(pydantic.ValidationError):
        ResourceSpec.model_validate(data)  # the model itself holds semantic values only
    parsers = {"size": lambda v: 1024, "cpus": lambda v: 0.5}
    spec = ResourceSpec.model_validate(data, context={"parsers": parsers})
    assert (spec.memory, spec.cpus) == (1024, 0.5)
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 0"):
        ResourceSpec.model_validate(data, context={"parsers": {**parsers, "size": lambda v: -1}})


def test_constraints_parse_per_item_with_the_readers_parser() -> None:
    def parse(text: object) -> object:
        key, value = str(text).split("==")
        return {"key": key, "op": "==", "value": value}

    settings = ServiceSettings.model_validate(
        {"constraints": ["node.role==manager"]}, context={"parsers": {"constraint": parse}}
    )
    assert settings.constraints is not None
    assert str(settings.constraints[0]) == "node.role==manager"


def test_platform_is_checked_against_the_names_the_reader_passes() -> None:
    assert Environment.model_validate({"platform": "nomad"}).platform == "nomad"
    context = {"platforms": ["kubernetes", "swarm"]}
    assert Environment.model_validate({"platform": "swarm"}, context=context).platform == "swarm"
    with pytest.raises(pydantic.ValidationError, match="Input should be 'kubernetes' or 'swarm'"):
        Environment.model_validate({"platform": "nomad"}, context=context)
