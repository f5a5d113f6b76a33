"""Synthetic compose projects for benchmarks and scaling tests.

``project(n)``: n services of a realistic shape. ``SHAPES``: the extreme shapes of the
hardening issue, as compose text (each a function of its size).

Each service of ``project(n)`` has: image, 2 ports, 8 environment variables, a named and
a bind volume, a healthcheck, labels, deploy replicas, resources and a placement constraint, and
depends_on (on the previous service, so the dependency graph is a long chain).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def service(i: int) -> dict[str, Any]:
    svc: dict[str, Any] = {
        "image": f"registry.example.com/team/svc{i}:1.{i % 10}.0",
        "ports": [f"{10000 + i}:8080", {"target": 9090, "protocol": "tcp"}],
        "environment": {f"VAR_{k}": f"value-{i}-{k}" for k in range(8)},
        "volumes": [f"data{i}:/var/lib/data", f"./conf/svc{i}:/etc/svc:ro"],
        "healthcheck": {
            "test": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
            "interval": "30s",
            "timeout": "5s",
            "retries": 3,
            "start_period": "10s",
        },
        "labels": {"team": "bench", "tier": "backend", "com.example.index": str(i)},
        "deploy": {
            "replicas": 2,
            "resources": {
                "limits": {"cpus": "0.5", "memory": "256M"},
                "reservations": {"cpus": "0.1", "memory": "64M"},
            },
            "placement": {"constraints": ["node.labels.zone == eu-1"]},
        },
    }
    if i > 0:
        svc["depends_on"] = [f"svc{i - 1}"]
    return svc


def project(n: int) -> dict[str, Any]:
    return {
        "name": f"bench{n}",
        "services": {f"svc{i}": service(i) for i in range(n)},
        "volumes": {f"data{i}": {} for i in range(n)},
    }


def write_project(folder: Path, n: int) -> Path:
    """Write ``compose.yaml`` for ``n`` services into ``folder`` and return its path."""
    import yaml_rs

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "compose.yaml"
    path.write_text(yaml_rs.dumps(project(n)))
    return path


def bare(n: int) -> str:
    """``n`` services of one line each: ``sN: {image: a}``."""
    return "services:\n" + "".join(f"  s{i}: {{image: a}}\n" for i in range(n))


def many_volumes(n: int) -> str:
    """One service mounting ``n`` named volumes, each declared at the top level."""
    mounts = "".join(f"      - v{i}:/data/{i}\n" for i in range(n))
    declared = "".join(f"  v{i}: {{}}\n" for i in range(n))
    return f"services:\n  web:\n    image: a\n    volumes:\n{mounts}volumes:\n{declared}"


def many_secrets(n: int) -> str:
    """One service granted ``n`` secrets, each read from the same file."""
    grants = "".join(f"      - s{i}\n" for i in range(n))
    declared = "".join(f"  s{i}: {{file: ./secret.txt}}\n" for i in range(n))
    return f"services:\n  web:\n    image: a\n    secrets:\n{grants}secrets:\n{declared}"


def alias_fan(n: int) -> str:
    """``n`` services each depending on the same ``n`` others, through one YAML alias
    (n * n dependency edges from a text of size n)."""
    names = ", ".join(f"d{i}" for i in range(n))
    deps = "".join(f"  d{i}: {{image: a}}\n" for i in range(n))
    users = "".join(f"  s{i}: {{image: a, depends_on: *all}}\n" for i in range(n))
    return f"x-all: &all [{names}]\nservices:\n{deps}{users}"


def many_resources(n: int) -> str:
    """One service and ``n`` each of top-level networks, volumes, configs and secrets."""
    kinds = {
        "networks": "{}",
        "volumes": "{}",
        "configs": "{file: ./secret.txt}",
        "secrets": "{file: ./secret.txt}",
    }
    text = "services:\n  web: {image: a}\n"
    for kind, body in kinds.items():
        text += f"{kind}:\n" + "".join(f"  {kind[0]}{i}: {body}\n" for i in range(n))
    return text


SHAPES = {
    "10,000 bare services": (bare, 10_000),
    "1 service, 20,000 volumes": (many_volumes, 20_000),
    "1 service, 20,000 secrets": (many_secrets, 20_000),
    "950 x 950 depends_on via one alias": (alias_fan, 950),
    "4 x 10,000 top-level resources": (many_resources, 10_000),
}


def write_shape(folder: Path, text: str) -> Path:
    """Write ``compose.yaml`` (and the ``secret.txt`` the shapes read) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secret.txt").write_text("s3cret\n")
    path = folder / "compose.yaml"
    path.write_text(text)
    return path
