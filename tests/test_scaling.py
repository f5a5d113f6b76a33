"""No quadratic steps: the work of a whole run grows linearly with the number of services.

Not timed (machine noise cannot fail it): cProfile counts every Python function call of
load (with an override file, ``extends`` and a ``depends_on`` chain), diagnostics location,
plan resolution, lint and rendering for every target, for n, 2n and 4n services. For
linear work the growth from 2n to 4n is twice the growth from n to 2n (constant costs
cancel out); a step that touches every pair of services makes it about four times.
The old lookup of diagnostic positions (a scan of the services mapping per warning)
gave 2.56 here; the indexed lookup gives 2.00. Counts are deterministic, so the bound
can be tight; work done inside C (a ``set()`` of every id per service) is not counted.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml_rs

from translator import api
from translator.lint import lint
from translator.targets.base import RenderOptions

# The scaling test measures the benchmark's own service shape (benchmarks/generate.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import alias_fan, bare, many_resources, many_secrets, many_volumes, write_shape
from generate import service as benchmark_service

SIZES = (60, 120, 240)
# Linear work gives 2.0 (measured 2.00); a quadratic step pushes it towards 4.
MAX_GROWTH = 2.3


def _service(i: int) -> dict[str, Any]:
    """The benchmark's service shape; every 10th also extends ``base``."""
    svc = benchmark_service(i)
    if i % 10 == 5:
        svc["extends"] = {"service": "base"}
    return svc


def _write_project(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    base = {
        "name": f"scale{n}",
        "services": {
            "base": {"image": "busybox:1.36", "environment": {"BASE": "1"}},
            **{f"svc{i}": _service(i) for i in range(n)},
        },
        "volumes": {f"data{i}": {} for i in range(n)},
        "networks": {"front": {}, "back": {}},
    }
    override = {
        "services": {
            f"svc{i}": {"environment": {"EXTRA": "1"}, "networks": ["front", "back"]}
            for i in range(n)
        }
    }
    files = [folder / "compose.yaml", folder / "compose.override.yaml"]
    for path, data in zip(files, (base, override), strict=True):
        path.write_text(yaml_rs.dumps(data) + "\n")
    return files


def _run(files: list[Path]) -> None:
    loaded = api.load_project(files)
    api.locate(loaded, loaded.diagnostics.items)
    plan = api.resolve(loaded, "local")
    lint(plan)
    for target in api.target_names():
        rendered = api.render(plan, target)
        api.locate(loaded, rendered.diagnostics.items)
        api.to_text(rendered.documents)


def _calls(files: list[Path]) -> int:
    profile = cProfile.Profile()
    profile.runcall(_run, files)
    stats: Any = pstats.Stats(profile).stats  # {function: (primitive, total, ...)}
    return sum(entry[1] for entry in stats.values())


def test_work_grows_linearly_with_services(tmp_path: Path) -> None:
    projects = [_write_project(tmp_path / f"p{n}", n) for n in SIZES]
    _run(projects[0])  # imports, template compilation and caches are not per-service work
    small, medium, large = (_calls(files) for files in projects)
    growth = (large - medium) / (medium - small)
    assert growth <= MAX_GROWTH, (
        f"function calls for {SIZES} services: {small}, {medium}, {large}; the growth from "
        f"{SIZES[1]} to {SIZES[2]} is {growth:.2f}x the growth from {SIZES[0]} to {SIZES[1]} "
        f"(linear work gives 2.0): some step is quadratic"
    )


# The extreme shapes of the hardening issue (benchmarks/generate.py), on every target.
# Kubernetes was quadratic in three (growth 2.8-3.0) until referenced services and mount
# paths were indexed once. The alias fan has n * n dependency edges, so work linear in its
# expanded size grows 4x per doubling of n (measured 3.1-3.4); a step per pair of edges
# would make that 16.
SHAPES = {
    "bare": (bare, 100, ("kubernetes", "swarm", "marathon"), MAX_GROWTH),
    "volumes": (many_volumes, 100, ("kubernetes", "swarm", "marathon"), MAX_GROWTH),
    "secrets": (many_secrets, 100, ("kubernetes", "swarm", "marathon"), MAX_GROWTH),
    "alias-fan": (alias_fan, 20, ("kubernetes", "swarm", "marathon"), 2 * MAX_GROWTH),
    "resources": (many_resources, 50, ("kubernetes", "swarm", "marathon"), MAX_GROWTH),
}
SHAPE_CASES = [(shape, target) for shape, spec in SHAPES.items() for target in spec[2]]


def _convert(path: Path, target: str) -> None:
    """What `translator convert --to TARGET --wait-for-dependencies` does, in process."""
    loaded = api.load_project([path], working_dir=path.parent)
    options = RenderOptions(wait_for_dependencies=True)
    rendered = api.render(api.resolve(loaded, "local"), target, options=options)
    api.to_text(rendered.documents)


def _convert_calls(path: Path, target: str) -> int:
    profile = cProfile.Profile()
    profile.runcall(_convert, path, target)
    stats: Any = pstats.Stats(profile).stats
    return sum(entry[1] for entry in stats.values())


@pytest.mark.parametrize(("shape", "target"), SHAPE_CASES)
def test_extreme_shapes_grow_linearly(shape: str, target: str, tmp_path: Path) -> None:
    make, n, _, limit = SHAPES[shape]
    paths = [write_shape(tmp_path / str(k), make(k)) for k in (n, 2 * n, 4 * n)]
    _convert(paths[0], target)
    small, medium, large = (_convert_calls(path, target) for path in paths)
    growth = (large - medium) / (medium - small)
    assert growth <= limit, (
        f"{shape} to {target}: calls at {n}, {2 * n}, {4 * n}: {small}, {medium}, {large}; "
        f"growth {growth:.2f} (limit {limit})"
    )


# Each dependant waits for its whole list in one init container: the output grows by a
# name and a port per dependency edge (about 12 bytes), not by a container per edge (150
# bytes before, which made the 950 x 950 alias fan 140 MB and a MemoryError).
MAX_BYTES_PER_EDGE = 32


def _fan_output(path: Path) -> str:
    loaded = api.load_project([path], working_dir=path.parent)
    options = RenderOptions(wait_for_dependencies=True)
    rendered = api.render(api.resolve(loaded, "local"), "kubernetes", options=options)
    return api.to_text(rendered.documents)


def test_dependency_fan_output_is_one_wait_list_per_dependant(tmp_path: Path) -> None:
    n = 60
    small, large = (_fan_output(write_shape(tmp_path / str(k), alias_fan(k))) for k in (n, 2 * n))
    # n dependants of n dependencies each, and the dependencies themselves.
    assert small.count("initContainers:") == n and small.count("- name: wait-for-") == n
    # 2n services and n^2 edges, then 4n and 4n^2: twice the first leaves 2n^2 edges' bytes.
    per_edge = (len(large) - 2 * len(small)) / (2 * n * n)
    assert per_edge <= MAX_BYTES_PER_EDGE, f"{per_edge:.1f} bytes per dependency edge"
    assert "- \"d0:" not in small and "- d0" in small  # a bare service: wait until it resolves
