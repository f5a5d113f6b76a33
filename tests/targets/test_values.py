"""Values arrive unchanged on every target, or a positioned diagnostic says what changed.

Each case is a small project run through the CLI (``convert --format json``): the exit code,
one full line of standard error with its ``file:line:col`` (or none at all), and values read
from the output. Sizes and CPU counts are exact (never rounded through a float), protocols
of ``ports`` and ``expose`` arrive, name-only variables take the environment's value, and
``restart_policy: unless-stopped`` is mapped or diagnosed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from translator import cli


@dataclass(frozen=True)
class Case:
    target: str
    service: str  # the body of service `a`, indented by four spaces
    code: int = 0
    line: str | None = None  # one full line of stderr; None: stderr is empty
    # (kind of the document, or "" for the only one, dotted path, expected value)
    values: tuple[tuple[str, str, Any], ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    dotenv: str | None = None
    environment: str | None = None  # an environment file, used with --env test
    top: str = ""  # top-level keys after the services


K8S_LIMITS = "spec.template.spec.containers.0.resources.limits"
K8S_PORTS = "spec.template.spec.containers.0.ports"
SWARM = "services.a"
APP = "apps.0"


def _k8s_rounded(where: str, value: str, to: str) -> str:
    return (f"warning: compose.yaml:{where}: [kubernetes] cpus {value} is rounded up to {to}: "
            "Kubernetes holds no CPU amount finer than a millicore")


CASES: dict[str, Case] = {
    # ---- sizes: exact on every target -------------------------------------------------------
    "k8s-size-above-2**53": Case(
        "kubernetes", "mem_limit: 9007199254740993b",
        values=(("Deployment", f"{K8S_LIMITS}.memory", "9007199254740993"),),
    ),
    "k8s-size-not-whole-kib": Case(
        "kubernetes", "mem_limit: 1000\nshm_size: 1.5k",
        values=(("Deployment", f"{K8S_LIMITS}.memory", "1000"),
                ("Deployment", "spec.template.spec.volumes.0.emptyDir.sizeLimit", "1536")),
    ),
    "k8s-size-binary-unit": Case(
        "kubernetes", "mem_limit: 1.5g",
        values=(("Deployment", f"{K8S_LIMITS}.memory", "1536Mi"),),
    ),
    "swarm-size-above-2**53": Case(
        "swarm", "mem_limit: 9007199254740993b",
        values=(("", f"{SWARM}.deploy.resources.limits.memory", "9007199254740993b"),),
    ),
    "swarm-size-largest": Case(
        "swarm", "mem_limit: 9223372036854775807",
        values=(("", f"{SWARM}.deploy.resources.limits.memory", "9223372036854775807b"),),
    ),
    "marathon-size-rounded-up-and-said": Case(
        "marathon", "mem_limit: 9007199254740993b",
        line="warning: compose.yaml:4:5: services.a.mem_limit: [marathon] 9007199254740993 "
             "bytes is rounded up to 8589934593 MiB: Marathon's mem is in MiB",
        values=(("", f"{APP}.mem", 8589934593),),
    ),
    "marathon-size-whole-mib": Case(
        "marathon", "deploy: {resources: {limits: {memory: 1g}}}",
        values=(("", f"{APP}.mem", 1024),),
    ),
    "size-beyond-int64": Case(
        "kubernetes", "mem_limit: 99999999999999999999g", code=1,
        line="error: compose.yaml:4:5: services.a.mem_limit: size '99999999999999999999g' is "
             "more than any target can hold: Docker, Swarm, Kubernetes and Mesos keep sizes as "
             "signed 64-bit byte counts (at most 9223372036854775807 bytes)",
    ),
    "size-beyond-int64-in-deploy": Case(
        "swarm", "deploy:\n  resources:\n    reservations:\n      memory: 9223372036854775808",
        code=1,
        line="error: compose.yaml:7:11: services.a.deploy.resources.reservations.memory: size "
             "9223372036854775808 is more than any target can hold: Docker, Swarm, Kubernetes "
             "and Mesos keep sizes as signed 64-bit byte counts (at most 9223372036854775807 "
             "bytes)",
    ),
    # ---- CPU counts: exact decimals ---------------------------------------------------------
    "cpus-1e308": Case(
        "marathon", "cpus: 1e308", code=1,
        line="error: compose.yaml:4:5: services.a.cpus: cpus 1e+308 is more than any target can "
             "hold: Kubernetes and Mesos count milli-CPUs in a signed 64-bit integer (at most "
             "9223372036854775.807 CPUs)",
    ),
    "cpus-finer-than-nano": Case(
        "swarm", "cpus: '0.0000000001'", code=1,
        line="error: compose.yaml:4:5: services.a.cpus: cpus '0.0000000001' is finer than any "
             "target can hold: Swarm counts nano-CPUs (0.000000001), Kubernetes and Mesos "
             "milli-CPUs (0.001)",
    ),
    "k8s-cpus-large-exact": Case(
        "kubernetes", "cpus: 1000000000000",
        values=(("Deployment", f"{K8S_LIMITS}.cpu", "1000000000000"),),
    ),
    "k8s-cpus-rounded-up-and-said": Case(
        "kubernetes", "cpus: 0.0005",
        line=_k8s_rounded("4:5: services.a.cpus", "0.0005", "1m"),
        values=(("Deployment", f"{K8S_LIMITS}.cpu", "1m"),),
    ),
    "k8s-cpus-rounded-in-deploy": Case(
        "kubernetes", "deploy:\n  resources:\n    reservations:\n      cpus: '0.0015'",
        line=_k8s_rounded("7:11: services.a.deploy.resources.reservations.cpus", "0.0015", "2m"),
        values=(("Deployment", "spec.template.spec.containers.0.resources.requests.cpu", "2m"),),
    ),
    "swarm-cpus-nano-exact": Case(
        "swarm", "cpus: '1.123456789'",
        values=(("", f"{SWARM}.deploy.resources.limits.cpus", "1.123456789"),),
    ),
    "swarm-cpus-above-int64-nanos": Case(
        "swarm", "cpus: 10000000000", code=1,
        line="error: compose.yaml:4:5: services.a.cpus: [swarm] cpus 10000000000 is above the "
             "most Swarm holds, 9223372036.854775807 (CPUs are counted as nano-CPUs in a signed "
             "64-bit integer)",
    ),
    "marathon-cpus-finer-than-mesos": Case(
        "marathon", "cpus: 0.0005",
        line="warning: compose.yaml:4:5: services.a.cpus: [marathon] cpus 0.0005 is rounded: "
             "Mesos holds CPUs to three decimals",
        values=(("", f"{APP}.cpus", 0.0005),),
    ),
    "marathon-cpus-exact": Case(
        "marathon", "cpus: 1000000000000", values=(("", f"{APP}.cpus", 1e12),),
    ),
    # ---- port 0 -------------------------------------------------------------------------
    "port-zero-target": Case(
        "swarm", "ports: ['8080:0']", code=1,
        line="error: compose.yaml:4:13: services.a.ports[0]: invalid container port '8080:0': "
             "port 0 is not a port; the platforms refuse it (use a port from 1 to 65535)",
    ),
    "port-zero-in-range": Case(
        "kubernetes", "ports: ['0-2:80-82']", code=1,
        line="error: compose.yaml:4:13: services.a.ports[0]: invalid published port "
             "'0-2:80-82': port 0 is not a port; the platforms refuse it (use a port from 1 to "
             "65535)",
    ),
    "expose-zero-in-range": Case(
        "kubernetes", "expose: ['0-3']", code=1,
        line="error: compose.yaml:4:14: services.a.expose[0]: invalid container port '0-3': "
             "port 0 is not a port; the platforms refuse it (use a port from 1 to 65535)",
    ),
    # ---- protocols ------------------------------------------------------------------------
    "k8s-expose-udp": Case(
        "kubernetes", "expose: ['53/udp']",
        values=(("Service", "spec.ports.0.protocol", "UDP"),
                ("Service", "spec.ports.0.name", "udp-53"),
                ("Deployment", f"{K8S_PORTS}.0.protocol", "UDP")),
    ),
    "k8s-expose-tcp-and-udp": Case(
        "kubernetes", "expose: ['53/udp', '53']",
        values=(("Service", "spec.ports.0.protocol", "UDP"),
                ("Service", "spec.ports.1.protocol", "TCP"),
                ("Deployment", f"{K8S_PORTS}.1.containerPort", 53)),
    ),
    "marathon-expose-udp": Case(
        "marathon", "expose: ['53/udp']",
        values=(("", f"{APP}.container.portMappings.0.protocol", "udp"),),
    ),
    "marathon-tcp-and-udp-one-mapping": Case(
        "marathon", "ports: ['53:53/udp', '53:53/tcp']",
        values=(("", f"{APP}.container.portMappings.0.protocol", "udp,tcp"),
                ("", f"{APP}.container.portMappings.0.hostPort", 53),
                ("", f"{APP}.container.portMappings.1", None)),
    ),
    "marathon-host-network-udp-and-tcp": Case(
        "marathon", "network_mode: host\nexpose: ['53/udp', '53/tcp']",
        values=(("", f"{APP}.portDefinitions.0.protocol", "udp,tcp"),
                ("", f"{APP}.portDefinitions.1", None)),
    ),
    "swarm-ports-udp": Case(
        "swarm", "ports: ['53:53/udp', '53:53']",
        values=(("", f"{SWARM}.ports.0.protocol", "udp"), ("", f"{SWARM}.ports.1.protocol", "tcp")),
    ),
    # ---- name-only variables ----------------------------------------------------------------
    "k8s-env-from-the-process": Case(
        "kubernetes", "environment: [TZ]", env={"TZ": "Europe/Paris"},
        values=(("Deployment", "spec.template.spec.containers.0.env.0",
                 {"name": "TZ", "value": "Europe/Paris"}),),
    ),
    "marathon-env-from-dotenv": Case(
        "marathon", "environment: [DB_URL]", dotenv="DB_URL=postgres://db/app\n",
        values=(("", f"{APP}.env.DB_URL", "postgres://db/app"),),
    ),
    "swarm-env-process-wins-over-dotenv": Case(
        "swarm", "environment: [TZ]", env={"TZ": "UTC"}, dotenv="TZ=Europe/Paris\n",
        values=(("", f"{SWARM}.environment.TZ", "UTC"),),
    ),
    "k8s-env-unset-everywhere": Case(
        "kubernetes", "environment: [UNSET_HERE]",
        line="warning: compose.yaml:4:5: services.a.environment: [kubernetes] UNSET_HERE has no "
             "value: neither the process environment nor .env defines it at conversion time; it "
             "is not set",
    ),
    # ---- restart_policy: unless-stopped -----------------------------------------------------
    "k8s-unless-stopped": Case(
        "kubernetes", "deploy: {restart_policy: {condition: unless-stopped}}",
        line="info: compose.yaml:4:5: services.a.deploy: [kubernetes] restart_policy condition "
             "'unless-stopped' is restartPolicy Always: a pod is only stopped by scaling it down "
             "or deleting it",
        values=(("Deployment", "spec.template.spec.restartPolicy", None),),
    ),
    "swarm-unless-stopped": Case(
        "swarm", "deploy:\n  restart_policy:\n    condition: unless-stopped",
        line="warning: compose.yaml:6:9: services.a.deploy.restart_policy.condition: [swarm] "
             "restart_policy condition 'unless-stopped' becomes 'any': Swarm has no "
             "unless-stopped; a task is stopped by scaling the service down",
        values=(("", f"{SWARM}.deploy.restart_policy.condition", "any"),),
    ),
    "marathon-volume-size-rounded-up-and-said": Case(
        "marathon", "volumes: ['data:/var/lib/data']", top="volumes: {data: {}}\n",
        environment="volumes:\n  data:\n    size: 1500k\n",
        line="warning: compose.yaml:4:5: services.a.volumes: [marathon] volume 'data' of "
             "1536000 bytes is rounded up to 2 MiB: Marathon sizes persistent volumes in MiB",
        values=(("", f"{APP}.container.volumes.0.persistent.size", 2),),
    ),
    "marathon-unless-stopped": Case(
        "marathon", "deploy: {restart_policy: {condition: unless-stopped}}",
        values=(("", f"{APP}.id", "/values/a"),),
    ),
}


def _documents(text: str) -> list[Any]:
    decoder, docs, pos = json.JSONDecoder(), [], 0
    while pos < len(text.rstrip()):
        doc, pos = decoder.raw_decode(text, pos)
        # Kubernetes JSON is one v1 List; the other targets write one object per document.
        docs.extend(doc["items"] if doc.get("kind") == "List" else [doc])
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return docs


def _at(node: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(node, list):
            index = int(part)
            node = node[index] if index < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        if node is None:
            return None
    return node


def _run(
    root: Path, case: Case, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    body = "".join(f"    {line}\n" for line in case.service.splitlines())
    (root / "compose.yaml").write_text(f"services:\n  a:\n    image: nginx\n{body}{case.top}")
    if case.dotenv is not None:
        (root / ".env").write_text(case.dotenv)
    args = ["convert", "-f", "compose.yaml", "--to", case.target, "--format", "json"]
    if case.environment is not None:
        (root / "environments").mkdir()
        (root / "environments" / "test.yaml").write_text(case.environment)
        args += ["--env", "test"]
    for name in list(os.environ):
        if name not in ("PATH", "HOME"):
            monkeypatch.delenv(name)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as done:
        cli.main(args)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@pytest.mark.parametrize("name", list(CASES))
def test_value_arrives_or_is_diagnosed(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES[name]
    root = tmp_path / "values"
    root.mkdir()
    code, out, err = _run(root, case, monkeypatch, capsys)
    assert code == case.code, err
    lines = err.splitlines()
    if case.line is None:
        assert lines == [], err
    else:
        assert case.line in lines, err
    docs = _documents(out)
    for kind, path, expected in case.values:
        doc = next(d for d in docs if not kind or d.get("kind") == kind)
        assert _at(doc, path) == expected, json.dumps(doc, indent=1)[:3000]
