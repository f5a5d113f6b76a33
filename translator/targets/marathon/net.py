"""Networks and ports of one Marathon app, in the 1.5+ networking API.

https://mesosphere.github.io/marathon/docs/networking.html : an app declares
``networks`` of one kind only (``host``, one ``container/bridge``, or one or more
``container``). Bridge and container apps list ``container.portMappings``; host
apps list ``portDefinitions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from translator.errors import quote
from translator.model import Plan, PlannedService, Port
from translator.targets.marathon.context import AppContext, Values

_PORT_NAME_BAD = re.compile(r"[^a-z0-9-]+")
_NET_NAME_BAD = re.compile(r"[^a-z0-9-]+")
_PROTOCOLS = ("tcp", "udp")
_NET_NAME_MAX = 63


@dataclass
class Networking:
    """The template values for one app's networking."""

    networks: list[dict[str, Any]]
    port_mappings: list[dict[str, Any]] | None = None
    port_definitions: list[dict[str, Any]] | None = None
    require_ports: bool = False
    labels: dict[str, str] = field(default_factory=dict)


def networking(ctx: AppContext) -> Values:
    """1.5 API networks and port mappings; several networks run on the MESOS containerizer

    Host networking lists portDefinitions instead of container.portMappings; engine.py
    chooses the containerizer."""
    net = _networking(ctx)
    ports, port_key = (
        (net.port_definitions, "port") if net.port_definitions is not None
        else (net.port_mappings or [], "containerPort")
    )
    return {
        "networks": net.networks, "port_mappings": net.port_mappings,
        "port_definitions": net.port_definitions, "require_ports": net.require_ports,
        "exposure_labels": net.labels, "ports": ports, "port_key": port_key,
    }


def _networking(ctx: AppContext) -> Networking:
    plan, planned = ctx.plan, ctx.planned
    svc = planned.service
    mode = svc.network_mode
    if mode == "host":
        definitions = _port_definitions(ctx)
        return Networking([{"mode": "host"}], port_definitions=definitions,
                          require_ports=bool(definitions))
    if mode is not None and mode != "bridge":
        ctx.lost("network_mode",
             f"network_mode {mode!r} is not supported: the app uses container/bridge")
    names = container_networks(plan, planned)
    _report_cut(ctx)
    if names:
        networks: list[dict[str, Any]] = [{"mode": "container", "name": n} for n in names]
    else:
        networks = [{"mode": "container/bridge"}]
    mappings = _port_mappings(ctx, bridge=not names)
    if len(names) > 1:
        # A mapping with a hostPort must name one network when there are several:
        # https://mesosphere.github.io/marathon/docs/networking.html#specifying-ports
        for mapping in mappings:
            if "hostPort" in mapping:
                mapping["networkNames"] = [names[0]]
    labels = _exposure_labels(planned, mappings)
    return Networking(networks, port_mappings=mappings or None, labels=labels)


def container_networks(plan: Plan, planned: PlannedService) -> list[str]:
    """Named compose networks as Marathon container network names.

    A service on the ``default`` network only runs on the bridge, as compose runs it.
    Otherwise every network, ``default`` included, becomes a container network,
    because Marathon cannot mix bridge and container networks.
    """
    names: list[str] = []
    for raw in _raw_networks(plan, planned):
        name = _network_name(raw)[:_NET_NAME_MAX].strip("-") or "default"
        if name not in names:
            names.append(name)
    return names


def _raw_networks(plan: Plan, planned: PlannedService) -> list[str]:
    keys = list(planned.service.networks)
    if not keys or keys == ["default"]:
        return []
    out: list[str] = []
    for key in keys:
        declared = plan.project.networks.get(key)
        out.append(declared.name if declared is not None and declared.name else key)
    return out


def _network_name(raw: str) -> str:
    return _NET_NAME_BAD.sub("-", raw.lower()).strip("-")


def _report_cut(ctx: AppContext) -> None:
    """A network name is at most 63 characters (NetworkName in Marathon's RAML types): a
    longer one is cut, and reported."""
    for raw in _raw_networks(ctx.plan, ctx.planned):
        if len(_network_name(raw)) > _NET_NAME_MAX:
            ctx.lost("networks", f"network name {quote(raw)} is cut to {_NET_NAME_MAX} "
                     "characters, as Marathon's network names are", handling="approximated")


def _protocol(ctx: AppContext, port: Port) -> str | None:
    proto = port.protocol.lower()
    if proto in _PROTOCOLS:
        return proto
    ctx.lost("ports",
         f"protocol {port.protocol!r} of port {port.target} is not supported (tcp, udp only)")
    return None


