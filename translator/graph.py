"""``translator graph``: the topology of one environment as a picture.

Services are nodes labelled with their artifact, replicas and mode in that environment
and their published ports; ``depends_on`` edges are solid (labelled with the condition),
``links`` dashed. Services that share the same networks sit in one cluster (a node can
sit in one cluster only, so a cluster is a *set* of networks). Named volumes, secrets and
configs are small nodes beside their users; exposure from the environment (ingress host,
load balancer, node port) stands at the edge of the picture.

Mermaid is the default (GitHub and GitLab render it in Markdown,
https://mermaid.js.org/syntax/flowchart.html); DOT is Graphviz's language
(https://graphviz.org/doc/info/lang.html), which ``dot`` turns into SVG or PNG.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from translator.errors import TranslatorError
from translator.model import Plan, PlannedService
from translator.model.service import Port

GraphFormat = Literal["mermaid", "dot", "svg", "png"]
FORMATS: tuple[GraphFormat, ...] = ("mermaid", "dot", "svg", "png")
EdgeStyle = Literal["solid", "dashed", "dotted", "bold"]
NodeKind = Literal["service", "volume", "secret", "config", "exposure"]
DEFAULT_NETWORK = "default"


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    lines: tuple[str, ...]
    kind: NodeKind
    changed: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    style: EdgeStyle
    label: str = ""


@dataclass(slots=True)
class Graph:
    title: str
    # cluster label -> node ids; services outside every cluster are not possible (default).
    clusters: dict[str, list[str]] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


class _Ids:
    """Readable, unique, syntax-safe node ids (``svc_web``, ``vol_data``)."""

    def __init__(self) -> None:
        self._taken: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()

    def __call__(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        if key not in self._taken:
            base = f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"
            candidate, n = base, 1
            while candidate in self._used:
                n += 1
                candidate = f"{base}_{n}"
            self._used.add(candidate)
            self._taken[key] = candidate
        return self._taken[key]


def build(plan: Plan, changed: Mapping[str, Sequence[str]] | None = None) -> Graph:
    """The graph of ``plan``; ``changed`` maps a service to the lines saying how it differs
    in another environment (``graph --diff``), which the picture highlights."""
    changed = changed or {}
    graph = Graph(title=f"{plan.project.name} ({plan.environment.name})")
    ids = _Ids()
    for name in sorted(plan.services):
        planned = plan.services[name]
        node = Node(ids("svc", name), (*_service_lines(planned), *changed.get(name, ())),
                    "service", changed=name in changed)
        graph.nodes[node.id] = node
        graph.clusters.setdefault(_cluster(planned), []).append(node.id)
    for name in sorted(plan.services):
        _add_edges(graph, plan, plan.services[name], ids)
    return graph


def _cluster(planned: PlannedService) -> str:
    networks = sorted(planned.service.networks)
    if planned.service.network_mode is not None:
        return f"network_mode: {planned.service.network_mode}"
    return " + ".join(networks) if networks else DEFAULT_NETWORK


def _service_lines(planned: PlannedService) -> list[str]:
    artifact = planned.service.artifact
    topology = planned.topology
    lines = [planned.name, artifact.reference if artifact is not None else "(build only)"]
    if topology.mode in ("global", "global-job"):
        lines.append(topology.mode)
    else:
        lines.append(f"{1 if topology.replicas is None else topology.replicas} x {topology.mode}")
    ports = [_port(p) for p in planned.service.ports if p.published is not None]
    if ports:
        lines.append("ports " + ", ".join(ports))
    return lines


def _port(port: Port) -> str:
    return f"{port.published}:{port.target}/{port.protocol}"


def _add_edges(graph: Graph, plan: Plan, planned: PlannedService, ids: _Ids) -> None:
    source = ids("svc", planned.name)
    service = planned.service
    for dep, dependency in sorted(service.depends_on.items()):
        if dep in plan.services:
            graph.edges.append(Edge(source, ids("svc", dep), "solid", dependency.condition))
    for link in service.links:
        target = link.partition(":")[0]
        if target in plan.services:
            graph.edges.append(Edge(source, ids("svc", target), "dashed", "link"))
    volumes = [m.source for m in service.volumes if m.type == "volume" and m.source]
    _attach(graph, source, ids, "volume", "vol", volumes)
    _attach(graph, source, ids, "secret", "sec", [s.source for s in service.secrets])
    _attach(graph, source, ids, "config", "cfg", [c.source for c in service.configs])
    exposure = _exposure(planned)
    if exposure is not None:
        node = Node(ids("exp", planned.name), (exposure,), "exposure")
        graph.nodes[node.id] = node
        graph.edges.append(Edge(node.id, source, "bold"))


def _attach(
    graph: Graph, source: str, ids: _Ids, kind: NodeKind, prefix: str, names: Iterable[str]
) -> None:
    for name in dict.fromkeys(names):
        node = Node(ids(prefix, name), (f"{kind} {name}",), kind)
        graph.nodes.setdefault(node.id, node)
        graph.edges.append(Edge(source, node.id, "dotted"))


def _exposure(planned: PlannedService) -> str | None:
    exposure = planned.exposure
    if exposure.type == "internal":
        return None
    if exposure.type == "ingress":
        return f"ingress {exposure.host or '*'}{exposure.path}"
    return exposure.type


# --- Mermaid ---------------------------------------------------------------------------

_MERMAID_SHAPES: dict[NodeKind, tuple[str, str]] = {
    "service": ("[", "]"), "volume": ("[(", ")]"), "secret": ("{{", "}}"),
    "config": ("[/", "/]"), "exposure": ("([", "])"),
}
_MERMAID_ARROWS: dict[EdgeStyle, str] = {
    "solid": "-->", "dashed": "-.->", "dotted": "-.-", "bold": "==>",
}


def _mermaid_text(text: str) -> str:
    # Inside "...", Mermaid reads entity codes; a quote or a bracket would end the label.
    return "".join(f"#{ord(c)};" if c in '"#<>[]{}|`' else c for c in text)


def to_mermaid(graph: Graph) -> str:
    out = ["---", f"title: {_mermaid_text(graph.title)}", "---", "flowchart LR"]
    clustered = set()
    for index, (label, members) in enumerate(sorted(graph.clusters.items())):
        out.append(f'  subgraph net{index}["{_mermaid_text(label)}"]')
        out += [f"    {_mermaid_node(graph.nodes[m])}" for m in members]
        out.append("  end")
        clustered.update(members)
    out += [f"  {_mermaid_node(n)}" for n in graph.nodes.values() if n.id not in clustered]
    for edge in graph.edges:
        arrow = _MERMAID_ARROWS[edge.style]
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        out.append(f"  {edge.source} {arrow}{label} {edge.target}")
    changed = [n.id for n in graph.nodes.values() if n.changed]
    if changed:
        out.append("  classDef changed fill:#fff3b0,stroke:#c08000,stroke-width:2px")
        out.append(f"  class {','.join(changed)} changed")
    return "\n".join(out) + "\n"


def _mermaid_node(node: Node) -> str:
    opening, closing = _MERMAID_SHAPES[node.kind]
    label = "<br/>".join(_mermaid_text(line) for line in node.lines)
    return f'{node.id}{opening}"{label}"{closing}'


# --- DOT -------------------------------------------------------------------------------

_DOT_SHAPES: dict[NodeKind, str] = {
    "service": "box", "volume": "cylinder", "secret": "octagon", "config": "note",
    "exposure": "cds",
}


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: Graph) -> str:
    out = [f"digraph {_dot_text(graph.title)} {{", "  rankdir=LR;",
           f"  label={_dot_text(graph.title)}; labelloc=t;",
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    clustered = set()
    for index, (label, members) in enumerate(sorted(graph.clusters.items())):
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f"    label={_dot_text(label)}; style=rounded; color=gray50;")
        out += [f"    {_dot_node(graph.nodes[m])}" for m in members]
        out.append("  }")
        clustered.update(members)
    out += [f"  {_dot_node(n)}" for n in graph.nodes.values() if n.id not in clustered]
    for edge in graph.edges:
        attrs = [f"style={edge.style}"]
        if edge.label:
            attrs.append(f"label={_dot_text(edge.label)}")
        if edge.style == "dotted":
            attrs.append("arrowhead=none")
        out.append(f"  {edge.source} -> {edge.target} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(node: Node) -> str:
    attrs = [f"label={_dot_text(chr(10).join(node.lines))}", f"shape={_DOT_SHAPES[node.kind]}"]
    if node.kind == "service":
        attrs.append('style="rounded,filled"')
        attrs.append('fillcolor="#fff3b0"' if node.changed else 'fillcolor="#e8f0fe"')
    return f"{node.id} [{', '.join(attrs)}];"


def render_image(dot_source: str, fmt: Literal["svg", "png"]) -> bytes:
    """Graphviz's picture of ``dot_source``; a clear error when ``dot`` is missing."""
    dot = shutil.which("dot")
    if dot is None:
        raise TranslatorError.at(
            f"--format {fmt} needs Graphviz's dot, which is not installed",
            code="graph.no-dot",
            hint="install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew "
            "install graphviz), or use --format mermaid or dot",
        )
    proc = subprocess.run([dot, f"-T{fmt}"], input=dot_source.encode(), capture_output=True,
                          check=False, timeout=120)
    if proc.returncode != 0:
        raise TranslatorError.at(
            f"dot failed: {proc.stderr.decode(errors='replace').strip()}", code="graph.dot")
    if fmt == "svg":  # outputs carry no tool versions
        return re.sub(rb"<!-- Generated by graphviz version [^>]*-->\n", b"", proc.stdout)
    return proc.stdout


