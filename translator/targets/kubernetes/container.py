"""The service's container: image, command, env, ports, security context (key handlers).

https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container
"""

from __future__ import annotations

import re
from typing import Any

from translator.model import PlannedService, Port, PortRange
from translator.targets.kubernetes.context import Context, Unit
from translator.targets.kubernetes.names import CONFIG_KEY_RE, dns_name, join_name, port_name

# Before RelaxedEnvironmentVariableValidation (GA in 1.34) env names were C-identifier-like.
ENV_NAME_RE = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
PROTOCOLS = {"tcp": "TCP", "udp": "UDP", "sctp": "SCTP"}
# https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
PULL_POLICIES = {
    "always": "Always", "never": "Never", "missing": "IfNotPresent",
    "if_not_present": "IfNotPresent", "ifnotpresent": "IfNotPresent",
}


def literal(value: str) -> str:
    """Keep ``$(VAR)`` and ``$$`` literal: the kubelet expands them in command, args and env.

    https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
    ``$$`` reduces to ``$``, so doubling every ``$`` of such a value restores the text.
    """
    return value.replace("$", "$$") if "$(" in value or "$$" in value else value


def image(ctx: Context, planned: PlannedService) -> str:
    artifact = planned.service.artifact
    if artifact is None:
        raise ctx.fail(planned.name, "image", f"service {planned.name!r} has no image to run: "
                       "give it one in compose, the artifacts file or --image SERVICE=REF")
    return artifact.reference


def pull_policy(ctx: Context, planned: PlannedService) -> str | None:
    label = ctx.kompose(planned, "image-pull-policy")
    if label is not None:
        if label in PULL_POLICIES.values():
            return label
        ctx.warn(planned.name, "labels", f"kompose.image-pull-policy {label!r} is not Always, "
                 "Never or IfNotPresent; ignored")
    policy = planned.service.pull_policy
    if policy is None:
        return None
    if policy.lower() in PULL_POLICIES:
        return PULL_POLICIES[policy.lower()]
    ctx.warn(planned.name, "pull_policy", f"pull_policy {policy!r} has no Kubernetes "
             "equivalent; Always is used")
    return "Always"


def env_file_maps(ctx: Context, planned: PlannedService) -> list[tuple[str, dict[str, str]]]:
    """One ConfigMap per env_file (name, data), for ``envFrom``; later files win, as in compose."""
    out: list[tuple[str, dict[str, str]]] = []
    for index, env_file in enumerate(planned.service.env_files):
        data = {
            k: v for k, v in sorted(env_file.values.items())
            if v is not None and CONFIG_KEY_RE.match(k) and ENV_NAME_RE.match(k)
        }
        if data:
            out.append((join_name(ctx.name_of(planned.name), "env", str(index)), data))
    return out


def env(
    ctx: Context, planned: PlannedService, maps: list[tuple[str, dict[str, str]]]
) -> list[dict[str, str]]:
    """``env`` in sorted order: the variables not already provided by an env_file ConfigMap."""
    from_files: dict[str, str] = {}
    for _name, data in maps:
        from_files.update(data)
    out: list[dict[str, str]] = []
    for key, value in sorted(planned.service.environment.items()):
        if value is None:
            ctx.warn(planned.name, "environment", f"{key} has no value: neither the process "
                     "environment nor .env defines it at conversion time; it is not set")
        elif not ENV_NAME_RE.match(key):
            ctx.warn(planned.name, "environment", f"{key!r} is not a valid variable name for "
                     "Kubernetes before 1.34; it is not set")
        elif from_files.get(key) != value:
            out.append({"name": key, "value": literal(value)})
    return out


def service_ports(ctx: Context, planned: PlannedService) -> list[tuple[Port, int]]:
    """(port, service port) for ``ports`` then ``expose``, without duplicates."""
    out: list[tuple[Port, int]] = []
    seen: set[tuple[int, str]] = set()
    candidates: list[tuple[Port, int]] = []
    for port in planned.service.ports:
        published = port.published.start if port.published else port.target
        candidates.append((port, published or port.target))
    for expose in planned.service.expose:
        candidates.extend(
            (Port(target=p, protocol=expose.protocol), p) for p in _range(expose)
        )
    for port, published in candidates:
        if port.protocol.lower() not in PROTOCOLS or port.target == 0:
            continue  # reported once by port_losses
        key = (published, port.protocol.lower())
        if key not in seen:
            seen.add(key)
            out.append((port, published))
    return out


def port_losses(ctx: Context, planned: PlannedService) -> None:
    """Port settings a Service cannot carry, reported once per service."""
    for index, port in enumerate(planned.service.ports):
        if port.protocol.lower() not in PROTOCOLS:
            ctx.warn(planned.name, "ports", f"protocol {port.protocol!r} of port {port.target} "
                     "is not TCP, UDP or SCTP; the port is dropped", index)
        if port.host_ip:
            ctx.warn(planned.name, "ports", f"host_ip {port.host_ip} is not mapped: a Service "
                     "listens on every address", index)
        if port.mode == "host":
            ctx.warn(planned.name, "ports", "mode host (publish on the node) is approximated by "
                     "the Service; no hostPort is set", index)


