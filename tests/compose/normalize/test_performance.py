"""Normalization work on a synthetic 1,000-service project grows linearly.

Counted in Python function calls (deterministic), not seconds: about 400 calls per
service. Wall time is in benchmarks/run.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from work_counts import growth

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


def test_thousand_services_normalize_in_linear_work() -> None:
    def normalize(count: int) -> None:
        project = normalize_project(
            synthetic(count),
            name="p",
            base_dir=Path("/nonexistent"),
            diagnostics=Diagnostics(),
            read_env_file=lambda _: {},
        )
        assert len(project.services) == count
        last = count - 1
        assert project.services[f"s{last}"].depends_on.keys() == {f"s{last - 1}"}

    # Linear work gives 2.0 less the fixed cost; a step over every pair of services, 4.
    ratio = growth(normalize, 1000)
    assert ratio <= 2.2, f"2,000 services make {ratio:.2f}x the calls of 1,000"
