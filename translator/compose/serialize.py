"""The normalized project back as a compose document, in ``docker compose config`` shape.

Long syntax everywhere, as ``docker compose config --format json`` prints it (checked
against Docker Compose v2.40.3): ``published`` ports and memory sizes are strings
(``"8080"``, ``"1610612736"``), durations Go strings (``1m30s``), file modes octal
strings (``"0440"``). Unset fields are omitted. Relative paths stay relative; nothing
is resolved against the host. Reading the result back with ``normalize_project``
gives the same :class:`Project`.

Differences from Compose kept on purpose: Compose makes bind sources absolute and
prefixes resource names with the project name; we print what the model holds.
"""

from __future__ import annotations

from typing import Any

from translator.model import Project
from translator.model.base import cpus_number, format_duration
from translator.model.project import FileObject, Network, Volume
from translator.model.service import Healthcheck, Mount, Port, Service
from translator.model.topology import ResourceSpec, Topology, UpdateConfig

__all__ = ["escape_dollars", "to_compose"]

Doc = dict[str, Any]


def to_compose(project: Project) -> Doc:
    """The project as a compose document (plain JSON-compatible data)."""
    doc: Doc = {"name": project.name}
    doc["services"] = {name: _service(s) for name, s in project.services.items()}
    for section, items in (
        ("networks", project.networks),
        ("volumes", project.volumes),
        ("secrets", project.secrets),
        ("configs", project.configs),
    ):
        if items:
            doc[section] = {name: _resource(item) for name, item in items.items()}
    doc.update(project.extras)
    doc.update(project.extensions)
    return doc


