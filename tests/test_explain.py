"""``explain``: one row per service, compose key and target, agreeing with the renderers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from project_files import write_project

from translator import api
from translator.errors import Severity, TranslatorError
from translator.explain import ExplainRow, explain, explain_json, explain_table
from translator.model import Plan
from translator.targets import get
from translator.targets.base import KeyEntry, handling_of, note_of

REPO = Path(__file__).resolve().parent.parent


TARGETS = ["kubernetes", "swarm", "marathon"]


def sample_plan(sample: str, env: str) -> Plan:
    loaded = api.load_project([REPO / "samples" / sample / "compose.yaml"])
    return api.resolve(loaded, env)


CASES = [("voting", "production"), ("shop", "uat"), ("monitoring", "local")]


@pytest.mark.parametrize(("sample", "env"), CASES)
def test_one_row_per_service_key_and_target(sample: str, env: str) -> None:
    plan = sample_plan(sample, env)
    rows = explain(plan, TARGETS)
    env = plan.environment
    expected = []
    for name, planned in plan.services.items():
        expected += [(name, key, target) for key in planned.service.source_keys
                     for target in TARGETS]
        own = env.services.get(name)
        settings = set(env.defaults.model_fields_set) | (own.model_fields_set if own else set())
        expected += [(name, f"environment.{setting}", target) for setting in sorted(settings)
                     for target in TARGETS]
    assert [(r.service, r.key, r.target) for r in rows] == expected
    assert {r.handling for r in rows} <= {"mapped", "approximated", "dropped", "error"}


@pytest.mark.parametrize(("sample", "env"), CASES)
@pytest.mark.parametrize("target", TARGETS)
def test_explain_never_disagrees_with_the_render(sample: str, env: str, target: str) -> None:
    plan = sample_plan(sample, env)
    rows = {(r.service, r.key): r for r in explain(plan, [target])}
    try:
        diagnostics = api.render(plan, target).diagnostics.items
    except TranslatorError as err:  # what validate reports as this target's errors
        diagnostics = err.diagnostics
    spoken: set[tuple[str, str]] = set()
    for d in diagnostics:
        service, key = d.service, d.key
        if service is None and len(d.path) > 2 and d.path[0] == "services":
            service, key = str(d.path[1]), str(d.path[2])
        if service is None or (service, key) not in rows:
            continue
        row = rows[(service, str(key))]
        spoken.add((service, str(key)))
        assert d.message in row.note
        if d.severity is Severity.ERROR:
            assert row.handling == "error"
        elif d.severity is Severity.WARNING:
            assert row.handling != "mapped"
    # Without a render diagnostic, the row is the target's key table entry.
    table = key_table(target)
    for (service, key), row in rows.items():
        if (service, key) not in spoken and key in table:
            entry = table[key]
            assert (row.handling, row.note) == (handling_of(entry), note_of(entry, target))


def key_table(name: str) -> Mapping[str, KeyEntry]:
    return get(name).keys


def test_a_target_that_fails_still_gets_rows(tmp_path: Path) -> None:
    write_project(tmp_path, "services:\n  web_app:\n    image: x:1\n  web-app:\n    image: x:1\n")
    plan = api.resolve(api.load_project([tmp_path / "compose.yaml"]), "local")
    rows = explain(plan, TARGETS)
    assert {r.target for r in rows} == set(TARGETS)
    assert len(rows) == 2 * 1 * 3


def test_depends_on_on_swarm_is_dropped_with_the_render_message(tmp_path: Path) -> None:
    write_project(tmp_path, "services:\n  a:\n    image: x:1\n    depends_on: [b]\n"
                  "  b:\n    image: x:1\n")
    plan = api.resolve(api.load_project([tmp_path / "compose.yaml"]), "local")
    (row,) = [r for r in explain(plan, ["swarm"]) if (r.service, r.key) == ("a", "depends_on")]
    assert row.handling == "dropped"
    assert "depends_on" in row.note


ROWS = [
    ExplainRow("web", "image", "kubernetes", "mapped", ""),
    ExplainRow("web", "depends_on", "swarm", "dropped", "Swarm does not order start-up"),
]


def test_explain_table() -> None:
    lines = explain_table(ROWS).splitlines()
    assert lines[0].split() == ["SERVICE", "KEY", "TARGET", "HANDLING", "NOTE"]
    assert lines[1] == "web      image       kubernetes  mapped"
    assert lines[2] == "web      depends_on  swarm       dropped   Swarm does not order start-up"


def test_explain_json() -> None:
    assert explain_json(ROWS) == [
        {"service": "web", "key": "image", "target": "kubernetes", "handling": "mapped",
         "note": ""},
        {"service": "web", "key": "depends_on", "target": "swarm", "handling": "dropped",
         "note": "Swarm does not order start-up"},
    ]
