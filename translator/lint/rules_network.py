"""Rules about how services are reached: host ports, health checks and object names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Path, Severity
from translator.lint.rule import Rule, finding
from translator.locate import setting_path

if TYPE_CHECKING:
    from translator.model import Plan

# Addresses that mean "every interface": they overlap with any other address.
_ANY_ADDRESS = {None, "", "0.0.0.0", "::", "[::]"}


@dataclass(frozen=True)
class _Published:
    service: str
    index: int
    protocol: str
    start: int
    end: int
    host_ip: str | None

    def shares_address(self, other: _Published) -> bool:
        return (
            self.host_ip in _ANY_ADDRESS
            or other.host_ip in _ANY_ADDRESS
            or self.host_ip == other.host_ip
        )


def _published(plan: Plan) -> list[_Published]:
    out: list[_Published] = []
    for name, planned in plan.services.items():
        for index, port in enumerate(planned.service.ports):
            if port.published is None:
                continue
            out.append(
                _Published(name, index, port.protocol.lower(), port.published.start,
                           port.published.end, port.host_ip)
            )
    return out


def port_conflicts(plan: Plan) -> Iterator[Diagnostic]:
    """A sweep over ranges sorted by start: O(n log n + conflicts), not all pairs, so a
    monorepo of thousands of services stays fast."""
    entries = sorted(_published(plan), key=lambda p: (p.protocol, p.start, p.end, p.service))
    active: list[_Published] = []
    for entry in entries:
        active = [a for a in active if a.protocol == entry.protocol and a.end >= entry.start]
        for other in active:
            if other.service != entry.service and entry.shares_address(other):
                yield _conflict(entry, other)
        active.append(entry)


def _conflict(entry: _Published, other: _Published) -> Diagnostic:
    start, end = max(entry.start, other.start), min(entry.end, other.end)
    shown = str(start) if start == end else f"{start}-{end}"
    return finding(
        "TR004",
        f"host port {shown}/{entry.protocol} is also published by service {other.service!r}",
        ("services", entry.service, "ports", entry.index),
        service=entry.service,
        key="ports",
        hint="publish another host port, or bind each to a different host_ip",
    )


def missing_healthchecks(plan: Plan) -> Iterator[Diagnostic]:
    for name, planned in plan.services.items():
        service = planned.service
        published = any(p.published is not None for p in service.ports)
        if not published and planned.exposure.type == "internal":
            continue
        check = service.healthcheck
        if check is not None and not check.disabled:
            continue
        path: Path = ("services", name, "healthcheck")
        if check is None:
            path = (
                ("services", name, "ports") if published
                else setting_path(plan, name, "exposure", ("services", name))
            )
        state = "a disabled healthcheck" if check is not None else "no healthcheck"
        yield finding(
            "TR008",
            f"exposed service has {state}: traffic reaches it before it is ready",
            path,
            service=name,
            key="healthcheck",
            hint="add a healthcheck; Kubernetes and Marathon never see an image's HEALTHCHECK",
        )


def _kubernetes_name(raw: str) -> str:
    from translator.targets.kubernetes.names import dns_name

    return dns_name(raw)


def _marathon_name(raw: str) -> str:
    from translator.targets.marathon_checks import sanitize_segment

    return sanitize_segment(raw)


# (target, kind, names of that kind in the plan, the target's sanitizer)
_NameRule = tuple[str, str, Callable[["Plan"], list[str]], Callable[[str], str]]
_NAME_RULES: tuple[_NameRule, ...] = (
    ("Kubernetes", "services", lambda plan: list(plan.services), _kubernetes_name),
    ("Kubernetes", "volumes", lambda plan: list(plan.project.volumes), _kubernetes_name),
    ("Kubernetes", "secrets", lambda plan: list(plan.project.secrets), _kubernetes_name),
    ("Kubernetes", "configs", lambda plan: list(plan.project.configs), _kubernetes_name),
    ("Marathon", "services", lambda plan: list(plan.services), _marathon_name),
)


def name_collisions(plan: Plan) -> Iterator[Diagnostic]:
    for target, kind, names, sanitize in _NAME_RULES:
        owner: dict[str, str] = {}
        for raw in sorted(names(plan)):
            name = sanitize(raw)
            first = owner.setdefault(name, raw)
            if first == raw:
                continue
            yield finding(
                "TR006",
                f"{kind} {first!r} and {raw!r} both become {name!r} in {target}",
                (kind, raw),
                service=raw if kind == "services" else None,
                hint=f"rename one: {target} names are lower case, digits and '-'",
            )


RULES = (
    Rule(
        "TR004",
        "host-port-conflict",
        "Two services cannot publish the same host port and protocol on the same address.",
        Severity.ERROR,
        port_conflicts,
    ),
    Rule(
        "TR006",
        "name-collision",
        "Names that differ in compose but become equal under a target's naming rules "
        "(Kubernetes RFC 1123, Marathon ids) overwrite each other.",
        Severity.ERROR,
        name_collisions,
    ),
    Rule(
        "TR008",
        "exposed-without-healthcheck",
        "An exposed service needs a healthcheck so that traffic only reaches ready replicas.",
        Severity.WARNING,
        missing_healthchecks,
    ),
)
