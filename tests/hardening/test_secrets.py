"""Secret values never reach diagnostics, `explain`, `validate` reports or error messages,
and manifests only reference secrets by name unless --embed-secrets is given (then the
Kubernetes Secret holds base64 data in a file of mode 0600)."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
import yaml
from hardening_helpers import run_cli, write

FILE_SECRET = "TOPSECRET-FILE-4d1f"
ENV_SECRET = "TOPSECRET-ENVSRC-77aa"
LITERAL = "TOPSECRET-LITERAL-93c2"
ENV_FILE_SECRET = "TOPSECRET-ENVFILE-0b7e"
URL_PASSWORD = "TOPSECRET-URLPW-5e5e"
ALL = [FILE_SECRET, ENV_SECRET, LITERAL, ENV_FILE_SECRET, URL_PASSWORD]
# Only in `secrets:` sources: never in a manifest unless --embed-secrets.
SECRET_SOURCES = [FILE_SECRET, ENV_SECRET]

COMPOSE = f"""\
services:
  web:
    image: nginx:1.27
    environment:
      DB_PASSWORD: {LITERAL}
      DATABASE_URL: postgres://user:{URL_PASSWORD}@db/app
    env_file: app.env
    secrets: [db_file, db_env]
    ports: ["8080:80"]
    privileged: true
    unknown_key: 1
secrets:
  db_file:
    file: ./db.txt
  db_env:
    environment: SOURCE_TOKEN
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, "compose.yaml", COMPOSE)
    write(tmp_path, "db.txt", FILE_SECRET)
    write(tmp_path, "app.env", f"API_KEY={ENV_FILE_SECRET}\n")
    return tmp_path


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


REPORTS = [
    ["validate", "--format", "human"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["validate", "--format", "sarif"],
    ["validate", "--strict"],
    ["explain"],
    ["explain", "--format", "json"],
    ["diff", "local", "local"],
]


@pytest.mark.parametrize("args", REPORTS, ids=lambda a: "-".join(a))
def test_reports_never_show_secret_values(args: list[str], project: Path) -> None:
    run = run_cli([*args, "-f", "compose.yaml"], project, env={"SOURCE_TOKEN": ENV_SECRET})
    assert "Traceback" not in run.stderr and run.code in (0, 1), run.stderr
    assert _leaks(run.stdout + run.stderr, ALL) == []
    if args[0] == "validate":
        assert "TR007" in run.stdout  # the literal secret was found, and not shown


@pytest.mark.parametrize("target", ["kubernetes", "swarm", "marathon"])
def test_manifests_reference_secrets_by_name(target: str, project: Path) -> None:
    run = run_cli(["convert", "--to", target, "-f", "compose.yaml"], project,
                  env={"SOURCE_TOKEN": ENV_SECRET})
    assert run.code == 0, run.stderr
    assert _leaks(run.stderr, ALL) == []  # warnings name keys, never values
    assert _leaks(run.stdout, SECRET_SOURCES) == []


def test_embedded_kubernetes_secret_is_base64_in_a_0600_file(project: Path) -> None:
    run = run_cli(["convert", "--to", "kubernetes", "--embed-secrets", "-f", "compose.yaml",
                   "-o", "out"], project, env={"SOURCE_TOKEN": ENV_SECRET})
    assert run.code == 0, run.stderr
    assert _leaks(run.stderr, ALL) == []
    secrets = []
    for path in sorted((project / "out").rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc.get("kind") == "Secret":
                secrets.append(doc)
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
                assert "stringData" not in doc
            else:
                assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
                assert _leaks(path.read_text(), SECRET_SOURCES) == [], path
    values = sorted(base64.b64decode(v).decode() for d in secrets for v in d["data"].values())
    # A secret from an environment variable is never read into the model (the warning says
    # to create it); only the file's content is embedded.
    assert values == [FILE_SECRET]
    assert "db_env" in run.stderr and ENV_SECRET not in run.stderr
    for doc in secrets:  # the plain text is nowhere in the file, only its base64
        assert _leaks(yaml.safe_dump(doc), SECRET_SOURCES) == []


ERROR_CASES = {
    # A value that fails interpolation under a secret-looking key, in every form.
    "bad-interpolation-map": ("    environment:\n      DB_PASSWORD: 'x${A B ' + S + '}'\n", ""),
    "bad-interpolation-list": ("    environment:\n      - 'DB_PASSWORD=${A B ' + S + '}'\n", ""),
    "bad-interpolation-url": (
        "    environment:\n      DSN: 'postgres://u:' + S + '@h/${A B}'\n", ""),
    "bad-interpolation-env-file": ("    env_file: bad.env\n", "API_KEY=\"x${A B ' + S + '}\"\n"),
    # Errors next to secrets name keys, never the values around them.
    "invalid-port": ("    environment:\n      DB_PASSWORD: ' + S + '\n    ports: ['bad']\n", ""),
    "broken-env-file": ("    env_file: bad.env\n", "API_KEY=' + S + '\nBROKEN LINE\n"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_error_messages_never_show_secret_values(case: str, tmp_path: Path) -> None:
    service, env_file = (part.replace("' + S + '", LITERAL) for part in ERROR_CASES[case])
    write(tmp_path, "compose.yaml", "services:\n  web:\n    image: nginx:1.27\n" + service)
    write(tmp_path, "bad.env", env_file)
    for args in (["config"], ["convert", "--to", "kubernetes"], ["validate"]):
        run = run_cli([*args, "-f", "compose.yaml"], tmp_path)
        assert "Traceback" not in run.stderr and run.code == 1, (args, run.stderr)
        assert _leaks(run.stdout + run.stderr, [LITERAL]) == [], (args, run.stdout + run.stderr)
