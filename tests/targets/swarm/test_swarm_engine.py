"""A real Swarm manager accepts every sample's stack, for every environment, and runs it as the
plan says: checked with `docker service inspect` against the plan, not against our output."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import Engine
from swarm_helpers import (
    UNSUPPORTED_MARKERS,
    kitchen_sink,
    render,
    render_sample,
    sample_environments,
    sample_plan,
    write_beside_project,
)

from translator.model import PlannedService
from translator.model.plan import Plan

pytestmark = pytest.mark.swarm

PAIRS = sample_environments()
DEFAULT_SECRET_MODE = 0o444  # docker/cli convert: secrets and configs default to 0444


def expected(plan: Plan, planned: PlannedService, stack: str) -> dict[str, Any]:
    """What the plan asks Swarm for, in `docker service inspect` terms."""
    topo, svc = planned.topology, planned.service
    limits, reservations = topo.resources.limits, topo.resources.reservations
    cpus = limits.cpus if limits.cpus is not None else svc.cpus
    memory = limits.memory if limits.memory is not None else svc.mem_limit
    reserved = reservations.memory if reservations.memory is not None else svc.mem_reservation
    spread = set(topo.placement.spread_over)
    if topo.placement.strategy == "spread":
        spread.add(plan.environment.spread_key)
    spread.discard("node.hostname")
    return {
        "mode": topo.mode,
        "replicas": None
        if topo.mode in ("global", "global-job")
        else (topo.replicas if topo.replicas is not None else svc.scale or 1),
        "nano_cpus": int(cpus * 10**9) if cpus else 0,
        "memory": memory or 0,
        "reserved_cpus": int(reservations.cpus * 10**9) if reservations.cpus else 0,
        "reserved_memory": reserved or 0,
        "constraints": sorted(str(c) for c in topo.placement.constraints),
        "preferences": sorted(spread),
        "max_replicas": topo.placement.max_replicas_per_node if topo.mode == "replicated" else None,
        "ports": sorted(
            (p.protocol, p.target, p.published.start if p.published else None, p.mode)
            for p in svc.ports
        ),
        "secrets": sorted(
            (
                f"{stack}_{r.source}",
                r.target or r.source,
                r.mode if r.mode is not None else DEFAULT_SECRET_MODE,
            )
            for r in svc.secrets
        ),
        "configs": sorted((f"{stack}_{r.source}", r.target or f"/{r.source}") for r in svc.configs),
    }


def actual(spec: dict[str, Any]) -> dict[str, Any]:
    """The same facts read back from the manager's service spec."""
    mode_spec = spec["Mode"]
    [(mode, detail)] = mode_spec.items()
    task = spec["TaskTemplate"]
    resources = task.get("Resources") or {}
    limits, reservations = resources.get("Limits") or {}, resources.get("Reservations") or {}
    placement = task.get("Placement") or {}
    container = task["ContainerSpec"]
    replicas = detail.get("Replicas", detail.get("TotalCompletions"))
    return {
        "mode": {
            "Replicated": "replicated",
            "Global": "global",
            "ReplicatedJob": "replicated-job",
            "GlobalJob": "global-job",
        }[mode],
        "replicas": replicas,
        "nano_cpus": limits.get("NanoCPUs", 0),
        "memory": limits.get("MemoryBytes", 0),
        "reserved_cpus": reservations.get("NanoCPUs", 0),
        "reserved_memory": reservations.get("MemoryBytes", 0),
        # Swarm keeps constraints as written ("node.role == manager"); the plan prints "==" tight.
        "constraints": sorted(c.replace(" ", "") for c in placement.get("Constraints") or []),
        "preferences": sorted(
            p["Spread"]["SpreadDescriptor"] for p in placement.get("Preferences") or []
        ),
        "max_replicas": placement.get("MaxReplicas"),
        "ports": sorted(
            (p["Protocol"], p["TargetPort"], p.get("PublishedPort"), p["PublishMode"])
            for p in (spec.get("EndpointSpec") or {}).get("Ports") or []
        ),
        "secrets": sorted(
            (s["SecretName"], s["File"]["Name"], s["File"]["Mode"])
            for s in container.get("Secrets") or []
        ),
        "configs": sorted(
            (c["ConfigName"], c["File"]["Name"]) for c in container.get("Configs") or []
        ),
    }


