"""Services, Ingresses and NetworkPolicies.

https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/
https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/
https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
"""

from __future__ import annotations

from typing import Any

from translator.model import PlannedService, Port
from translator.targets.kubernetes.container import PROTOCOLS
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import dns_name, is_qualified_name, port_name

# The API server's default --service-node-port-range.
NODE_PORTS = range(30000, 32768)
SERVICE_TYPES = {
    "internal": "ClusterIP", "ingress": "ClusterIP", "node-port": "NodePort",
    "load-balancer": "LoadBalancer",
}
# https://kompose.io/user-guide/#labels : kompose.service.type values.
KOMPOSE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort",
                 "loadbalancer": "LoadBalancer", "headless": "Headless"}
NETWORK_LABEL = "network.compose-translator.io/"


def links_handler(ctx: Context, unit: Unit) -> None:
    """links: Services are reachable by name; a link alias is reported, not created."""
    planned = unit.planned
    for link in planned.service.links:
        service, sep, alias = link.partition(":")
        if sep and alias != service:
            ctx.warn(planned.name, "links", f"link alias {alias!r} for {service} is not "
                     "created; the Service is reachable as "
                     f"{ctx.names.get(service, dns_name(service))!r}")


def networks_handler(ctx: Context, unit: Unit) -> None:
    """networks -> pod labels each network's NetworkPolicy selects; aliases, addresses reported."""
    network_losses(ctx, unit.planned)


def service_handler(ctx: Context, unit: Unit) -> None:
    """exposure and ports -> the Service, its Ingress and a policy admitting published ports."""
    unit.values["service"] = service_values(ctx, unit)
    unit.values["ingress"] = ingress_values(ctx, unit)
    unit.values["published_ingress"] = published_ingress(ctx, unit.planned)


def service_type(ctx: Context, planned: PlannedService, kind: str) -> str:
    """ClusterIP, NodePort, LoadBalancer or Headless."""
    if kind == "StatefulSet":
        return "Headless"  # a StatefulSet's serviceName must be a headless Service
    label = ctx.kompose(planned, "service.type")
    if label is not None:
        if label.lower() in KOMPOSE_TYPES:
            return KOMPOSE_TYPES[label.lower()]
        ctx.warn(planned.name, "labels", f"kompose.service.type {label!r} is unknown; ignored",
                 "kompose.service.type")
    return SERVICE_TYPES[planned.exposure.type]


def service_port(target: int, published: int, kind: str) -> int:
    """The Service's port: the container port, as compose services reach each other
    (``db:5432``); only a LoadBalancer listens on the published port, its external contract."""
    return published if kind == "LoadBalancer" else target


