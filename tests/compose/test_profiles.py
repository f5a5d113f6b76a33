"""Profiles: which services survive, and dependencies on disabled ones (15-profiles.md)."""

from __future__ import annotations

from typing import Any

import pytest

from translator.compose.profiles import active_profiles, apply_profiles
from translator.errors import TranslatorError

DOC: dict[str, Any] = {
    "services": {
        "web": {"image": "web"},
        "db": {"image": "db", "profiles": ["dbp"]},
        "tool": {"image": "t", "profiles": ["tools", "dbp"]},
        "debug": {"image": "d", "profiles": ["debug"]},
    }
}


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        (set(), ["web"]),
        ({"dbp"}, ["web", "db", "tool"]),
        ({"tools"}, ["web", "tool"]),
        ({"debug", "tools"}, ["web", "tool", "debug"]),
        ({"*"}, ["web", "db", "tool", "debug"]),
        ({"nothing"}, ["web"]),
    ],
)
def test_services_enabled_by_profiles(active: set[str], expected: list[str]) -> None:
    out = apply_profiles(DOC, frozenset(active))
    assert list(out["services"]) == expected


@pytest.mark.parametrize(
    ("cli", "environ", "expected"),
    [
        ((), {}, set()),
        (("a",), {"COMPOSE_PROFILES": "b,c"}, {"a"}),
        ((), {"COMPOSE_PROFILES": "b, c,"}, {"b", "c"}),
        (("a", "b"), {}, {"a", "b"}),
        (("",), {"COMPOSE_PROFILES": "x"}, {"x"}),
    ],
)
def test_active_profiles(cli: tuple[str, ...], environ: dict[str, str], expected: set[str]) -> None:
    assert active_profiles(cli, environ) == expected


@pytest.mark.parametrize(
    "depends_on",
    [["db"], {"db": {"condition": "service_started"}}, {"db": {"required": True}}],
)
def test_required_dependency_on_disabled_service_is_an_error(depends_on: Any) -> None:
    doc = {
        "services": {
            "web": {"image": "w", "depends_on": depends_on},
            "db": {"image": "d", "profiles": ["dbp"]},
        }
    }
    with pytest.raises(TranslatorError) as info:
        apply_profiles(doc, frozenset())
    diag = info.value.diagnostics[0]
    assert diag.path[:3] == ("services", "web", "depends_on")
    assert "'web' depends on service 'db'" in diag.message
    assert diag.hint is not None and "dbp" in diag.hint


def test_optional_dependency_on_disabled_service_is_kept_as_compose_does() -> None:
    doc = {
        "services": {
            "web": {"image": "w", "depends_on": {"db": {"required": False}, "q": {}}},
            "q": {"image": "q"},
            "db": {"image": "d", "profiles": ["dbp"]},
        }
    }
    out = apply_profiles(doc, frozenset())
    assert list(out["services"]) == ["web", "q"]
    assert out["services"]["web"]["depends_on"] == {"db": {"required": False}, "q": {}}


@pytest.mark.parametrize("profiles", ["dbp", [1], {"a": 1}])
def test_profiles_must_be_a_list_of_names(profiles: Any) -> None:
    doc = {"services": {"db": {"image": "d", "profiles": profiles}}}
    with pytest.raises(TranslatorError) as info:
        apply_profiles(doc, frozenset())
    assert info.value.diagnostics[0].path == ("services", "db", "profiles")


def test_nothing_disabled_returns_the_same_document() -> None:
    doc = {"services": {"web": {"image": "w"}}}
    assert apply_profiles(doc, frozenset()) is doc
