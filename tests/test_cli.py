"""The CLI: exit codes, streams, and choices that come from the target registry."""

from __future__ import annotations

import ast
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


def test_no_command_prints_help_to_stderr_and_exits_2() -> None:
    proc = run()
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Usage: translator" in proc.stderr and "convert" in proc.stderr


def test_unknown_target_names_the_choices() -> None:
    proc = run("convert", "--to", "nomad")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "invalid choice: 'nomad'" in proc.stderr
    assert all(name in proc.stderr for name in targets.names())


def modules_loaded_by(argvs: list[list[str]], modules: tuple[str, ...], cwd: Path) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``cli.main`` on
    each of ``argvs`` (every run must succeed)."""
    code = (
        "import sys\nfrom translator import cli\n"
        f"for argv in {argvs!r}:\n"
        "    try:\n        cli.main(argv)\n    except SystemExit as done:\n"
        "        assert not done.code, (argv, done.code)\n"
        f"print([m for m in {modules!r} if m in sys.modules], file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=cwd,
    )
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    return loaded


def test_help_and_version_do_not_import_heavy_modules() -> None:
    heavy = ("pydantic", "jinja2", "yaml", "yaml_rs", "translator.targets.base")
    assert modules_loaded_by([["--version"], ["--help"], ["convert", "--help"]], heavy,
                             REPO) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_list_commands_options_and_choices(shell: str) -> None:
    proc = run("completion", shell)
    assert proc.returncode == 0, proc.stderr
    for word in ("convert", "validate", "--all-envs", "--marathon-layout"):
        assert (word.lstrip("-") if shell == "fish" else word) in proc.stdout
    assert " ".join(targets.names()) in proc.stdout  # --to's choices, from the registry


def test_bash_completion_script_completes_in_a_real_bash(tmp_path: Path) -> None:
    script = run("completion", "bash").stdout
    (tmp_path / "c.sh").write_text(script)
    probe = (
        f"source {tmp_path / 'c.sh'}\n"
        "COMP_WORDS=(translator conv); COMP_CWORD=1; _translator; echo \"${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(translator convert --to ''); COMP_CWORD=3; _translator; "
        "echo \"${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(translator validate --str); COMP_CWORD=2; _translator; "
        "echo \"${COMPREPLY[*]}\"\n"
    )
    proc = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30)
    assert proc.stdout.splitlines() == ["convert", " ".join(targets.names()), "--strict"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_during_a_command_and_restored_after(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    import gc

    seen: list[bool] = []
    monkeypatch.setitem(cli.HANDLERS, "rules", lambda args: seen.append(gc.isenabled()))
    was = gc.isenabled()
    gc.enable() if enabled else gc.disable()
    try:
        with pytest.raises(SystemExit) as done:
            cli.main(["rules"])
        assert done.value.code == 0
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_plain_commands_load_only_what_they_use(tmp_path: Path) -> None:
    # PyYAML serves the precise YAML path; emit_files serves -o DIR (shutil and tempfile
    # are no measure: pydantic's plugin loader imports them). A plain project on a stream
    # needs none of them.
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    commands = [["convert", "--to", "kubernetes"], ["validate"], ["config"]]
    optional = ("yaml", "translator.emit_files")
    assert modules_loaded_by(commands, optional, tmp_path) == []


def test_a_render_error_names_the_compose_line(tmp_path: Path) -> None:
    # A user's template that misshapes a Kubernetes object: the error points at the service.
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    folder = tmp_path / "mine" / "kubernetes"
    folder.mkdir(parents=True)
    (folder / "deployment.yaml.j2").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: web\nspec: {replicas: {{ replicas }}}\n")
    proc = run("convert", "--to", "kubernetes", "--templates", str(tmp_path / "mine"),
               cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("error: compose.yaml:2:3: services.web: Deployment: not a "
                                  "valid Kubernetes Deployment"), proc.stderr
