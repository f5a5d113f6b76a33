"""``validate``: every environment and target, located diagnostics, nothing hidden;
``check_tree``: the diff behind ``convert --check``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from project_files import write_project

from translator import api
from translator.errors import Diagnostic, Severity, TranslatorError
from translator.lint import LintConfig, load_config
from translator.locate import locate_for_plan
from translator.validate import check_tree, sort_unique, validate

REPO = Path(__file__).resolve().parent.parent


SAMPLES = sorted(p.name for p in (REPO / "samples").iterdir() if (p / "compose.yaml").is_file())


@pytest.fixture(autouse=True)
def _in_tmp_cwd(tmp_path: Path) -> Iterator[None]:
    # Locations are shown relative to the working folder: make that predictable.
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield
    finally:
        os.chdir(old)


def run(folder: Path, envs: list[str] | None = None, targets: list[str] | None = None,
        config: LintConfig | None = None) -> list[Diagnostic]:
    loaded = api.load_project([folder / "compose.yaml"])
    inputs = api.PlanInputs()
    names = envs if envs is not None else api.list_environments(loaded, inputs)
    return validate(loaded, names, targets, inputs, config or load_config(loaded.base_dir))


@pytest.mark.parametrize("sample", SAMPLES)
def test_samples_validate_without_errors(sample: str) -> None:
    found = run(REPO / "samples" / sample)
    assert [d.format() for d in found if d.severity is Severity.ERROR] == []
    assert all(d.location is not None for d in found if d.path)


BROKEN = """
services:
  web_app:
    image: nginx:1.27
  web-app:
    image: nginx:1.27
    environment:
      DB_PASSWORD: hunter2
"""


def test_one_failing_target_does_not_hide_the_others(tmp_path: Path) -> None:
    write_project(tmp_path / "p", BROKEN)
    found = run(tmp_path / "p", ["local"])
    errors = {(d.code, d.target) for d in found if d.severity is Severity.ERROR}
    # Kubernetes and Marathon refuse the colliding names; the lint rule says why.
    assert ("TR006", None) in errors
    assert any(target == "kubernetes" for _, target in errors)
    secret = [d for d in found if d.code == "TR007"]
    assert len(secret) == 1 and secret[0].location is not None
    assert secret[0].location.line == 7
    # Swarm renders these names: its warnings still come through.
    assert all(d.location is not None for d in found if d.path[:1] == ("services",))


def test_a_failing_environment_does_not_hide_another(tmp_path: Path) -> None:
    write_project(tmp_path / "p", "services:\n  web:\n    image: nginx\n", {
        "bad": "platform: kubernetes\nservices:\n  ghost: {replicas: 2}\n",
        "uat": "platform: kubernetes\n",
    })
    found = run(tmp_path / "p", ["bad", "uat"])
    bad = [d for d in found if d.severity is Severity.ERROR]
    assert bad and bad[0].location is not None
    assert bad[0].location.file.endswith("environments/bad.yaml")
    assert {"TR001", "TR003"} <= {d.code for d in found}


def test_environment_findings_point_into_the_environment_file(tmp_path: Path) -> None:
    write_project(tmp_path / "p", "services:\n  db:\n    image: postgres:16\n", {
        "prod": "platform: swarm\nproduction: true\nservices:\n  db:\n"
                "    stateful: true\n    strategy: binpack\n",
    })
    (found,) = [d for d in run(tmp_path / "p", ["prod"]) if d.code == "TR009"]
    assert found.location is not None
    assert (found.location.file, found.location.line, found.location.col) == (
        os.path.join("p", "environments", "prod.yaml"), 6, 5)


def test_repeats_across_environments_are_reported_once(tmp_path: Path) -> None:
    write_project(tmp_path / "p", 'services:\n  web:\n    image: nginx:1.27\n'
                  '    ports: ["80:80"]\n', {"uat": "platform: kubernetes\n"})
    found = run(tmp_path / "p", ["local", "uat"], ["swarm"])
    assert [d.code for d in found].count("TR008") == 1


def test_targets_limit_the_renderers(tmp_path: Path) -> None:
    write_project(tmp_path / "p", BROKEN)
    found = run(tmp_path / "p", ["local"], ["swarm"])
    assert {d.target for d in found} <= {None, "swarm"}


def test_config_turns_rules_off(tmp_path: Path) -> None:
    write_project(tmp_path / "p", BROKEN)
    (tmp_path / "p" / "translator.toml").write_text("disable = ['TR007']\n", encoding="utf-8")
    assert "TR007" not in {d.code for d in run(tmp_path / "p", ["local"], ["swarm"])}


def _diag(line: int | None, message: str, severity: Severity = Severity.WARNING) -> Diagnostic:
    from translator.errors import Location

    loc = None if line is None else Location("c.yaml", line, 1)
    return Diagnostic(severity, message, ("services", "x"), loc, code="c")


def test_sort_unique_orders_by_position_and_drops_repeats() -> None:
    items = [_diag(None, "n"), _diag(9, "b"), _diag(2, "a"), _diag(9, "b"),
             _diag(9, "a", Severity.ERROR)]
    assert [(d.location.line if d.location else None, d.message)
            for d in sort_unique(items)] == [(2, "a"), (9, "a"), (9, "b"), (None, "n")]


# ---- check_tree -----------------------------------------------------------------------------
@pytest.fixture
def rendered(tmp_path: Path) -> api.Rendered:
    write_project(tmp_path / "p", "services:\n  web:\n    image: nginx:1.27\n"
                  '    ports: ["80:80"]\n  api:\n    image: httpd:2\n')
    loaded = api.load_project([tmp_path / "p" / "compose.yaml"])
    return api.render(api.resolve(loaded, "local"), "kubernetes")


def test_check_tree_up_to_date(tmp_path: Path, rendered: api.Rendered) -> None:
    api.write(rendered.documents, tmp_path / "out", "yaml")
    (tmp_path / "out" / "README.md").write_text("not a manifest\n", encoding="utf-8")
    assert check_tree(rendered.documents, Path("out"), "yaml") == ""


def test_check_tree_reports_changed_missing_and_stale(
    tmp_path: Path, rendered: api.Rendered
) -> None:
    api.write(rendered.documents, tmp_path / "out", "yaml")
    out = tmp_path / "out"
    changed, removed = out / "deployment-web.yaml", out / "service-web.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("nginx", "nginy"),
                       encoding="utf-8")
    removed.unlink()
    (tmp_path / "out" / "old-service.yaml").write_text("kind: Service\n", encoding="utf-8")
    diff = check_tree(rendered.documents, Path("out"), "yaml")
    assert "--- a/out/deployment-web.yaml\n+++ b/out/deployment-web.yaml\n" in diff
    assert "\n-" in diff and "nginy:1.27" in diff and "\n+" in diff
    assert "--- /dev/null\n+++ b/out/service-web.yaml\n" in diff
    assert "--- a/out/old-service.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-kind: Service\n" in diff


def test_check_tree_on_missing_folder_lists_every_file(rendered: api.Rendered) -> None:
    diff = check_tree(rendered.documents, Path("nowhere"), "json")
    assert diff.count("--- /dev/null") == len(rendered.documents)
    assert '+  "apiVersion": "apps/v1",' in diff


ENV_DRIVEN = """
services:
  api:
    image: example/api:1.0
    deploy:
      replicas: 2
  db:
    image: postgres:16
  web:
    image: example/web:1.0
    deploy:
      restart_policy:
        condition: on-failure
