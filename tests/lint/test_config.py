"""Per-project lint settings, ``lint`` itself and the ``translator rules`` table."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lint_helpers import PlanFactory

from translator.errors import Severity, TranslatorError
from translator.lint import RULES, LintConfig, lint, load_config, rules_table


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "disabled", "severities"),
    [
        ({}, set(), {}),
        ({"pyproject.toml": "[project]\nname = 'x'\n"}, set(), {}),
        (
            {"pyproject.toml": """
                [tool.translator.rules]
                TR001 = "error"
                missing-resource-limits = "off"
             """},
            {"TR003"},
            {"TR001": Severity.ERROR},
        ),
        (
            {"pyproject.toml": """
                [tool.translator]
                TR008 = "info"
                disable = ["TR002", "plaintext-secret"]
                other-tool-setting = 3
             """},
            {"TR002", "TR007"},
            {"TR008": Severity.INFO},
        ),
        (
            # translator.toml beside the compose file wins over pyproject.toml.
            {"translator.toml": "[rules]\nTR004 = 'warning'\n",
             "pyproject.toml": "[tool.translator.rules]\nTR004 = 'off'\n"},
            set(),
            {"TR004": Severity.WARNING},
        ),
        ({"translator.toml": "unpinned-artifact = 'off'\n"}, {"TR001"}, {}),
    ],
)
def test_load_config(
    tmp_path: Path, files: dict[str, str], disabled: set[str], severities: dict[str, Severity]
) -> None:
    (tmp_path / ".git").mkdir()  # the search for pyproject.toml stops here
    for name, text in files.items():
        write(tmp_path, name, text)
    config = load_config(tmp_path)
    assert config.disabled == disabled
    assert dict(config.severities) == severities


@pytest.mark.parametrize(
    ("layout", "found"),
    [
        # The nearest pyproject.toml above the compose folder counts ...
        ({"pyproject.toml": "[tool.translator.rules]\nTR001 = 'off'\n"}, {"TR001"}),
        # ... but not one beyond the repository root ...
        ({"pyproject.toml": "[tool.translator.rules]\nTR001 = 'off'\n", "repo/.git": ""},
         set()),
        # ... and the nearest one wins even when it has no [tool.translator].
        ({"pyproject.toml": "[tool.translator.rules]\nTR001 = 'off'\n",
          "repo/pyproject.toml": "[project]\nname = 'x'\n"}, set()),
    ],
)
def test_pyproject_is_searched_upwards(
    tmp_path: Path, layout: dict[str, str], found: set[str]
) -> None:
    project_dir = tmp_path / "repo" / "deploy"
    project_dir.mkdir(parents=True)
    for name, text in layout.items():
        write(tmp_path, name, text)
    assert load_config(project_dir).disabled == found


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("pyproject.toml", "[tool.translator.rules]\nTR001 = 'warning'\nTR999 = 'off'\n", 3,
         ["'TR999'", "names no rule"]),
        ("pyproject.toml", "[tool.translator.rules]\n\nTR001 = 'loud'\n", 3,
         ["'TR001'", "error, warning, info or off"]),
        ("translator.toml", "disable = ['TR001',\n  'nope']\n", 2, ["'nope'"]),
        ("translator.toml", "disable = 'TR001'\n", 1, ["'disable'", "list"]),
        ("translator.toml", "rules = 3\n", 1, ["'rules'", "table"]),
        ("translator.toml", "[rules]\nTR001 = \n", 2, ["invalid TOML"]),
    ],
)
def test_bad_config_points_at_file_and_key(
    tmp_path: Path, name: str, text: str, line: int, words: list[str]
) -> None:
    write(tmp_path, name, text)
    with pytest.raises(TranslatorError) as caught:
        load_config(tmp_path)
    (d,) = caught.value.diagnostics
    assert d.location is not None
    assert (d.location.file, d.location.line) == (str(tmp_path / name), line)
    for word in words:
        assert word in d.message


SAMPLE = """
services:
  web:
    image: nginx
    ports: ["80:80"]
    environment: {DB_PASSWORD: hunter2}
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (LintConfig(), {("TR001", Severity.WARNING), ("TR003", Severity.WARNING),
                        ("TR007", Severity.WARNING), ("TR008", Severity.WARNING)}),
        (LintConfig(disabled=frozenset({"TR001", "TR008"})),
         {("TR003", Severity.WARNING), ("TR007", Severity.WARNING)}),
        (LintConfig(severities={"TR007": Severity.ERROR, "TR003": Severity.INFO}),
         {("TR001", Severity.WARNING), ("TR003", Severity.INFO),
          ("TR007", Severity.ERROR), ("TR008", Severity.WARNING)}),
    ],
)
def test_lint_applies_config(
    make_plan: PlanFactory, config: LintConfig, expected: set[tuple[str, Severity]]
) -> None:
    plan = make_plan(SAMPLE, "uat", "platform: swarm\n")
    assert {(d.code, d.severity) for d in lint(plan, config)} == expected


def test_registry_is_ordered_and_complete() -> None:
    assert list(RULES) == sorted(RULES) == [f"TR{i:03d}" for i in range(1, 10)]
    names = [r.name for r in RULES.values()]
    assert len(set(names)) == len(names)
    for rule in RULES.values():
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.rationale and "\n" not in rule.rationale


def test_rules_table_lists_every_rule() -> None:
    lines = rules_table().splitlines()
    assert lines[0].split() == ["ID", "NAME", "SEVERITY", "RATIONALE"]
    for line, rule in zip(lines[1:], RULES.values(), strict=True):
        assert line.split()[:3] == [rule.id, rule.name, rule.severity.value]
        assert line.endswith(rule.rationale)


def test_rules_command_imports_no_heavy_modules() -> None:
    # `translator rules` prints rules_table(): it must not pay for pydantic or the renderers.
    import subprocess
    import sys

    code = ("import sys, translator.lint; translator.lint.rules_table(); "
            "print(sorted(m for m in ('pydantic', 'jinja2', 'translator.model', "
            "'translator.targets.kubernetes') if m in sys.modules))")
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=repo)
    assert out.stdout.strip() == "[]"


def test_target_codes_are_configured_like_rules(tmp_path: Path) -> None:
    from translator.errors import Diagnostic
    from translator.lint.config import relevel

    (tmp_path / "translator.toml").write_text(
        '[rules]\n"swarm.dropped" = "off"\n[rules.marathon]\napproximated = "info"\n',
        encoding="utf-8")
    config = load_config(tmp_path)
    found = [Diagnostic(Severity.WARNING, "a", code="swarm.dropped"),
             Diagnostic(Severity.WARNING, "b", code="marathon.approximated"),
             Diagnostic(Severity.ERROR, "c", code="swarm.invalid")]
    assert [(d.message, d.severity) for d in relevel(found, config)] == [
        ("b", Severity.INFO), ("c", Severity.ERROR)]
