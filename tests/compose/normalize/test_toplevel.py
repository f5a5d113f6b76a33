"""Top-level sections and project-wide rules."""

from __future__ import annotations

from typing import Any

import pytest

from translator.errors import Diagnostics, TranslatorError
from translator.model import FileObject, Network, Volume
from translator.model.project import Ipam

from .conftest import run

SVC = {"web": {"image": "x"}}


def test_version_is_obsolete() -> None:
    diagnostics = Diagnostics()
    run({"version": "3.8", "services": SVC}, diagnostics=diagnostics)
    (warning,) = diagnostics.warnings
    assert (warning.code, warning.path) == ("obsolete", ("version",))
    assert warning.message == "the attribute `version` is obsolete, it will be ignored"


def test_extensions_models_and_unknown_top_level() -> None:
    diagnostics = Diagnostics()
    project = run(
        {
            "services": SVC,
            "x-common": {"a": 1},
            "models": {"m": {"model": "ai/x"}},
            "colour": 1,
            "name": "ignored-here",
        },
        diagnostics=diagnostics,
    )
    assert project.name == "proj"
    assert project.extensions == {"x-common": {"a": 1}}
    assert project.extras == {"models": {"m": {"model": "ai/x"}}}
    assert [(d.code, d.path) for d in diagnostics.warnings] == [("unknown-key", ("colour",))]


@pytest.mark.parametrize(
    ("section", "value", "expected"),
    [
        ("networks", {"n": None}, {"n": Network()}),
        (
            "networks",
            {
                "n": {
                    "driver": "overlay",
                    "attachable": True,
                    "internal": True,
                    "labels": ["a=b"],
                    "ipam": {"driver": "default", "config": [{"subnet": "10.0.0.0/24"}]},
                    "x-k": 1,
                }
            },
            {
                "n": Network(
                    driver="overlay",
                    attachable=True,
                    internal=True,
                    labels={"a": "b"},
                    ipam=Ipam(driver="default", config=({"subnet": "10.0.0.0/24"},)),
                    extensions={"x-k": 1},
                )
            },
        ),
        (
            "networks",
            {"n": {"external": {"name": "legacy"}}},
            {"n": Network(external=True, name="legacy")},
        ),
        (
            "volumes",
            {"v": {"external": True, "name": "real"}},
            {"v": Volume(external=True, name="real")},
        ),
        (
            "volumes",
            {"v": {"driver": "local", "driver_opts": {"type": "nfs", "o": "addr=1"}}},
            {"v": Volume(driver="local", driver_opts={"type": "nfs", "o": "addr=1"})},
        ),
        ("secrets", {"s": {"file": "./s.txt"}}, {"s": FileObject(file="./s.txt")}),
        ("secrets", {"s": {"environment": "TOKEN"}}, {"s": FileObject(environment="TOKEN")}),
        ("configs", {"c": {"content": "hello"}}, {"c": FileObject(content="hello")}),
        ("configs", {"c": {"external": True}}, {"c": FileObject(external=True)}),
    ],
)
def test_sections(section: str, value: dict[str, Any], expected: dict[str, Any]) -> None:
    project = run({"services": {"web": {"image": "x", "network_mode": "none"}}, section: value})
    assert getattr(project, section) == expected


@pytest.mark.parametrize(
    ("doc", "path", "message"),
    [
        (
            {"services": SVC, "secrets": {"s": {"name": "x"}}},
            ("secrets", "s"),
            "secret 's' needs one of `file`, `environment` or `external: true`",
        ),
        (
            {"services": SVC, "networks": {"n": {"internal": "maybe"}}},
            ("networks", "n", "internal"),
            "expected a boolean (true or false), got a string",
        ),
        ({"services": SVC, "volumes": ["v"]}, ("volumes",), "expected a mapping, got a list"),
        ({"services": ["web"]}, ("services",), "expected a mapping, got a list"),
    ],
)
def test_section_errors(doc: dict[str, Any], path: tuple[Any, ...], message: str) -> None:
    with pytest.raises(TranslatorError) as info:
        run(doc)
    diag = info.value.diagnostics[0]
    assert (diag.path, diag.message) == (path, message)


def test_unknown_key_in_section_warns() -> None:
    diagnostics = Diagnostics()
    run({"services": SVC, "volumes": {"v": {"size": 1}}}, diagnostics=diagnostics)
    assert [(d.code, d.path) for d in diagnostics.warnings] == [
        ("unknown-key", ("volumes", "v", "size"))
    ]


def test_non_string_keys_are_names() -> None:
    # YAML reads ``1:`` as an integer; Compose names are strings.
    diagnostics = Diagnostics()
    project = run(
        {"services": {1: {"image": "x", 2: "y"}}, "volumes": {3: None}}, diagnostics=diagnostics
    )
    assert list(project.services) == ["1"] and list(project.volumes) == ["3"]
    assert [d.path for d in diagnostics.warnings] == [("services", "1", "2")]
