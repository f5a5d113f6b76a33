"""depends_on, networks, secrets/configs and extra_hosts: references between things."""

from __future__ import annotations

from typing import Any

import pytest

from translator.errors import Diagnostics, TranslatorError
from translator.model import Dependency, FileReference, ServiceNetwork

from .conftest import error_of, one_service, run


def two(web: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"services": {"web": {"image": "x", **web}, "db": {"image": "postgres"}}, **top}


@pytest.mark.parametrize(
    ("depends_on", "expected"),
    [
        (["db"], {"db": Dependency()}),
        (
            {"db": {"condition": "service_healthy", "restart": True}},
            {"db": Dependency(condition="service_healthy", restart=True)},
        ),
        ({"db": None}, {"db": Dependency()}),
        (
            {"db": {"condition": "service_completed_successfully", "required": False}},
            {"db": Dependency(condition="service_completed_successfully", required=False)},
        ),
    ],
)
def test_depends_on(depends_on: Any, expected: dict[str, Dependency]) -> None:
    assert run(two({"depends_on": depends_on})).services["web"].depends_on == expected


@pytest.mark.parametrize(
    ("depends_on", "path"),
    [
        (["db", "cache"], ("depends_on", 1)),
        ({"cache": {"condition": "service_started"}}, ("depends_on", "cache")),
    ],
)
def test_depends_on_unknown_service(depends_on: Any, path: tuple[Any, ...]) -> None:
    with pytest.raises(TranslatorError) as info:
        run(two({"depends_on": depends_on}))
    diag = info.value.diagnostics[0]
    assert diag.path == ("services", "web", *path)
    assert diag.message == 'service "web" depends on undefined service "cache"'


def test_optional_dependency_on_unknown_service_is_kept_with_a_warning() -> None:
    diagnostics = Diagnostics()
    project = run(two({"depends_on": {"cache": {"required": False}}}), diagnostics=diagnostics)
    assert project.services["web"].depends_on == {"cache": Dependency(required=False)}
    assert [d.code for d in diagnostics.warnings] == ["undefined-dependency"]


def test_bad_condition() -> None:
    with pytest.raises(TranslatorError) as info:
        run(two({"depends_on": {"db": {"condition": "healthy"}}}))
    diag = info.value.diagnostics[0]
    assert diag.path == ("services", "web", "depends_on", "db", "condition")
    assert diag.message.startswith("invalid value 'healthy': expected one of service_started")


NETS = {"networks": {"front": None, "back": {"driver": "overlay"}}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, {"default": None}),
        ({"networks": ["front", "back"]}, {"front": None, "back": None}),
        (
            {
                "networks": {
                    "front": None,
                    "back": {
                        "aliases": ["db"],
                        "ipv4_address": "10.0.0.2",
                        "priority": 5,
                        "driver_opts": {"a": 1},
                    },
                }
            },
            {
                "front": None,
                "back": ServiceNetwork(
                    aliases=("db",), ipv4_address="10.0.0.2", priority=5, driver_opts={"a": "1"}
                ),
            },
        ),
        ({"network_mode": "host"}, {}),
    ],
)
def test_service_networks(spec: dict[str, Any], expected: dict[str, ServiceNetwork | None]) -> None:
    project = run({"services": {"web": {"image": "x", **spec}}, **NETS})
    assert project.services["web"].networks == expected
    assert ("default" in project.networks) is ("default" in expected)


def test_undefined_network() -> None:
    diag = error_of({"networks": ["front", "nowhere"]}, **NETS)
    assert (diag.path, diag.message) == (
        ("services", "web", "networks", 1),
        'service "web" refers to undefined network nowhere',
    )


TOP = {"secrets": {"s": {"file": "./s.txt"}}, "configs": {"c": {"content": "hi"}}}


@pytest.mark.parametrize(
    ("kind", "entry", "expected"),
    [
        ("secrets", "s", FileReference(source="s", target="/run/secrets/s")),
        ("secrets", {"source": "s", "target": "rel"}, FileReference(source="s", target="rel")),
        ("secrets", {"source": "s"}, FileReference(source="s", target="/run/secrets/s")),
        (
            "secrets",
            {"source": "s", "target": "/x", "uid": 1000, "gid": "1000", "mode": 0o440},
            FileReference(source="s", target="/x", uid="1000", gid="1000", mode=0o440),
        ),
        ("configs", {"source": "c", "mode": "0440"}, FileReference(source="c", mode=0o440)),
        ("configs", "c", FileReference(source="c")),
    ],
)
def test_file_refs(kind: str, entry: Any, expected: FileReference) -> None:
    assert getattr(one_service({kind: [entry]}, **TOP), kind) == (expected,)


@pytest.mark.parametrize(("kind", "word"), [("secrets", "secret"), ("configs", "config")])
def test_undefined_file_ref(kind: str, word: str) -> None:
    diag = error_of({kind: ["nope"]}, **TOP)
    assert (diag.path, diag.message) == (
        ("services", "web", kind, 0),
        f'service "web" refers to undefined {word} nope',
    )


@pytest.mark.parametrize(
    ("extra_hosts", "expected"),
    [
        (
            ["h1:1.2.3.4", "h2=::1", "h3:::1", "h1=5.6.7.8"],
            {"h1": ("1.2.3.4", "5.6.7.8"), "h2": ("::1",), "h3": ("::1",)},
        ),
        (
            {"h": ["1.1.1.1", "2.2.2.2"], "g": "3.3.3.3"},
            {"h": ("1.1.1.1", "2.2.2.2"), "g": ("3.3.3.3",)},
        ),
    ],
)
def test_extra_hosts(extra_hosts: Any, expected: dict[str, tuple[str, ...]]) -> None:
    assert one_service({"extra_hosts": extra_hosts}).extra_hosts == expected


@pytest.mark.parametrize("entry", ["justahost", "=1.2.3.4", "h="])
def test_bad_extra_host(entry: str) -> None:
    diag = error_of({"extra_hosts": [entry]})
    assert (diag.path, diag.message) == (
        ("services", "web", "extra_hosts", 0),
        f"invalid extra_hosts entry {entry!r}: expected host=ip or host:ip",
    )


@pytest.mark.parametrize(
    ("web", "expected"),
    [
        ({"network_mode": "service:db"}, {"db": Dependency(restart=True)}),
        ({"links": ["db:database"]}, {"db": Dependency(restart=True)}),
        ({"volumes_from": ["db:ro", "container:other"]}, {"db": Dependency()}),
        ({"ipc": "service:db"}, {"db": Dependency(restart=True)}),
        (
            {"links": ["db"], "depends_on": {"db": {"condition": "service_healthy"}}},
            {"db": Dependency(condition="service_healthy")},
        ),
    ],
)
def test_implied_dependencies(web: dict[str, Any], expected: dict[str, Dependency]) -> None:
    assert run(two(web)).services["web"].depends_on == expected


def test_unknown_keys_in_named_entries_warn() -> None:
    diagnostics = Diagnostics()
    doc = two(
        {
            "depends_on": {"db": {"condtion": "service_healthy"}},
            "networks": {"back": {"alias": ["x"]}},
        },
        networks={"back": None},
    )
    run(doc, diagnostics=diagnostics)
    assert [d.path for d in diagnostics.warnings] == [
        ("services", "web", "depends_on", "db", "condtion"),
        ("services", "web", "networks", "back", "alias"),
    ]
