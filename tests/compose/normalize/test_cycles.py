"""depends_on cycles, found as compose-go's graph.checkCycle finds them."""

from __future__ import annotations

from typing import Any

import pytest

from translator.compose.normalize import cycles
from translator.errors import TranslatorError

from .conftest import run


def _services(deps: dict[str, list[str]]) -> dict[str, Any]:
    return {name: {"image": "x", "depends_on": d} if d else {"image": "x"}
            for name, d in deps.items()}  # fmt: skip


@pytest.mark.parametrize(
    ("deps", "message", "path"),
    [
        ({"a": ["a"]}, "a -> a", ("services", "a", "depends_on")),
        ({"b": ["a"], "a": ["b"]}, "a -> b -> a", ("services", "a", "depends_on")),
        # Dependencies are followed in name order: c before b would give a -> c -> a.
        ({"a": ["c", "b"], "b": ["a"], "c": ["a"]}, "a -> b -> a", ("services", "a", "depends_on")),
        # The cycle starts where the path meets itself, not at the first service.
        ({"a": ["b"], "b": ["c"], "c": ["b"]}, "b -> c -> b", ("services", "b", "depends_on")),
    ],
)
def test_cycles_are_named_like_compose(
    deps: dict[str, list[str]], message: str, path: tuple[str, ...]
) -> None:
    with pytest.raises(TranslatorError) as info:
        run({"services": _services(deps)})
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.message == f"dependency cycle detected: {message}"
    assert diagnostic.path == path


def test_an_optional_dependency_on_a_missing_service_is_no_edge() -> None:
    doc = {"services": {"a": {"image": "x", "depends_on": {"gone": {"required": False}}}}}
    assert set(run(doc).services) == {"a"}


def test_a_long_chain_is_searched_once_per_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """5,000 services in a chain: no recursion limit, and each service's dependencies are
    read once (compose-go's search, without the memo, would walk the chain from each)."""
    n = 5_000
    graph = {f"s{i:05}": [f"s{i + 1:05}"] if i + 1 < n else [] for i in range(n)}
    reads = 0
    real_iter = iter

    def counting_iter(items: Any) -> Any:
        nonlocal reads
        reads += 1
        return real_iter(items)

    monkeypatch.setattr(cycles, "iter", counting_iter, raising=False)
    assert cycles.find_cycle(graph) is None
    assert reads == n
    graph[f"s{n - 1:05}"] = ["s02500"]
    found = cycles.find_cycle(graph)
    assert found is not None and found[0] == found[-1] == "s02500" and len(found) == 2_501
