"""Healthchecks as probes.

A compose healthcheck becomes a liveness probe (exec). ``start_period`` becomes a
startupProbe rather than ``initialDelaySeconds``: like compose's start period, a
startupProbe tolerates failures while the container starts but ends as soon as a
check succeeds, and it probes every ``start_interval``.
https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#lifecycle-1
"""

from __future__ import annotations

import json
import re
from typing import Any

from translator.model import Healthcheck, HealthTest, PlannedService
from translator.model.base import NS_PER_SECOND, seconds_ceil
from translator.targets.kubernetes.context import Context, Unit

# Compose's defaults: https://docs.docker.com/reference/dockerfile/#healthcheck
DEFAULT_INTERVAL = 30 * NS_PER_SECOND
DEFAULT_TIMEOUT = 30 * NS_PER_SECOND
DEFAULT_START_INTERVAL = 5 * NS_PER_SECOND
DEFAULT_RETRIES = 3
READINESS = "service.healthcheck.readiness."
LIVENESS = "service.healthcheck.liveness."
_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")
_UNIT_NS = {"h": 3600 * NS_PER_SECOND, "m": 60 * NS_PER_SECOND, "s": NS_PER_SECOND,
            "ms": 1_000_000, "us": 1_000, "µs": 1_000, "ns": 1}


def exec_command(test: HealthTest) -> list[str]:
    """CMD runs as written; CMD-SHELL (and compose's string form) needs a shell."""
    if test.kind == "CMD-SHELL":
        return ["sh", "-c", " ".join(test.command)]
    return list(test.command)


def _seconds(ns: int | None, default: int) -> int:
    return max(1, seconds_ceil(default if ns is None else ns))


def _timings(check: Healthcheck) -> dict[str, int]:
    return {
        "periodSeconds": _seconds(check.interval, DEFAULT_INTERVAL),
        "timeoutSeconds": _seconds(check.timeout, DEFAULT_TIMEOUT),
        "failureThreshold": max(1, DEFAULT_RETRIES if check.retries is None else check.retries),
    }


def _startup(handler: dict[str, Any], check: Healthcheck) -> dict[str, Any] | None:
    if not check.start_period:
        return None
    period = _seconds(check.start_interval, DEFAULT_START_INTERVAL)
    # Failures during the start period never count in compose; after it, retries do.
    budget = -(-seconds_ceil(check.start_period) // period)
    timings = _timings(check)
    return {**handler, "periodSeconds": period, "timeoutSeconds": timings["timeoutSeconds"],
            "failureThreshold": budget + timings["failureThreshold"]}


def probes(ctx: Context, planned: PlannedService) -> dict[str, Any]:
    """``livenessProbe``/``startupProbe``/``readinessProbe`` entries of the container."""
    check = planned.service.healthcheck
    out: dict[str, Any] = {}
    if check is not None and not check.disabled:
        if check.test is None:
            ctx.warn(planned.name, "healthcheck",
                     "the healthcheck only changes the image's timings; Kubernetes cannot run "
                     "the image's HEALTHCHECK, so there is no probe")
        else:
            handler = {"exec": {"command": exec_command(check.test)}}
            out["livenessProbe"] = {**handler, **_timings(check)}
            startup = _startup(handler, check)
            if startup is not None:
                out["startupProbe"] = startup
            if planned.readiness_probe:
                out["readinessProbe"] = {**handler, **_timings(check)}
    readiness = _kompose_readiness(ctx, planned)
    if readiness is not None:
        out["readinessProbe"] = readiness
    liveness = _kompose_liveness(ctx, planned)
    if liveness is not None:
        out["livenessProbe"] = liveness
    return out


def probes_handler(ctx: Context, unit: Unit) -> None:
    """healthcheck -> an exec livenessProbe (and startupProbe, readinessProbe when asked)."""
    found = probes(ctx, unit.planned)
    unit.values["liveness_probe"] = found.get("livenessProbe")
    unit.values["startup_probe"] = found.get("startupProbe")
    unit.values["readiness_probe"] = found.get("readinessProbe")


def parse_duration(text: str) -> int | None:
    """A Go duration (``1m30s``) in nanoseconds, or None when it is not one."""
    text = text.strip()
    if not text or _DURATION_RE.sub("", text):
        return None
    total = 0.0
    for number, unit in _DURATION_RE.findall(text):
        total += float(number) * _UNIT_NS[unit]
    return int(total)


def _label_test(raw: str) -> HealthTest:
    """Kompose's ``...readiness.test``: a JSON list (``["CMD", ...]``) or a shell string."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and parsed and all(isinstance(p, str) for p in parsed):
        if parsed[0] in ("CMD", "CMD-SHELL"):
            return HealthTest(kind=parsed[0], command=tuple(parsed[1:]))
        return HealthTest(kind="CMD", command=tuple(parsed))
    return HealthTest(kind="CMD-SHELL", command=(raw,))


def _label_handler(labels: dict[str, str]) -> dict[str, Any] | None:
    if "test" in labels:
        return {"exec": {"command": exec_command(_label_test(labels["test"]))}}
    port = labels.get("http_get_port") or labels.get("tcp_port")
    if port is None or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    if "http_get_port" in labels:
        return {"httpGet": {"path": labels.get("http_get_path", "/"), "port": int(port)}}
    return {"tcpSocket": {"port": int(port)}}


def _kompose_readiness(ctx: Context, planned: PlannedService) -> dict[str, Any] | None:
    """``kompose.service.healthcheck.readiness.*`` labels, as Kompose reads them."""
    prefix = f"kompose.{READINESS}"
    labels = {k[len(prefix):]: v for k, v in planned.service.labels.items() if k.startswith(prefix)}
    if not labels or labels.get("disable", "").lower() == "true":
        return None
    handler = _label_handler(labels)
    if handler is None:
        ctx.warn(planned.name, "labels",
                 "kompose readiness labels need a test, http_get_port or tcp_port; no probe")
        return None
    check = Healthcheck(
        interval=_label_duration(ctx, planned, labels, "interval"),
        timeout=_label_duration(ctx, planned, labels, "timeout"),
        retries=int(labels["retries"]) if labels.get("retries", "").isdigit() else None,
    )
    probe = {**handler, **_timings(check)}
    start = _label_duration(ctx, planned, labels, "start_period")
    if start:
        probe["initialDelaySeconds"] = seconds_ceil(start)
    return probe


def _kompose_liveness(ctx: Context, planned: PlannedService) -> dict[str, Any] | None:
    """``kompose.service.healthcheck.liveness.*`` labels: an HTTP GET or TCP probe in place of
    the healthcheck's command, with the healthcheck's timings, as Kompose makes it."""
    prefix = f"kompose.{LIVENESS}"
    labels = {k[len(prefix):]: v for k, v in planned.service.labels.items() if k.startswith(prefix)}
    if not labels:
        return None
    handler = _label_handler({k: v for k, v in labels.items() if k != "test"})
    if handler is None:
        label = prefix + sorted(labels)[0]
        ctx.warn(planned.name, "labels", f"{label}: kompose liveness labels need http_get_port "
                 "or tcp_port (1-65535); no probe", label)
        return None
    check = planned.service.healthcheck
    timings = _timings(check) if check is not None and not check.disabled else {}
    return {**handler, **timings}


def _label_duration(
    ctx: Context, planned: PlannedService, labels: dict[str, str], name: str
) -> int | None:
    if name not in labels:
        return None
    value = parse_duration(labels[name])
    if value is None:
        ctx.warn(planned.name, "labels", f"kompose readiness {name} {labels[name]!r} is not a "
                 "duration such as 10s; the default applies")
    return value
