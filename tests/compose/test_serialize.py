"""The serializer: Compose's ``config --format json`` shape, and the round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.compose.normalize import normalize_project
from translator.compose.serialize import escape_dollars, to_compose
from translator.errors import Diagnostics
from translator.model import Project
from translator.model.base import format_duration


def read_env(path: Path) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value
    return values


def normalize(doc: dict[str, Any], base_dir: Path = Path("/nonexistent")) -> Project:
    return normalize_project(
        doc, name="proj", base_dir=base_dir, diagnostics=Diagnostics(), read_env_file=read_env
    )


def without_source_keys(project: Project) -> Project:
    """``source_keys`` records how the file was spelled (key order, implied keys), not meaning."""
    services = {k: s.model_copy(update={"source_keys": ()}) for k, s in project.services.items()}
    return project.model_copy(update={"services": services})


@pytest.mark.parametrize(
    ("web", "expected"),
    [
        (
            {"ports": ["127.0.0.1:8080:80/udp", "8000-8010:90"]},
            {
                "ports": [
                    {
                        "mode": "ingress",
                        "host_ip": "127.0.0.1",
                        "target": 80,
                        "published": "8080",
                        "protocol": "udp",
                    },
                    {"mode": "ingress", "target": 90, "published": "8000-8010", "protocol": "tcp"},
                ]
            },
        ),
        ({"expose": [3000, "4000-4002"]}, {"expose": ["3000", "4000-4002"]}),
        (
            {"healthcheck": {"test": "true", "interval": "90s", "retries": 0}},
            {"healthcheck": {"test": ["CMD-SHELL", "true"], "interval": "1m30s", "retries": 0}},
        ),
        (
            {
                "deploy": {
                    "replicas": 0,
                    "resources": {"limits": {"memory": "1.5g", "cpus": "0.5"}},
                    "restart_policy": {"window": "2m"},
                }
            },
            {
                "deploy": {
                    "replicas": 0,
                    "resources": {"limits": {"cpus": 0.5, "memory": "1610612736"}},
                    "restart_policy": {"condition": "any", "window": "2m0s"},
                }
            },
        ),
        (
            {"deploy": {"mode": "global", "placement": {"constraints": ["node.role == manager"]}}},
            {"deploy": {"mode": "global", "placement": {"constraints": ["node.role==manager"]}}},
        ),
        ({"deploy": {}}, {"deploy": {}}),
        (
            {"mem_limit": "1g", "memswap_limit": -1, "shm_size": "64m", "stop_grace_period": "1m"},
            {
                "mem_limit": "1073741824",
                "memswap_limit": "-1",
                "shm_size": "67108864",
                "stop_grace_period": "1m0s",
            },
        ),
        (
            {"volumes": ["data:/d", "./src:/src:ro"]},
            {
                "volumes": [
                    {"type": "volume", "source": "data", "target": "/d", "volume": {}},
                    {
                        "type": "bind",
                        "source": "./src",
                        "target": "/src",
                        "read_only": True,
                        "bind": {"create_host_path": True},
                    },
                ]
            },
        ),
        ({"tmpfs": ["/run:size=64k,mode=1770"]}, {"tmpfs": ["/run:size=65536,mode=1770"]}),
        (
            {"secrets": [{"source": "s", "mode": 0o440}]},
            {"secrets": [{"source": "s", "target": "/run/secrets/s", "mode": "0440"}]},
        ),
        (
            {"depends_on": ["db"]},
            {"depends_on": {"db": {"condition": "service_started", "required": True}}},
        ),
        ({"extra_hosts": {"h": ["1.1.1.1", "::1"]}}, {"extra_hosts": ["h=1.1.1.1", "h=::1"]}),
        ({"command": "", "entrypoint": None}, {"command": []}),
        (
            {"ulimits": {"nproc": 5, "nofile": {"soft": 1, "hard": 2}}},
            {"ulimits": {"nproc": 5, "nofile": {"soft": 1, "hard": 2}}},
        ),
        (
            {"environment": {"A": 1, "B": None}, "privileged": False},
            {"environment": {"A": "1", "B": None}, "privileged": False},
        ),
        ({"cgroup": "host", "x-a": 1}, {"cgroup": "host", "x-a": 1}),
    ],
)
def test_service_shape(web: dict[str, Any], expected: dict[str, Any]) -> None:
    doc = {
        "services": {"web": {"image": "nginx", **web}, "db": {"image": "pg"}},
        "volumes": {"data": None},
        "secrets": {"s": {"file": "./s"}},
    }
    service = to_compose(normalize(doc))["services"]["web"]
    assert service.pop("image") == "nginx"
    service.pop("networks")
    assert service == expected


def test_top_level_shape() -> None:
    doc = {
        "services": {"web": {"image": "nginx"}},
        "networks": {"n": {"external": {"name": "x"}}},
        "configs": {"c": {"content": "hi"}},
        "x-top": 1,
        "models": {"m": {}},
    }
    assert to_compose(normalize(doc)) == {
        "name": "proj",
        "services": {"web": {"image": "nginx", "networks": {"default": None}}},
        "networks": {"n": {"name": "x", "external": True}, "default": {}},
        "configs": {"c": {"content": "hi"}},
        "models": {"m": {}},
        "x-top": 1,
    }


def test_escape_dollars() -> None:
    assert escape_dollars({"a": ["$X", 1, {"b": "$$"}]}) == {"a": ["$$X", 1, {"b": "$$$$"}]}


SAMPLES: list[dict[str, Any]] = [
    {
        "services": {
            "web": {
                "image": "nginx:1.25",
                "ports": ["80", "8080:80", "[::1]:81:81/udp", "9000-9001:90-91"],
                "environment": ["A=1", "B"],
                "command": "nginx -g 'daemon off;'",
                "healthcheck": {
                    "test": ["CMD", "true"],
                    "interval": "1.5s",
                    "start_period": "100ms",
                },
                "depends_on": {"db": {"condition": "service_healthy", "restart": True}},
                "labels": {"a": "b"},
                "x-ext": [1],
            },
            "db": {
                "image": "postgres",
                "volumes": ["pg:/var/lib/postgresql/data", "/anon"],
                "networks": {"back": {"aliases": ["database"]}},
                "secrets": ["pw"],
                "deploy": {
                    "mode": "global",
                    "placement": {"constraints": ["node.labels.db==true"]},
                    "update_config": {},
                    "resources": {"reservations": {"memory": "1g"}},
                },
            },
        },
        "volumes": {"pg": {"driver": "local"}},
        "networks": {"back": {"internal": True}},
        "secrets": {"pw": {"environment": "PW"}},
    },
    {
        "services": {
            "app": {
                "build": {"context": "app", "args": {"V": 1}, "ssh": ["default"]},
                "volumes": [
                    {
                        "type": "bind",
                        "source": "./a",
                        "target": "/a",
                        "bind": {"create_host_path": False},
                    },
                    {"type": "volume", "target": "/v", "volume": {"nocopy": False}},
                    {"type": "tmpfs", "target": "/t", "tmpfs": {"size": 1024, "mode": 0o700}},
                ],
                "tmpfs": "/run",
                "ulimits": {"nofile": 10},
                "cpus": 1.5,
                "extra_hosts": ["a:1.1.1.1"],
                "logging": {"driver": "syslog", "options": {"tag": "x"}},
                "network_mode": "host",
                "entrypoint": [],
                "stop_grace_period": "1h1m1.5s",
                "develop": {"watch": []},
                "deploy": {
                    "replicas": 2,
                    "restart_policy": {"condition": "none", "max_attempts": 0},
                    "rollback_config": {"parallelism": 1, "monitor": "5s"},
                },
            }
        },
        "configs": {"c": {"file": "./c.conf"}},
        "x-top": {"a": 1},
    },
]


@pytest.mark.parametrize("doc", SAMPLES)
def test_round_trip(doc: dict[str, Any]) -> None:
    project = normalize(doc)
    again = normalize(json.loads(json.dumps(to_compose(project))))
    assert without_source_keys(again) == without_source_keys(project)


def test_round_trip_with_env_file(tmp_path: Path) -> None:
    (tmp_path / "web.env").write_text("A=1\nB=2\n")
    doc = {
        "services": {
            "web": {
                "image": "x",
                "env_file": ["web.env", {"path": "opt.env", "required": False}],
                "environment": {"B": "3"},
            }
        }
    }
    project = normalize(doc, tmp_path)
    again = normalize(json.loads(json.dumps(to_compose(project))), tmp_path)
    assert without_source_keys(again) == without_source_keys(project)
    assert again.services["web"].environment == {"A": "1", "B": "3"}


# Property: any normalized project survives to_compose -> normalize unchanged.


_port_number = st.integers(min_value=1, max_value=65000)


@st.composite
def _port_spec(draw: st.DrawFn) -> str:
    target = draw(_port_number)
    spec = str(target)
    if draw(st.booleans()):
        published = draw(_port_number)
        spec = f"{published}:{spec}"
        if draw(st.booleans()):
            spec = f"{draw(st.sampled_from(['127.0.0.1', '[::1]', '0.0.0.0']))}:{spec}"
    return spec + draw(st.sampled_from(["", "/tcp", "/udp", "/sctp"]))


_durations = st.integers(min_value=0, max_value=10**14).map(format_duration)
_sizes = st.integers(min_value=0, max_value=2**40)


@settings(max_examples=60, deadline=None)
@given(
    ports=st.lists(_port_spec(), max_size=4),
    interval=_durations,
    retries=st.integers(min_value=0, max_value=10),
    memory=_sizes,
    replicas=st.none() | st.integers(min_value=0, max_value=50),
    env=st.dictionaries(
        st.from_regex(r"[A-Z_]{1,8}", fullmatch=True),
        st.none() | st.text(max_size=8) | st.integers() | st.booleans(),
        max_size=4,
    ),
)
def test_round_trip_property(
    ports: list[str],
    interval: str,
    retries: int,
    memory: int,
    replicas: int | None,
    env: dict[str, Any],
) -> None:
    deploy: dict[str, Any] = {"resources": {"limits": {"memory": memory}}}
    if replicas is not None:
        deploy["replicas"] = replicas
    doc = {
        "services": {
            "web": {
                "image": "nginx",
                "ports": ports,
                "environment": env,
                "deploy": deploy,
                "healthcheck": {"test": ["CMD", "true"], "interval": interval, "retries": retries},
            }
        }
    }
    project = normalize(doc)
    again = normalize(json.loads(json.dumps(to_compose(project))))
    assert without_source_keys(again) == without_source_keys(project)
