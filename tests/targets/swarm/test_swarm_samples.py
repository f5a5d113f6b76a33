"""End to end over samples/*: load, resolve each environment, render, and check the stack file
with the docker CLI (schema, `docker stack config`, client side of `docker stack deploy`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from swarm_helpers import (
    NO_DAEMON,
    UNSUPPORTED_MARKERS,
    client_side_deploy,
    render_sample,
    require_client,
    run_client,
    sample_environments,
    sample_plan,
    schema_errors,
    write_beside_project,
)
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.emit import dumps_stream

PAIRS = sample_environments()
IDS = [f"{s}-{e}" for s, e in PAIRS]


@pytest.mark.parametrize(("sample", "env"), PAIRS, ids=IDS)
def test_sample_snapshot(
    sample: str, env: str, snapshot_yaml: SnapshotAssertion, snapshot_json: SnapshotAssertion
) -> None:
    rendered = render_sample(sample, env)
    [document] = rendered.documents
    assert document.filename == f"{sample}.stack.yml"
    assert schema_errors(document.content) == []
    assert dumps_stream(rendered.documents, "yaml") == snapshot_yaml
    diagnostics = [d.format() for d in rendered.diagnostics]
    assert json.dumps(diagnostics, indent=2) + "\n" == snapshot_json


@pytest.mark.parametrize(("sample", "env"), PAIRS, ids=IDS)
def test_sample_passes_docker_stack_config(sample: str, env: str, tmp_path: Path) -> None:
    require_client()
    stack = write_beside_project(sample, render_sample(sample, env), tmp_path)
    done = run_client(["stack", "config", "-c", stack.name], stack.parent)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("sample", "env"), PAIRS, ids=IDS)
def test_sample_passes_client_side_deploy(sample: str, env: str, tmp_path: Path) -> None:
    require_client()
    stack = write_beside_project(sample, render_sample(sample, env), tmp_path)
    done = client_side_deploy(stack)
    output = done.stdout + done.stderr
    assert not [m for m in UNSUPPORTED_MARKERS if m in output], output
    assert NO_DAEMON in output, output


@pytest.mark.parametrize(("sample", "env"), PAIRS, ids=IDS)
def test_one_service_is_its_part_of_the_whole(sample: str, env: str) -> None:
    """`deploy SERVICE` renders exactly that service's part of `convert` (issue 3)."""
    whole = render_sample(sample, env).documents[0].content
    plan = sample_plan(sample, env)
    for name in plan.services:
        one = (
            api.render(plan.model_copy(update={"services": {name: plan.services[name]}}), "swarm")
            .documents[0]
            .content
        )
        assert one["services"] == {name: whole["services"][name]}
        for section in ("networks", "volumes", "secrets", "configs"):
            assert one.get(section, {}).items() <= whole.get(section, {}).items()
