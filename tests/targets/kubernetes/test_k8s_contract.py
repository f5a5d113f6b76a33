"""The Kubernetes target on the Target contract: its key tables, and templates a user
copies and changes (``--templates DIR``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import container, make_plan, one, planned, render, service

from translator.errors import Diagnostics
from translator.model import Environment, ServiceSettings
from translator.targets.base import Approximated, Dropped, Target, handler_of, note_of
from translator.targets.kubernetes import TARGET
from translator.templating import Templates, builtin_templates_dir

# Every service key of the Compose Specification (its JSON schema, vendored for the tests).
COMPOSE_SERVICE_KEYS = frozenset(json.loads(
    (Path(__file__).resolve().parents[2] / "conformance" / "schemas" / "compose-spec.json")
    .read_text())["definitions"]["service"]["properties"])
# Environment fields that are no setting of their own: the target's name and the
# per-service settings (listed by their fields).
_NOT_SETTINGS = {"name", "platform", "defaults", "services"}


def test_the_target_is_a_target() -> None:
    assert isinstance(TARGET, Target)
    assert (TARGET.name, TARGET.aliases) == ("kubernetes", ("k8s",))
    assert [o.name for o in TARGET.options] == ["network_policies", "create_namespace"]


@pytest.mark.parametrize("table", ["keys", "settings"])
def test_every_entry_is_a_handler_or_a_reason(table: str) -> None:
    for key, entry in getattr(TARGET, table).items():
        assert callable(entry) or isinstance(entry, (Approximated, Dropped)), key
        note = note_of(entry, TARGET.name)
        assert note and "\n" not in note, (key, note)  # what `translator explain` shows


def test_every_compose_service_key_has_an_entry() -> None:
    assert set(TARGET.keys) == COMPOSE_SERVICE_KEYS


def test_every_environment_setting_has_an_entry() -> None:
    fields = set(Environment.model_fields) - _NOT_SETTINGS
    settings = set(ServiceSettings.model_fields) | fields
    assert set(TARGET.settings) == settings


def test_handlers_of_present_keys_run_once_and_lost_keys_are_reported() -> None:
    diagnostics = Diagnostics()
    found = TARGET.handlers("web", ("image", "cap_add", "cap_drop", "init"), diagnostics)
    assert found == [handler_of(TARGET.keys["image"]), handler_of(TARGET.keys["cap_add"])]
    assert [(d.code, d.key) for d in diagnostics] == [("kubernetes.dropped", "init")]


def test_a_key_is_mapped_only_when_its_handler_runs() -> None:
    # The model holds a value the compose file did not set (as a test may build it):
    # without the key among the source keys, no handler maps it.
    svc = service(tty=True, source_keys=("image",))
    assert "tty" not in container(render(make_plan(planned(svc)))[0])
    svc = service(tty=True)
    assert container(render(make_plan(planned(svc)))[0])["tty"] is True


def test_lossy_values_are_reported_as_approximated() -> None:
    _, diagnostics = render(make_plan(planned(service(user="app"))))
    [found] = [d for d in diagnostics if d.key == "user"]
    assert (found.code, found.target, found.service) == ("kubernetes.approximated",
                                                         "kubernetes", "web")


SIDECAR = (
    '{% set sidecars = [{"name": "log-shipper", "image": "fluent/fluent-bit:3.0"}] %}\n'
)


def _user_copy(tmp_path: Path, change: str) -> Templates:
    folder = tmp_path / "kubernetes"
    folder.mkdir()
    source = (builtin_templates_dir() / "kubernetes" / "deployment.yaml.j2").read_text()
    # The user's annotation joins the service's own annotations, after them.
    annotated = source.replace(
        "{% if annotations %}\n  annotations: {{ annotations }}\n{% endif %}\n",
        "  annotations:\n"
        "{% for key, value in (annotations or {}).items() %}\n"
        "    {{ key }}: {{ value }}\n"
        "{% endfor %}\n"
        "    example.com/owner: team-a\n",
    )
    assert annotated != source
    (folder / "deployment.yaml.j2").write_text(change + annotated)
    return Templates(tmp_path)


def test_a_user_copy_adds_a_sidecar_and_an_annotation(tmp_path: Path) -> None:
    svc = service(annotations={"example.com/a": "1"})
    plan = make_plan(planned(svc), environment=Environment(annotations={"team": "x"}))
    docs, _ = render(plan, templates=_user_copy(tmp_path, SIDECAR))
    deployment = one(docs, "Deployment")
    assert deployment["metadata"]["annotations"] == {"team": "x", "example.com/owner": "team-a"}
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["web", "log-shipper"]
    assert containers[1] == {"name": "log-shipper", "image": "fluent/fluent-bit:3.0"}
    # Everything else is the built-in document.
    builtin = one(render(plan)[0], "Deployment")
    assert deployment["spec"]["template"]["metadata"] == builtin["spec"]["template"]["metadata"]
    assert containers[0] == builtin["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize("value", ["a\n---\nkind: Secret", "{{ 7*7 }}", "key: value"])
def test_a_hostile_value_stays_a_value_in_a_user_copy(tmp_path: Path, value: str) -> None:
    svc = service(environment={"X": value}, annotations={"example.com/a": value},
                  command=(value,))
    docs, _ = render(make_plan(planned(svc)), templates=_user_copy(tmp_path, SIDECAR))
    assert [d.kind for d in docs] == ["Deployment"]
    deployment = docs[0].content
    assert deployment["kind"] == "Deployment"
    main = deployment["spec"]["template"]["spec"]["containers"][0]
    assert (main["args"], main["env"]) == ([value], [{"name": "X", "value": value}])
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {"example.com/a": value}
