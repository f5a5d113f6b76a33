"""Normalization speed on a synthetic 1,000-service project.

The bound is loose (CI machines vary); the measured figure is reported by the test
name's output with ``-s``. On the development machine it is about 80-90 ms.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from translator.compose.normalize import normalize_project
from translator.errors import Diagnostics


def synthetic(count: int) -> dict[str, Any]:
    def service(i: int) -> dict[str, Any]:
        return {
            "image": f"registry.example.com/team/app{i}:1.{i}",
            "ports": [f"{8000 + i}:80", "9090"],
            "environment": {f"VAR_{k}": f"value{k}" for k in range(8)},
            "volumes": [f"data{i}:/data", "./conf:/etc/app:ro"],
            "healthcheck": {
                "test": ["CMD", "curl", "-f", "http://localhost"],
                "interval": "30s",
                "timeout": "5s",
                "retries": 3,
            },
            "labels": {"team": "a", "tier": "web"},
            "deploy": {
                "replicas": 2,
                "resources": {"limits": {"cpus": "0.5", "memory": "512m"}},
                "placement": {"constraints": ["node.role == worker"]},
            },
            "depends_on": [f"s{i - 1}"] if i else [],
        }

    return {
        "services": {f"s{i}": service(i) for i in range(count)},
        "volumes": {f"data{i}": None for i in range(count)},
    }


def test_thousand_services_normalize_quickly() -> None:
    doc = synthetic(1000)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        project = normalize_project(
            doc,
            name="p",
            base_dir=Path("/nonexistent"),
            diagnostics=Diagnostics(),
            read_env_file=lambda _: {},
        )
        best = min(best, time.perf_counter() - start)
    assert len(project.services) == 1000
    assert project.services["s999"].depends_on.keys() == {"s998"}
    print(f"normalize 1,000 services: {best * 1000:.1f} ms")
    assert best < 1.0, f"normalizing 1,000 services took {best * 1000:.0f} ms"