# How graph --diff names a differing field: topology fields group into what a reader
# looks for in a picture; replicas, mode and exposure show their two values.
_DIFF_GROUPS = {
    "strategy": "placement", "spread_over": "placement", "constraints": "placement",
    "max_replicas_per_node": "placement", "resources.limits": "resources",
    "resources.reservations": "resources", "update_config": "update policy",
    "restart_policy": "restart policy", "readiness_probe": "probes",
}
_DIFF_VALUES = frozenset({"replicas", "mode"})


def differences(a: Plan, b: Plan) -> dict[str, list[str]]:
    """What ``translator diff`` finds between two plans, as one line per service of ``b``
    (``changed: replicas 1 → 3, exposure internal → ingress, placement``), for
    ``graph --diff`` to highlight."""
    from translator.plan.diff import diff_plans

    found: dict[str, dict[str, None]] = {}
    for row in diff_plans(a, b):
        if row.service not in b.services:
            continue
        if row.field in _DIFF_VALUES:
            text = f"{row.field} {_value(row.a)} → {_value(row.b)}"
        elif row.field == "exposure":
            text = f"exposure {_exposure_type(row.a)} → {_exposure_type(row.b)}"
        else:
            text = _DIFF_GROUPS.get(row.field, row.field)
        found.setdefault(row.service, {})[text] = None
    return {service: ["changed: " + ", ".join(items)] for service, items in found.items()}


def _value(value: object) -> str:
    return "-" if value is None else str(value)


def _exposure_type(value: object) -> str:
    return str(value.get("type", "internal")) if isinstance(value, dict) else "internal"
