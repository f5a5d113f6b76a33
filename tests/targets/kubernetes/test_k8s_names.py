from __future__ import annotations

import hashlib

import pytest

from translator.errors import TranslatorError
from translator.targets.kubernetes.names import (
    assign_names,
    dns_name,
    is_dns_name,
    is_port_name,
    label_value,
    port_name,
)


def _sha(text: str) -> str:
    """Long names keep a hash of the original, so two long names stay distinct."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("web", "web"),
        ("Web_Front", "web-front"),
        ("my.service", "my-service"),
        ("--a--b--", "a-b"),
        ("1st", "x-1st"),
        ("_", "x"),
        ("a" * 63, "a" * 63),
        ("a" * 64, "a" * 54 + "-" + _sha("a" * 64)),
    ],
)
def test_dns_name(raw: str, expected: str) -> None:
    name = dns_name(raw)
    assert name == expected
    assert is_dns_name(name)


@pytest.mark.parametrize(
    ("raw", "protocol", "port", "expected"),
    [
        (None, "tcp", 8080, "tcp-8080"),
        ("http", "tcp", 80, "http"),
        ("HTTP_Admin", "tcp", 80, "http-admin"),
        ("a-very-long-port-name", "tcp", 80, "tcp-80"),  # > 15 characters
        ("8080", "udp", 8080, "udp-8080"),  # needs a letter
        ("web--ui", "tcp", 1, "web-ui"),  # no "--"
    ],
)
def test_port_name(raw: str | None, protocol: str, port: int, expected: str) -> None:
    assert port_name(raw, protocol, port) == expected
    assert is_port_name(expected)


@pytest.mark.parametrize(
    ("name", "valid"),
    [("http", True), ("tcp-65535", True), ("123", False), ("a--b", False),
     ("abcdefghijklmnop", False), ("-ab", False), ("Ab", False)],
)
def test_is_port_name(name: str, valid: bool) -> None:
    assert is_port_name(name) is valid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.25", "1.25"), ("v1+build", "v1-build"), ("_x_", "x"),
     ("a" * 70, "a" * 54 + "-" + _sha("a" * 70))],
)
def test_label_value(raw: str, expected: str) -> None:
    assert label_value(raw) == expected


def test_collisions_are_reported_with_both_names() -> None:
    with pytest.raises(TranslatorError, match=r"'my-app' and 'my_app'"):
        assign_names(["my_app", "my-app", "db"], "services")
    assert assign_names(["My.App", "db"], "services") == {"My.App": "my-app", "db": "db"}