def escape_dollars(value: Any) -> Any:
    """Every ``$`` as ``$$``, as Compose's ``config`` prints strings so they survive a
    second interpolation. Apply it to ``to_compose``'s result when writing a file."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [escape_dollars(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_dollars(v) for k, v in value.items()}
    return value


def _compact(data: Doc) -> Doc:
    """Drop unset values: None and empty containers (never 0 or False)."""
    return {
        k: v
        for k, v in data.items()
        if v is not None and not (isinstance(v, dict | list | tuple) and not v)
    }


def _flag(value: bool) -> bool | None:
    """A flag whose default is False: printed only when set."""
    return True if value else None


def _resource(item: Network | Volume | FileObject) -> Doc:
    # file_text is what we read from `file`, not something the compose file says.
    data = item.model_dump(exclude_defaults=True, exclude={"extensions", "file_text"})
    ipam = data.pop("ipam", None)
    out = _compact(data)
    if ipam is not None:
        out["ipam"] = _compact(ipam)
    out.update(item.extensions)
    return out


def _octal(mode: int | None) -> str | None:
    return None if mode is None else f"0{mode:o}"


def _size(value: int | None) -> str | None:
    return None if value is None else str(value)


def _duration(value: int | None) -> str | None:
    return None if value is None else format_duration(value)


# Service fields whose model form is already Compose's form.
_PLAIN_FIELDS: set[str] = set(
    """pull_policy platform working_dir user hostname domainname container_name labels
    annotations links external_links volumes_from network_mode cap_add cap_drop privileged
    read_only security_opt sysctls devices dns dns_search dns_opt init tty stdin_open
    stop_signal restart cpus pids_limit scale profiles""".split()  # noqa: SIM905
)


def _service(s: Service) -> Doc:
    out = _service_core(s) | _service_rest(s)
    # JSON mode: a CPU count prints as the number Compose prints, not a Decimal.
    plain = s.model_dump(mode="json", include=_PLAIN_FIELDS, exclude_none=True)
    result = _compact(out) | {k: v for k, v in plain.items() if v not in ({}, [], ())}
    if s.has_deploy:
        result["deploy"] = out["deploy"]  # even when empty: ``deploy: {}`` was written
    # Compose distinguishes an empty command (``[]``) from an unset one.
    for key in ("command", "entrypoint"):
        if out[key] == []:
            result[key] = []
    return result | s.extras | s.extensions


def _service_core(s: Service) -> Doc:
    return {
        "image": s.image,
        "build": None if s.build is None else _compact(_build(s)),
        "command": None if s.command is None else list(s.command),
        "entrypoint": None if s.entrypoint is None else list(s.entrypoint),
        "environment": s.environment,
        "env_file": [
            _compact({"path": e.path, "required": e.required, "format": e.format})
            | {"required": e.required}
            for e in s.env_files
        ],
        "ports": [_port(p) for p in s.ports],
        "expose": [str(r) for r in s.expose],
        "volumes": [_mount(m) for m in s.volumes],
        "tmpfs": [_tmpfs(m) for m in s.tmpfs],
        "healthcheck": None if s.healthcheck is None else _healthcheck(s.healthcheck),
    }


def _service_rest(s: Service) -> Doc:
    return {
        "depends_on": {
            name: _compact({"condition": d.condition, "restart": _flag(d.restart)})
            | {"required": d.required}
            for name, d in s.depends_on.items()
        },
        "networks": {
            name: None if n is None else _compact(n.model_dump(exclude_defaults=True))
            for name, n in s.networks.items()
        },
        "secrets": [_compact(r.model_dump()) | _mode(r.mode) for r in s.secrets],
        "configs": [_compact(r.model_dump()) | _mode(r.mode) for r in s.configs],
        "ulimits": {
            k: u.soft if u.single else {"soft": u.soft, "hard": u.hard}
            for k, u in s.ulimits.items()
        },
        "extra_hosts": [f"{h}={ip}" for h, ips in s.extra_hosts.items() for ip in ips],
        "logging": None if s.logging is None else _compact(s.logging.model_dump()),
        "stop_grace_period": _duration(s.stop_grace_period),
        "mem_limit": _size(s.mem_limit),
        "mem_reservation": _size(s.mem_reservation),
        "memswap_limit": _size(s.memswap_limit),
        "shm_size": _size(s.shm_size),
        "deploy": _deploy(s.topology) if s.has_deploy else None,
    }


def _mode(mode: int | None) -> Doc:
    return {} if mode is None else {"mode": _octal(mode)}


def _build(s: Service) -> Doc:
    assert s.build is not None
    b = s.build
    return {
        "context": b.context,
        "dockerfile": b.dockerfile,
        "dockerfile_inline": b.dockerfile_inline,
        "target": b.target,
        "args": b.args,
        **b.options,
    }


def _port(p: Port) -> Doc:
    return _compact(
        {
            "mode": p.mode,
            "host_ip": p.host_ip,
            "target": p.target,
            "published": None if p.published is None else str(p.published),
            "protocol": p.protocol,
            "name": p.name,
            "app_protocol": p.app_protocol,
        }
    )


def _mount(m: Mount) -> Doc:
    out: Doc = {
        "type": m.type,
        "source": m.source,
        "target": m.target,
        "read_only": _flag(m.read_only),
        "consistency": m.consistency,
        "bind": None if m.bind is None else _compact(m.bind.model_dump()),
        "volume": None if m.volume is None else _compact(m.volume.model_dump()),
        "image": None if m.image_subpath is None else {"subpath": m.image_subpath},
    }
    if m.tmpfs is not None:
        out["tmpfs"] = _compact({"size": _size(m.tmpfs.size), "mode": m.tmpfs.mode})
    result = _compact(out)
    if m.type == "volume" and "volume" not in result:
        result["volume"] = {}  # Compose prints the (empty) volume options for volumes.
    return result


def _tmpfs(m: Mount) -> str:
    options: list[str] = []
    if m.tmpfs is not None and m.tmpfs.size is not None:
        options.append(f"size={m.tmpfs.size}")
    if m.tmpfs is not None and m.tmpfs.mode is not None:
        options.append(f"mode={m.tmpfs.mode:o}")
    return m.target + (":" + ",".join(options) if options else "")


def _healthcheck(h: Healthcheck) -> Doc:
    return _compact(
        {
            "test": None if h.test is None else [h.test.kind, *h.test.command],
            "interval": _duration(h.interval),
            "timeout": _duration(h.timeout),
            "start_period": _duration(h.start_period),
            "start_interval": _duration(h.start_interval),
            "retries": h.retries,
            "disable": _flag(h.disable),
        }
    )


def _resources(r: ResourceSpec) -> Doc:
    return _compact(
        {
            "cpus": None if r.cpus is None else cpus_number(r.cpus),
            "memory": _size(r.memory),
            "pids": r.pids,
            "devices": [_compact(d.model_dump()) for d in r.devices],
            "generic_resources": [
                {"discrete_resource_spec": g.model_dump()} for g in r.generic_resources
            ],
        }
    )


def _update(u: UpdateConfig | None) -> Doc | None:
    if u is None:
        return None
    data = u.model_dump(exclude_none=True)
    for key in ("delay", "monitor"):
        if key in data:
            data[key] = format_duration(data[key])
    return data


def _deploy(t: Topology) -> Doc:
    placement = _compact(
        {
            "constraints": [f"{c.key}{c.op}{c.value}" for c in t.placement.constraints],
            "preferences": [{"spread": s} for s in t.placement.spread_over],
            "max_replicas_per_node": t.placement.max_replicas_per_node,
        }
    )
    policy = None
    if t.restart_policy is not None:
        rp = t.restart_policy
        policy = _compact(  # condition is always set, so never empty
            {
                "condition": rp.condition,
                "delay": _duration(rp.delay),
                "max_attempts": rp.max_attempts,
                "window": _duration(rp.window),
            }
        )
    limits, reservations = _resources(t.resources.limits), _resources(t.resources.reservations)
    out = _compact(
        {
            # Compose prints the mode only when written; replicated is its default.
            "mode": None if t.mode == "replicated" else t.mode,
            "replicas": t.replicas,
            "labels": t.labels,
            "resources": _compact({"limits": limits, "reservations": reservations}),
            "placement": placement,
            "endpoint_mode": t.endpoint_mode,
        }
    )
    # These keep an empty mapping: ``update_config: {}`` is not the same as no key.
    for key, value in (
        ("update_config", _update(t.update_config)),
        ("rollback_config", _update(t.rollback_config)),
        ("restart_policy", policy),
    ):
        if value is not None:
            out[key] = value
    return out
