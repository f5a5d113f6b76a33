"""translator graph: Mermaid and DOT pictures of one environment's topology."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from translator import api, graph
from translator.model import Plan

REPO = Path(__file__).resolve().parent.parent
SAMPLES = [
    (sample.name, env.stem)
    for sample in sorted((REPO / "samples").iterdir())
    for env in sorted((sample / "environments").glob("*.yaml"))
]


def _plan(sample: str, env: str) -> Plan:
    loaded = api.load_project([REPO / "samples" / sample / "compose.yaml"])
    return api.resolve(loaded, env)


# The Mermaid flowchart subset the renderer writes, as a line grammar
# (https://mermaid.js.org/syntax/flowchart.html): a node's label is one quoted string in
# which no quote appears (entity codes stand for them), every id is a plain word.
_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_LABEL = r'"[^"]*"'
_SHAPES = r"(\[|\[\(|\{\{|\[/|\(\[)" + _LABEL + r"(\]|\)\]|\}\}|/\]|\]\))"
_MERMAID_LINES = {
    "node": re.compile(rf"\s*({_ID}){_SHAPES}"),
    "edge": re.compile(rf"\s*({_ID}) (-->|-\.->|-\.-|==>)(\|{_LABEL}\|)? ({_ID})"),
    "subgraph": re.compile(rf"\s*subgraph {_ID}\[{_LABEL}\]"),
    "end": re.compile(r"\s*end"),
    "classDef": re.compile(r"\s*classDef changed [a-z0-9#:,\-]+"),
    "class": re.compile(rf"\s*class {_ID}(,{_ID})* changed"),
}


def check_mermaid(text: str) -> set[str]:
    """Parse ``text`` with the grammar above; return the node ids. Fails on any other line,
    an edge to an undeclared node, or unbalanced subgraphs."""
    lines = text.splitlines()
    assert lines[:4] == ["---", lines[1], "---", "flowchart LR"] and lines[1].startswith("title: ")
    nodes: set[str] = set()
    depth = 0
    for line in lines[4:]:
        kind = next((k for k, rx in _MERMAID_LINES.items() if rx.fullmatch(line)), None)
        assert kind is not None, f"not Mermaid flowchart syntax: {line!r}"
        match = _MERMAID_LINES[kind].fullmatch(line)
        assert match is not None
        if kind == "node":
            nodes.add(match.group(1))
        elif kind == "edge":
            assert {match.group(1), match.group(4)} <= nodes, line
        depth += {"subgraph": 1, "end": -1}.get(kind, 0)
        assert depth in (0, 1)
    assert depth == 0
    return nodes


@pytest.mark.parametrize(("sample", "env"), SAMPLES)
def test_mermaid_snapshot(sample: str, env: str, snapshot_mermaid: SnapshotAssertion) -> None:
    text = graph.to_mermaid(graph.build(_plan(sample, env)))
    nodes = check_mermaid(text)
    plan = _plan(sample, env)
    assert {f"svc_{re.sub(r'[^A-Za-z0-9_]', '_', s)}" for s in plan.services} <= nodes
    assert text == snapshot_mermaid


@pytest.mark.parametrize(("sample", "env"), SAMPLES)
def test_dot_snapshot(sample: str, env: str, snapshot_dot: SnapshotAssertion) -> None:
    assert graph.to_dot(graph.build(_plan(sample, env))) == snapshot_dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed "
                    "(Debian: apt-get install graphviz; .ci/run installs it)")
@pytest.mark.parametrize(("sample", "env"), SAMPLES)
def test_every_service_appears_in_the_svg(sample: str, env: str) -> None:
    plan = _plan(sample, env)
    svg = graph.render_image(graph.to_dot(graph.build(plan)), "svg").decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    titles = set(re.findall(r"<title>([^<]*)</title>", svg))
    for service in plan.services:
        assert f"svc_{re.sub(r'[^A-Za-z0-9_]', '_', service)}" in titles


def test_labels_carry_artifact_replicas_mode_and_ports() -> None:
    plan = _plan("shop", "production")
    built = graph.build(plan)
    web = built.nodes["svc_customer_service"]
    assert web.lines[:4] == ("customer-service",
                             "registry.example.com/shop/customer-service:0.9.4",
                             "4 x replicated", "ports 8080:8080/tcp")
    edges = {(e.source, e.target, e.style, e.label) for e in built.edges}
    assert ("svc_customer_service", "svc_accounts", "solid", "service_healthy") in edges
    assert ("exp_customer_service", "svc_customer_service", "bold", "") in edges
    assert built.nodes["exp_customer_service"].lines == ("ingress shop.example.com/",)


def test_diff_highlights_what_differs_between_two_environments() -> None:
    local, production = _plan("shop", "local"), _plan("shop", "production")
    changed = graph.differences(local, production)
    assert changed["customer-service"] == [
        "changed: replicas 1 → 4, placement, resources, update policy, restart policy, "
        "exposure internal → ingress, probes"]
    text = graph.to_mermaid(graph.build(production, changed))
    check_mermaid(text)
    assert "class " in text and "svc_customer_service" in text.split("class ")[-1]
    assert graph.differences(local, local) == {}


@pytest.mark.parametrize("name", ['we"b', "a[b]", "x{y}|z", "<script>", "a\\nb"])
def test_hostile_names_stay_inside_their_labels(name: str, tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    quoted = name.replace("'", "''")
    compose.write_text(f"services:\n  web:\n    image: nginx\n    networks: ['{quoted}']\n"
                       f"networks:\n  '{quoted}': {{}}\n")
    plan = api.resolve(api.load_project([compose]), "local")
    built = graph.build(plan)
    assert list(built.clusters) == [name]
    check_mermaid(graph.to_mermaid(built))
    if shutil.which("dot") is not None:  # Graphviz itself must read the cluster's label
        svg = graph.render_image(graph.to_dot(built), "svg").decode()
        assert "svc_web" in svg


def test_missing_dot_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(api.TranslatorError) as caught:
        graph.render_image("digraph {}", "svg")
    message = caught.value.diagnostics[0]
    assert "needs Graphviz's dot" in message.message
    assert message.hint is not None and "apt-get install graphviz" in message.hint


DOCS_PICTURE = REPO / "docs" / "shop-production.svg"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed "
                    "(Debian: apt-get install graphviz; .ci/run installs it)")
def test_the_readme_picture_is_up_to_date() -> None:
    """docs/shop-production.svg records the hash of the DOT source it was drawn from (SVG
    bytes differ between Graphviz versions, the source does not). Regenerate it with
    UPDATE_DOCS=1 python -m pytest tests/test_graph.py -k readme."""
    import hashlib
    import os

    source = graph.to_dot(graph.build(_plan("shop", "production")))
    stamp = f"<!-- dot source sha256: {hashlib.sha256(source.encode()).hexdigest()} -->"
    if os.environ.get("UPDATE_DOCS") == "1":
        svg = graph.render_image(source, "svg").decode()
        DOCS_PICTURE.write_text(svg.replace("<svg", stamp + "\n<svg", 1))
    regenerate = "UPDATE_DOCS=1 python -m pytest tests/test_graph.py -k readme"
    assert DOCS_PICTURE.is_file(), f"docs/shop-production.svg is missing: run {regenerate}"
    assert stamp in DOCS_PICTURE.read_text(), f"docs/shop-production.svg is stale: run {regenerate}"


# ---- through the command line ---------------------------------------------------------------
def translator(*args: str, path: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "translator", *args], capture_output=True,
                          cwd=REPO / "samples" / "shop", env=env, timeout=120, check=False)


def test_graph_command_prints_mermaid_by_default() -> None:
    done = translator("graph", "--env", "production")
    assert done.returncode == 0, done.stderr
    check_mermaid(done.stdout.decode())
    assert done.stdout.decode() == graph.to_mermaid(graph.build(_plan("shop", "production")))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed "
                    "(Debian: apt-get install graphviz; .ci/run installs it)")
def test_graph_command_writes_a_png_diff(tmp_path: Path) -> None:
    out = tmp_path / "diff.png"
    done = translator("graph", "--diff", "uat", "production", "--format", "png", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_graph_command_says_how_to_install_dot(tmp_path: Path) -> None:
    done = translator("graph", "--format", "svg", "-o", str(tmp_path / "x.svg"),
                      path=str(tmp_path))  # a PATH with no dot on it
    assert done.returncode == 1
    assert b"needs Graphviz's dot" in done.stderr and b"apt-get install graphviz" in done.stderr
    assert not (tmp_path / "x.svg").exists()
