"""The rules' building blocks: secret names, the cycle finder, and linear behaviour."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pytest

from translator.lint import RULES
from translator.lint.rules_graph import find_cycles
from translator.lint.rules_network import port_conflicts
from translator.lint.rules_secrets import is_literal
from translator.model import (
    Dependency,
    Environment,
    Plan,
    PlannedService,
    Port,
    PortRange,
    Project,
    Service,
)
from translator.redact import is_secret_name


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("POSTGRES_PASSWORD", True),
        ("MYSQL_ROOT_PASSWD", True),
        ("GITHUB_TOKEN", True),
        ("api-key", True),
        ("STRIPE_API_KEY", True),
        ("SSH_PRIVATE_KEY", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("GOOGLE_CREDENTIALS", True),
        ("DJANGO_SECRET_KEY", True),
        ("POSTGRES_PASSWORD_FILE", False),
        ("AWS_ACCESS_KEY_ID", False),
        ("TOKEN_URL", False),
        ("PASSWORD_MIN_LENGTH", False),
        ("KEYBOARD_LAYOUT", False),
        ("MONKEY", False),
        ("PATH", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    ("value", "literal"),
    [("hunter2", True), ("", False), ("  ", False), (None, False),
     ("/run/secrets/db", False), ("./secret.txt", False), ("${DB_PASSWORD}", False),
     ("yes", False), ("True", False), ("1", False), ("10", True)],
)
def test_literal_values(value: str | None, literal: bool) -> None:
    assert is_literal(value) is literal


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": ["b"], "b": ["c"], "c": []}, []),
        ({"a": ["a"]}, [["a", "a"]]),
        ({"a": ["b"], "b": ["a"]}, [["a", "b", "a"]]),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}, []),  # a diamond is no cycle
        ({"a": ["b"], "b": ["c"], "c": ["b"], "x": ["y"], "y": ["x"]},
         [["b", "c", "b"], ["x", "y", "x"]]),
    ],
)
def test_find_cycles(graph: dict[str, list[str]], cycles: list[list[str]]) -> None:
    assert find_cycles(graph, list(graph)) == cycles


class CountingGraph(Mapping[str, Sequence[str]]):
    """Counts neighbour look-ups: a linear search asks once per node."""

    def __init__(self, edges: dict[str, list[str]]) -> None:
        self.edges = edges
        self.lookups = 0

    def __getitem__(self, key: str) -> Sequence[str]:
        self.lookups += 1
        return self.edges[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)


@pytest.mark.parametrize("n", [10, 1_000, 20_000])
def test_cycle_search_is_linear_and_not_recursive(n: int) -> None:
    # A chain far deeper than Python's recursion limit, closed into one cycle.
    edges = {f"s{i}": [f"s{i + 1}"] for i in range(n - 1)}
    edges[f"s{n - 1}"] = ["s0"]
    graph = CountingGraph(edges)
    cycles = find_cycles(graph, list(edges))
    assert len(cycles) == 1 and len(cycles[0]) == n + 1
    assert graph.lookups == n


def _plan(services: dict[str, Service]) -> Plan:
    return Plan(
        project=Project(name="p", services=services),
        environment=Environment(),
        services={n: PlannedService(service=s, topology=s.topology) for n, s in services.items()},
    )


def test_unknown_dependency_is_reported() -> None:
    # The loader refuses these; a plan built through the API must still be checked.
    plan = _plan({"a": Service(name="a", depends_on={"ghost": Dependency()})})
    (found,) = RULES["TR005"].check(plan)
    assert found.path == ("services", "a", "depends_on", "ghost")
    assert "'ghost'" in found.message


@pytest.mark.parametrize("n", [100, 5_000])
def test_port_sweep_compares_only_overlapping_ranges(n: int) -> None:
    # n services on distinct ports and one duplicate: exactly one conflict, found fast.
    services = {
        f"s{i}": Service(name=f"s{i}", ports=(Port(target=80, published=PortRange(
            start=10_000 + i, end=10_000 + i)),))
        for i in range(n)
    }
    services["dup"] = Service(name="dup", ports=(Port(target=80, published=PortRange(
        start=10_000, end=10_000)),))
    found = list(port_conflicts(_plan(services)))
    assert [(d.service, d.path) for d in found] == [("s0", ("services", "s0", "ports", 0))]
