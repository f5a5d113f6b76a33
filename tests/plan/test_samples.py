"""The samples' environments and artifacts against their real compose files (via the loader)."""

from __future__ import annotations

import pytest
from plan_helpers import REPO

from translator.model import Project
from translator.plan.artifacts import load_artifacts
from translator.plan.diff import diff_plans
from translator.plan.environments import environments_dir, list_environments, load_environment
from translator.plan.resolve import resolve_plan

SAMPLES = ["shop", "voting", "monitoring"]


def load_sample(name: str) -> Project:
    from translator.compose.loader import LoadOptions, load

    compose = REPO / "samples" / name / "compose.yaml"
    return load(LoadOptions(files=(str(compose),), working_dir=str(compose.parent))).project


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_environment_resolves(sample: str) -> None:
    project = load_sample(sample)
    directory = environments_dir(REPO / "samples" / sample / "compose.yaml", None)
    artifacts = load_artifacts(directory.parent / "artifacts.yaml", project.services)
    plans = {
        name: resolve_plan(
            project,
            load_environment(name, directory, project.services, volumes=project.volumes),
            artifacts=artifacts,
        )
        for name in list_environments(directory)
    }
    assert plans and all(p.services.keys() == project.services.keys() for p in plans.values())
    # One artifact for all environments.
    images = {
        tuple((s, p.service.image) for s, p in plan.services.items()) for plan in plans.values()
    }
    assert len(images) == 1
    for a in plans.values():
        for b in plans.values():
            assert not any(r.field == "image" for r in diff_plans(a, b))


def test_shop_production_deploy_of_one_service() -> None:
    project = load_sample("shop")
    directory = REPO / "samples" / "shop" / "environments"
    env = load_environment("production", directory, project.services)
    artifacts = load_artifacts(REPO / "samples" / "shop" / "artifacts.yaml", project.services)
    plan = resolve_plan(project, env, artifacts=artifacts, only=["returns"], version="v456")
    (returns,) = plan.services.values()
    assert returns.service.image == "registry.example.com/shop/returns:v456"
    assert returns.topology.placement.strategy == "spread"
    assert returns.topology.placement.spread_over == ("node.labels.zone",)
    assert (returns.topology.replicas or 0) >= 2
    full = resolve_plan(project, env, artifacts=artifacts)
    db = full.services["db"]
    assert [str(c) for c in db.topology.placement.constraints] == ["node.labels.role==database"]
    assert db.stateful and full.storage["db-data"].storage_class == "fast-ssd"
    assert all(not p.topology.resources.limits.empty for p in full.services.values())
