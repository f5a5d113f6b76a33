"""The ``depends_on`` graph: unknown services and cycles, found in linear time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Severity
from translator.lint.rule import Rule, finding

if TYPE_CHECKING:
    from translator.model import Plan


def dependency_problems(plan: Plan) -> Iterator[Diagnostic]:
    known = plan.project.services
    graph: dict[str, list[str]] = {}
    for name, service in known.items():
        graph[name] = [d for d in service.depends_on if d in known]
    for name, planned in plan.services.items():
        for dep, spec in planned.service.depends_on.items():
            if dep not in known and spec.required:
                yield finding(
                    "TR005",
                    f"depends_on names {dep!r}, which is not a service of this project",
                    ("services", name, "depends_on", dep),
                    service=name,
                    key="depends_on",
                )
    for cycle in find_cycles(graph, list(plan.services)):
        source, target = cycle[-2], cycle[-1]
        yield finding(
            "TR005",
            f"depends_on forms a cycle: {' -> '.join(cycle)}",
            ("services", source, "depends_on", target),
            service=source,
            key="depends_on",
            hint="no service can start first; remove one of these dependencies",
        )


def find_cycles(graph: Mapping[str, Sequence[str]], roots: Sequence[str]) -> list[list[str]]:
    """Every cycle closed by a back edge of an iterative depth-first search, as a node path
    that starts and ends at the same node. Each node and edge is visited once: O(V + E)
    plus the length of the cycles reported."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(roots):
        if root in done:
            continue
        stack: list[str] = [root]
        position: dict[str, int] = {root: 0}
        edges: list[Iterator[str]] = [iter(sorted(graph.get(root, ())))]
        while edges:
            node = next(edges[-1], None)
            if node is None:
                finished = stack.pop()
                del position[finished]
                done.add(finished)
                edges.pop()
            elif node in position:
                cycles.append([*stack[position[node]:], node])
            elif node not in done:
                position[node] = len(stack)
                stack.append(node)
                edges.append(iter(sorted(graph.get(node, ()))))
    return cycles


RULES = (
    Rule(
        "TR005",
        "bad-dependency",
        "depends_on must name services of the project and must not form a cycle, or nothing "
        "can start first.",
        Severity.ERROR,
        dependency_problems,
    ),
)
