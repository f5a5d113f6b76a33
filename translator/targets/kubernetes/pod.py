"""The pod template's spec (key handlers): init containers, identity, DNS, hosts, sysctls.

https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec
"""

from __future__ import annotations

from typing import Any

from translator.model import PlannedService, Service
from translator.model.base import seconds_ceil
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import DNS1123_LABEL_RE, dns_name

# The image the dependency-wait init containers run; overridable with the wait_image flag.
WAIT_IMAGE = "busybox:1.36"
MAX_NAMESERVERS = 3


def grace_handler(ctx: Context, unit: Unit) -> None:
    """stop_grace_period -> terminationGracePeriodSeconds."""
    grace = unit.planned.service.stop_grace_period
    unit.values["termination_grace_period"] = None if grace is None else seconds_ceil(grace)


def identity_handler(ctx: Context, unit: Unit) -> None:
    """hostname -> the pod's hostname; domainname -> its subdomain."""
    identity = _identity(ctx, unit.planned)
    unit.values["hostname"] = identity.get("hostname")
    unit.values["subdomain"] = identity.get("subdomain")


def hosts_handler(ctx: Context, unit: Unit) -> None:
    """extra_hosts -> hostAliases, one entry per address."""
    unit.values["host_aliases"] = host_aliases(ctx, unit.planned)


def pod_security_handler(ctx: Context, unit: Unit) -> None:
    """sysctls -> the pod's sysctls; numeric group_add -> supplementalGroups."""
    unit.values["pod_security_context"] = pod_security(ctx, unit.planned)


def dns_handler(ctx: Context, unit: Unit) -> None:
    """dns, dns_search, dns_opt -> the pod's dnsConfig."""
    unit.values["dns_config"] = dns_config(ctx, unit.planned)


def network_mode_handler(ctx: Context, unit: Unit) -> None:
    """network_mode host -> hostNetwork; other modes have no pod equivalent."""
    unit.values["host_network"] = _network_mode(ctx, unit.planned)


def depends_on_handler(ctx: Context, unit: Unit) -> None:
    """depends_on -> init containers that wait for each dependency (--wait-for-dependencies)."""
    unit.values["init_containers"] = init_containers(ctx, unit.planned)


def _identity(ctx: Context, planned: PlannedService) -> dict[str, str]:
    """hostname -> pod hostname; domainname -> subdomain (needs a headless Service of that name)."""
    out: dict[str, str] = {}
    for key, field, value in (("hostname", "hostname", planned.service.hostname),
                              ("domainname", "subdomain", planned.service.domainname)):
        if not value:
            continue
        label = value.split(".")[0] if key == "hostname" else value
        name = dns_name(label)
        if name != value or not DNS1123_LABEL_RE.match(value):
            ctx.warn(planned.name, key, f"{value!r} is not an RFC 1123 label; {name!r} is used")
        if key == "domainname":
            ctx.warn(planned.name, key, "a pod subdomain resolves only through a headless "
                     f"Service named {name!r} in the namespace")
        out[field] = name
    return out


def host_aliases(ctx: Context, planned: PlannedService) -> list[dict[str, Any]]:
    by_ip: dict[str, list[str]] = {}
    for host, addresses in planned.service.extra_hosts.items():
        for address in addresses:
            if address == "host-gateway":
                ctx.warn(planned.name, "extra_hosts", f"{host}:host-gateway has no pod "
                         "equivalent; it is dropped")
                continue
            by_ip.setdefault(address, []).append(host)
    return [{"ip": ip, "hostnames": hosts} for ip, hosts in by_ip.items()]


