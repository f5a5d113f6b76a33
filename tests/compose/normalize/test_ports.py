"""``ports:`` and ``expose:`` in every syntax."""

from __future__ import annotations

from typing import Any

import pytest

from translator.model import ExposedPort, Port, PortRange

from .conftest import error_of, one_service


def pr(start: int, end: int | None = None) -> PortRange:
    return PortRange(start=start, end=start if end is None else end)


def ex(start: int, end: int | None = None, p: str = "tcp") -> ExposedPort:
    return ExposedPort.model_validate({"start": start, "end": end or start, "protocol": p})


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("80", [Port(target=80)]),
        (80, [Port(target=80)]),
        ("8080:80", [Port(target=80, published=pr(8080))]),
        ("8080:80/udp", [Port(target=80, published=pr(8080), protocol="udp")]),
        ("53:53/UDP", [Port(target=53, published=pr(53), protocol="udp")]),
        (
            "127.0.0.1:8080:80/udp",
            [Port(target=80, published=pr(8080), host_ip="127.0.0.1", protocol="udp")],
        ),
        ("127.0.0.1::80", [Port(target=80, host_ip="127.0.0.1")]),
        ("[::1]:80:80", [Port(target=80, published=pr(80), host_ip="::1")]),
        ("::1:6000:6000", [Port(target=6000, published=pr(6000), host_ip="::1")]),
        (
            "8000-8001:80-81",
            [Port(target=80, published=pr(8000)), Port(target=81, published=pr(8001))],
        ),
        ("8000-8010:80", [Port(target=80, published=pr(8000, 8010))]),
        ("6000-6001", [Port(target=6000), Port(target=6001)]),
        (
            {
                "target": 80,
                "published": "8080",
                "host_ip": "0.0.0.0",
                "protocol": "tcp",
                "mode": "host",
            },
            [Port(target=80, published=pr(8080), host_ip="0.0.0.0", mode="host")],
        ),
        ({"target": "80", "published": 8080}, [Port(target=80, published=pr(8080))]),
        ({"target": 80, "published": "9000-9001"}, [Port(target=80, published=pr(9000, 9001))]),
        (
            {"target": 80, "name": "web", "app_protocol": "http"},
            [Port(target=80, name="web", app_protocol="http")],
        ),
    ],
)
def test_ports(entry: Any, expected: list[Port]) -> None:
    assert list(one_service({"ports": [entry]}).ports) == expected


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "80:80:80:80",
            "invalid port '80:80:80:80': invalid host IP '80:80'; expected "
            "[[host_ip:]published:]target[/protocol]",
        ),
        (
            "80/icmp",
            "invalid port '80/icmp': unknown protocol 'icmp' (tcp, udp or sctp); expected "
            "[[host_ip:]published:]target[/protocol]",
        ),
        (
            "70000",
            "invalid port '70000': invalid container port '70000'; expected "
            "[[host_ip:]published:]target[/protocol]",
        ),
        (
            "8000-8002:80-81",
            "invalid port '8000-8002:80-81': the published and container port ranges differ in "
            "size; expected [[host_ip:]published:]target[/protocol]",
        ),
        (
            "81-80",
            "invalid port '81-80': invalid container port '81-80'; expected "
            "[[host_ip:]published:]target[/protocol]",
        ),
        (
            "x:80",
            "invalid port 'x:80': invalid published port 'x'; expected "
            "[[host_ip:]published:]target[/protocol]",
        ),
        (70000, "invalid port 70000: expected a port number 0-65535"),
        (True, "invalid port True: expected [[host_ip:]published:]target[/protocol]"),
        (["80"], "invalid port: expected a string, a number or a mapping, got a list"),
        ({"published": 80}, "a port in long syntax needs `target`, the container port"),
    ],
)
def test_port_errors(entry: Any, message: str) -> None:
    diag = error_of({"ports": ["80", entry]})
    assert diag.path == ("services", "web", "ports", 1)
    assert diag.message == message


