"""Dependency cycles: Compose refuses a project whose services depend on each other in a
ring (``a -> b -> a``, or ``a -> a``), since no start order exists.

The search mirrors compose-go's ``graph.checkCycle`` (``graph/cycle.go``): services in name
order, each one's dependencies in name order, depth first; the first cycle met is the one
reported, in the same words (``dependency cycle detected: a -> b -> a``). Dependencies
implied by ``links``, ``volumes_from`` and ``network_mode: service:`` count, as they do in
Compose, since normalization has already added them to ``depends_on``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from translator.errors import TranslatorError


def check_cycles(services: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise at the first service's ``depends_on`` when the dependencies hold a cycle."""
    graph = {
        name: sorted(dep for dep in service.get("depends_on") or () if dep in services)
        for name, service in services.items()
    }
    cycle = find_cycle(graph)
    if cycle is not None:
        raise TranslatorError.at(
            f"dependency cycle detected: {' -> '.join(cycle)}",
            ("services", cycle[0], _key(services[cycle[0]])),
            code="dependency-cycle",
            hint="remove one of these dependencies: services that wait for each other "
            "can never start",
        )


def find_cycle(graph: Mapping[str, list[str]]) -> list[str] | None:
    """The first cycle of ``graph`` (dependencies sorted) in compose-go's search order."""
    # A service whose dependencies were searched to the end leads to no cycle: compose-go
    # searches it again from every path, which finds nothing new.
    clean: set[str] = set()
    for name in sorted(graph):
        if name not in clean:
            cycle = _search(graph, [name], clean)
            if cycle is not None:
                return cycle
    return None


# Keys that imply a dependency (see service._implicit_dependencies), for a service that
# has no depends_on of its own to point at.
_IMPLYING = ("depends_on", "links", "volumes_from", "network_mode", "ipc")


def _key(service: Mapping[str, Any]) -> str:
    written = service.get("source_keys") or ()
    return next((key for key in _IMPLYING if key in written), "depends_on")


def _search(graph: Mapping[str, list[str]], path: list[str], clean: set[str]) -> list[str] | None:
    """The first cycle reachable from the end of ``path``, depth first (an explicit stack:
    a chain of thousands of services must not exhaust Python's recursion limit)."""
    stack = [iter(graph[path[-1]])]
    on_path = {path[-1]: 0}
    while stack:
        dep = next(stack[-1], None)
        if dep is None:
            done = path.pop()
            del on_path[done]
            clean.add(done)
            stack.pop()
            continue
        if dep in on_path:
            return [*path[on_path[dep] :], dep]
        if dep in clean:
            continue
        on_path[dep] = len(path)
        path.append(dep)
        stack.append(iter(graph[dep]))
    return None
