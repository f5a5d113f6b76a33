"""The checks Marathon's schema misses, and Marathon ids."""

from __future__ import annotations

from typing import Any

import pytest

from translator.errors import TranslatorError
from translator.targets.marathon.checks import (
    app_ids,
    check_app,
    check_group,
    group_id,
    sanitize_segment,
)

KNOWN = ("/shop/web", "/shop/db")
BRIDGE = [{"mode": "container/bridge"}]


@pytest.mark.parametrize(
    ("app", "error"),
    [
        ({"id": "/shop/web", "cmd": "run", "networks": BRIDGE, "mem": 128}, None),
        ({"id": "/shop/web", "cmd": "run", "args": ["x"]}, "cmd or args, never both"),
        ({"id": "/shop/web", "args": []}, None),
        ({"networks": [{"mode": "host"}, {"mode": "container", "name": "a"}]}, "cannot be mixed"),
        ({"networks": [{"mode": "container/bridge"}, {"mode": "container/bridge"}]},
         "at most one container/bridge"),
        ({"networks": [{"mode": "host"}, {"mode": "host"}]}, "at most one host"),
        ({"container": {"type": "MESOS"},
          "networks": [{"mode": "container", "name": "a"}, {"name": "b"}]}, None),
        ({"networks": [{"mode": "container", "name": "a"}, {"name": "b"}]},
         "DOCKER app may join only one container network"),
        ({"mem": 64.5}, None),
        ({"mem": "128Mi"}, "mem must be a number"),
        ({"mem": True}, "mem must be a number"),
        ({"mem": -1}, "mem must be a number"),
        ({"constraints": [["hostname", "UNIQUE"], ["rack", "MAX_PER", "2"]]}, None),
        ({"constraints": [["hostname", "MAX_PER", 2]]}, "2 or 3 strings"),
        ({"constraints": [["hostname"]]}, "2 or 3 strings"),
        ({"dependencies": ["/shop/db"]}, None),
        ({"dependencies": ["db"]}, "not an absolute app id"),
        ({"dependencies": ["/shop/cache"]}, "not an app of the group"),
        ({"container": {"volumes": [{"containerPath": "d", "persistent": {"size": 1}}]},
          "upgradeStrategy": {"maximumOverCapacity": 0.0}}, None),
        ({"container": {"volumes": [{"containerPath": "d", "persistent": {"size": 1}}]}},
         "maximumOverCapacity 0"),
        ({"networks": [{"mode": "host"}],
          "portDefinitions": [{"port": 2, "name": "a"}, {"port": 3, "name": "a"}]},
         "port names must be unique"),
        ({"container": {"portMappings": [{"containerPort": 1, "name": "a"},
                                         {"containerPort": 2, "name": "b"}]}}, None),
        # What a user's template may produce: refused, never a crash.
        ({"container": "docker"}, "not a valid Marathon app: a field holds"),
        ({"networks": ["bridge"]}, "not a valid Marathon app"),
        ({"upgradeStrategy": [], "container": {"volumes": [
            {"containerPath": "d", "persistent": {"size": 1}}]}}, "not a valid Marathon app"),
        ({"constraints": 3}, "not a valid Marathon app"),
    ],
)
def test_check_app(app: dict[str, Any], error: str | None) -> None:
    if error is None:
        check_app(app, KNOWN, ("services", "web"))
        return
    with pytest.raises(TranslatorError, match=error) as info:
        check_app(app, KNOWN, ("services", "web"))
    assert info.value.diagnostics[0].path == ("services", "web")


def test_check_group_uses_the_group_ids() -> None:
    group = {"id": "/g", "apps": [{"id": "/g/a", "dependencies": ["/g/b"]}, {"id": "/g/b"}]}
    check_group(group)
    with pytest.raises(TranslatorError, match="same id"):
        check_group({"id": "/g", "apps": [{"id": "/g/a"}, {"id": "/g/a"}]})
    with pytest.raises(TranslatorError, match="not an app of the group"):
        check_group({"id": "/g", "apps": [{"id": "/g/a", "dependencies": ["/g/c"]}]})


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("web", "web"),
        ("My_Service", "my-service"),
        ("api__v2", "api-v2"),
        ("-edge.", "edge"),
        ("cache.redis", "cache.redis"),
        ("ünï", "n"),
        ("___", ""),
        # Each dot-separated label is a DNS label (PathIdValidation.scala).
        ("a.-b", "a.b"),
        ("a..b", "a.b"),
        ("x_.Y_", "x.y"),
        ("..", ""),
    ],
)
def test_sanitize_segment(name: str, segment: str) -> None:
    assert sanitize_segment(name) == segment


@pytest.mark.parametrize(
    ("namespace", "expected"),
    [("shop", "/shop"), ("Shop_Prod", "/shop-prod"), ("/prod/shop/", "/prod/shop"),
     ("eu/Shop_1", "/eu/shop-1")],
)
def test_group_id(namespace: str, expected: str) -> None:
    assert group_id(namespace) == expected


def test_group_id_refuses_an_unusable_namespace() -> None:
    with pytest.raises(TranslatorError, match="no usable Marathon group id"):
        group_id("/__/")


def test_app_ids_are_absolute_and_collisions_name_both_services() -> None:
    assert app_ids("/shop", ["web", "db_main"]) == {"web": "/shop/web", "db_main": "/shop/db-main"}
    with pytest.raises(TranslatorError) as info:
        app_ids("/shop", ["api_v1", "API-v1"])
    message = str(info.value)
    assert "'api_v1'" in message and "'API-v1'" in message and "/shop/api-v1" in message
    with pytest.raises(TranslatorError, match="no usable Marathon app id"):
        app_ids("/shop", ["___"])
