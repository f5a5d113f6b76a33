"""The registry: one line per target; the target owns its name and aliases."""

from __future__ import annotations

import pytest

from translator.targets import REGISTRY, aliases, canonical, get, names
from translator.targets.base import Target


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_line_names_a_target_that_answers_to_that_name(name: str) -> None:
    target = get(name)
    assert isinstance(target, Target)
    assert target.name == name
    assert all(aliases()[alias] == name for alias in target.aliases)


def test_names_are_the_registry_lines_in_order() -> None:
    assert names() == ["kubernetes", "swarm", "marathon"]


def test_an_alias_resolves_to_its_target() -> None:
    assert canonical("k8s") == "kubernetes"
    assert get("k8s") is get("kubernetes")


def test_aliases_come_from_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(get("swarm")), "aliases", ("stack",))
    assert canonical("stack") == "swarm"


def test_no_alias_shadows_a_name() -> None:
    spellings = [a for name in names() for a in get(name).aliases]
    assert len(spellings) == len(set(spellings))
    assert not set(spellings) & set(names())


def test_an_unknown_name_answers_nothing() -> None:
    assert canonical("nomad") is None
    with pytest.raises(KeyError):
        get("nomad")
