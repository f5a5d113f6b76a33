"""``ports:`` and ``expose:`` in every syntax, to the model's long form.

Short syntax follows ``nat.ParsePortSpec`` of github.com/docker/go-connections,
which Compose uses (https://github.com/compose-spec/compose-spec/blob/main/05-services.md#ports):
``[[host_ip:]published:]target[/protocol]``; a target range expands to one port per
target (``8000-8001:80-81``); a single target may take a published range
(``8000-8010:80``) which stays a range.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from translator.compose.normalize.keys import (
    expect_choice,
    expect_list,
    fail,
    opt_str,
    scalar_str,
    type_name,
)
from translator.errors import Path

_SHORT_HINT = "expected [[host_ip:]published:]target[/protocol]"
_PROTOCOLS = ("tcp", "udp", "sctp")
PORT_KEYS = frozenset(
    {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"}
)

PortDict = dict[str, Any]


def _range(text: str) -> tuple[int, int] | None:
    """``80`` or ``80-81`` as (start, end); None when malformed or out of 0..65535."""
    start_s, dash, end_s = text.partition("-")
    if not start_s.isdigit() or (dash and not end_s.isdigit()):
        return None
    start = int(start_s)
    end = int(end_s) if dash else start
    if end < start or end > 65535:
        return None
    return start, end


def _no_zero(rng: tuple[int, int], what: str, written: object, path: Path) -> None:
    """Port 0 names no port: Docker ("invalid containerPort: 0"), Kubernetes (1-65535)
    and Marathon all refuse it as a container port. A published ``0`` alone asks the
    platform for any free port, but inside a range (``0-2``) it is refused like a
    container port."""
    if rng[0] == 0 and (what == "container" or rng[1] != 0):
        raise fail(
            f"invalid {what} port {written!r}: port 0 is not a port; the platforms refuse it "
            "(use a port from 1 to 65535)",
            path,
        )


def _split_host(spec: str) -> tuple[str, str, str]:
    # go-connections splitParts: the last part is the target, the one before the
    # published port, anything earlier (re-joined with ':') is the host IP.
    parts = spec.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def _bad_port(spec: str, reason: str, path: Path) -> Exception:
    return fail(f"invalid port {spec!r}: {reason}; {_SHORT_HINT}", path)


def parse_port_string(spec: str, path: Path) -> list[PortDict]:
    rest, _, protocol = spec.partition("/")
    protocol = (protocol or "tcp").lower()
    if protocol not in _PROTOCOLS:
        raise _bad_port(spec, f"unknown protocol {protocol!r} (tcp, udp or sctp)", path)
    host_ip, published, target = _split_host(rest)
    if host_ip:
        host_ip = host_ip.removeprefix("[").removesuffix("]")
        try:
            ipaddress.ip_address(host_ip)
        except ValueError:
            raise _bad_port(spec, f"invalid host IP {host_ip!r}", path) from None
    targets = _range(target)
    if targets is None:
        raise _bad_port(spec, f"invalid container port {target!r}", path)
    _no_zero(targets, "container", spec, path)
    pub = _range(published) if published else None
    if published and pub is None:
        raise _bad_port(spec, f"invalid published port {published!r}", path)
    if pub is not None:
        _no_zero(pub, "published", spec, path)
    span = targets[1] - targets[0]
    if pub is not None and span and pub[1] - pub[0] != span:
        raise _bad_port(spec, "the published and container port ranges differ in size", path)
    out: list[PortDict] = []
    for offset in range(span + 1):
        port: PortDict = {"target": targets[0] + offset, "protocol": protocol}
        if pub is not None:
            start = pub[0] + offset if span else pub[0]
            end = start if span else pub[1]
            port["published"] = {"start": start, "end": end}
        if host_ip:
            port["host_ip"] = host_ip
        out.append(port)
    return out


def _long_port(data: dict[str, Any], path: Path) -> PortDict:
    target = data.get("target")
    if target is None:
        raise fail("a port in long syntax needs `target`, the container port", path)
    rng = _range(scalar_str(target, (*path, "target")).strip())
    if rng is None or rng[0] != rng[1]:
        raise fail(
            f"invalid target port {target!r}: expected a port number 0-65535", (*path, "target")
        )
    _no_zero(rng, "container", target, (*path, "target"))
    port: PortDict = {"target": rng[0]}
    if data.get("published") not in (None, ""):
        published = scalar_str(data["published"], (*path, "published")).strip()
        pub = _range(published)
        if pub is None:
            raise fail(
                f"invalid published port {published!r}: expected a port or range such as 8080 "
                "or 8000-8010",
                (*path, "published"),
            )
        _no_zero(pub, "published", published, (*path, "published"))
        port["published"] = {"start": pub[0], "end": pub[1]}
    for key in ("host_ip", "name", "app_protocol"):
        value = opt_str(data, key, path)
        if value is not None:
            port[key] = value
    protocol = opt_str(data, "protocol", path)
    port["protocol"] = (protocol or "tcp").lower()
    if data.get("mode") is not None:
        port["mode"] = expect_choice(data["mode"], ("ingress", "host"), (*path, "mode"))
    return port


def normalize_ports(value: object, path: Path, unknown: list[Path]) -> list[PortDict]:
    """Every entry of ``ports:``; ``unknown`` collects paths of unknown long-syntax keys."""
    out: list[PortDict] = []
    for i, item in enumerate(expect_list(value, path)):
        where = (*path, i)
        if isinstance(item, bool):
            raise fail(f"invalid port {item!r}: {_SHORT_HINT}", where)
        if isinstance(item, int):
            if not 0 <= item <= 65535:
                raise fail(f"invalid port {item}: expected a port number 0-65535", where)
            _no_zero((item, item), "container", item, where)
            out.append({"target": item, "protocol": "tcp"})
        elif isinstance(item, str):
            out.extend(parse_port_string(item.strip(), where))
        elif isinstance(item, dict):
            unknown.extend(
                (*where, k)
                for k in map(str, item)
                if k not in PORT_KEYS and not k.startswith("x-")
            )
            out.append(_long_port(item, where))
        else:
            raise fail(
                f"invalid port: expected a string, a number or a mapping, got {type_name(item)}",
                where,
            )
    return out


def normalize_expose(value: object, path: Path) -> list[dict[str, Any]]:
    """``expose:`` entries (``"3000"``, ``3001``, ``"4000-4002"``, ``"53/udp"``) as port
    ranges with their protocol (tcp unless written)."""
    out: list[dict[str, Any]] = []
    for i, item in enumerate(expect_list(value, path)):
        where = (*path, i)
        text, _, protocol = scalar_str(item, where).strip().partition("/")
        rng = _range(text)
        if rng is None:
            raise fail(
                f"invalid expose entry {item!r}: expected a port or range such as 3000, "
                "4000-4002 or 53/udp",
                where,
            )
        _no_zero(rng, "container", item, where)
        protocol = protocol.lower() or "tcp"
        if protocol not in _PROTOCOLS:
            raise fail(
                f"invalid expose entry {item!r}: unknown protocol {protocol!r} "
                "(tcp, udp or sctp)",
                where,
            )
        out.append({"start": rng[0], "end": rng[1], "protocol": protocol})
    return out
