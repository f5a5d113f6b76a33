"""The in-house model base: construction, conversion, checks and the pydantic-shaped API."""

from __future__ import annotations

import copy
import pickle
from typing import Annotated, Any, Literal

import pytest

from translator.model import (
    Artifact,
    Healthcheck,
    Placement,
    Port,
    PortRange,
    ResourceSpec,
    Service,
    ServiceSettings,
    Topology,
)
from translator.model.base import Frozen
from translator.model.frozen import Bounds, FrozenInstanceError, ModelError, field
from translator.model.frozen_compile import converter


class _Leaf(Frozen):
    value: int
    kind: Literal["a", "b"] = "a"


class _Tree(Frozen):
    leaves: tuple[_Leaf, ...] = ()
    by_name: dict[str, _Leaf | None] = field(default_factory=dict)
    ratio: float | None = field(default=None, ge=0)
    size: Annotated[int, Bounds(ge=1, le=9)] = 1
    hidden: str | None = field(default=None, repr=False)


def test_nested_mappings_and_lists_become_models_and_tuples() -> None:
    tree = _Tree(leaves=[{"value": 1}, _Leaf(value=2, kind="b")], by_name={"x": {"value": 3}})
    assert tree.leaves == (_Leaf(value=1), _Leaf(value=2, kind="b"))
    assert type(tree.leaves) is tuple
    assert tree.by_name == {"x": _Leaf(value=3)}


def test_an_int_where_a_float_is_declared_becomes_a_float() -> None:
    ratio = _Tree(ratio=1).ratio
    assert ratio == 1.0 and type(ratio) is float
    assert type(ResourceSpec(cpus=2).cpus) is float
    assert _Tree(ratio=True).ratio is True  # a bool is not an int here, as before


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        ({"leaves": [{"value": 1}, {"value": 1, "kind": "c"}]}, ("leaves", 1, "kind"), "one of"),
        ({"by_name": {"k": {"kind": "a"}}}, ("by_name", "k", "value"), "required"),
        ({"ratio": -0.5}, ("ratio",), "at least 0"),
        ({"size": 10}, ("size",), "at most 9"),
        ({"size": 0}, ("size",), "at least 1"),
        ({"leaves": "ab"}, ("leaves",), "sequence"),
        ({"by_name": ["x"]}, ("by_name",), "mapping"),
        ({"unknown": 1}, ("unknown",), "not a field"),
    ],
)
def test_errors_name_the_path_to_the_bad_value(
    data: dict[str, Any], loc: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ModelError, match=message) as info:
        _Tree.model_validate(data)
    assert info.value.loc == loc
    assert info.value.errors()[0]["loc"] == loc


def test_post_init_checks_run_on_construction() -> None:
    with pytest.raises(ModelError) as info:
        Artifact(repository="Not/Valid")
    assert info.value.loc == ("repository",)


def test_instances_are_frozen_and_compare_by_value() -> None:
    a, b = Placement(spread_over=("zone",)), Placement(spread_over=["zone"])
    assert a == b and hash(a) == hash(b)
    assert a != Placement()
    assert PortRange(start=1, end=1) != Port(target=1)
    with pytest.raises(FrozenInstanceError):
        a.strategy = "spread"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del a.strategy  # type: ignore[misc]


def test_fields_set_tracks_what_was_given_not_what_equals_the_default() -> None:
    settings = ServiceSettings.model_validate({"replicas": None, "stateful": False})
    assert settings.model_fields_set == {"replicas", "stateful"}
    assert ServiceSettings().model_fields_set == set()
    # Equality ignores how a value came to be.
    assert settings == ServiceSettings(replicas=None, stateful=False)
    assert settings == ServiceSettings(stateful=False)


def test_model_copy_applies_updates_as_given_and_marks_them_set() -> None:
    check = Healthcheck(retries=3)
    copied = check.model_copy(update={"timeout": 5})
    assert (copied.retries, copied.timeout) == (3, 5)
    assert copied.model_fields_set == {"retries", "timeout"}
    assert check.timeout is None and check.model_fields_set == {"retries"}


def test_default_factories_give_each_instance_its_own_value() -> None:
    first, second = Topology(), Topology()
    assert first.labels is not second.labels
    assert first.placement == second.placement == Placement()


def test_model_dump_flags_apply_to_nested_models_but_not_to_dict_items() -> None:
    service = Service(
        name="web",
        environment={"A": None},
        ports=[{"target": 80}],
        topology={"replicas": 2},
    )
    dumped = service.model_dump(exclude_defaults=True, exclude_none=True)
    assert dumped == {
        "name": "web",
        "environment": {"A": None},
        "ports": ({"target": 80},),
        "topology": {"replicas": 2},
    }
    assert service.model_dump(mode="json", include={"ports"}) == {
        "ports": [{"target": 80, "published": None, "host_ip": None, "protocol": "tcp",
                   "mode": "ingress", "name": None, "app_protocol": None}]
    }
    assert service.model_dump(exclude_unset=True).keys() == {
        "name", "environment", "ports", "topology"}
    assert "name" not in service.model_dump(exclude={"name"})


def test_repr_and_str_hide_fields_marked_so() -> None:
    tree = _Tree(hidden="secret", size=2)
    assert "secret" not in repr(tree) and "secret" not in str(tree)
    assert repr(tree).startswith("_Tree(leaves=(), by_name={}, ratio=None, size=2)")
    assert str(_Leaf(value=1)) == "value=1 kind='a'"


def test_pickle_and_copy_keep_values_and_fields_set() -> None:
    service = Service(name="web", ports=[{"target": 80}])
    for clone in (pickle.loads(pickle.dumps(service)), copy.deepcopy(service),
                  copy.copy(service)):
        assert clone == service
        assert clone.model_fields_set == {"name", "ports"}


def test_unsupported_annotations_are_refused_when_compiled() -> None:
    with pytest.raises(TypeError, match="cannot hold"):
        converter(set[str])
    with pytest.raises(TypeError, match="cannot hold"):
        converter(_Leaf | Placement)


def test_keyword_construction_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        _Tree(bogus=1)  # type: ignore[call-arg]
    with pytest.raises(ModelError) as info:
        _Leaf()  # type: ignore[call-arg]
    assert info.value.loc == ("value",)
    with pytest.raises(ModelError) as info:
        _Tree(size=3, leaves=[{"value": "x", "kind": "z"}])
    assert info.value.loc == ("leaves", 0, "kind")


def test_a_bounded_field_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ModelError, match="expected a number") as info:
        _Tree(size="3")  # type: ignore[arg-type]
    assert info.value.loc == ("size",)
