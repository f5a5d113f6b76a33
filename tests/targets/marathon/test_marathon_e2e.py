"""End to end through the public API: every sample and environment (snapshots), and every
corpus file the loader accepts, in both layouts, validated against Marathon 1.7's schemas
and Marathon's own validation rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from marathon_helpers import Validate
from marathon_rules import violations
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.errors import TranslatorError
from translator.model import Plan
from translator.targets.base import RenderOptions
from translator.targets.marathon import TARGET as _TARGET

KEYS = _TARGET.keys

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
CORPUS = REPO / "tests" / "conformance" / "corpus"
CLEAN_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent-home"}
APPS = RenderOptions(extra={"marathon_layout": "apps"})


def sample_cases() -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    for sample in sorted(p for p in SAMPLES.iterdir() if (p / "compose.yaml").is_file()):
        envs = sorted(f.stem for f in (sample / "environments").glob("*.yaml"))
        cases += [(sample.name, env) for env in (envs or ["local"])]
    return cases


def corpus_cases() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def check_both_layouts(plan: Plan, validate: Validate) -> api.Rendered:
    """Render as one group and as apps; validate each against its schema and against
    Marathon's own rules (marathon_rules.py)."""
    grouped = api.render(plan, "marathon")
    [doc] = grouped.documents
    assert validate(doc.content, "group") == [], doc.filename
    for app in doc.content["apps"]:
        assert violations(app) == [], app["id"]
    apps = api.render(plan, "marathon", options=APPS)
    assert [d.content for d in apps.documents] == doc.content["apps"]
    for app in apps.documents:
        assert validate(app.content, "app") == [], app.filename
    return grouped


@pytest.mark.parametrize(("sample", "env"), sample_cases())
def test_sample(
    sample: str, env: str, validate: Validate, snapshot_json: SnapshotAssertion
) -> None:
    loaded = api.load_project([SAMPLES / sample / "compose.yaml"], environ=CLEAN_ENV)
    plan = api.resolve(loaded, env)
    rendered = check_both_layouts(plan, validate)
    assert api.to_text(rendered.documents, "json") == snapshot_json


def _images_for_builds(loaded: Any) -> list[str]:
    """Build-only services get a stand-in artifact, as a CI build would pin one."""
    return [
        f"{name}=corpus.example/build:{index}"
        for index, (name, svc) in enumerate(loaded.project.services.items())
        if svc.artifact is None
    ]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path", corpus_cases(), ids=lambda p: str(p.relative_to(CORPUS))
)
def test_corpus(path: Path, conformance_dir: Path, validate: Validate) -> None:
    try:
        loaded = api.load_project([path.name], working_dir=path.parent, environ=CLEAN_ENV)
        inputs = api.PlanInputs(images=_images_for_builds(loaded))
        plan = api.resolve(loaded, "local", inputs)
    except TranslatorError as exc:
        pytest.skip(f"the loader or planner refuses this file: {str(exc).splitlines()[0]}")
    rendered = check_both_layouts(plan, validate)
    # Every warning names a rendered service, a compose key (or, for a renamed app id, the
    # service itself) and this target.
    for diag in rendered.diagnostics:
        keyed = diag.key in KEYS or (diag.code == "marathon.renamed" and diag.key is None)
        assert (diag.service in plan.services, keyed, diag.target) == (
            True, True, "marathon"), diag.format()


@pytest.mark.parametrize(("service", "version"), [("returns", None), ("returns", "v456")])
def test_deploy_is_the_services_part_of_convert(service: str, version: str | None) -> None:
    """``deploy SERVICE [VERSION]``: that service's app of the whole group, and only its
    image changes with the version."""
    loaded = api.load_project([SAMPLES / "shop" / "compose.yaml"], environ=CLEAN_ENV)
    whole = api.render(api.resolve(loaded, "production"), "marathon").documents[0].content
    part = api.render(
        api.resolve(loaded, "production", only=[service], version=version), "marathon"
    ).documents[0].content
    [app] = part["apps"]
    [expected] = [a for a in whole["apps"] if a["id"] == f"/shop/{service}"]
    image = app["container"]["docker"].pop("image")
    assert image.endswith(f":{version}") if version else image == expected["container"][
        "docker"]["image"]
    expected["container"]["docker"].pop("image")
    assert app == expected and part["id"] == whole["id"]
