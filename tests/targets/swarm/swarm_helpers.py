"""Builders and checks shared by the Swarm target's tests (imported by module name)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml

from translator import api
from translator.emit import dumps_stream
from translator.errors import Diagnostics
from translator.model import (
    Constraint,
    Environment,
    FileObject,
    Healthcheck,
    HealthTest,
    Logging,
    Mount,
    Network,
    Placement,
    Plan,
    PlannedService,
    Port,
    PortRange,
    Project,
    Resources,
    ResourceSpec,
    RestartPolicy,
    Service,
    ServiceNetwork,
    Topology,
    Ulimit,
    UpdateConfig,
    Volume,
    parse_reference,
)
from translator.model.service import FileReference, TmpfsOptions
from translator.targets.base import RenderOptions
from translator.targets.swarm import TARGET
from translator.templating import Templates

CONFORMANCE = Path(__file__).resolve().parents[2] / "conformance"
STACK_SCHEMA = CONFORMANCE / "schemas" / "docker-stack-v3.13.json"
# The docker CLI 28 client: `docker stack config` needs no engine.
CLIENT = Path("/usr/local/bin/docker")


# Model field -> compose key, for the keys a builder-made service "had" in its file.
_FIELD_KEYS = {"artifact": "image", "env_files": "env_file", "topology": "deploy"}


def service(name: str = "web", image: str | None = "nginx:1.27", **fields: Any) -> Service:
    """A Service from keyword fields, as the loader gives it: ``image`` becomes the artifact
    and, unless given, ``source_keys`` names the keys of the fields (the target maps only
    the keys a service uses)."""
    keys = ["image"] if image else []
    keys += [_FIELD_KEYS.get(k, k) for k in fields if k not in ("source_keys", "extras")]
    keys += list(fields.get("extras", {}))
    fields.setdefault("source_keys", tuple(keys))
    artifact = None if image is None else parse_reference(image)
    return Service(name=name, artifact=artifact, **fields)


def plan(
    *services: Service | PlannedService,
    environment: Environment | None = None,
    networks: dict[str, Network] | None = None,
    volumes: dict[str, Volume] | None = None,
    secrets: dict[str, FileObject] | None = None,
    configs: dict[str, FileObject] | None = None,
    name: str = "demo",
) -> Plan:
    """A Plan whose services run with their own compose topology unless given planned."""
    planned = {}
    for item in services:
        if isinstance(item, Service):
            item = PlannedService(service=item, topology=item.topology)
        planned[item.name] = item
    project = Project(
        name=name,
        services={p.name: p.service for p in planned.values()},
        networks=networks or {},
        volumes=volumes or {},
        secrets=secrets or {},
        configs=configs or {},
    )
    return Plan(project=project, environment=environment or Environment(), services=planned)


def planned(svc: Service, **topology: Any) -> PlannedService:
    return PlannedService(service=svc, topology=Topology(**topology))


@dataclass
class Result:
    content: dict[str, Any]
    text: str
    filename: str
    diagnostics: Diagnostics

    def service(self, name: str = "web") -> dict[str, Any]:
        svc: dict[str, Any] = self.content["services"][name]
        return svc

    def keys_warned(self) -> list[tuple[str | None, str | None]]:
        return [(d.service, d.key) for d in self.diagnostics]


def render(p: Plan, options: RenderOptions | None = None) -> Result:
    diagnostics = Diagnostics()
    docs = TARGET.render(p, options or RenderOptions(), Templates(), diagnostics)
    assert len(docs) == 1
    text = dumps_stream(docs, "yaml")
    # What users get must parse back to what the target built.
    assert yaml.safe_load(text) == docs[0].content
    return Result(docs[0].content, text, docs[0].filename, diagnostics)


def schema_errors(content: dict[str, Any]) -> list[str]:
    """Violations of the v3.13 stack schema (Draft-04)."""
    schema = json.loads(STACK_SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(content)]


def run_client(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The docker CLI 28 client with a clean config dir, never a real engine unless given."""
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "DOCKER_CONFIG": str(cwd / ".docker"),
        **(env or {}),
    }
    return subprocess.run(
        [str(CLIENT), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def require_client() -> None:
    import pytest

    if not CLIENT.is_file() or shutil.which(str(CLIENT)) is None:
        pytest.skip(f"docker CLI not found at {CLIENT}; `docker stack config` checks need it")


UNSUPPORTED_MARKERS = ("Ignoring unsupported options", "Ignoring deprecated options")
NO_DAEMON = "Cannot connect to the Docker daemon"


def client_side_deploy(stack_file: Path) -> subprocess.CompletedProcess[str]:
    """`docker stack deploy` against a socket that does not exist: every client-side check
    runs, and a file that reaches "Cannot connect to the Docker daemon" passed them all."""
    return run_client(
        ["stack", "deploy", "--detach=true", "-c", stack_file.name, "clientcheck"],
        stack_file.parent,
        {"DOCKER_HOST": "unix:///nonexistent.sock"},
    )


REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"


def sample_environments() -> list[tuple[str, str]]:
    """(sample, environment) pairs: every environments/*.yaml, plus the implied ``local``."""
    pairs: list[tuple[str, str]] = []
    for compose in sorted(SAMPLES.glob("*/compose.yaml")):
        envs = {p.stem for p in (compose.parent / "environments").glob("*.yaml")} | {"local"}
        pairs += [(compose.parent.name, env) for env in sorted(envs)]
    return pairs


def sample_plan(sample: str, env: str) -> Plan:
    loaded = api.load_project([SAMPLES / sample / "compose.yaml"], working_dir=SAMPLES / sample)
    return api.resolve(loaded, env)


def render_sample(sample: str, env: str) -> api.Rendered:
    return api.render(sample_plan(sample, env), "swarm")


def write_beside_project(sample: str, rendered: api.Rendered, tmp_path: Path) -> Path:
    """A copy of the sample with the stack file beside its compose file, so that the relative
    secret/config paths resolve as they do for a user who writes the stack into the project."""
    project = tmp_path / sample
    shutil.copytree(SAMPLES / sample, project)
    stack = project / rendered.documents[0].filename
    stack.write_text(dumps_stream(rendered.documents, "yaml"))
    return stack


def _sink_web() -> Service:
    """A service with every field the Swarm target maps."""
    s = 1_000_000_000
    return service(
        "web",
        command=("serve", "--flag=$literal"),
        entrypoint=("/init",),
        working_dir="/srv",
        user="1000:1000",
        hostname="web",
        environment={"A": "1", "PASS": None},
        labels={"com.example.role": "web"},
        ports=(
            Port(target=80, published=PortRange(start=18080, end=18080)),
            Port(
                target=53, published=PortRange(start=18053, end=18053), protocol="udp", mode="host"
            ),
        ),
        volumes=(Mount(type="volume", source="data", target="/data"),),
        tmpfs=(Mount(type="tmpfs", target="/run", tmpfs=TmpfsOptions(size=1 << 20)),),
        shm_size=64 << 20,
        healthcheck=Healthcheck(
            test=HealthTest(kind="CMD-SHELL", command=("true",)),
            interval=10 * s,
            timeout=s,
            start_period=5 * s,
            start_interval=s,
            retries=2,
        ),
        networks={"front": ServiceNetwork(aliases=("www",))},
        secrets=(FileReference(source="pw", target="pw.txt", mode=0o400),),
        configs=(FileReference(source="conf", target="/etc/conf"),),
        cap_add=("NET_ADMIN",),
        cap_drop=("MKNOD",),
        sysctls={"net.core.somaxconn": "1024"},
        ulimits={"nofile": Ulimit(soft=1024, hard=2048)},
        logging=Logging(driver="json-file", options={"max-size": "10m"}),
        stop_grace_period=30 * s,
        stop_signal="SIGTERM",
        extra_hosts={"db.local": ("10.0.0.5",)},
        dns=("1.1.1.1",),
        dns_search=("example.com",),
        init=True,
        read_only=True,
        tty=True,
        stdin_open=True,
        restart="on-failure:3",
        cpus=0.5,
        mem_limit=128 << 20,
        extras={"oom_score_adj": 100},
    )


def kitchen_sink() -> Plan:
    """One plan using every field the Swarm target maps, to run through the docker CLI."""
    s = 1_000_000_000
    web = _sink_web()
    topology = dict(
        replicas=2,
        resources=Resources(reservations=ResourceSpec(cpus=0.1, memory=32 << 20)),
        update_config=UpdateConfig(parallelism=1, delay=5 * s, order="start-first"),
        rollback_config=UpdateConfig(parallelism=2),
        labels={"tier": "front"},
        endpoint_mode="vip",
        placement=Placement(
            constraints=(Constraint(key="node.role", op="==", value="manager"),),
            strategy="spread",
            max_replicas_per_node=2,
        ),
    )
    job = service("migrate", command=("migrate",), restart="no")
    return plan(
        planned(web, **topology),
        planned(
            job, mode="replicated-job", replicas=1, restart_policy=RestartPolicy(condition="none")
        ),
        service("agent", topology=Topology(mode="global")),
        environment=Environment(spread_key="node.labels.zone"),
        networks={"front": Network(attachable=True)},
        volumes={"data": Volume()},
        secrets={"pw": FileObject(file="./pw.txt")},
        configs={"conf": FileObject(file="./conf.txt")},
        name="sink",
    )