@pytest.mark.parametrize(("sample", "env"), PAIRS, ids=[f"{s}-{e}" for s, e in PAIRS])
def test_manager_accepts_sample(
    sample: str, env: str, swarm_engine: Engine, tmp_path: Path
) -> None:
    plan = sample_plan(sample, env)
    stack_file = write_beside_project(sample, render_sample(sample, env), tmp_path)
    stack = f"t{uuid.uuid4().hex[:8]}"
    try:
        done = swarm_engine.run(
            "stack",
            "deploy",
            "--detach=true",
            "-c",
            stack_file.name,
            stack,
            cwd=stack_file.parent,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        assert not [m for m in UNSUPPORTED_MARKERS if m in output], output
        for name, planned in plan.services.items():
            spec = swarm_engine.inspect_service(f"{stack}_{name}")["Spec"]
            assert actual(spec) == expected(plan, planned, stack), name
    finally:
        swarm_engine.remove_stack(stack)


def test_manager_accepts_every_mapped_field(swarm_engine: Engine, tmp_path: Path) -> None:
    plan = kitchen_sink()
    result = render(plan)
    (tmp_path / "pw.txt").write_text("pw")
    (tmp_path / "conf.txt").write_text("conf")
    stack_file = tmp_path / result.filename
    stack_file.write_text(result.text)
    stack = f"t{uuid.uuid4().hex[:8]}"
    try:
        done = swarm_engine.run(
            "stack",
            "deploy",
            "--detach=true",
            "-c",
            stack_file.name,
            stack,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        for name, planned in plan.services.items():
            spec = swarm_engine.inspect_service(f"{stack}_{name}")["Spec"]
            assert actual(spec) == expected(plan, planned, stack), name
        container = swarm_engine.inspect_service(f"{stack}_web")["Spec"]["TaskTemplate"][
            "ContainerSpec"
        ]
        assert container["Args"] == ["serve", "--flag=$literal"]
        assert (container["Init"], container["ReadOnly"], container["Hostname"]) == (
            True,
            True,
            "web",
        )
        assert container["Hosts"] == ["10.0.0.5 db.local"]
        assert container["Sysctls"] == {"net.core.somaxconn": "1024"}
        assert container["Healthcheck"]["Test"] == ["CMD-SHELL", "true"]
    finally:
        swarm_engine.remove_stack(stack)


# Stack fragments that bypass the renderer: the manager must refuse each, which is why the
# renderer refuses the same input itself (tests/targets/swarm/test_swarm_deploy.py ERRORS).
REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("memory-below-4mib", {"a": {"deploy": {"resources": {"limits": {"memory": "4194303b"}}}}}),
    (
        "reservation-below-4mib",
        {"a": {"deploy": {"resources": {"reservations": {"memory": "1m"}}}}},
    ),
    ("cpus-below-0.001", {"a": {"deploy": {"resources": {"limits": {"cpus": "0.0009"}}}}}),
    ("name-with-dot", {"a.b": {}}),
    ("name-trailing-dash", {"a-": {}}),
    ("bad-restart-condition", {"a": {"deploy": {"restart_policy": {"condition": "always"}}}}),
    (
        "same-ingress-port",
        {
            "a": {"ports": [{"target": 80, "published": 18099}]},
            "b": {"ports": [{"target": 80, "published": 18099}]},
        },
    ),
    ("replicas-with-global", {"a": {"deploy": {"mode": "global", "replicas": 2}}}),
    # Even with no published number: the CLI publishes the target in ingress mode.
    ("dnsrr-with-ingress-port", {"a": {"ports": [{"target": 80}],
                                       "deploy": {"endpoint_mode": "dnsrr"}}}),
]
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("memory-4mib", {"a": {"deploy": {"resources": {"limits": {"memory": "4m"}}}}}),
    ("cpus-0.001", {"a": {"deploy": {"resources": {"limits": {"cpus": "0.001"}}}}}),
    ("underscore-and-upper-case-name", {"Web_v2": {}}),
    ("leading-dash-after-stack-prefix", {"-a": {}}),
    (
        "same-port-two-protocols",
        {
            "a": {"ports": [{"target": 53, "published": 18053, "protocol": "tcp"}]},
            "b": {"ports": [{"target": 53, "published": 18053, "protocol": "udp"}]},
        },
    ),
    ("dnsrr-with-host-port", {"a": {"ports": [{"target": 80, "published": 18098, "mode": "host"}],
                                    "deploy": {"endpoint_mode": "dnsrr"}}}),
]


def _deploy_raw(engine: Engine, services: dict[str, Any], tmp_path: Path) -> tuple[int, str]:
    body = {name: {"image": "nginx:1.27", **spec} for name, spec in services.items()}
    stack_file = tmp_path / "raw.stack.yml"
    stack_file.write_text(json.dumps({"version": "3.13", "services": body}))
    stack = f"t{uuid.uuid4().hex[:8]}"
    try:
        done = engine.run(
            "stack",
            "deploy",
            "--detach=true",
            "-c",
            stack_file.name,
            stack,
            cwd=tmp_path,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr
    finally:
        engine.remove_stack(stack)


@pytest.mark.parametrize("services", [c[1] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_manager_refuses_what_the_renderer_refuses(
    services: dict[str, Any], swarm_engine: Engine, tmp_path: Path
) -> None:
    code, output = _deploy_raw(swarm_engine, services, tmp_path)
    assert code != 0, output


@pytest.mark.parametrize("services", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_manager_accepts_the_renderer_edges(
    services: dict[str, Any], swarm_engine: Engine, tmp_path: Path
) -> None:
    code, output = _deploy_raw(swarm_engine, services, tmp_path)
    assert code == 0, output


def test_manager_names_the_dnsrr_refusal(swarm_engine: Engine, tmp_path: Path) -> None:
    """The renderer's refusal of dnsrr with an ingress port is the manager's own."""
    services = dict(REFUSED)["dnsrr-with-ingress-port"]
    code, output = _deploy_raw(swarm_engine, services, tmp_path)
    assert code != 0
    assert "port published with ingress mode can't be used with dnsrr mode" in output, output
