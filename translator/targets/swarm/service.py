"""The key handlers of one Swarm service (everything but ``deploy:``), for service.yaml.j2.

Each handler computes the template values of one compose key (or of keys that fill one
value together) from the model; translator/targets/swarm/keys.py says which key runs which.
Key reference: https://docs.docker.com/reference/compose-file/legacy-versions/ (v3 format)
and the conversion code of ``docker stack deploy`` (docker/cli cli/compose/convert).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.errors import Path
from translator.model import Healthcheck, Mount, Port, Service
from translator.model.base import format_duration
from translator.model.service import FileReference, ServiceNetwork
from translator.targets.swarm.common import ServiceContext, Values, invalid


def image(ctx: ServiceContext) -> Values:
    """the service's artifact (image:, an artifacts file entry or --image) is deployed"""
    if ctx.service.artifact is None:
        raise invalid(
            f"service {ctx.name!r} has no image: Swarm deploys artifacts and never builds",
            ("services", ctx.name, "image"),
            hint="give it an image, an entry in artifacts.yaml, or --image SERVICE=REF",
        )
    return {"image": ctx.service.artifact.reference}


def command(ctx: ServiceContext) -> Values:
    """kept as a list (exec form)"""
    return {"command": _list(ctx.service.command)}


def entrypoint(ctx: ServiceContext) -> Values:
    """kept as a list (exec form)"""
    return {"entrypoint": _list(ctx.service.entrypoint)}


def environment(ctx: ServiceContext) -> Values:
    """environment, with env_file values written into it"""
    return {"environment": dict(ctx.service.environment) or None}


def labels(ctx: ServiceContext) -> Values:
    """container labels, with label_file labels written into them"""
    return {"labels": dict(ctx.service.labels) or None}


def ports(ctx: ServiceContext) -> Values:
    """long syntax: target, published, protocol and mode"""
    return {"ports": [_port(ctx, i, p) for i, p in enumerate(ctx.service.ports)] or None}


def volumes(ctx: ServiceContext) -> Values:
    """mounts in long syntax; tmpfs entries become type: tmpfs mounts"""
    return {"volumes": _volumes(ctx) or None}


# The Engine API version that carries a health check's start interval (Docker Engine 25.0);
# an older manager drops it from the service spec (moby, api/server/router/swarm/helpers.go,
# adjustForAPIVersion).
START_INTERVAL_API = "1.44"


def healthcheck(ctx: ServiceContext) -> Values:
    """test, durations and retries as written"""
    check = ctx.service.healthcheck
    if check is not None and check.start_interval is not None and not check.disabled:
        ctx.lost("healthcheck",
                 f"start_interval needs Docker Engine API {START_INTERVAL_API} (Engine 25.0) "
                 "on the managers: an older one drops it and probes at the interval",
                 ("services", ctx.name, "healthcheck", "start_interval"),
                 handling="approximated")
    return {"healthcheck": None if check is None else _healthcheck(check)}


def networks(ctx: ServiceContext) -> Values:
    """attachments with aliases and driver options"""
    return {"networks": _networks(ctx, ctx.service.networks)}


def secrets(ctx: ServiceContext) -> Values:
    """file references: source, target, uid, gid and mode"""
    return {"secrets": [_file_ref(r) for r in ctx.service.secrets] or None}


def configs(ctx: ServiceContext) -> Values:
    """file references: source, target, uid, gid and mode"""
    return {"configs": [_file_ref(r) for r in ctx.service.configs] or None}


def ulimits(ctx: ServiceContext) -> Values:
    """a single limit as a number, soft and hard ones as a mapping"""
    limits = ctx.service.ulimits
    return {
        "ulimits": {
            k: u.soft if u.single else {"soft": u.soft, "hard": u.hard} for k, u in limits.items()
        }
        or None
    }


def logging(ctx: ServiceContext) -> Values:
    """driver and options"""
    return {"logging": _logging(ctx.service)}


def stop_grace_period(ctx: ServiceContext) -> Values:
    """a compose duration"""
    grace = ctx.service.stop_grace_period
    return {"stop_grace_period": None if grace is None else format_duration(grace)}


def extra_hosts(ctx: ServiceContext) -> Values:
    """host:address, one entry per address"""
    # docker/cli splits at the first colon, so an IPv6 address needs no brackets.
    hosts = ctx.service.extra_hosts
    return {"extra_hosts": [f"{h}:{a}" for h, addrs in hosts.items() for a in addrs] or None}


