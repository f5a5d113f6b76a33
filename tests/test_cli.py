"""The CLI: exit codes, streams, and choices that come from the target registry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from translator import __version__, cli, targets
from translator.errors import TranslatorError

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = REPO, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("TRANSLATOR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "translator", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version() -> None:
    proc = run("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"translator {__version__}\n", "")


@pytest.mark.parametrize(
    "command",
    ["config", "convert", "deploy", "validate", "rules", "explain", "diff", "pin", "schema"],
)
def test_every_command_has_help(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage: translator" in proc.stdout


def test_target_choices_come_from_the_registry() -> None:
    proc = run("convert", "--help")
    assert ", ".join(targets.names()) in " ".join(proc.stdout.split())


@pytest.mark.parametrize(
    "args",
    [("convert", "--bogus"), ("nonsense",), ("deploy",), ("config", "--format")],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr


def _main_exit(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> tuple[int, str]:
    def boom(*_a: object, **_k: object) -> None:
        raise exc

    monkeypatch.setattr(cli, "_load", boom)
    with pytest.raises(SystemExit) as info:
        cli.main(["config"])
    return int(info.value.code or 0), ""


def test_bad_input_exits_1_with_the_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    error = TranslatorError.at("bad port", ("services", "web", "ports", 0))
    code, _ = _main_exit(monkeypatch, error)
    err = capsys.readouterr().err
    assert code == 1
    assert err == "error: services.web.ports[0]: bad port\n"


def test_internal_errors_exit_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRANSLATOR_DEBUG", raising=False)
    code, _ = _main_exit(monkeypatch, KeyError("oops"))
    err = capsys.readouterr().err
    assert code == 3
    assert "internal error: KeyError" in err
    assert "Traceback" not in err


def test_help_and_version_do_not_import_heavy_modules() -> None:
    code = (
        "import sys; from translator import cli;"
        "heavy = [m for m in ('pydantic', 'jinja2', 'translator.targets.kubernetes',"
        " 'translator.compose.loader', 'yaml') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout.strip() == ""


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_validate_reports_load_errors_in_the_chosen_format(tmp_path: Path, fmt: str) -> None:
    compose = 'services:\n  web:\n    image: nginx\n    ports: ["x:y"]\n'
    (tmp_path / "compose.yaml").write_text(compose)
    proc = run("validate", "--format", fmt, cwd=tmp_path)
    assert proc.returncode == 1
    assert "compose.yaml" in proc.stdout and "ports" in proc.stdout
    if fmt != "github":
        import json

        json.loads(proc.stdout)  # a parser in CI gets a whole document


def test_convert_keeps_diagnostics_off_stdout(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1\n    ulimits: {nofile: 1024}\n    depends_on: [db]\n"
        "  db:\n    image: postgres:16\n"
    )
    proc = run("convert", "--to", "kubernetes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    import yaml

    docs = list(yaml.safe_load_all(proc.stdout))
    assert all(isinstance(d, dict) and "kind" in d for d in docs)
    assert "warning:" in proc.stderr and "warning" not in proc.stdout
