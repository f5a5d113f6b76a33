"""The containerizer of an app on several networks, and app ids Marathon's REST API
reserves: what the renderer chooses so that Marathon runs the app (engine.py, checks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from marathon_helpers import plan as make_plan
from marathon_helpers import render, service
from marathon_rules import violations

from translator.model import Dependency, Port, PortRange
from translator.targets.marathon import TARGET

TWO = {"front": None, "back": None}
PUBLISHED = (Port(target=80, published=PortRange(start=8080, end=8080)),)


@pytest.mark.parametrize(
    ("fields", "kind", "networks", "left_out"),
    [
        ({"networks": TWO}, "MESOS", ["front", "back"], None),
        ({"networks": {"back": None}}, "DOCKER", ["back"], None),
        # What only the Docker containerizer runs keeps it, on the first network only.
        ({"networks": TWO, "init": True}, "DOCKER", ["front"], "docker parameter init"),
        ({"networks": TWO, "working_dir": "/app"}, "DOCKER", ["front"], "docker parameter workdir"),
        ({"networks": TWO, "privileged": True}, "DOCKER", ["front"], "privileged mode"),
    ],
)
def test_containerizer(
    fields: dict[str, Any], kind: str, networks: list[str], left_out: str | None
) -> None:
    result = render(make_plan(service(ports=PUBLISHED, **fields)))
    app = result.app
    assert app["container"]["type"] == kind
    assert [n["name"] for n in app["networks"]] == networks
    assert violations(app) == []
    lost = [d for d in result.diagnostics if d.key == "networks"]
    if left_out is None:
        assert lost == []
        return
    [diag] = lost
    assert diag.path == ("services", "web", "networks")
    assert "network back is left out" in diag.message and left_out in diag.message
    # One network: the host port no longer names one.
    assert "networkNames" not in app["container"]["portMappings"][0]


@pytest.mark.parametrize("word", ["restart", "tasks", "versions", "Tasks"])
def test_reserved_app_id_is_renamed_and_dependencies_follow(word: str) -> None:

    result = render(make_plan(
        service(word, "alpine:3"),
        service("web", depends_on={word: Dependency()}),
    ))
    apps = {a["id"]: a for a in result.group["apps"]}
    renamed = f"/shop/{word.lower()}-app"
    assert set(apps) == {renamed, "/shop/web"}
    assert apps["/shop/web"]["dependencies"] == [renamed]
    [diag] = [d for d in result.diagnostics if d.code == "marathon.renamed"]
    assert diag.path == ("services", word) and renamed in diag.message
    assert TARGET.object_name("services", word) == f"{word.lower()}-app"


def test_reserved_word_inside_an_id_is_kept() -> None:
    result = render(make_plan(service("restarter"), service("tasks.api", "alpine:3")))
    assert sorted(a["id"] for a in result.group["apps"]) == ["/shop/restarter", "/shop/tasks.api"]
    assert not [d for d in result.diagnostics if d.code == "marathon.renamed"]


def test_every_network_left_out_is_named() -> None:
    three = {"front": None, "back": None, "admin": None}
    result = render(make_plan(service(networks=three, init=True)))
    assert [n["name"] for n in result.app["networks"]] == ["front"]
    [diag] = [d for d in result.diagnostics if d.key == "networks"]
    assert diag.message.startswith("networks back, admin are left out: the app joins front")