"""
PRODUCTION = """
platform: kubernetes
defaults:
  max_replicas_per_node: 1
services:
  db:
    strategy: binpack
"""


def test_findings_about_environment_settings_point_at_the_environment_file(
    tmp_path: Path,
) -> None:
    write_project(tmp_path / "p", ENV_DRIVEN, {"production": PRODUCTION})
    everywhere = ["kubernetes", "swarm", "marathon"]  # --to widens it beyond the platform
    found = [d.format() for d in run(tmp_path / "p", ["production"], everywhere)]
    shown = os.path.join("p", "environments", "production.yaml")
    # A default: one finding at the defaults line, naming the services it applies to.
    assert (
        f"{shown}:3:3: environment.defaults.max_replicas_per_node: [kubernetes] "
        "max_replicas_per_node has no exact equivalent; it is dropped (topologySpreadConstraints "
        "bound skew, not count) (services api, db, web)"
    ) in found
    # A per-service setting, for every target that cannot honour it.
    binpack = [f for f in found if f.startswith(f"{shown}:6:5: environment.services.db.strategy")]
    assert len(binpack) == 3 and {"[kubernetes]", "[swarm]", "[marathon]"} == {
        f.split(": ")[2].split(" ")[0] for f in binpack
    }
    # What compose set still points at compose.
    compose = os.path.join("p", "compose.yaml")
    assert any(
        f.startswith(f"{compose}:11:7: services.web.deploy.restart_policy: [marathon]")
        for f in found
    )


def test_convert_reports_environment_settings_at_their_lines(tmp_path: Path) -> None:
    import subprocess
    import sys

    write_project(tmp_path / "p", ENV_DRIVEN, {"production": PRODUCTION})
    proc = subprocess.run(
        [sys.executable, "-m", "translator", "convert", "--env", "production", "--to", "swarm"],
        cwd=tmp_path / "p", capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "warning: environments/production.yaml:6:5: environment.services.db.strategy: [swarm] "
        "placement strategy binpack is dropped: Swarm mode only spreads"
    ) in proc.stderr.splitlines()


def test_an_object_check_failure_points_at_the_compose_service(tmp_path: Path) -> None:
    """A user's template that makes an object the API server would refuse: the error
    names the object and sits at the line of the service it came from."""
    write_project(tmp_path / "p", "services:\n  web:\n    image: nginx:1.27\n    ports: ['80']\n")
    templates = tmp_path / "mine" / "kubernetes"
    templates.mkdir(parents=True)
    (templates / "service.yaml.j2").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: {{ name }}, labels: {{ labels }}}\n"
        'spec: {"ports": [{"port": 70000}], "selector": {{ selector }}}\n'
    )
    loaded = api.load_project([tmp_path / "p" / "compose.yaml"])
    plan = api.resolve(loaded, "local")
    with pytest.raises(TranslatorError) as info:
        api.render(plan, "kubernetes", templates_dir=tmp_path / "mine")
    [found] = TranslatorError(info.value.diagnostics).located(loaded.locate).diagnostics
    assert found.format() == (
        f"{os.path.join('p', 'compose.yaml')}:2:3: services.web: "
        "Service.web.spec.ports[0].port: port 70000 is outside 1-65535"
    )


def test_environment_positions_travel_with_the_plan(tmp_path: Path) -> None:
    write_project(tmp_path / "p", ENV_DRIVEN, {"production": PRODUCTION})
    loaded = api.load_project([tmp_path / "p" / "compose.yaml"])
    plan = api.resolve(loaded, "production")
    rendered = api.render(plan, "swarm")
    # Locating reads no file: the positions were kept when the environment was read.
    (tmp_path / "p" / "environments" / "production.yaml").unlink()
    found = [d.format() for d in locate_for_plan(loaded, plan, rendered.diagnostics.items)]
    shown = os.path.join("p", "environments", "production.yaml")
    assert any(f.startswith(f"{shown}:6:5: environment.services.db.strategy") for f in found)
