"""End to end through the CLI: the same deploy command everywhere, environments, pins, diffs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "samples" / "shop"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "translator", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    shutil.copytree(SHOP, tmp_path / "shop")
    return tmp_path / "shop"


def images(text: str) -> set[str]:
    found = set()
    for doc in yaml.safe_load_all(text):
        for spec in _pod_specs(doc):
            found.update(c["image"] for c in spec.get("containers", []))
    return found


def _pod_specs(doc: dict[str, object]) -> list[dict[str, list[dict[str, str]]]]:
    spec = doc.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("template"), dict):
        return [spec["template"]["spec"]]
    return []


@pytest.mark.parametrize(
    ("args", "image"),
    [
        (("returns", "v456", "production"), "registry.example.com/shop/returns:v456"),
        (("returns",), "registry.example.com/shop/returns:latest"),
    ],
)
def test_deploy_one_service_at_one_version(shop: Path, args: tuple[str, ...], image: str) -> None:
    proc = run("deploy", *args, cwd=shop)
    assert proc.returncode == 0, proc.stderr
    assert images(proc.stdout) == {image}


def test_deploy_unknown_service_lists_the_known_ones(shop: Path) -> None:
    proc = run("deploy", "refunds", "v1", "production", cwd=shop)
    assert proc.returncode == 1
    assert "refunds" in proc.stderr and "returns" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_environment_lists_the_known_ones(shop: Path) -> None:
    proc = run("convert", "--env", "staging", cwd=shop)
    assert proc.returncode == 1
    assert all(name in proc.stderr for name in ("local", "uat", "production"))


def test_all_envs_renders_each_environment_into_its_folder(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("convert", "--all-envs", "-o", str(out), cwd=shop)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["local", "production", "uat"]
    for env in ("local", "production", "uat"):
        assert any(out.joinpath(env).glob("*.yaml")), env


def test_check_passes_when_up_to_date_and_fails_with_a_diff_when_not(
    shop: Path, tmp_path: Path
) -> None:
    out = tmp_path / "manifests"
    assert run("convert", "--env", "production", "-o", str(out), cwd=shop).returncode == 0
    ok = run("convert", "--env", "production", "-o", str(out), "--check", cwd=shop)
    assert (ok.returncode, ok.stdout) == (0, "")
    target = sorted(out.glob("*.yaml"))[0]
    target.write_text(target.read_text() + "# hand edit\n")
    stale = run("convert", "--env", "production", "-o", str(out), "--check", cwd=shop)
    assert stale.returncode == 1
    assert "hand edit" in stale.stdout
    assert target.read_text().endswith("# hand edit\n"), "--check must write nothing"


def test_pin_updates_the_artifacts_file_and_deploy_uses_it(shop: Path) -> None:
    before = (shop / "artifacts.yaml").read_text()
    proc = run("pin", "shipping", "1.9.2", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    after = (shop / "artifacts.yaml").read_text()
    assert "shipping" in after and "1.9.2" in after
    kept = [line for line in before.splitlines() if line.startswith("#")]
    assert all(line in after for line in kept), "comments survive"
    deployed = run("deploy", "shipping", cwd=shop)
    assert deployed.returncode == 0
    assert images(run("convert", "--env", "production", cwd=shop).stdout) >= {
        "registry.example.com/shop/shipping:1.9.2"
    }


def test_diff_json_lists_topology_fields_only(shop: Path) -> None:
    proc = run("diff", "uat", "production", "--format", "json", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and all({"service", "field"} <= row.keys() for row in rows)
    assert not any(row["field"] in ("image", "artifact") for row in rows)
    assert any(row["service"] == "db" for row in rows)


def test_schema_environment_is_a_json_schema(shop: Path) -> None:
    proc = run("schema", "environment", cwd=shop)
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert "properties" in schema and "services" in schema["properties"]


def test_image_in_an_environment_file_is_refused(shop: Path) -> None:
    env = shop / "environments" / "production.yaml"
    env.write_text(env.read_text() + "\nimage: nginx:latest\n")
    proc = run("convert", "--env", "production", cwd=shop)
    assert proc.returncode == 1
    assert "production.yaml:" in proc.stderr and "one artifact" in proc.stderr


def test_prune_removes_only_our_stale_files(shop: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("convert", "--env", "production", "-o", str(out), cwd=shop).returncode == 0
    ours = sorted(out.glob("*.yaml"))[0]
    stale = out / "deployment-gone.yaml"
    stale.write_text(ours.read_text())  # a file we wrote in an earlier run
    mine = out / "notes.yaml"
    mine.write_text("kind: Note\n")  # a user's file, without our marker
    assert run("convert", "--env", "production", "-o", str(out), cwd=shop).returncode == 0
    assert stale.exists(), "without --prune nothing is deleted"
    proc = run("convert", "--env", "production", "-o", str(out), "--prune", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists() and mine.exists() and ours.exists()


def test_prune_needs_an_output_folder(shop: Path) -> None:
    assert run("convert", "--prune", cwd=shop).returncode == 2


@pytest.mark.parametrize(
    ("args", "pattern"),
    [(["--to", "swarm"], "*.stack.yml"), (["--to", "marathon", "--marathon-layout", "apps"],
                                          "*.json")],
)
def test_prune_removes_our_stale_swarm_and_marathon_files(
    shop: Path, tmp_path: Path, args: list[str], pattern: str
) -> None:
    out = tmp_path / "out"
    assert run("convert", *args, "-o", str(out), cwd=shop).returncode == 0
    ours = sorted(out.glob(pattern))[0]
    stale = out / f"gone{ours.suffix}"
    stale.write_text(ours.read_text())  # written by an earlier run, for a removed service
    mine = out / f"mine{ours.suffix}"
    mine.write_text(ours.read_text().replace("compose-translator", "someone-else"))
    proc = run("convert", *args, "-o", str(out), "--prune", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists() and mine.exists() and ours.exists()


@pytest.mark.parametrize(("envs", "code"), [(("uat", "production"), 1), (("uat", "uat"), 0)])
def test_diff_exit_code_says_whether_environments_differ(envs: tuple[str, str], code: int) -> None:
    shop = Path(__file__).resolve().parent.parent / "samples" / "shop"
    args = ["diff", *envs, "-f", str(shop / "compose.yaml"), "--exit-code"]
    done = subprocess.run([sys.executable, "-m", "translator", *args], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(shop.parent.parent)})
    assert done.returncode == code, done.stderr
    # Without --exit-code a difference is not a failure.
    plain = subprocess.run([sys.executable, "-m", "translator", *args[:-1]],
                           capture_output=True, text=True, timeout=120, check=False,
                           env={**os.environ, "PYTHONPATH": str(shop.parent.parent)})
    assert plain.returncode == 0 and plain.stdout == done.stdout


def test_stale_check_prints_the_command_that_regenerates(tmp_path: Path) -> None:
    shop = Path(__file__).resolve().parent.parent / "samples" / "shop"
    out = tmp_path / "manifests"
    args = ["convert", "-f", str(shop / "compose.yaml"), "--all-envs", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(shop.parent.parent)}
    run = [sys.executable, "-m", "translator"]
    assert subprocess.run([*run, *args], capture_output=True, timeout=120, env=env).returncode == 0
    stale = next(out.rglob("deployment-*.yaml"))
    stale.write_text(stale.read_text() + "# edited by hand\n")
    done = subprocess.run([*run, *args[:1], "--check", *args[1:]], capture_output=True, text=True,
                          timeout=120, env=env, check=False)
    assert done.returncode == 1
    assert done.stderr.rstrip().endswith(
        "regenerate them with: translator " + " ".join(args))  # the same words, no --check
