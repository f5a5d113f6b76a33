"""Each target's validator, in process: the Kubernetes strict schemas (kubernetes-validate's
files, as tests/targets/kubernetes does), the Docker stack v3.13 schema and `docker stack
config`, and the Marathon 1.7 schemas from tests/conformance."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml
from k8s_schemas import kubernetes_validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).resolve().parents[1] / "conformance" / "schemas"
DOCKER = Path("/usr/local/bin/docker")
K8S_VERSION = "1.37"


def kubernetes_errors(doc: dict[str, Any]) -> list[str]:
    validator = kubernetes_validator(K8S_VERSION, doc["kind"], doc["apiVersion"])
    return [f"{doc['kind']}.{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


@lru_cache(maxsize=1)
def _stack_validator() -> Any:
    path = SCHEMAS / "docker-stack-v3.13.json"
    return jsonschema.Draft4Validator(json.loads(path.read_text()))


def swarm_errors(doc: dict[str, Any]) -> list[str]:
    validator = _stack_validator()
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def docker_stack_config(text: str) -> subprocess.CompletedProcess[str] | None:
    """`docker stack config -c FILE` (no engine needed), or None without the client."""
    if not DOCKER.is_file() or shutil.which(str(DOCKER)) is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "stack.yml").write_text(text)
        return subprocess.run(
            [str(DOCKER), "stack", "config", "-c", "stack.yml"], cwd=folder,
            env={"PATH": "/usr/bin:/bin", "HOME": folder, "DOCKER_CONFIG": f"{folder}/.docker"},
            capture_output=True, text=True, timeout=60, check=False,
        )


@lru_cache(maxsize=1)
def _marathon_validators() -> dict[str, Any]:
    folder = SCHEMAS / "marathon-1.7"
    group = json.loads((folder / "Group.json").read_text())
    app = json.loads((folder / "AppDefinition.json").read_text())
    base = group["id"].rsplit("/", 1)[0]
    registry: Registry[Any] = Registry().with_resource(
        f"{base}/AppDefinition.json", Resource.from_contents(app, default_specification=DRAFT4)
    )
    return {"group": jsonschema.Draft4Validator(group, registry=registry),
            "app": jsonschema.Draft4Validator(app, registry=registry)}


def marathon_errors(doc: dict[str, Any]) -> list[str]:
    validators = _marathon_validators()
    kind = "group" if "apps" in doc or "groups" in doc else "app"
    return [f"{list(e.absolute_path)}: {e.message}" for e in validators[kind].iter_errors(doc)]


def parse_yaml_stream(text: str) -> list[Any]:
    return list(yaml.safe_load_all(text))
