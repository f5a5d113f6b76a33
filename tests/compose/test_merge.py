"""Merge rules of translator.compose.merge, key family by key family (spec 13-merge.md)."""

from __future__ import annotations

from typing import Any

import pytest

from translator.compose.merge import (
    merge_documents,
    merge_service,
    strip_tags,
)
from translator.compose.unicity import enforce_unicity
from translator.compose.yamlio import Tagged
from translator.errors import TranslatorError


def svc(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    return enforce_unicity(merge_service(base, over, "web"))


@pytest.mark.parametrize(
    ("base", "over", "expected"),
    [
        # scalars are replaced
        ({"image": "a"}, {"image": "b"}, {"image": "b"}),
        # an explicit null keeps the base
        ({"image": "a"}, {"image": None}, {"image": "a"}),
        # new keys are added
        ({"image": "a"}, {"restart": "always"}, {"image": "a", "restart": "always"}),
        # command / entrypoint / healthcheck.test are replaced, not appended
        ({"command": ["a", "b"]}, {"command": "c"}, {"command": "c"}),
        ({"entrypoint": ["sh"]}, {"entrypoint": ["bash", "-c"]}, {"entrypoint": ["bash", "-c"]}),
        (
            {"healthcheck": {"test": ["CMD", "a"], "interval": "5s"}},
            {"healthcheck": {"test": ["CMD", "b"]}},
            {"healthcheck": {"test": ["CMD", "b"], "interval": "5s"}},
        ),
        # environment: maps merge, list form is converted first
        (
            {"environment": {"A": "1", "B": "2"}},
            {"environment": ["B=3", "C"]},
            {"environment": {"A": "1", "B": "3", "C": None}},
        ),
        (
            {"environment": ["A=1", "B=x=y"]},
            {"environment": {"A": 2}},
            {"environment": {"A": 2, "B": "x=y"}},
        ),
        ({"labels": ["a=1"]}, {"labels": {"b": "2"}}, {"labels": {"a": "1", "b": "2"}}),
        ({"sysctls": {"a": 1}}, {"sysctls": ["a=2"]}, {"sysctls": {"a": "2"}}),
        (
            {"build": {"context": ".", "args": ["A=1"]}},
            {"build": {"args": {"B": "2"}}},
            {"build": {"context": ".", "args": {"A": "1", "B": "2"}}},
        ),
        # build short form is a context
        (
            {"build": "./a"},
            {"build": {"dockerfile": "D"}},
            {"build": {"context": "./a", "dockerfile": "D"}},
        ),
        (
            {"build": {"context": "./a", "target": "t"}},
            {"build": "./b"},
            {"build": {"context": "./b", "target": "t"}},
        ),
        # ports: appended, then unique by host_ip:published:target/protocol
        (
            {"ports": ["8080:80", "9000:9000"]},
            {"ports": [{"target": 80, "published": "8080"}, "9000:9000", "53:53/udp"]},
            {"ports": [{"target": 80, "published": "8080"}, "9000:9000", "53:53/udp"]},
        ),
        ({"ports": ["80"]}, {"ports": ["81"]}, {"ports": ["80", "81"]}),
        # volumes: unique by target, the later one takes the earlier one's place
        (
            {"volumes": ["./data:/data", "named:/n"]},
            {"volumes": [{"type": "bind", "source": "./other", "target": "/data"}]},
            {"volumes": [{"type": "bind", "source": "./other", "target": "/data"}, "named:/n"]},
        ),
        # secrets / configs: unique by target (default /run/secrets/<source>)
        (
            {"secrets": ["s1", {"source": "s2", "target": "/x"}]},
            {"secrets": [{"source": "s1", "target": "/run/secrets/s1", "mode": 0o400}]},
            {
                "secrets": [
                    {"source": "s1", "target": "/run/secrets/s1", "mode": 0o400},
                    {"source": "s2", "target": "/x"},
                ]
            },
        ),
        # a config's default target is /<source>
        (
            {"configs": ["c"]},
            {"configs": [{"source": "c", "target": "/c"}]},
            {"configs": [{"source": "c", "target": "/c"}]},
        ),
        (
            {"configs": ["c"]},
            {"configs": [{"source": "c", "target": "/d"}]},
            {"configs": ["c", {"source": "c", "target": "/d"}]},
        ),
        # dns family: a scalar becomes a one-item list; duplicates collapse
        ({"dns": ["1.1.1.1"]}, {"dns": "1.1.1.1"}, {"dns": ["1.1.1.1"]}),
        ({"dns_search": "a"}, {"dns_search": ["b"]}, {"dns_search": ["a", "b"]}),
        (
            {"cap_add": ["NET_ADMIN"]},
            {"cap_add": ["NET_ADMIN", "SYS_TIME"]},
            {"cap_add": ["NET_ADMIN", "SYS_TIME"]},
        ),
        # extra_hosts: appended without exact duplicates (as compose-go: h:ip != h=ip)
        (
            {"extra_hosts": ["h1:1.2.3.4"]},
            {"extra_hosts": {"h1": "1.2.3.4", "h2": "5.6.7.8"}},
            {"extra_hosts": ["h1:1.2.3.4", "h1=1.2.3.4", "h2=5.6.7.8"]},
        ),
        (
            {"extra_hosts": ["a=1"]},
            {"extra_hosts": ["a=1", "b=2"]},
            {"extra_hosts": ["a=1", "b=2"]},
        ),
        # depends_on: list form gets the long form's defaults, then maps merge
        (
            {"depends_on": ["db"]},
            {"depends_on": {"db": {"condition": "service_healthy"}, "q": {"condition": "x"}}},
            {
                "depends_on": {
                    "db": {"condition": "service_healthy", "required": True},
                    "q": {"condition": "x"},
                }
            },
        ),
        # networks: list form converted to a map of nulls
        (
            {"networks": ["front"]},
            {"networks": {"back": {"aliases": ["b"]}}},
            {"networks": {"front": None, "back": {"aliases": ["b"]}}},
        ),
        (
            {"networks": {"front": {"aliases": ["a"]}}},
            {"networks": {"front": {"aliases": ["a", "b"]}}},
            {"networks": {"front": {"aliases": ["a", "b"]}}},
        ),
        # logging: same driver merges options, another driver replaces the block
        (
            {"logging": {"driver": "json-file", "options": {"max-size": "1m"}}},
            {"logging": {"options": {"max-file": "3"}}},
            {"logging": {"driver": "json-file", "options": {"max-size": "1m", "max-file": "3"}}},
        ),
        (
            {"logging": {"driver": "json-file", "options": {"max-size": "1m"}}},
            {"logging": {"driver": "syslog"}},
            {"logging": {"driver": "syslog"}},
        ),
        # ulimits entries are replaced as a whole
        (
            {"ulimits": {"nofile": {"soft": 1, "hard": 2}, "nproc": 5}},
            {"ulimits": {"nofile": 10}},
            {"ulimits": {"nofile": 10, "nproc": 5}},
        ),
        # plain sequences append (no identity)
        (
            {"devices": ["/dev/a:/dev/a"]},
            {"devices": ["/dev/b:/dev/a"]},
            {"devices": ["/dev/b:/dev/a"]},
        ),
        ({"security_opt": ["a"]}, {"security_opt": ["a"]}, {"security_opt": ["a", "a"]}),
        # env_file: unique by path
        (
            {"env_file": "a.env"},
            {"env_file": ["a.env", {"path": "b.env"}]},
            {"env_file": ["a.env", {"path": "b.env"}]},
        ),
        # nested mappings merge recursively
        (
            {"deploy": {"replicas": 2, "resources": {"limits": {"cpus": "1"}}}},
            {"deploy": {"resources": {"limits": {"memory": "1g"}}, "labels": ["a=b"]}},
            {
                "deploy": {
                    "replicas": 2,
                    "resources": {"limits": {"cpus": "1", "memory": "1g"}},
                    "labels": ["a=b"],
                }
            },
        ),
    ],
)
def test_service_merge_rules(
    base: dict[str, Any], over: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert svc(base, over) == expected


@pytest.mark.parametrize(
    ("base", "over", "expected"),
    [
        # !reset removes the key whatever its kind
        ({"image": "a", "ports": ["80:80"]}, {"ports": Tagged("!reset", [])}, {"image": "a"}),
        ({"environment": {"A": "1"}}, {"environment": Tagged("!reset", None)}, {}),
        # !reset of a key the base lacks is a no-op
        ({"image": "a"}, {"command": Tagged("!reset", None)}, {"image": "a"}),
        # !override replaces instead of merging
        (
            {"ports": ["80:80"], "environment": {"A": "1"}},
            {
                "ports": Tagged("!override", ["81:81"]),
                "environment": Tagged("!override", {"B": "2"}),
            },
            {"ports": ["81:81"], "environment": {"B": "2"}},
        ),
        # tags deep inside a new value are resolved too
        (
            {},
            {"deploy": {"labels": Tagged("!reset", None), "replicas": 2}},
            {"deploy": {"replicas": 2}},
        ),
        (
            {"deploy": {"resources": {"limits": {"cpus": "1"}}}},
            {"deploy": {"resources": {"limits": Tagged("!override", {"memory": "1g"})}}},
            {"deploy": {"resources": {"limits": {"memory": "1g"}}}},
        ),
    ],
)
def test_reset_and_override_tags(
    base: dict[str, Any], over: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert merge_service(base, over, "web") == expected


def test_merge_does_not_mutate_inputs() -> None:
    base = {"services": {"web": {"environment": {"A": "1"}, "ports": ["80"]}}}
    over = {"services": {"web": {"environment": {"B": "2"}, "ports": ["81"]}}}
    merge_documents(base, over)
    assert base == {"services": {"web": {"environment": {"A": "1"}, "ports": ["80"]}}}
    assert over == {"services": {"web": {"environment": {"B": "2"}, "ports": ["81"]}}}


@pytest.mark.parametrize(
    ("base", "over", "expected"),
    [
        (
            {"networks": {"n": {"labels": ["a=1"]}}},
            {"networks": {"n": {"labels": {"b": "2"}}}},
            {"networks": {"n": {"labels": {"a": "1", "b": "2"}}}},
        ),
        (
            {"volumes": {"v": {"driver": "a"}}},
            {"volumes": {"v": {"driver": "b"}}},
            {"volumes": {"v": {"driver": "b"}}},
        ),
        (
            {"networks": {"n": {"ipam": {"config": [{"subnet": "10.0.0.0/24", "gateway": "g"}]}}}},
            {
                "networks": {
                    "n": {
                        "ipam": {
                            "config": [
                                {"subnet": "10.0.0.0/24", "ip_range": "r"},
                                {"subnet": "10.1.0.0/24"},
                            ]
                        }
                    }
                }
            },
            {
                "networks": {
                    "n": {
                        "ipam": {
                            "config": [
                                {"subnet": "10.0.0.0/24", "gateway": "g", "ip_range": "r"},
                                {"subnet": "10.1.0.0/24"},
                            ]
                        }
                    }
                }
            },
        ),
        ({"x-a": {"k": 1}}, {"x-a": {"j": 2}}, {"x-a": {"k": 1, "j": 2}}),
        ({"name": "a"}, {"name": "b"}, {"name": "b"}),
    ],
)
def test_top_level_merge(
    base: dict[str, Any], over: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert merge_documents(base, over) == expected


@pytest.mark.parametrize(
    ("base", "over", "path"),
    [
        (
            {"services": {"web": {"deploy": {"replicas": 1}}}},
            {"services": {"web": {"deploy": ["x"]}}},
            ("services", "web", "deploy"),
        ),
        (
            {"services": {"web": {"security_opt": ["a"]}}},
            {"services": {"web": {"security_opt": {"a": 1}}}},
            ("services", "web", "security_opt"),
        ),
    ],
)
def test_kind_mismatch_is_a_located_error(
    base: dict[str, Any], over: dict[str, Any], path: tuple[str, ...]
) -> None:
    with pytest.raises(TranslatorError) as info:
        merge_documents(base, over)
    assert info.value.diagnostics[0].path == path
    assert "cannot override" in info.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ({"ports": ["80:80", "80:80"]}, {"ports": ["80:80"]}),
        ({"environment": ["A=1", "A=2"]}, {"environment": ["A=2"]}),
        ({"expose": [80, "80", 81]}, {"expose": ["80", 81]}),
        ({"volumes": ["va:/x", "vb:/x:ro", "/y"]}, {"volumes": ["vb:/x:ro", "/y"]}),
        # "a:/x" is a Windows drive path to Compose (target "a:/x"), "b:/x:ro" mounts at "ro".
        ({"volumes": ["a:/x", "b:/x:ro", "/y"]}, {"volumes": ["a:/x", "b:/x:ro", "/y"]}),
        (
            {"networks": {"n": {"aliases": ["a", "a", "b"]}}},
            {"networks": {"n": {"aliases": ["a", "b"]}}},
        ),
        ({"image": "x"}, {"image": "x"}),
    ],
)
def test_unicity_within_one_file(service: dict[str, Any], expected: dict[str, Any]) -> None:
    assert enforce_unicity(service) == expected


def test_strip_tags_leaves_untagged_values_alone() -> None:
    value = {"a": [1, {"b": Tagged("!override", [2])}], "c": Tagged("!reset", None)}
    assert strip_tags(value) == {"a": [1, {"b": [2]}]}
    plain = {"a": "b"}
    assert strip_tags(plain) is plain
