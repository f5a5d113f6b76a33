"""Layouts, ids, errors and template safety of the Marathon target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marathon_helpers import Validate, render, service
from marathon_helpers import plan as make_plan

from translator.emit import dumps_stream
from translator.emit_files import render_files
from translator.errors import TranslatorError
from translator.model import Dependency, Environment, Service
from translator.targets import get
from translator.targets.marathon import TARGET
from translator.templating import builtin_templates_dir


def shop() -> list[Service]:
    return [
        service("web_front", "shop/web:1.0", depends_on={"api": Dependency()}),
        service("api", "shop/api:2.1", depends_on={"db": Dependency()}),
        service("db", "postgres:16"),
    ]


def test_registry_finds_the_target() -> None:
    assert get("marathon") is TARGET and TARGET.name == "marathon"


def test_group_layout_is_one_put_groups_body(validate: Validate) -> None:
    result = render(make_plan(*shop()))
    [doc] = result.documents
    assert (doc.filename, doc.kind, doc.name) == ("shop.marathon", "group", "/shop")
    assert [a["id"] for a in doc.content["apps"]] == ["/shop/web-front", "/shop/api", "/shop/db"]
    assert doc.content["apps"][0]["dependencies"] == ["/shop/api"]
    assert validate(doc.content, "group") == []


def test_apps_layout_is_one_app_per_service(validate: Validate) -> None:
    result = render(make_plan(*shop()), layout="apps")
    assert [d.filename for d in result.documents] == [
        "shop.web-front.marathon", "shop.api.marathon", "shop.db.marathon"]
    for doc in result.documents:
        assert doc.kind == "app" and validate(doc.content, "app") == []
    group = render(make_plan(*shop())).group
    assert [d.content for d in result.documents] == group["apps"]


def test_namespace_gives_the_group_path() -> None:
    env = Environment(platform="marathon", namespace="Prod/Shop_EU")
    result = render(make_plan(service(), environment=env))
    assert result.group["id"] == "/prod/shop-eu"
    assert result.app["id"] == "/prod/shop-eu/web"
    assert result.documents[0].filename == "prod.shop-eu.marathon"


def test_one_service_is_its_part_of_the_whole() -> None:
    """deploy renders one service: exactly its app of the full output, dependencies kept."""
    whole = render(make_plan(*shop())).group
    part = render(make_plan(*shop(), only=("web_front",))).group
    assert part["apps"] == [whole["apps"][0]]


def test_unknown_layout_is_an_error() -> None:
    with pytest.raises(TranslatorError, match="unknown Marathon layout"):
        render(make_plan(service()), layout="pods")


def test_service_without_artifact_is_an_error() -> None:
    with pytest.raises(TranslatorError, match="no artifact") as info:
        render(make_plan(service("builder", None)))
    assert info.value.diagnostics[0].path == ("services", "builder")


def test_id_collision_names_both_services() -> None:
    with pytest.raises(TranslatorError, match="'api_v1' and 'api-v1'"):
        render(make_plan(service("api_v1"), service("api-v1")))


def test_depends_on_outside_the_project_is_an_error() -> None:
    with pytest.raises(TranslatorError, match="not a service of the project"):
        render(make_plan(service(depends_on={"ghost": Dependency()})))


def test_output_is_json_and_deterministic() -> None:
    docs = render(make_plan(*shop())).documents
    text = dumps_stream(docs, "json")
    assert json.loads(text) == docs[0].content
    assert text == dumps_stream(render(make_plan(*shop())).documents, "json")
    assert [str(p) for p in render_files(docs, "json")] == ["shop.marathon.json"]
    assert [str(p) for p in render_files(docs, "yaml")] == ["shop.marathon.yaml"]
    assert TARGET.default_format == "json"


def test_user_template_overrides_and_is_still_checked(tmp_path: Path) -> None:
    (tmp_path / "marathon").mkdir()
    template = (builtin_templates_dir() / "marathon" / "app.yaml.j2").read_text()
    mine = template.replace("labels: {{ labels }}", "labels: {{ dict(labels, team='a') }}")
    assert mine != template
    (tmp_path / "marathon" / "app.yaml.j2").write_text(mine)
    result = render(make_plan(service()), templates_dir=tmp_path)
    assert result.app["labels"] == {"managed-by": "compose-translator", "team": "a"}
    # A user template that writes cmd and args together is refused, not emitted.
    (tmp_path / "marathon" / "app.yaml.j2").write_text(template + 'cmd: "x"\nargs: ["y"]\n')
    with pytest.raises(TranslatorError, match="never both"):
        render(make_plan(service()), templates_dir=tmp_path)


HOSTILE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(value=HOSTILE, key=HOSTILE.filter(bool), label=HOSTILE)
def test_hostile_values_cannot_change_the_structure(value: str, key: str, label: str) -> None:
    svc = service(environment={key: value}, labels={"x": label}, user=value or None,
                  command=("sh", "-c", value) if value else None)
    app = render(make_plan(svc)).app
    assert app["env"] == {key: value}
    assert app["labels"] == {"x": label, "managed-by": "compose-translator"}
    assert set(app) <= {"id", "cmd", "args", "user", "instances", "cpus", "mem", "disk",
                        "container", "networks", "env", "labels"}