def service_ports_spec(
    ctx: Context, planned: PlannedService, pairs: list[tuple[Port, int]], kind: str
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    names: set[str] = set()
    seen: set[tuple[int, str]] = set()
    for port, published in pairs:
        number = service_port(port.target, published, kind)
        if (number, port.protocol.lower()) in seen:
            continue
        seen.add((number, port.protocol.lower()))
        name = port_name(port.name, port.protocol, number)
        if name in names:
            name = port_name(None, port.protocol, number)
        names.add(name)
        entry: dict[str, Any] = {
            "name": name, "port": number, "targetPort": port.target,
            "protocol": PROTOCOLS[port.protocol.lower()],
        }
        if port.app_protocol:
            if is_qualified_name(port.app_protocol):
                entry["appProtocol"] = port.app_protocol
            else:
                ctx.warn(planned.name, "ports", f"app_protocol {port.app_protocol!r} is not a "
                         "valid appProtocol; dropped")
        # nodePort is only valid on NodePort/LoadBalancer and inside the node-port range.
        if kind in ("NodePort", "LoadBalancer") and port.published and published in NODE_PORTS:
            entry["nodePort"] = published
        out.append(entry)
    return out


def service_values(ctx: Context, unit: Unit) -> dict[str, Any] | None:
    """The Service's type and ports, or None when the service has nothing to reach."""
    planned = unit.planned
    kind = service_type(ctx, planned, unit.kind)
    ports = service_ports_spec(ctx, planned, unit.ports, kind)
    headless = kind == "Headless"
    if not ports and not headless:
        if planned.exposure.type not in ("internal", "ingress"):
            ctx.warn(planned.name, "ports", f"exposure {planned.exposure.type} needs a port; "
                     "the service has none, so it is not exposed")
        if planned.name in ctx.referenced:
            # Without ports, a headless Service still gives the pods a DNS name that
            # dependants resolve, whatever port they use (compose's network behaviour).
            return {"type": None, "headless": True, "ports": [], "round_robin": False}
        return None
    if headless and planned.exposure.type not in ("internal", "ingress"):
        ctx.warn(planned.name, "ports", "a stateful service gets a headless Service; "
                 f"exposure {planned.exposure.type} is not applied")
    return {
        "type": None if headless else kind,
        "headless": headless,
        "ports": ports,
        # Swarm's dnsrr resolves to task IPs, which is what a headless Service does.
        "round_robin": planned.topology.endpoint_mode == "dnsrr" and kind == "ClusterIP",
    }


def ingress_values(ctx: Context, unit: Unit) -> dict[str, Any] | None:
    """An Ingress from the environment's exposure or Kompose's ``kompose.service.expose``."""
    planned = unit.planned
    rules = _ingress_rules(ctx, planned)
    if rules is None:
        return None
    ports = unit.ports
    if not ports:
        ctx.warn(planned.name, "ports", "an ingress needs a port; the service has none")
        return None
    wanted = planned.exposure.port
    chosen = next((p for p in ports if p[0].target == wanted), ports[0])
    number = service_port(chosen[0].target, chosen[1], service_type(ctx, planned, unit.kind))
    backend = {"service": {"name": ctx.name_of(planned.name), "port": {"number": number}}}
    klass = ctx.kompose(planned, "service.expose.ingress-class-name") or \
        planned.exposure.ingress_class
    secret = ctx.kompose(planned, "service.expose.tls-secret") or planned.exposure.tls_secret
    hosts = sorted({h for h, _ in rules if h})
    tls = None
    if secret:
        tls = [{"hosts": hosts, "secretName": dns_name(secret)} if hosts
               else {"secretName": dns_name(secret)}]
        # Never rendered (a certificate and key are no compose object): said like the
        # Secrets a service references.
        ctx.info(planned.name, "exposure", f"the TLS Secret {dns_name(secret)!r} of the "
                 f"Ingress is referenced, not created: create it before deploying with "
                 f"kubectl create secret tls {dns_name(secret)} --cert=<file> --key=<file>")
    return {"ingress_class": klass or None,
            "rules": [_rule(host, path, backend) for host, path in rules], "tls": tls}


def _rule(host: str | None, path: str, backend: dict[str, Any]) -> dict[str, Any]:
    http = {"paths": [{"path": path, "pathType": "Prefix", "backend": backend}]}
    return {"host": host, "http": http} if host else {"http": http}


def _ingress_rules(ctx: Context, planned: PlannedService) -> list[tuple[str | None, str]] | None:
    label = ctx.kompose(planned, "service.expose")
    if label is not None and label.lower() != "false":
        if label.lower() == "true":
            return [(None, "/")]
        out: list[tuple[str | None, str]] = []
        for item in label.split(","):
            host, slash, path = item.strip().partition("/")
            out.append((host.lower() or None, "/" + path if slash else "/"))
        return out
    if planned.exposure.type != "ingress":
        return None
    path = planned.exposure.path if planned.exposure.path.startswith("/") else "/"
    return [(planned.exposure.host, path)]


def network_labels(ctx: Context, planned: PlannedService) -> dict[str, str]:
    """Pod labels naming the networks the service is on, for NetworkPolicy selectors."""
    if not ctx.options.flag("network_policies") or not uses_networks(ctx):
        return {}
    return {network_label(n): "true" for n in service_networks(planned)}


def network_label(network: str) -> str:
    key = NETWORK_LABEL + dns_name(network)
    return key if is_qualified_name(key) else NETWORK_LABEL + "network"


def service_networks(planned: PlannedService) -> list[str]:
    return sorted(planned.service.networks) or ["default"]


def uses_networks(ctx: Context) -> bool:
    """Only projects that declare their own networks have segmentation to preserve."""
    return any(name != "default" for name in ctx.plan.project.networks)


def network_policies(ctx: Context) -> dict[str, dict[str, Any]]:
    """One policy per network (name -> values): its pods accept traffic from pods on the
    same network."""
    if not uses_networks(ctx):
        return {}
    networks = sorted({n for p in ctx.plan.services.values() for n in service_networks(p)})
    if not ctx.options.flag("network_policies"):
        for planned in ctx.plan.services.values():
            if planned.service.networks:
                ctx.warn(planned.name, "networks", "networks are not enforced: every pod can "
                         "reach every other; use --network-policies to emit NetworkPolicies")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for network in networks:
        selector = {"matchLabels": {network_label(network): "true"}}
        out[f"net-{dns_name(network)}"[:63].rstrip("-")] = {
            "pod_selector": selector, "ingress": [{"from": [{"podSelector": selector}]}],
        }
    return out


def published_ingress(ctx: Context, planned: PlannedService) -> list[dict[str, Any]] | None:
    """Published ports stay reachable from anywhere once network policies isolate the pod."""
    if not ctx.options.flag("network_policies") or not uses_networks(ctx):
        return None
    ports = [{"port": p.target, "protocol": PROTOCOLS[p.protocol.lower()]}
             for p in planned.service.ports if p.published is not None
             and p.protocol.lower() in PROTOCOLS and p.target]
    if not ports:
        return None
    return [{"ports": ports}]


def network_losses(ctx: Context, planned: PlannedService) -> None:
    """Per-network options that have no pod equivalent."""
    for network, options in sorted(planned.service.networks.items()):
        if options is None:
            continue
        if options.aliases:
            ctx.warn(planned.name, "networks", f"aliases {', '.join(options.aliases)} on "
                     f"{network} are not created; the pod is reachable by its Service name",
                     network)
        fixed = [f for f in ("ipv4_address", "ipv6_address", "mac_address")
                 if getattr(options, f) is not None]
        if fixed or options.link_local_ips:
            ctx.warn(planned.name, "networks", f"fixed addresses on {network} are not mapped: "
                     "pods get their address from the network plugin", network)
