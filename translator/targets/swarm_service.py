"""The values of one Swarm service (everything but ``deploy:``), ready for service.yaml.j2.

Key reference: https://docs.docker.com/reference/compose-file/legacy-versions/ (v3 format)
and the conversion code of ``docker stack deploy`` (docker/cli cli/compose/convert).
"""

from __future__ import annotations

from typing import Any

from translator.errors import Diagnostics, Path
from translator.model import Healthcheck, Mount, Port, Service
from translator.model.base import format_duration
from translator.model.service import FileReference, ServiceNetwork
from translator.targets.swarm_util import invalid, lost

# Every value the service template takes; None leaves the key out.
SERVICE_KEYS: tuple[str, ...] = (
    "image",
    "command",
    "entrypoint",
    "working_dir",
    "user",
    "hostname",
    "environment",
    "labels",
    "ports",
    "volumes",
    "healthcheck",
    "networks",
    "secrets",
    "configs",
    "cap_add",
    "cap_drop",
    "sysctls",
    "ulimits",
    "logging",
    "stop_grace_period",
    "stop_signal",
    "extra_hosts",
    "dns",
    "dns_search",
    "init",
    "read_only",
    "tty",
    "stdin_open",
    "oom_score_adj",
    "isolation",
    "credential_spec",
)
# Untyped compose keys (Service.extras) that the v3 stack format has, passed on as written.
_PASSTHROUGH_EXTRAS = ("oom_score_adj", "isolation", "credential_spec")


def service_values(service: Service, diagnostics: Diagnostics) -> dict[str, Any]:
    """The template values of one service; raises when it has no artifact to deploy."""
    name = service.name
    if service.artifact is None:
        raise invalid(
            f"service {name!r} has no image: Swarm deploys artifacts and never builds",
            ("services", name, "image"),
            hint="give it an image, an entry in artifacts.yaml, or --image SERVICE=REF",
        )
    values: dict[str, Any] = dict.fromkeys(SERVICE_KEYS)
    values.update(_process(service, service.artifact.reference, diagnostics))
    values.update(_runtime(service))
    for key in _PASSTHROUGH_EXTRAS:
        if key in service.extras:
            values[key] = service.extras[key]
    return values


def _process(service: Service, image: str, diagnostics: Diagnostics) -> dict[str, Any]:
    """What runs and how it is reached: image, command, environment, ports, storage."""
    name = service.name
    return {
        "image": image,
        "command": _list(service.command),
        "entrypoint": _list(service.entrypoint),
        "working_dir": service.working_dir,
        "user": service.user,
        "hostname": service.hostname,
        "environment": dict(service.environment) or None,
        "labels": dict(service.labels) or None,
        "ports": [_port(name, i, p, diagnostics) for i, p in enumerate(service.ports)] or None,
        "volumes": _volumes(service, diagnostics) or None,
        "healthcheck": None if service.healthcheck is None else _healthcheck(service.healthcheck),
        "networks": _networks(name, service.networks, diagnostics),
        "secrets": [_file_ref(r) for r in service.secrets] or None,
        "configs": [_file_ref(r) for r in service.configs] or None,
    }


def _runtime(service: Service) -> dict[str, Any]:
    """Container runtime settings that Swarm passes to every task."""
    grace = service.stop_grace_period
    return {
        "cap_add": _unique(service.cap_add),
        "cap_drop": _unique(service.cap_drop),
        "sysctls": dict(service.sysctls) or None,
        "ulimits": {
            k: u.soft if u.single else {"soft": u.soft, "hard": u.hard}
            for k, u in service.ulimits.items()
        }
        or None,
        "logging": _logging(service),
        "stop_grace_period": None if grace is None else format_duration(grace),
        "stop_signal": service.stop_signal,
        # "host:ip", one entry per address; docker/cli splits at the first colon (IPv6 safe).
        "extra_hosts": [f"{h}:{a}" for h, addrs in service.extra_hosts.items() for a in addrs]
        or None,
        "dns": _unique(service.dns),
        "dns_search": _unique(service.dns_search),
        "init": service.init,
        "read_only": service.read_only,
        "tty": service.tty,
        "stdin_open": service.stdin_open,
    }


def _list(items: tuple[str, ...] | None) -> list[str] | None:
    return None if items is None else list(items)


def _unique(items: tuple[str, ...]) -> list[str] | None:
    """A set-like list once each, in order: the stack schema wants these lists unique."""
    return list(dict.fromkeys(items)) or None


def _port(name: str, index: int, port: Port, diagnostics: Diagnostics) -> dict[str, Any]:
    """Long syntax only: Swarm's port config is target, published, protocol and mode."""
    path: Path = ("services", name, "ports", index)
    out: dict[str, Any] = {"target": port.target}
    if port.published is not None:
        if not port.published.single:
            lost(
                diagnostics,
                name,
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
        lost(
            diagnostics,
            name,
            "ports",
            f"host_ip {port.host_ip} is dropped: Swarm publishes on every address",
            (*path, "host_ip"),
        )
    for key in ("name", "app_protocol"):
        if getattr(port, key) is not None:
            lost(
                diagnostics,
                name,
                "ports",
                f"port {key} is dropped: the v3 stack format has none",
                (*path, key),
            )
    return out


def _volumes(service: Service, diagnostics: Diagnostics) -> list[dict[str, Any]]:
    name = service.name
    out = [
        m
        for i, mount in enumerate(service.volumes)
        if (m := _mount(name, mount, ("services", name, "volumes", i), diagnostics)) is not None
    ]
    for i, mount in enumerate(service.tmpfs):
        tmpfs = _mount(
            name,
            mount.model_copy(update={"type": "tmpfs"}),
            ("services", name, "tmpfs", i),
            diagnostics,
        )
        if tmpfs is not None:
            out.append(tmpfs)
    if service.shm_size is not None:
        # Swarm has no shm_size; a tmpfs of that size over /dev/shm has the same effect.
        # KEYS marks the key "approximated", so diagnose_keys already says so.
        out.append({"type": "tmpfs", "target": "/dev/shm", "tmpfs": {"size": service.shm_size}})
    return out


def _mount(name: str, mount: Mount, path: Path, diagnostics: Diagnostics) -> dict[str, Any] | None:
    key = str(path[2])
    if mount.type in ("cluster", "image"):
        lost(
            diagnostics,
            name,
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
        lost(
            diagnostics,
            name,
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
        if mount.bind.create_host_path:
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
    name: str, networks: dict[str, ServiceNetwork | None], diagnostics: Diagnostics
) -> dict[str, Any] | None:
    if not networks:
        return None
    return {
        net: None if settings is None else _attachment(name, net, settings, diagnostics)
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


def _attachment(
    name: str, net: str, settings: ServiceNetwork, diagnostics: Diagnostics
) -> dict[str, Any] | None:
    entry: dict[str, Any] = {}
    if settings.aliases:
        entry["aliases"] = list(settings.aliases)
    if settings.driver_opts:
        entry["driver_opts"] = dict(settings.driver_opts)
    dropped = [k for k in _UNSUPPORTED_ATTACHMENT if getattr(settings, k) is not None]
    dropped += ["link_local_ips"] if settings.link_local_ips else []
    for key in dropped:
        lost(
            diagnostics,
            name,
            "networks",
            f"{key} on network {net} is dropped: Swarm assigns addresses itself",
            ("services", name, "networks", net, key),
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
