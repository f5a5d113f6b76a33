"""Property-based tests over generated compose projects and environments.

* every valid project renders for every target, and each output passes that target's
  validator (Kubernetes strict schemas, the stack schema and a few `docker stack config`
  runs, the Marathon schemas);
* mutated projects end in a TranslatorError (CLI exit 1), never another exception;
* `config`'s document, loaded again, gives the same model (``source_keys`` aside).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hardening_helpers import run_cli
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from validators import (
    docker_stack_config,
    kubernetes_errors,
    marathon_errors,
    swarm_errors,
)

from translator import api
from translator.compose.serialize import escape_dollars
from translator.emit import dump
from translator.errors import TranslatorError
from translator.targets.base import RenderOptions

NAMES = ["web", "api", "db", "cache", "worker"]
IMAGES = ["nginx:1.27", "redis:7.2", "postgres:16", "registry.example.com/team/app:2.0",
          "busybox@sha256:" + "a" * 64]
ENV_VALUE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).map(
    lambda s: s.replace("$", "$$"))
ENV_NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True)
DURATION = st.sampled_from(["1s", "10s", "1m30s", "500ms", "2m"])
SIZE = st.sampled_from(["64M", "128m", "1G", "8192k", "1gb"])


@st.composite
def healthchecks(draw: st.DrawFn) -> dict[str, Any]:
    test = draw(st.sampled_from([["CMD", "true"], ["CMD-SHELL", "curl -f http://localhost/"],
                                 "wget -qO- localhost", ["NONE"]]))
    check: dict[str, Any] = {"test": test}
    for key, strategy in (("interval", DURATION), ("timeout", DURATION),
                          ("start_period", DURATION), ("retries", st.integers(1, 10))):
        if draw(st.booleans()):
            check[key] = draw(strategy)
    return check


@st.composite
def deploys(draw: st.DrawFn) -> dict[str, Any]:
    deploy: dict[str, Any] = {}
    if draw(st.booleans()):
        deploy["replicas"] = draw(st.integers(0, 5))
    if draw(st.booleans()):
        deploy["resources"] = {"limits": {"cpus": draw(st.sampled_from(["0.25", "0.5", "1"])),
                                          "memory": draw(SIZE)}}
    if draw(st.booleans()):
        deploy["restart_policy"] = {"condition": draw(st.sampled_from(["none", "on-failure",
                                                                       "any"]))}
    if draw(st.booleans()):
        deploy["placement"] = {"constraints": [draw(st.sampled_from(
            ["node.role == manager", "node.labels.zone != eu-1"]))]}
    if draw(st.booleans()):
        deploy["update_config"] = {"parallelism": draw(st.integers(1, 3)),
                                   "order": draw(st.sampled_from(["start-first", "stop-first"]))}
    return deploy


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    services: dict[str, Any] = {}
    volumes: dict[str, Any] = {}
    for index, name in enumerate(names):
        svc: dict[str, Any] = {"image": draw(st.sampled_from(IMAGES))}
        ports = []
        for j in range(draw(st.integers(0, 2))):
            published, target = 10_000 + index * 10 + j, draw(st.sampled_from([80, 443, 5432]))
            ports.append(draw(st.sampled_from([
                f"{published}:{target}", f"{published}:{target}/udp", str(target + j),
                {"target": target + j, "published": str(published), "protocol": "tcp"},
            ])))
        if ports:
            svc["ports"] = ports
        if draw(st.booleans()):
            svc["environment"] = draw(st.dictionaries(ENV_NAME, ENV_VALUE, max_size=3))
        if draw(st.booleans()):
            volume = f"{name}-data"
            volumes[volume] = {}
            svc["volumes"] = [f"{volume}:/var/lib/{name}", {"type": "tmpfs", "target": "/tmp"}]
        if draw(st.booleans()):
            svc["healthcheck"] = draw(healthchecks())
        if draw(st.booleans()):
            svc["deploy"] = draw(deploys())
        earlier = names[:index]
        if earlier and draw(st.booleans()):
            svc["depends_on"] = draw(st.lists(st.sampled_from(earlier), min_size=1, unique=True))
        if draw(st.booleans()):
            svc["command"] = draw(st.sampled_from([["run", "--flag"], "sh -c 'echo hi'"]))
        services[name] = svc
    project: dict[str, Any] = {"services": services}
    if volumes:
        project["volumes"] = volumes
    return project


@st.composite
def environments(draw: st.DrawFn, services: list[str]) -> dict[str, Any]:
    env: dict[str, Any] = {"platform": draw(st.sampled_from(["kubernetes", "swarm", "marathon"]))}
    if draw(st.booleans()):
        env["defaults"] = {"replicas": draw(st.integers(1, 4)),
                           "strategy": draw(st.sampled_from(["spread", "binpack"]))}
    per_service: dict[str, Any] = {}
    for name in services:
        if draw(st.booleans()):
            per_service[name] = {"replicas": draw(st.integers(0, 5))}
            if draw(st.booleans()):
                per_service[name]["exposure"] = {"type": draw(st.sampled_from(
                    ["internal", "node-port", "load-balancer"]))}
    if per_service:
        env["services"] = per_service
    return env


def _write(folder: Path, project: dict[str, Any], env: dict[str, Any] | None) -> None:
    # Written by the emitter under test: JSON's surrogate-pair escapes are not YAML.
    (folder / "compose.yaml").write_text(dump(project, "yaml"))
    if env is not None:
        (folder / "environments").mkdir(exist_ok=True)
        (folder / "environments" / "prod.yaml").write_text(yaml.safe_dump(env))


def _check_target(target: str, docs: list[Any], text: str) -> None:
    parsed = list(yaml.safe_load_all(text))
    assert parsed == [d.content for d in docs]
    for doc in parsed:
        if target == "kubernetes":
            assert kubernetes_errors(doc) == []
        elif target == "swarm":
            assert swarm_errors(doc) == []
        else:
            assert marathon_errors(doc) == []


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(data=st.data())
def test_valid_projects_render_and_validate_for_every_target(data: st.DataObject) -> None:
    project = data.draw(projects())
    env = data.draw(environments(list(project["services"])))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, project, env)
        loaded = api.load_project([folder / "compose.yaml"], environ={}, project_name="gen")
        for env_name in ("local", "prod"):
            plan = api.resolve(loaded, env_name)
            for target in api.target_names():
                for layout in ("group", "apps"):
                    options = RenderOptions(extra={"marathon_layout": layout})
                    docs = api.render(plan, target, options=options).documents
                    _check_target(target, docs, api.to_text(docs, "yaml"))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_docker_stack_config_accepts_generated_stacks(project: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        _write(Path(name), project, None)
        loaded = api.load_project([Path(name) / "compose.yaml"], environ={}, project_name="gen")
        docs = api.render(api.resolve(loaded, "local"), "swarm").documents
    result = docker_stack_config(api.to_text(docs, "yaml"))
    if result is None:
        pytest.skip("docker CLI not found at /usr/local/bin/docker")
    assert result.returncode == 0, result.stderr


@SETTINGS
@given(projects())
def test_config_document_loads_back_to_the_same_model(project: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, project, None)
        first = api.load_project([folder / "compose.yaml"], environ={}, project_name="gen")
        text = dump(escape_dollars(api.compose_document(first.project)), "yaml")
        second = api.load_project(["-"], stdin=text, environ={}, working_dir=folder)
    assert _model(second.project) == _model(first.project)


def _model(project: Any) -> dict[str, Any]:
    return {
        "name": project.name,
        "services": {n: s.model_dump(exclude={"source_keys"}) for n, s in project.services.items()},
        "volumes": {n: v.model_dump() for n, v in project.volumes.items()},
        "networks": {n: v.model_dump() for n, v in project.networks.items()},
    }


# ---- mutations -----------------------------------------------------------------------------
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=10),
    st.sampled_from(["", "-1", "1e999", "0o777", "99999999999999999999", "${X", "$$", "../..",
                     "a" * 300, "x:y:z:w", "-80", "65536:80", "1.5.6", "NaN", "true"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(project: dict[str, Any], path: tuple[Any, ...], junk: Any, how: str) -> Any:
    if not path:
        return junk
    parent: Any = project
    for part in path[:-1]:
        parent = parent[part]
    if how == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif how == "add-key" and isinstance(parent, dict):
        parent[f"x{junk!r}"[:20] if not isinstance(junk, str) else junk or "k"] = junk
    else:
        parent[path[-1]] = junk
    return project


@SETTINGS
@given(data=st.data())
def test_mutated_projects_fail_only_with_translator_error(data: st.DataObject) -> None:
    project = data.draw(projects())
    path = data.draw(st.sampled_from(_paths(project)))
    mutated = _mutate(project, path, data.draw(JUNK), data.draw(
        st.sampled_from(["replace", "delete", "add-key"])))
    try:
        text = json.dumps(mutated, allow_nan=True)
    except (TypeError, ValueError):
        assume(False)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "compose.yaml").write_text(text)
        try:
            loaded = api.load_project([folder / "compose.yaml"], environ={}, project_name="gen")
            plan = api.resolve(loaded, "local")
            for target in api.target_names():
                docs = api.render(plan, target).documents
                for fmt in ("yaml", "json"):
                    api.to_text(docs, fmt)  # type: ignore[arg-type]
        except TranslatorError:
            pass


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_projects_through_the_cli_exit_0_or_1(data: st.DataObject) -> None:
    project = data.draw(projects())
    path = data.draw(st.sampled_from(_paths(project)))
    mutated = _mutate(project, path, data.draw(JUNK), "replace")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "compose.yaml").write_text(json.dumps(mutated, allow_nan=True))
        for target in api.target_names():
            run = run_cli(["convert", "--to", target, "-f", "compose.yaml"], folder)
            assert run.code in (0, 1) and "Traceback" not in run.stderr, run.stderr
