"""Output that fits the job: environments named, compose-level findings once, one JSON
document for Kubernetes, --quiet, and repeated warnings grouped in text."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run, write

PROJECT = {
    "compose.yaml": """
        services:
          web:
            image: nginx
            depends_on: [db]
            networks: [front]
          api:
            image: nginx
            depends_on: [db]
            networks: [front]
          db:
            image: postgres
            networks: [front]
        networks:
          front: {}
        """,
    "environments/local.yaml": "platform: kubernetes\n",
    "environments/uat.yaml": "platform: kubernetes\nproduction: true\n",
}


def test_all_envs_names_each_environment_and_shows_shared_findings_once(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    text = run(folder, "validate", "--all-envs").stdout.splitlines()
    # The same in every environment: once, unnamed.
    shared = [line for line in text if "networks are not enforced" in line]
    assert len(shared) == 1 and not shared[0].startswith("[")
    # Only uat asks for limits (production: true): named.
    assert any(line.startswith("[uat] compose.yaml:") and "warning[TR003]" in line
               for line in text)
    found = json.loads(run(folder, "validate", "--all-envs", "--format", "json").stdout)
    envs = {d["code"]: d["environment"] for d in found["diagnostics"]}
    assert envs["TR003"] == "uat" and envs["kubernetes.approximated"] is None


def test_convert_all_envs_names_environments_too(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    done = run(folder, "convert", "--all-envs", "-o", "out")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("networks are not enforced") == 1


def test_repeated_warnings_are_one_line_with_a_count_in_text_only(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    text = run(folder, "validate", "--env", "local").stdout
    (line,) = [ln for ln in text.splitlines() if "networks are not enforced" in ln]
    assert line.startswith("compose.yaml:5:5: services.web.networks: warning[")
    assert line.endswith(" [3 services: web, api, db]")
    # Two services wait for db: one line, the summary still counts every finding.
    assert text.count("wait for db") == 1 and "[2 services: web, api]" in text
    assert text.splitlines()[-1] == "0 errors, 5 warnings"
    found = json.loads(run(folder, "validate", "--format", "json").stdout)["diagnostics"]
    assert sum("networks are not enforced" in d["message"] for d in found) == 3
    stderr = run(folder, "convert").stderr
    assert stderr.count("networks are not enforced") == 1 and "[3 services: " in stderr


def test_quiet_shows_errors_only(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    clean = run(folder, "validate", "--quiet")
    assert (clean.returncode, clean.stdout) == (0, "")
    assert run(folder, "convert", "-q").stderr == ""
    strict = run(folder, "validate", "-q", "--strict")
    assert strict.returncode == 1 and "warning[" in strict.stdout
    broken = write(tmp_path / "b", {"compose.yaml": """
        services:
          web: {image: nginx, ports: ["80:80"]}
          api: {image: nginx, ports: ["80:80"]}
        """})
    done = run(broken, "validate", "-q", "--to", "kubernetes")
    assert done.returncode == 1
    assert {ln.split(": ")[2].split("[")[0] for ln in done.stdout.splitlines()[:-1]} == {"error"}


def test_kubernetes_json_is_one_v1_list(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    done = run(folder, "convert", "--to", "kubernetes", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["apiVersion"], document["kind"]) == ("v1", "List")
    yaml_docs = run(folder, "convert", "--to", "kubernetes").stdout.count("\n---\n") + 1
    assert len(document["items"]) == yaml_docs
    assert {item["kind"] for item in document["items"]} >= {"Deployment", "Service"}
