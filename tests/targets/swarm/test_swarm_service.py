"""Compose service fields -> the Swarm stack's service fields (everything but deploy)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from swarm_helpers import plan, render, schema_errors, service

from translator.model import (
    Healthcheck,
    HealthTest,
    Logging,
    Mount,
    Port,
    PortRange,
    ServiceNetwork,
    Ulimit,
)
from translator.model.base import NS_PER_SECOND
from translator.model.hostfiles import HostSource
from translator.model.service import BindOptions, FileReference, TmpfsOptions, VolumeOptions

MIB = 1024 * 1024

CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "image-digest",
        {"image": "registry.example.com/a/b:1.2@sha256:" + "a" * 64},
        {"image": "registry.example.com/a/b:1.2@sha256:" + "a" * 64},
    ),
    (
        "command-entrypoint",
        {"command": ("serve", "--port", "80"), "entrypoint": ("/init",)},
        {"command": ["serve", "--port", "80"], "entrypoint": ["/init"]},
    ),
    ("empty-command-kept", {"command": ()}, {"command": []}),
    (
        "user-workdir-hostname",
        {"user": "65534:65534", "working_dir": "/srv", "hostname": "h1"},
        {"user": "65534:65534", "working_dir": "/srv", "hostname": "h1"},
    ),
    (
        "environment-passthrough",
        {"environment": {"A": "1", "B": None}},
        {"environment": {"A": "1", "B": None}},
    ),
    (
        "dollar-escaped",
        {"environment": {"P": "a$b"}, "command": ("echo", "$HOME")},
        {"environment": {"P": "a$$b"}, "command": ["echo", "$$HOME"]},
    ),
    (
        "container-labels",
        {"labels": {"com.example.team": "shop"}},
        {"labels": {"com.example.team": "shop"}},
    ),
    (
        "port-short",
        {"ports": (Port(target=80, published=PortRange(start=8080, end=8080)),)},
        {"ports": [{"target": 80, "published": 8080, "protocol": "tcp", "mode": "ingress"}]},
    ),
    (
        "port-host-udp",
        {
            "ports": (
                Port(target=53, published=PortRange(start=53, end=53), protocol="udp", mode="host"),
            )
        },
        {"ports": [{"target": 53, "published": 53, "protocol": "udp", "mode": "host"}]},
    ),
    (
        "port-unpublished",
        {"ports": (Port(target=9000),)},
        {"ports": [{"target": 9000, "protocol": "tcp", "mode": "ingress"}]},
    ),
    (
        "volume-named",
        {
            "volumes": (
                Mount(
                    type="volume",
                    source="data",
                    target="/d",
                    read_only=True,
                    volume=VolumeOptions(nocopy=True),
                ),
            )
        },
        {
            "volumes": [
                {
                    "type": "volume",
                    "source": "data",
                    "target": "/d",
                    "read_only": True,
                    "volume": {"nocopy": True},
                }
            ]
        },
    ),
    (
        "volume-bind",
        {
            "volumes": (
                Mount(
                    type="bind",
                    source="./conf",
                    target="/etc/x",
                    bind=BindOptions(propagation="rslave"),
                ),
            )
        },
        {
            "volumes": [
                {
                    "type": "bind",
                    "source": "./conf",
                    "target": "/etc/x",
                    "bind": {"propagation": "rslave"},
                }
            ]
        },
    ),
    (
        "tmpfs-service-key",
        {"tmpfs": (Mount(type="tmpfs", target="/run", tmpfs=TmpfsOptions(size=64 * 1024)),)},
        {"volumes": [{"type": "tmpfs", "target": "/run", "tmpfs": {"size": 65536}}]},
    ),
    (
        "shm-size-as-tmpfs",
        {"shm_size": 64 * MIB},
        {"volumes": [{"type": "tmpfs", "target": "/dev/shm", "tmpfs": {"size": 64 * MIB}}]},
    ),
    (
        "healthcheck-cmd",
        {
            "healthcheck": Healthcheck(
                test=HealthTest(kind="CMD", command=("curl", "-f", "http://localhost/")),
                interval=90 * NS_PER_SECOND,
                timeout=NS_PER_SECOND // 2,
                start_period=0,
                start_interval=2 * NS_PER_SECOND,
                retries=3,
            )
        },
        {
            "healthcheck": {
                "test": ["CMD", "curl", "-f", "http://localhost/"],
                "interval": "1m30s",
                "timeout": "500ms",
                "start_period": "0s",
                "start_interval": "2s",
                "retries": 3,
            }
        },
    ),
    (
        "healthcheck-shell",
        {
            "healthcheck": Healthcheck(
                test=HealthTest(kind="CMD-SHELL", command=("pg_isready -U x",))
            )
        },
        {"healthcheck": {"test": ["CMD-SHELL", "pg_isready -U x"]}},
    ),
    (
        "healthcheck-disabled",
        {"healthcheck": Healthcheck(test=HealthTest(kind="NONE"))},
        {"healthcheck": {"disable": True}},
    ),
    (
        "networks-aliases",
        {"networks": {"front": None, "back": ServiceNetwork(aliases=("db", "pg"))}},
        {"networks": {"front": None, "back": {"aliases": ["db", "pg"]}}},
    ),
    (
        "secrets-configs",
        {
            "secrets": (FileReference(source="s", target="/run/s", uid="0", gid="0", mode=0o400),),
            "configs": (FileReference(source="c"),),
        },
        {
            "secrets": [{"source": "s", "target": "/run/s", "uid": "0", "gid": "0", "mode": 256}],
            "configs": [{"source": "c"}],
        },
    ),
    (
        "caps-sysctls",
        {
            "cap_add": ("NET_ADMIN",),
            "cap_drop": ("ALL",),
            "sysctls": {"net.core.somaxconn": "1024"},
        },
        {"cap_add": ["NET_ADMIN"], "cap_drop": ["ALL"], "sysctls": {"net.core.somaxconn": "1024"}},
    ),
    (
        "ulimits",
        {
            "ulimits": {
                "nproc": Ulimit(soft=65535, hard=65535, single=True),
                "nofile": Ulimit(soft=20000, hard=40000),
            }
        },
        {"ulimits": {"nproc": 65535, "nofile": {"soft": 20000, "hard": 40000}}},
    ),
    (
        "logging",
        {"logging": Logging(driver="json-file", options={"max-size": "10m"})},
        {"logging": {"driver": "json-file", "options": {"max-size": "10m"}}},
    ),
    (
        "stop",
        {"stop_grace_period": 60 * NS_PER_SECOND, "stop_signal": "SIGINT"},
        {"stop_grace_period": "1m0s", "stop_signal": "SIGINT"},
    ),
    (
        "extra-hosts",
        {"extra_hosts": {"db": ("10.0.0.5",), "v6": ("::1", "fe80::1")}},
        {"extra_hosts": ["db:10.0.0.5", "v6:::1", "v6:fe80::1"]},
    ),
    (
        "dns",
        {"dns": ("8.8.8.8",), "dns_search": ("example.com",)},
        {"dns": ["8.8.8.8"], "dns_search": ["example.com"]},
    ),
    (
        "flags",
        {"init": True, "read_only": True, "tty": False, "stdin_open": True},
        {"init": True, "read_only": True, "tty": False, "stdin_open": True},
    ),
    (
        "extras-passthrough",
        {"extras": {"oom_score_adj": 500, "isolation": "default"}},
        {"oom_score_adj": 500, "isolation": "default"},
    ),
]


@pytest.mark.parametrize(("fields", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_service_fields(fields: dict[str, Any], expected: dict[str, Any]) -> None:
    image = fields.pop("image", "nginx:1.27")
    result = render(plan(service(image=image, **fields)))
    got = result.service()
    assert {k: got.get(k) for k in expected} == expected
    assert schema_errors(result.content) == []


def test_absent_fields_are_left_out() -> None:
    got = render(plan(service())).service()
    assert list(got) == ["image", "deploy"]
    assert got["deploy"] == {"mode": "replicated"}


LOSSY: list[tuple[str, dict[str, Any], str, tuple[Any, ...]]] = [
    (
        "host-ip",
        {"ports": (Port(target=80, published=PortRange(start=80, end=80), host_ip="127.0.0.1"),)},
        "ports",
        ("services", "web", "ports", 0, "host_ip"),
    ),
    (
        "published-range",
        {"ports": (Port(target=80, published=PortRange(start=8000, end=8010)),)},
        "ports",
        ("services", "web", "ports", 0, "published"),
    ),
    (
        "port-name",
        {"ports": (Port(target=80, name="http"),)},
        "ports",
        ("services", "web", "ports", 0, "name"),
    ),
    (
        "static-ip",
        {"networks": {"n": ServiceNetwork(ipv4_address="10.0.0.9")}},
        "networks",
        ("services", "web", "networks", "n", "ipv4_address"),
    ),
    (
        "bind-create-host-path",
        {
            "volumes": (
                Mount(
                    type="bind", source="/x", target="/x", bind=BindOptions(create_host_path=True),
                    host=HostSource(kind="missing"),
                ),
            )
        },
        "volumes",
        ("services", "web", "volumes", 0),
    ),
    (
        "volume-subpath",
        {
            "volumes": (
                Mount(type="volume", source="v", target="/x", volume=VolumeOptions(subpath="a")),
            )
        },
        "volumes",
        ("services", "web", "volumes", 0),
    ),
    (
        "image-mount",
        {"volumes": (Mount(type="image", source="alpine", target="/x"),)},
        "volumes",
        ("services", "web", "volumes", 0),
    ),
    (
        "tmpfs-mode",
        {"tmpfs": (Mount(type="tmpfs", target="/t", tmpfs=TmpfsOptions(mode=0o1777)),)},
        "tmpfs",
        ("services", "web", "tmpfs", 0),
    ),
]


@pytest.mark.parametrize(
    ("fields", "key", "path"), [c[1:] for c in LOSSY], ids=[c[0] for c in LOSSY]
)
def test_lossy_values_are_diagnosed(
    fields: dict[str, Any], key: str, path: tuple[Any, ...]
) -> None:
    result = render(plan(service(**fields)))
    found = [d for d in result.diagnostics if d.path == path]
    assert len(found) == 1, [d.format() for d in result.diagnostics]
    assert (found[0].service, found[0].key, found[0].target) == ("web", key, "swarm")
    assert schema_errors(result.content) == []


@pytest.mark.parametrize("host", [HostSource(kind="folder"), HostSource(kind="outside"), None])
def test_implied_create_host_path_is_not_a_loss_when_the_source_exists(
    host: HostSource | None,
) -> None:
    # Compose's short syntax implies create_host_path; only a missing source needs it.
    mount = Mount(type="bind", source="./conf", target="/conf",
                  bind=BindOptions(create_host_path=True), host=host)
    result = render(plan(service(volumes=(mount,))))
    assert [d for d in result.diagnostics if d.key == "volumes"] == []
    assert result.service()["volumes"] == [{"type": "bind", "source": "./conf",
                                            "target": "/conf"}]


def test_published_range_keeps_its_first_port() -> None:
    svc = service(ports=(Port(target=80, published=PortRange(start=8000, end=8010)),))
    assert render(plan(svc)).service()["ports"][0]["published"] == 8000


def test_image_mount_is_left_out() -> None:
    svc = service(
        volumes=(
            Mount(type="image", source="alpine", target="/x"),
            Mount(type="volume", target="/anon"),
        )
    )
    assert render(plan(svc)).service()["volumes"] == [{"type": "volume", "target": "/anon"}]


def test_set_like_lists_are_deduplicated() -> None:
    got = render(
        plan(service(cap_add=("NET_ADMIN", "SYS_TIME", "NET_ADMIN"), dns=("1.1.1.1",) * 2))
    )
    assert got.service()["cap_add"] == ["NET_ADMIN", "SYS_TIME"]
    assert got.service()["dns"] == ["1.1.1.1"]
    assert schema_errors(got.content) == []


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    env=st.dictionaries(st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True), _TEXT, max_size=4),
    label=_TEXT,
)
def test_any_value_round_trips_literally(env: dict[str, str], label: str) -> None:
    """Whatever a value holds (quotes, newlines, `$`, YAML syntax), the emitted text parses
    back to it, with `$` doubled so that docker's interpolation gives the value back."""
    result = render(plan(service(environment=env, labels={"l": label})))
    got = result.service()
    assert {k: v.replace("$$", "$") for k, v in got.get("environment", {}).items()} == env
    assert got["labels"]["l"].replace("$$", "$") == label
    assert schema_errors(result.content) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": ["x", {"b": "no dollar"}]}, {"a": ["x", {"b": "no dollar"}]}),
        ({"a": ["$x", {"b": "c$"}], "n": 1}, {"a": ["$$x", {"b": "c$$"}], "n": 1}),
        ({"KEY$": "v"}, {"KEY$": "v"}),  # keys are never interpolated, so never escaped
        ({"t": ("$a", "b")}, {"t": ("$a", "b")}),  # only str, dict and list are walked
        ({"f": float("nan"), "s": "$"}, None),  # not JSON: the walk decides alone
        ("$", "$$"),
    ],
)
def test_escape_dollars_doubles_dollars_in_string_values_only(value: Any, expected: Any) -> None:
    from translator.targets.swarm import escape_dollars

    got = escape_dollars(value)
    if expected is None:
        assert got["s"] == "$$" and got["f"] != got["f"]
    else:
        assert got == expected