def resolved_by_loader(ctx: ServiceContext) -> Values:
    """resolved by the loader"""
    return {}


def _copy(
    key: str, doc: str, value: Callable[[Service], Any]
) -> Callable[[ServiceContext], Values]:
    """A handler that passes one model value on unchanged, under the template name ``key``."""

    def handler(ctx: ServiceContext) -> Values:
        return {key: value(ctx.service)}

    handler.__name__ = handler.__qualname__ = key
    handler.__doc__ = doc
    return handler


working_dir = _copy("working_dir", "as written", lambda s: s.working_dir)
user = _copy("user", "as written", lambda s: s.user)
hostname = _copy("hostname", "as written", lambda s: s.hostname)
stop_signal = _copy("stop_signal", "as written", lambda s: s.stop_signal)
init = _copy("init", "as written", lambda s: s.init)
read_only = _copy("read_only", "as written", lambda s: s.read_only)
tty = _copy("tty", "as written", lambda s: s.tty)
stdin_open = _copy("stdin_open", "as written", lambda s: s.stdin_open)
sysctls = _copy("sysctls", "as written", lambda s: dict(s.sysctls) or None)
# The stack schema wants these lists unique: each entry once, in order.
cap_add = _copy("cap_add", "each capability once", lambda s: _unique(s.cap_add))
cap_drop = _copy("cap_drop", "each capability once", lambda s: _unique(s.cap_drop))
dns = _copy("dns", "each server once", lambda s: _unique(s.dns))
dns_search = _copy("dns_search", "each domain once", lambda s: _unique(s.dns_search))
# Untyped compose keys (Service.extras) that the v3 stack format has, passed on as written.
oom_score_adj = _copy("oom_score_adj", "as written", lambda s: s.extras.get("oom_score_adj"))
isolation = _copy("isolation", "as written", lambda s: s.extras.get("isolation"))
credential_spec = _copy(
    "credential_spec", "as written", lambda s: s.extras.get("credential_spec")
)


def _list(items: tuple[str, ...] | None) -> list[str] | None:
    return None if items is None else list(items)


def _unique(items: tuple[str, ...]) -> list[str] | None:
    """A set-like list once each, in order: the stack schema wants these lists unique."""
    return list(dict.fromkeys(items)) or None


def _port(ctx: ServiceContext, index: int, port: Port) -> dict[str, Any]:
    """Long syntax only: Swarm's port config is target, published, protocol and mode."""
    path: Path = ("services", ctx.name, "ports", index)
    out: dict[str, Any] = {"target": port.target}
    if port.published is not None:
        if not port.published.single:
            ctx.lost(
                "ports",
                f"published range {port.published} becomes {port.published.start}: "
                "Swarm publishes one port per target",
                (*path, "published"),
                handling="approximated",
            )
        out["published"] = port.published.start
    out["protocol"] = port.protocol
    out["mode"] = port.mode
    if port.host_ip is not None:
        ctx.lost(
            "ports",
            f"host_ip {port.host_ip} is dropped: Swarm publishes on every address",
            (*path, "host_ip"),
        )
    for key in ("name", "app_protocol"):
        if getattr(port, key) is not None:
            ctx.lost(
                "ports",
                f"port {key} is dropped: the v3 stack format has none",
                (*path, key),
            )
    return out


def _volumes(ctx: ServiceContext) -> list[dict[str, Any]]:
    service, name = ctx.service, ctx.name
    out = [
        m
        for i, mount in enumerate(service.volumes)
        if (m := _mount(ctx, mount, ("services", name, "volumes", i))) is not None
    ]
    for i, mount in enumerate(service.tmpfs):
        tmpfs = _mount(
            ctx, mount.model_copy(update={"type": "tmpfs"}), ("services", name, "tmpfs", i)
        )
        if tmpfs is not None:
            out.append(tmpfs)
    if service.shm_size is not None:
        # Swarm has no shm_size; a tmpfs of that size over /dev/shm has the same effect.
        # The key table marks the key approximated, so the renderer already says so.
        out.append({"type": "tmpfs", "target": "/dev/shm", "tmpfs": {"size": service.shm_size}})
    return out