def _port_name(port: Port, proto: str, taken: set[str]) -> str:
    base = _PORT_NAME_BAD.sub("-", (port.name or "").lower()).strip("-")
    if not base or not base[0].isalpha():
        base = f"{proto}-{port.target}" if not base else f"p-{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _all_ports(planned: PlannedService) -> list[tuple[Port, bool]]:
    """``ports`` entries (reachable from outside) then ``expose`` ones (internal)."""
    out = [(p, True) for p in planned.service.ports]
    listed = {(p.target, p.protocol) for p in planned.service.ports}
    for rng in planned.service.expose:
        for number in range(rng.start, rng.end + 1):
            if (number, rng.protocol) not in listed:
                out.append((Port(target=number, protocol=rng.protocol), False))
                listed.add((number, rng.protocol))
    return out


def _merge_protocols(entries: list[dict[str, Any]], port_key: str) -> list[dict[str, Any]]:
    """One port open for both TCP and UDP is one entry with protocol ``udp,tcp``, the
    form Marathon takes for it (two entries would claim the same host port twice).
    https://mesosphere.github.io/marathon/docs/ports.html
    """
    out: list[dict[str, Any]] = []
    first: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in entries:
        key = (entry[port_key], entry.get("hostPort"), entry.get("labels"))
        other = first.get(key)
        if other is not None and {other["protocol"], entry["protocol"]} == {"tcp", "udp"}:
            other["protocol"] = "udp,tcp"
            continue
        first.setdefault(key, entry)
        out.append(entry)
    return out


def _port_mappings(ctx: AppContext, *, bridge: bool) -> list[dict[str, Any]]:
    planned = ctx.planned
    taken: set[str] = set()
    mappings: list[dict[str, Any]] = []
    for port, outside in _all_ports(planned):
        proto = _protocol(ctx, port)
        if proto is None:
            continue
        mapping: dict[str, Any] = {"containerPort": port.target}
        # hostPort 0 asks for a dynamic host port; a published port pins it. On container
        # networks an absent hostPort allocates none, which is what `expose` means.
        if port.published is not None:
            mapping["hostPort"] = port.published.start
            if not port.published.single:
                ctx.lost("ports",
                     f"published range {port.published} is approximated by its first port",
                     handling="approximated")
        elif outside or bridge:
            mapping["hostPort"] = 0
        if port.host_ip is not None:
            ctx.lost("ports",
                 f"host_ip {port.host_ip} of port {port.target} is not supported")
        mapping["protocol"] = proto
        mapping["name"] = _port_name(port, proto, taken)
        mappings.append(mapping)
    mappings = _merge_protocols(mappings, "containerPort")
    _service_port(planned, mappings)
    return mappings


def exposed_index(planned: PlannedService, ports: list[dict[str, Any]], key: str) -> int | None:
    """Index of the port the environment's exposure routes to: ``exposure.port``, else the
    first port; None when the service has no ports."""
    if not ports:
        return None
    wanted = planned.exposure.port
    for index, entry in enumerate(ports):
        if entry[key] == wanted:
            return index
    return 0


def _service_port(planned: PlannedService, mappings: list[dict[str, Any]]) -> None:
    """servicePort rule: only when the environment exposes the service outside the
    cluster (node-port, load-balancer, ingress), and only on the exposed port. It is the
    published port when there is one, else the container port. Internal services get
    none and Marathon assigns one from its service-port range.
    https://mesosphere.github.io/marathon/docs/ports.html
    """
    if planned.exposure.type == "internal":
        return
    index = exposed_index(planned, mappings, "containerPort")
    if index is None:
        return
    mapping = mappings[index]
    mapping["servicePort"] = mapping.get("hostPort") or mapping["containerPort"]


def _exposure_labels(planned: PlannedService, mappings: list[dict[str, Any]]) -> dict[str, str]:
    """marathon-lb reads HAPROXY_* labels: an exposed app joins the ``external`` group,
    and an ingress host becomes the virtual host of the exposed port.
    https://github.com/mesosphere/marathon-lb#using-haproxy_group
    """
    exposure = planned.exposure
    index = exposed_index(planned, mappings, "containerPort")
    if exposure.type == "internal" or index is None:
        return {}
    labels = {"HAPROXY_GROUP": "external"}
    if exposure.type == "ingress" and exposure.host:
        labels[f"HAPROXY_{index}_VHOST"] = exposure.host
    return labels


def _port_definitions(ctx: AppContext) -> list[dict[str, Any]]:
    """Host networking: the task binds the container ports on the agent itself, so each
    is a required host port (requirePorts). An empty list stops Marathon from
    allocating its one default port."""
    taken: set[str] = set()
    out: list[dict[str, Any]] = []
    for port, _ in _all_ports(ctx.planned):
        proto = _protocol(ctx, port)
        if proto is None:
            continue
        out.append({"port": port.target, "protocol": proto,
                    "name": _port_name(port, proto, taken)})
    return _merge_protocols(out, "port")