@pytest.mark.parametrize(
    ("entry", "path", "message"),
    [
        (
            {"target": 80, "mode": "bridge"},
            ("mode",),
            "invalid value 'bridge': expected one of ingress, host",
        ),
        (
            {"target": 80, "published": "x"},
            ("published",),
            "invalid published port 'x': expected a port or range such as 8080 or 8000-8010",
        ),
        (
            {"target": "80-81"},
            ("target",),
            "invalid target port '80-81': expected a port number 0-65535",
        ),
    ],
)
def test_long_port_errors(entry: Any, path: tuple[str, ...], message: str) -> None:
    diag = error_of({"ports": [entry]})
    assert diag.path == ("services", "web", "ports", 0, *path)
    assert diag.message == message


def test_ports_must_be_a_list() -> None:
    diag = error_of({"ports": "80:80"})
    assert diag.path == ("services", "web", "ports")
    assert diag.message == "expected a list, got a string"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            ["3000", 3001, "4000-4002", "5000/udp", "53/TCP", " 53/udp ", "7/", "9-10/sctp"],
            [ex(3000), ex(3001), ex(4000, 4002), ex(5000, p="udp"), ex(53), ex(53, p="udp"),
             ex(7), ex(9, 10, "sctp")],
        ),
        ([], []),
    ],
)
def test_expose(entries: list[Any], expected: list[ExposedPort]) -> None:
    assert list(one_service({"expose": entries}).expose) == expected



def test_expose_prints_its_protocol_as_compose_does() -> None:
    expose = one_service({"expose": ["53/udp", "53", "80-81/tcp"]}).expose
    assert [str(e) for e in expose] == ["53/udp", "53", "80-81"]


@pytest.mark.parametrize(
    ("key", "entry", "path", "message"),
    [
        ("ports", "80:0", (), "invalid container port '80:0': port 0 is not a port"),
        ("ports", "0", (), "invalid container port '0': port 0 is not a port"),
        ("ports", 0, (), "invalid container port 0: port 0 is not a port"),
        ("ports", "0-2:80-82", (), "invalid published port '0-2:80-82': port 0 is not a port"),
        ("ports", "0-2:80", (), "invalid published port '0-2:80': port 0 is not a port"),
        ("ports", "8000:0-2", (), "invalid container port '8000:0-2': port 0 is not a port"),
        ("ports", {"target": 0}, ("target",), "invalid container port 0: port 0 is not a port"),
        ("ports", {"target": 80, "published": "0-3"}, ("published",),
         "invalid published port '0-3': port 0 is not a port"),
        ("expose", "0", (), "invalid container port '0': port 0 is not a port"),
        ("expose", "0-3/udp", (), "invalid container port '0-3/udp': port 0 is not a port"),
    ],
)
def test_port_zero_is_refused(key: str, entry: Any, path: tuple[str, ...], message: str) -> None:
    diag = error_of({key: [entry]})
    assert diag.path == ("services", "web", key, 0, *path)
    assert diag.message == message + "; the platforms refuse it (use a port from 1 to 65535)"


@pytest.mark.parametrize("entry", ["0:80", {"target": 80, "published": 0}])
def test_published_zero_alone_asks_for_any_port(entry: Any) -> None:
    (port,) = one_service({"ports": [entry]}).ports
    assert port.published == PortRange(start=0, end=0)


@pytest.mark.parametrize("entry", ["x", "3-1", 70000, "1-70000"])
def test_expose_errors(entry: Any) -> None:
    diag = error_of({"expose": [entry]})
    assert diag.path == ("services", "web", "expose", 0)
    assert diag.message.startswith(f"invalid expose entry {entry!r}: expected a port or range")


def test_expose_refuses_an_unknown_protocol() -> None:
    diag = error_of({"expose": ["53/foo"]})
    assert diag.path == ("services", "web", "expose", 0)
    assert diag.message == (
        "invalid expose entry '53/foo': unknown protocol 'foo' (tcp, udp or sctp)"
    )