def _mount(ctx: ServiceContext, mount: Mount, path: Path) -> dict[str, Any] | None:
    key = str(path[2])
    if mount.type in ("cluster", "image"):
        ctx.lost(
            key,
            f"a {mount.type} mount is dropped: the v3 stack format has none",
            path,
        )
        return None
    out: dict[str, Any] = {"type": mount.type}
    if mount.source is not None and mount.type != "tmpfs":
        out["source"] = mount.source
    out["target"] = mount.target
    if mount.read_only:
        out["read_only"] = True
    if mount.consistency is not None:
        out["consistency"] = mount.consistency
    dropped = _mount_options(mount, out)
    for option in dropped:
        ctx.lost(
            key,
            f"{mount.type} mount option {option} is dropped at {mount.target}",
            path,
        )
    return out


def _mount_options(mount: Mount, out: dict[str, Any]) -> list[str]:
    """Copy the per-type options the v3 format has into ``out``; name the others."""
    dropped: list[str] = []
    if mount.bind is not None and mount.type == "bind":
        if mount.bind.propagation is not None:
            out["bind"] = {"propagation": mount.bind.propagation}
        # Compose's short syntax implies create_host_path; it matters only for a source
        # that is not there, since Swarm never creates one.
        if mount.bind.create_host_path and mount.host is not None and not mount.host.exists:
            dropped.append("create_host_path (Swarm never creates a missing host path)")
        dropped += [k for k in ("selinux", "recursive") if getattr(mount.bind, k) is not None]
    if mount.volume is not None and mount.type == "volume":
        if mount.volume.nocopy is not None:
            out["volume"] = {"nocopy": mount.volume.nocopy}
        dropped += ["subpath"] if mount.volume.subpath is not None else []
        dropped += ["labels"] if mount.volume.labels else []
    if mount.tmpfs is not None and mount.type == "tmpfs":
        if mount.tmpfs.size is not None:
            out["tmpfs"] = {"size": mount.tmpfs.size}
        dropped += ["mode"] if mount.tmpfs.mode is not None else []
    return dropped


def _healthcheck(check: Healthcheck) -> dict[str, Any]:
    if check.disabled:
        return {"disable": True}
    out: dict[str, Any] = {}
    if check.test is not None:
        out["test"] = [check.test.kind, *check.test.command]
    for key in ("interval", "timeout", "start_period", "start_interval"):
        value = getattr(check, key)
        if value is not None:
            out[key] = format_duration(value)
    if check.retries is not None:
        out["retries"] = check.retries
    return out


def _networks(
    ctx: ServiceContext, networks: dict[str, ServiceNetwork | None]
) -> dict[str, Any] | None:
    if not networks:
        return None
    return {
        net: None if settings is None else _attachment(ctx, net, settings)
        for net, settings in networks.items()
    }


# Swarm's network attachment has aliases and driver options only: no static addresses,
# MAC, priority or interface name (docker/cli convert.convertServiceNetworks).
_UNSUPPORTED_ATTACHMENT = (
    "ipv4_address",
    "ipv6_address",
    "mac_address",
    "priority",
    "gw_priority",
    "interface_name",
)


def _attachment(ctx: ServiceContext, net: str, settings: ServiceNetwork) -> dict[str, Any] | None:
    entry: dict[str, Any] = {}
    if settings.aliases:
        entry["aliases"] = list(settings.aliases)
    if settings.driver_opts:
        entry["driver_opts"] = dict(settings.driver_opts)
    dropped = [k for k in _UNSUPPORTED_ATTACHMENT if getattr(settings, k) is not None]
    dropped += ["link_local_ips"] if settings.link_local_ips else []
    for key in dropped:
        ctx.lost(
            "networks",
            f"{key} on network {net} is dropped: Swarm assigns addresses itself",
            ("services", ctx.name, "networks", net, key),
        )
    return entry or None


def _file_ref(ref: FileReference) -> dict[str, Any]:
    out: dict[str, Any] = {"source": ref.source}
    for key in ("target", "uid", "gid", "mode"):
        value = getattr(ref, key)
        if value is not None:
            out[key] = value
    return out


def _logging(service: Service) -> dict[str, Any] | None:
    if service.logging is None:
        return None
    out: dict[str, Any] = {}
    if service.logging.driver is not None:
        out["driver"] = service.logging.driver
    if service.logging.options:
        out["options"] = dict(service.logging.options)
    return out or None
