"""The Target contract end to end: a toy target of a few lines, registered by one line, is
rendered by the API, listed by the registry, explained by ``explain`` and linted by TR006.
docs/ARCHITECTURE.md shows the same toy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from project_files import write_project

from translator import api, targets
from translator.errors import Diagnostics
from translator.explain import explain
from translator.lint import lint
from translator.model import Plan, PlannedService
from translator.targets import REGISTRY, aliases, canonical, names
from translator.targets.base import Document, Dropped, KeyEntry, RenderOptions, Target
from translator.templating import Templates

# ---- the toy (as in docs/ARCHITECTURE.md) ---------------------------------------------------
Table = Mapping[str, KeyEntry]


def image(planned: PlannedService) -> dict[str, Any]:
    """The image runs as the app's image."""
    return {"image": planned.service.artifact.reference if planned.service.artifact else None}


class Toy(Target):
    name = "toy"
    aliases = ("t",)
    keys: ClassVar[Table] = {"image": image, "privileged": Dropped("toy runs nothing privileged")}
    settings: ClassVar[Table] = {"replicas": Dropped("toy runs one copy")}

    def render(self, plan: Plan, options: RenderOptions, templates: Templates,
               diagnostics: Diagnostics) -> list[Document]:
        documents = []
        for name, planned in plan.services.items():
            values = {"name": name}
            for handler in self.handlers(name, planned.service.source_keys, diagnostics):
                values.update(handler(planned))
            documents.append(Document(f"{name}.yaml", templates.render("toy", "app", **values)))
        return documents


TOY = Toy()
# ----------------------------------------------------------------------------------------------

COMPOSE = """
services:
  web:
    image: nginx:1.27
    privileged: true
"""
TEMPLATE = "name: {{ name }}\nimage: {{ image }}\n"


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Register the toy (one registry line) and give it a templates folder."""
    monkeypatch.setitem(REGISTRY, "toy", f"{__name__}:TOY")
    templates = tmp_path / "templates"
    (templates / "toy").mkdir(parents=True)
    (templates / "toy" / "app.yaml.j2").write_text(TEMPLATE)
    return templates


def plan_of(tmp_path: Path, environments: dict[str, str] | None = None, env: str = "local") -> Plan:
    write_project(tmp_path / "project", COMPOSE, environments)
    return api.resolve(api.load_project([tmp_path / "project" / "compose.yaml"]), env)


def test_the_registry_lists_it_under_its_name_and_alias(toy: Path) -> None:
    assert names()[-1] == "toy"
    assert aliases()["t"] == "toy"
    assert canonical("t") == "toy"


def test_the_api_renders_it_and_reports_its_dropped_key(toy: Path, tmp_path: Path) -> None:
    rendered = api.render(plan_of(tmp_path), "toy", templates_dir=toy)
    assert [d.content for d in rendered.documents] == [{"name": "web", "image": "nginx:1.27"}]
    (lost,) = rendered.diagnostics.items
    assert (lost.code, lost.service, lost.key, lost.target) == (
        "toy.dropped", "web", "privileged", "toy")
    assert lost.message == "privileged is not supported: toy runs nothing privileged"
    assert lost.path == ("services", "web", "privileged")


def test_explain_reads_its_tables(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # explain renders with the built-in templates: the toy's template joins them here.
    monkeypatch.setattr("translator.templating.builtin_templates_dir", lambda: toy)
    plan = plan_of(tmp_path, {"prod": "defaults:\n  replicas: 3\n"}, env="prod")
    rows = [(r.service, r.key, r.handling, r.note) for r in explain(plan, ["toy"])]
    assert rows == [
        ("web", "image", "mapped", "The image runs as the app's image."),
        ("web", "privileged", "dropped",
         "privileged is not supported: toy runs nothing privileged"),
        ("web", "environment.replicas", "dropped", "toy runs one copy"),
    ]


def test_lint_asks_it_how_it_names_objects(toy: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Toy, "title", "Toy", raising=False)
    monkeypatch.setattr(Toy, "object_name", lambda self, kind, name: name.lower())
    write_project(tmp_path / "p", "services:\n  Web:\n    image: x:1\n  web:\n    image: x:1\n")
    plan = api.resolve(api.load_project([tmp_path / "p" / "compose.yaml"]), "local")
    messages = [d.message for d in lint(plan) if d.code == "TR006"]
    assert "services 'Web' and 'web' both become 'web' in Toy" in messages


# Every service key of the Compose Specification (its JSON schema, vendored for the tests).
COMPOSE_KEYS = frozenset(json.loads(
    (Path(__file__).resolve().parents[1] / "conformance" / "schemas" / "compose-spec.json")
    .read_text())["definitions"]["service"]["properties"])


@pytest.mark.parametrize("name", targets.names())
def test_every_key_and_setting_is_a_handler_or_a_reason(name: str) -> None:
    """One table test for every registered target: each compose key and each environment
    setting has an entry, and each entry is a documented handler, an approximation or a
    reason."""
    from translator.model import Environment, ServiceSettings
    from translator.targets.base import Approximated, Dropped

    target = targets.get(name)
    per_service = set(ServiceSettings.model_fields)
    environment = set(Environment.model_fields) - {"name", "platform", "defaults", "services"}
    assert set(target.keys) == COMPOSE_KEYS
    assert set(target.settings) == per_service | environment
    for key, entry in [*target.keys.items(), *target.settings.items()]:
        assert isinstance(entry, (Approximated, Dropped)) or callable(entry), key
        if callable(entry):
            assert (entry.__doc__ or "").strip(), f"{key}: a handler says what it does"
