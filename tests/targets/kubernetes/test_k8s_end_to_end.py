"""End to end through the public API: samples (snapshots) and the conformance corpus.

Every object passes kubernetes-validate --strict for 1.29 and 1.37 (in-process, see
conftest.validate_strict), and every compose key a service uses is mapped or diagnosed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import K8S_VERSIONS, validate_strict
from syrupy.assertion import SnapshotAssertion

from translator import api
from translator.errors import Diagnostics, TranslatorError
from translator.model import Plan
from translator.targets.base import Document, RenderOptions, handling_of
from translator.targets.kubernetes import TARGET
from translator.targets.kubernetes.names import dns_name

KEYS = TARGET.keys

REPO = Path(__file__).resolve().parents[3]
SAMPLES = sorted(p for p in (REPO / "samples").iterdir() if (p / "compose.yaml").is_file())
ALL_FLAGS = RenderOptions(wait_for_dependencies=True,
                          extra={"network_policies": True, "create_namespace": True})


def _environments(sample: Path) -> list[str]:
    found = sorted(p.stem for p in (sample / "environments").glob("*.yaml"))
    return found if "local" in found else ["local", *found]


SAMPLE_CASES = [(s.name, env) for s in SAMPLES for env in _environments(s)]


def _render_sample(sample: str, env: str, options: RenderOptions) -> api.Rendered:
    loaded = api.load_project([REPO / "samples" / sample / "compose.yaml"])
    return api.render(api.resolve(loaded, env), "kubernetes", options=options)


@pytest.mark.parametrize(("sample", "env"), SAMPLE_CASES, ids=[f"{s}-{e}" for s, e in SAMPLE_CASES])
@pytest.mark.parametrize("flags", ["default", "all-flags"])
def test_sample(sample: str, env: str, flags: str, snapshot_yaml: SnapshotAssertion) -> None:
    rendered = _render_sample(sample, env, RenderOptions() if flags == "default" else ALL_FLAGS)
    for doc in rendered.documents:
        for version in K8S_VERSIONS:
            assert validate_strict(doc.content, version) == [], (doc.filename, version)
    assert api.to_text(rendered.documents) == snapshot_yaml


def test_sample_output_is_deterministic() -> None:
    first = _render_sample("shop", "production", ALL_FLAGS)
    second = _render_sample("shop", "production", ALL_FLAGS)
    assert api.to_text(first.documents) == api.to_text(second.documents)
    names = [d.filename for d in first.documents]
    assert len(names) == len(set(names))


@dataclass
class Corpus:
    converted: dict[str, tuple[Plan, list[Document], Diagnostics]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def _convert(path: Path) -> tuple[Plan, list[Document], Diagnostics]:
    loaded = api.load_project([path], working_dir=path.parent)
    # CI supplies the artifact of a build-only service: give each one, as --image does.
    images = [f"{name}=registry.example.com/{dns_name(name)}:ci"
              for name, svc in loaded.project.services.items() if svc.artifact is None]
    plan = api.resolve(loaded, "local", api.PlanInputs(images=images))
    rendered = api.render(plan, "kubernetes", options=RenderOptions(
        wait_for_dependencies=True, extra={"network_policies": True}))
    return plan, rendered.documents, rendered.diagnostics


@pytest.fixture(scope="module")
def corpus(conformance_dir: Path) -> Corpus:
    out = Corpus()
    files = sorted(p for p in (conformance_dir / "corpus").rglob("*")
                   if p.suffix in (".yml", ".yaml") and p.is_file())
    for path in files:
        name = str(path.relative_to(conformance_dir))
        try:
            api.load_project([path], working_dir=path.parent)
        except TranslatorError as exc:  # the loader refuses it: not ours to render
            out.refused[name] = str(exc)
            continue
        out.converted[name] = _convert(path)  # any error here is a failure of this target
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_corpus_validates(corpus: Corpus, version: str) -> None:
    assert len(corpus.converted) > len(corpus.refused)
    failures = [
        (name, doc.filename, errors[0])
        for name, (_, docs, _) in corpus.converted.items()
        for doc in docs
        if (errors := validate_strict(doc.content, version))
    ]
    assert failures == []


@pytest.mark.corpus
def test_corpus_keys_are_mapped_or_diagnosed(corpus: Corpus) -> None:
    missing: list[tuple[str, str, str]] = []
    for name, (plan, _, diagnostics) in corpus.converted.items():
        for service, planned in plan.services.items():
            present = set(planned.service.source_keys)
            mapped = {k for k in present if KEYS.get(k) is not None and
                      handling_of(KEYS[k]) == "mapped"}
            diagnosed = {d.key for d in diagnostics if d.service == service}
            assert diagnosed <= set(KEYS), (name, service, diagnosed - set(KEYS))
            missing.extend((name, service, key) for key in present - mapped - diagnosed)
            # Kompose's labels too: each is read by a handler or reported by name.
            labels = {k for k in planned.service.labels if k.startswith("kompose.")}
            named = {d.path[3] for d in diagnostics
                     if d.service == service and d.key == "labels" and len(d.path) == 4}
            missing.extend((name, service, label) for label in labels - named
                           if handling_of(TARGET.labels.get(label)) != "mapped")
    assert missing == []


@pytest.mark.parametrize(("sample", "env"), SAMPLE_CASES, ids=[f"{s}-{e}" for s, e in SAMPLE_CASES])
def test_deploy_of_one_service_is_its_part_of_convert(sample: str, env: str) -> None:
    loaded = api.load_project([REPO / "samples" / sample / "compose.yaml"])
    full = api.render(api.resolve(loaded, env), "kubernetes", options=ALL_FLAGS).documents
    by_file = {d.filename: d.content for d in full}
    union: set[str] = set()
    for name in loaded.project.services:
        plan = api.resolve(loaded, env, only=[name])
        part = api.render(plan, "kubernetes", options=ALL_FLAGS).documents
        for doc in part:
            assert by_file.get(doc.filename) == doc.content, (name, doc.filename)
        union |= {d.filename for d in part}
    assert union == set(by_file)


def test_changing_one_version_changes_only_that_service() -> None:
    loaded = api.load_project([REPO / "samples" / "shop" / "compose.yaml"])
    before = api.render(api.resolve(loaded, "production"), "kubernetes", options=ALL_FLAGS)
    after = api.render(api.resolve(loaded, "production", api.PlanInputs(images=["returns=v456"])),
                       "kubernetes", options=ALL_FLAGS)
    old = {d.filename: d.content for d in before.documents}
    changed = {d.filename for d in after.documents if old.get(d.filename) != d.content}
    assert changed == {"deployment-returns.yaml", "service-returns.yaml",
                       "networkpolicy-returns.yaml"}
    text = api.to_text([d for d in after.documents if d.filename == "deployment-returns.yaml"])
    assert "registry.example.com/shop/returns:v456" in text
