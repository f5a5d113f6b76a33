"""``validate`` reports every problem: past a load error, per environment's platform, with
target diagnostics configurable in translator.toml."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run, write

BROKEN = """
services:
  web:
    image: nginx
    ports: ["8080:80"]
    depends_on: [dbb]
  api:
    image: nginx
    ports: ["8080:81"]
  db:
    image: postgres
"""


def test_an_undefined_dependency_does_not_hide_a_port_conflict(tmp_path: Path) -> None:
    done = run(write(tmp_path, {"compose.yaml": BROKEN}), "validate", "--to", "kubernetes")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert 'compose.yaml:5:18: services.web.depends_on[0]: error[invalid]: service "web" ' \
        'depends on undefined service "dbb"' in lines
    assert "compose.yaml:4:13: services.web.ports[0]: error[TR004]: host port 8080/tcp is " \
        "also published by service 'api' (publish another host port, or bind each to a " \
        "different host_ip)" in lines
    assert lines[-1].startswith("2 errors")


def test_a_yaml_error_still_stops_at_the_error(tmp_path: Path) -> None:
    done = run(write(tmp_path, {"compose.yaml": "services:\n  web: [\n"}), "validate")
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "1 error, 0 warnings"


SWARM_UNFRIENDLY = """
services:
  web:
    image: nginx
    restart: always
    depends_on: [db]
    deploy:
      restart_policy: {condition: on-failure}
  db:
    image: postgres
"""


def _codes(stdout: str) -> set[str]:
    return {d["code"].split(".")[0] for d in json.loads(stdout)["diagnostics"] if "." in d["code"]}


def test_each_environment_is_checked_against_its_own_platform(tmp_path: Path) -> None:
    folder = write(tmp_path, {"compose.yaml": SWARM_UNFRIENDLY,
                              "environments/prod.yaml": "platform: kubernetes\n",
                              "environments/bare.yaml": "production: false\n"})
    prod = run(folder, "validate", "--env", "prod", "--format", "json")
    assert _codes(prod.stdout) == {"kubernetes"}
    # --to replaces the platform: narrower or wider.
    assert _codes(run(folder, "validate", "--env", "prod", "--to", "swarm",
                      "--format", "json").stdout) == {"swarm"}
    assert _codes(run(folder, "validate", "--env", "prod", "--to", "swarm", "--to", "k8s",
                      "--format", "json").stdout) == {"swarm", "kubernetes"}
    # An environment that names no platform (the implied local one too) checks every target.
    assert _codes(run(folder, "validate", "--env", "bare", "--format", "json").stdout) == {
        "kubernetes", "swarm", "marathon"}
    assert _codes(run(folder, "validate", "--format", "json").stdout) == {
        "kubernetes", "swarm", "marathon"}


def test_target_codes_are_turned_off_or_relevelled_in_translator_toml(tmp_path: Path) -> None:
    folder = write(tmp_path, {"compose.yaml": SWARM_UNFRIENDLY, "translator.toml": """
        [rules]
        "swarm.dropped" = "off"
        kubernetes.approximated = "info"
        """})
    found = json.loads(run(folder, "validate", "--format", "json").stdout)["diagnostics"]
    codes = {(d["code"], d["severity"]) for d in found}
    assert not any(code == "swarm.dropped" for code, _ in codes)
    assert ("kubernetes.approximated", "info") in codes
    assert ("kubernetes.approximated", "warning") not in codes
    # convert honours the same settings.
    converted = run(folder, "convert", "--to", "kubernetes")
    assert "warning:" not in converted.stderr and "info: compose.yaml:5:5" in converted.stderr


def test_an_unknown_target_code_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = write(tmp_path, {"compose.yaml": SWARM_UNFRIENDLY,
                              "translator.toml": '[rules]\nTR001 = "off"\n"swarm.bogus" = "off"\n'})
    done = run(folder, "validate")
    assert done.returncode == 1
    assert "translator.toml:3:1: error[config]: lint setting 'swarm.bogus' names no rule or " \
        "target code (known: TR001" in done.stdout
    assert "and <target>.dropped|approximated|renamed|info)" in done.stdout
