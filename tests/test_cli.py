"""The CLI: exit codes, streams, and choices that come from the target registry."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from translator import __version__, api, cli, targets
from translator.cli import complete
from translator.errors import TranslatorError, UsageError

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
    ["config", "convert", "deploy", "validate", "rules", "explain", "diff", "pin", "schema",
     "schema environment"],
)
def test_every_command_has_help(command: str) -> None:
    proc = run(*command.split(), "--help")
    assert proc.returncode == 0, proc.stderr
    assert f"Usage: translator {command}" in proc.stdout


def test_dash_h_is_help() -> None:
    assert run("convert", "-h").stdout == run("convert", "--help").stdout != ""


@pytest.mark.parametrize("command", ["convert", "deploy", "validate", "config", "diff"])
def test_help_shows_examples(command: str) -> None:
    proc = run(command, "--help")
    assert "Examples:" in proc.stdout
    assert f"translator {command} " in proc.stdout.split("Examples:")[1]


@pytest.mark.parametrize("command", ["convert", "deploy", "validate", "explain"])
def test_target_choices_come_from_the_registry(command: str) -> None:
    # Help lists the names; aliases (k8s) are accepted and completed, but listing them would
    # import every target while the command line is built.
    text = " ".join(run(command, "--help").stdout.split())
    assert ", ".join(targets.names()) in text


@pytest.mark.parametrize(
    ("command", "offered"),
    [("convert", {"network_policies", "create_namespace", "marathon_layout"}),
     ("deploy", {"network_policies", "create_namespace", "marathon_layout"}),
     ("validate", {"network_policies", "marathon_layout"}),
     ("explain", set())],
)
def test_target_flags_come_from_the_targets_declarations(command: str, offered: set[str]) -> None:
    text = run(command, "--help").stdout
    for name in targets.names():
        for option in targets.get(name).options:
            assert (option.flag in text) is (option.name in offered), option.flag


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

    monkeypatch.setattr(api, "load_project", boom)
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
    assert err == (
        "internal error: KeyError: 'oops'\nThis is a bug in translator, not in your files. "
        "Set TRANSLATOR_DEBUG=1 for a traceback and report it.\n"
    )


def test_translator_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_DEBUG", "1")
    with pytest.raises(KeyError, match="oops"):
        _main_exit(monkeypatch, KeyError("oops"))


@pytest.mark.parametrize(
    ("raised", "code", "err"),
    [(None, 0, ""), (7, 7, ""),
     (TranslatorError.at("bad", ("services", "web")), 1, "error: services.web: bad\n"),
     (UsageError("--x needs -y"), 2, "error: --x needs -y\n"),
     (BrokenPipeError(), 0, ""),
     (RuntimeError("boom"), 3, "internal error: RuntimeError: boom\n")],
)
def test_the_one_handler_maps_each_outcome_to_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    raised: Exception | int | None, code: int, err: str,
) -> None:
    monkeypatch.delenv("TRANSLATOR_DEBUG", raising=False)

    def command() -> int:
        if isinstance(raised, Exception):
            raise raised
        return raised or 0

    assert cli.app.handle(command) == code
    assert capsys.readouterr().err.startswith(err)


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


@pytest.mark.parametrize("command", ["convert", "deploy web", "validate", "explain"])
def test_unknown_target_names_the_choices(command: str) -> None:
    proc = run(*command.split(), "--to", "nomad")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Invalid value for '--to'" in proc.stderr and "'nomad'" in proc.stderr
    assert all(name in proc.stderr for name in targets.aliases())
    assert "Traceback" not in proc.stderr


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
    heavy = ("pydantic", "jinja2", "yaml", "yaml_rs", "translator.targets.base",
             "translator.api", "translator.compose.loader")
    assert modules_loaded_by([["--version"], ["--help"]], heavy, REPO) == []
    # A command's help needs its target flags (the target modules), nothing that renders.
    assert modules_loaded_by([["convert", "--help"]], heavy[1:3] + heavy[-2:], REPO) == []


def test_plain_commands_load_only_what_they_use(tmp_path: Path) -> None:
    # PyYAML serves the precise YAML path; emit_files serves -o DIR. A plain project on a
    # stream needs neither. (pydantic, shutil and tempfile are no measure: typer and
    # pydantic's plugin loader import them on every command.)
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    commands = [["convert", "--to", "kubernetes"], ["validate"], ["config"]]
    optional = ("yaml", "translator.emit_files")
    assert modules_loaded_by(commands, optional, tmp_path) == []


# ---- completion -----------------------------------------------------------------------------
SHOP = REPO / "samples" / "shop"
SHOP_SERVICES = ["accounts", "returns", "invoicing", "shipping", "inventory", "customer-service",
                 "db"]


@pytest.mark.parametrize(
    ("cwd", "params", "names"),
    [(SHOP, {}, ["local", "production", "uat"]),
     (REPO, {"files": [str(SHOP / "compose.yaml")]}, ["local", "production", "uat"]),
     (REPO, {"environments": REPO / "nowhere"}, ["local"]),
     (REPO / "translator", {}, ["local"])],  # no compose file anywhere: still local
)
def test_environment_names_come_from_the_folder_beside_the_compose_file(
    monkeypatch: pytest.MonkeyPatch, cwd: Path, params: dict[str, object], names: list[str]
) -> None:
    monkeypatch.chdir(cwd)
    assert complete.environment_names(params) == names


@pytest.mark.parametrize(
    ("params", "names"),
    [({"files": [str(SHOP / "compose.yaml")]}, SHOP_SERVICES),
     ({"files": [str(REPO / "missing.yaml")]}, []),  # a project that does not load
     ({"files": ["-"]}, [])],  # stdin is the shell's while it completes
)
def test_service_names_come_from_the_loaded_project(
    params: dict[str, object], names: list[str]
) -> None:
    assert complete.service_names(params) == names


def test_completion_callbacks_filter_by_what_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    monkeypatch.chdir(SHOP)
    ctx: typer.Context = SimpleNamespace(params={"files": None})  # type: ignore[assignment]
    assert complete.complete_environments(ctx, "u") == ["uat"]
    assert complete.complete_services(ctx, "in") == ["invoicing", "inventory"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [("translator conv", ["convert"]),
     ("translator deploy ", SHOP_SERVICES),
     ("translator pin ship", ["shipping"]),
     ("translator deploy returns v1 ", ["local", "production", "uat"]),
     ("translator convert --env p", ["production"]),
     ("translator diff uat ", ["local", "production", "uat"]),
     ("translator convert --to ", list(targets.aliases())),
     ("translator validate --str", ["--strict"])],
)
def test_bash_completion_through_typer(words: str, expected: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "_TRANSLATOR_COMPLETE": "complete_bash",
           "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    proc = subprocess.run([sys.executable, "-m", "translator"], cwd=SHOP, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.split() == expected


def test_show_completion_prints_a_script_for_the_shell() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO),
           "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    proc = subprocess.run([sys.executable, "-m", "translator", "--show-completion", "bash"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "_TRANSLATOR_COMPLETE=complete_bash" in proc.stdout


# ---- targets, aliases, and the one handler --------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [["convert", "--env", "production"], ["deploy", "returns", "v4", "production"],
     ["validate", "--env", "production"], ["explain", "--env", "production"]],
)
def test_to_accepts_the_k8s_alias(argv: list[str]) -> None:
    alias = run(*argv, "--to", "k8s", cwd=SHOP)
    named = run(*argv, "--to", "kubernetes", cwd=SHOP)
    assert alias.returncode == named.returncode and alias.returncode in (0, 1), alias.stderr
    assert (alias.stdout, alias.stderr) == (named.stdout, named.stderr)
    assert "kubernetes" in alias.stdout + alias.stderr


def test_deploy_create_namespace_emits_the_namespace() -> None:
    args = ("deploy", "returns", "v4", "production", "--to", "kubernetes")
    plain, with_ns = run(*args, cwd=SHOP), run(*args, "--create-namespace", cwd=SHOP)
    assert plain.returncode == with_ns.returncode == 0, with_ns.stderr
    import yaml

    kinds = [d["kind"] for d in yaml.safe_load_all(with_ns.stdout)]
    assert "Namespace" in kinds
    assert "Namespace" not in [d["kind"] for d in yaml.safe_load_all(plain.stdout)]


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["config"], 0), (["convert", "--to", "k8s", "--env", "production"], 0),
     (["deploy", "returns", "v4", "production"], 0), (["validate", "--env", "uat"], 0),
     (["rules"], 0), (["explain", "--format", "json"], 0), (["diff", "uat", "production"], 0),
     (["pin", "shipping", "1.9.2"], 0), (["schema", "environment"], 0),
     (["convert", "--env", "staging"], 1), (["validate", "--strict"], 1),
     (["deploy", "refunds"], 1), (["convert", "--check"], 2)],
)
def test_each_command_returns_its_code_through_the_one_handler(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str], code: int
) -> None:
    import shutil

    shutil.copytree(SHOP, tmp_path / "shop")
    monkeypatch.chdir(tmp_path / "shop")
    seen: list[int] = []
    real = cli.app.handle

    def spy(run: Callable[[], int]) -> int:
        seen.append(real(run))
        return seen[-1]

    monkeypatch.setattr(cli.app, "handle", spy)
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert (done.value.code, seen) == (code, [code])


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


def test_validate_renders_with_the_target_flags_it_is_given() -> None:
    args = ("validate", "--env", "production", "--to", "kubernetes")
    plain, flagged = run(*args, cwd=SHOP), run(*args, "--network-policies", cwd=SHOP)
    assert plain.returncode == flagged.returncode == 0, flagged.stderr
    assert "use --network-policies" in plain.stdout
    assert "use --network-policies" not in flagged.stdout
