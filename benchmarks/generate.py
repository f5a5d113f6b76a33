"""Synthetic compose projects for benchmarks and scaling tests.

Each service has: image, 2 ports, 8 environment variables, a named and a bind volume,
a healthcheck, labels, deploy replicas, resources and a placement constraint, and
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