def pod_security(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sysctls = planned.service.sysctls
    if sysctls:
        out["sysctls"] = [{"name": k, "value": str(v)} for k, v in sorted(sysctls.items())]
    groups = planned.service.extras.get("group_add")
    if isinstance(groups, list):
        numeric = [int(g) for g in groups if isinstance(g, int | str) and str(g).isdigit()]
        if len(numeric) != len(groups):
            ctx.warn(planned.name, "group_add", "group names cannot be resolved; only numeric "
                     "groups become supplementalGroups")
        if numeric:
            out["supplementalGroups"] = numeric
    return out


def dns_config(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    svc = planned.service
    out: dict[str, Any] = {}
    if svc.dns:
        if len(svc.dns) > MAX_NAMESERVERS:
            ctx.warn(planned.name, "dns", f"Kubernetes takes at most {MAX_NAMESERVERS} "
                     "nameservers; the rest are dropped")
        out["nameservers"] = list(svc.dns[:MAX_NAMESERVERS])
    if svc.dns_search:
        out["searches"] = list(svc.dns_search)
    if svc.dns_opt:
        options: list[dict[str, str]] = []
        for opt in svc.dns_opt:
            name, sep, value = opt.partition(":")
            options.append({"name": name, "value": value} if sep else {"name": name})
        out["options"] = options
    return out


def _network_mode(ctx: Context, planned: PlannedService) -> bool | None:
    mode = planned.service.network_mode
    if mode is None or mode in ("bridge", "default"):
        return None
    if mode == "host":
        return True
    if planned.name in ctx.pods:
        return None  # its container runs in the pod of the service it names (grouping.py)
    ctx.warn(planned.name, "network_mode", f"network_mode {mode!r} has no pod equivalent; the "
             "pod uses the cluster network")
    return None


def init_containers(ctx: Context, planned: PlannedService) -> list[dict[str, Any]]:
    """With wait_for_dependencies, one init container waits for every dependency in turn."""
    # Containers of one pod start together: a dependency in the same pod is never awaited.
    pod = ctx.pods.get(planned.name, planned.name)
    deps = {d: c for d, c in planned.service.depends_on.items() if ctx.pods.get(d, d) != pod}
    if not deps:
        return []
    if not ctx.options.wait_for_dependencies:
        ctx.warn(planned.name, "depends_on", "Kubernetes starts pods in any order; use "
                 "--wait-for-dependencies to add init containers that wait for "
                 + ", ".join(sorted(deps)))
        return []
    targets: list[str] = []
    for dep, condition in sorted(deps.items()):
        if dep not in ctx.plan.project.services:
            ctx.warn(planned.name, "depends_on", f"{dep} is not a service of the project; "
                     "it is not awaited")
        elif condition.condition == "service_completed_successfully":
            ctx.warn(planned.name, "depends_on", f"waiting for {dep} to complete needs the "
                     "Kubernetes API; it is not awaited")
        else:
            target = ctx.wait_targets.get(dep)
            if target is None:
                target = ctx.wait_targets[dep] = _wait_target(ctx, dep)
            targets.append(target)
    if any(d.condition == "service_healthy" for d in deps.values()):
        ctx.warn(planned.name, "depends_on", "service_healthy is approximated: the init "
                 "container waits until the dependency accepts connections")
    return [_wait_for(ctx, targets)] if targets else []


# One container for all dependencies, the list as its arguments: a container per
# dependency made the output grow with dependents x dependencies (150 bytes each), which a
# YAML alias turns into 140 MB from 117 KB. Each argument is HOST:PORT (wait until the
# port accepts connections, busybox ``nc -z``) or HOST (until its headless Service
# resolves, which needs a ready pod). Names are DNS labels and ports numbers: no quoting.
WAIT_SCRIPT = (
    "for dep; do case $dep in "
    "*:*) until nc -z -w 2 ${dep%:*} ${dep#*:}; do sleep 2; done;; "
    "*) until nslookup $dep; do sleep 2; done;; esac; done"
)


def _wait_target(ctx: Context, dep: str) -> str:
    target = ctx.names.get(dep) or dns_name(dep)
    port = first_tcp_port(ctx.plan.project.services[dep])
    return f"{target}:{port}" if port else target


def _wait_for(ctx: Context, targets: list[str]) -> dict[str, Any]:
    return {
        "name": "wait-for-dependencies",
        "image": str(ctx.options.flag("wait_image", WAIT_IMAGE)),
        "command": ["sh", "-c", WAIT_SCRIPT, "wait-for", *targets],
    }


def first_tcp_port(service: Service) -> int | None:
    """The port dependants reach: the Service's port is the container port (see network.py)."""
    for port in service.ports:
        if port.protocol.lower() == "tcp" and port.target:
            return port.target
    return next((e.start for e in service.expose if e.protocol == "tcp"), None)