def _range(ports: PortRange) -> range:
    return range(ports.start, ports.end + 1)


def container_ports(pairs: list[tuple[Port, int]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for port, _published in pairs:
        key = (port.target, port.protocol.lower())
        if key in seen:
            continue
        seen.add(key)
        out.append({
            "name": port_name(port.name, port.protocol, port.target),
            "containerPort": port.target,
            "protocol": PROTOCOLS[port.protocol.lower()],
        })
    return _unique_names(out)


def _unique_names(ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Port names must be unique in a pod; a repeated compose name falls back to proto-port."""
    seen: set[str] = set()
    for port in ports:
        if port["name"] in seen:
            port["name"] = port_name(None, port["protocol"], port["containerPort"])
        seen.add(port["name"])
    return ports


def security_context(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    svc = planned.service
    out: dict[str, Any] = {}
    if svc.user is not None:
        out.update(_user(ctx, planned, svc.user))
    caps: dict[str, list[str]] = {}
    if svc.cap_add:
        caps["add"] = [c.upper().removeprefix("CAP_") for c in svc.cap_add]
    if svc.cap_drop:
        caps["drop"] = [c.upper().removeprefix("CAP_") for c in svc.cap_drop]
    if caps:
        out["capabilities"] = caps
    if svc.privileged is not None:
        out["privileged"] = svc.privileged
    if svc.privileged:
        # https://kubernetes.io/docs/concepts/security/pod-security-standards/
        ctx.warn(planned.name, "privileged", "privileged: true is mapped to securityContext, "
                 "but clusters that enforce the baseline or restricted Pod Security Standard "
                 "refuse privileged pods; grant only the capabilities it needs (cap_add)")
    if svc.read_only is not None:
        out["readOnlyRootFilesystem"] = svc.read_only
    for index, opt in enumerate(svc.security_opt):
        if opt in ("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"):
            if not svc.privileged:  # the API server refuses both together
                out["allowPrivilegeEscalation"] = False
        else:
            ctx.warn(planned.name, "security_opt", f"{opt!r} has no securityContext mapping",
                     index)
    return out


def _user(ctx: Context, planned: PlannedService, user: str) -> dict[str, int]:
    uid, _, gid = user.partition(":")
    if not uid.isdigit() or (gid and not gid.isdigit()):
        ctx.warn(planned.name, "user", f"user {user!r} is a name; Kubernetes needs numeric "
                 "runAsUser/runAsGroup, so the image's user applies")
        return {}
    out = {"runAsUser": int(uid)}
    if gid:
        out["runAsGroup"] = int(gid)
    return out


def image_handler(ctx: Context, unit: Unit) -> None:
    """image (or the artifact the plan gives) -> the container's image."""
    unit.values["image"] = image(ctx, unit.planned)


def pull_policy_handler(ctx: Context, unit: Unit) -> None:
    """pull_policy -> imagePullPolicy; Kompose's image-pull-policy/-secret labels too."""
    unit.values["image_pull_policy"] = pull_policy(ctx, unit.planned)
    secret = ctx.kompose(unit.planned, "image-pull-secret")
    if secret:
        unit.values["image_pull_secrets"] = [{"name": dns_name(secret)}]


def command_handler(ctx: Context, unit: Unit) -> None:
    """entrypoint -> command and command -> args (Docker's ENTRYPOINT/CMD)."""
    svc = unit.planned.service
    if svc.entrypoint is not None:
        unit.values["command"] = [literal(part) for part in svc.entrypoint]
    if svc.command is not None:
        unit.values["args"] = [literal(part) for part in svc.command]


def working_dir_handler(ctx: Context, unit: Unit) -> None:
    """working_dir -> workingDir."""
    unit.values["working_dir"] = unit.planned.service.working_dir or None


def environment_handler(ctx: Context, unit: Unit) -> None:
    """environment -> env; each env_file -> a ConfigMap the container reads with envFrom."""
    unit.env_maps = env_file_maps(ctx, unit.planned)
    unit.values["env"] = env(ctx, unit.planned, unit.env_maps)
    unit.values["env_from"] = [{"configMapRef": {"name": n}} for n, _ in unit.env_maps]


def ports_handler(ctx: Context, unit: Unit) -> None:
    """ports and expose -> containerPorts and the Service's ports."""
    port_losses(ctx, unit.planned)
    unit.ports = service_ports(ctx, unit.planned)
    unit.values["ports"] = container_ports(unit.ports)


def security_handler(ctx: Context, unit: Unit) -> None:
    """user, cap_add/cap_drop, privileged, read_only, security_opt -> securityContext."""
    unit.values["security_context"] = security_context(ctx, unit.planned)


def terminal_handler(ctx: Context, unit: Unit) -> None:
    """tty -> tty and stdin_open -> stdin."""
    unit.values["tty"] = unit.planned.service.tty
    unit.values["stdin"] = unit.planned.service.stdin_open
