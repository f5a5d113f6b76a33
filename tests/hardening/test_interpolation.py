"""Interpolation: deep nesting ends quickly, and substituted values are never interpolated
again nor parsed as YAML (as in Compose)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hardening_helpers import BASE, assert_clean_failure, run_cli, write


def _config_env(tmp_path: Path, value: str, env: dict[str, str] | None = None,
                dotenv: str | None = None) -> dict[str, str]:
    write(tmp_path, "compose.yaml", BASE + "    environment:\n      V: " + json.dumps(value) + "\n")
    if dotenv is not None:
        write(tmp_path, ".env", dotenv)
    run = run_cli(["config", "--format", "json", "-f", "compose.yaml"], tmp_path, env=env)
    assert run.code == 0, run.stderr[:2000]
    environment = json.loads(run.stdout)["services"]["web"]["environment"]
    # `config` writes every $ as $$, as Compose does, so its output loads back unchanged.
    return {k: v.replace("$$", "$") for k, v in environment.items()}


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deeply_nested_defaults_end_quickly(depth: int, tmp_path: Path) -> None:
    value = "${A:-" * depth + "x" + "}" * depth
    assert _config_env(tmp_path, value) == {"V": "x"}


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deeply_nested_alternatives_and_errors_end_quickly(depth: int, tmp_path: Path) -> None:
    value = "${A:+" * depth + "x" + "}" * depth
    assert _config_env(tmp_path, value, env={"A": "set"}) == {"V": "x"}
    required = "${A:?" * depth + "gone" + "}" * depth
    write(tmp_path, "compose.yaml", BASE + "    environment:\n      V: " + json.dumps(required))
    assert_clean_failure(run_cli(["config", "-f", "compose.yaml"], tmp_path),
                         expect="required variable A")


@pytest.mark.parametrize(
    "value", ["${A:-" * 1_000 + "x", "${" * 10_000, "${A" + "}" * 10_000 + "${", "${A:-${B"],
    ids=["unclosed-defaults", "only-openers", "closers-then-opener", "two-unclosed"],
)
def test_unclosed_nesting_is_a_clear_error(value: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", BASE + "    environment:\n      V: " + json.dumps(value))
    assert_clean_failure(run_cli(["config", "-f", "compose.yaml"], tmp_path),
                         expect="invalid interpolation format")


def test_many_variables_in_one_value(tmp_path: Path) -> None:
    value = "$A" * 100_000
    assert _config_env(tmp_path, value, env={"A": "x"}) == {"V": "x" * 100_000}


@pytest.mark.parametrize(
    ("source", "env", "dotenv"),
    [
        ("process environment", {"A": "${OTHER}", "OTHER": "leak"}, None),
        ("dot-env single-quoted", {"OTHER": "leak"}, "A='${OTHER}'\n"),
        ("dot-env escaped dollar", {"OTHER": "leak"}, 'A="$${OTHER}"\n'),
    ],
)
def test_substituted_values_are_not_interpolated_again(
    source: str, env: dict[str, str], dotenv: str | None, tmp_path: Path
) -> None:
    result = _config_env(tmp_path, "${A}", env=env, dotenv=dotenv)
    assert result == {"V": "${OTHER}"}, source


def test_escaped_dollar_is_literal(tmp_path: Path) -> None:
    assert _config_env(tmp_path, "$${A} $$A $$$$", env={"A": "no"}) == {"V": "${A} $A $$"}


@pytest.mark.parametrize(
    "injected",
    ["x\n---\nkind: Secret", "a: b\nc: d", "{{ 7 * 7 }}", "[1, 2]", "!!python/object x", "&a *a"],
)
def test_substituted_values_are_not_parsed_as_yaml(injected: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", BASE + "    environment:\n      V: ${A}\n    labels:\n"
          "      l: ${A}\n    command: [echo, '${A}']\n")
    run = run_cli(["convert", "--to", "kubernetes", "--format", "json", "-f", "compose.yaml"],
                  tmp_path, env={"A": injected})
    assert run.code == 0, run.stderr
    # One v1 List; the substituted text adds no object to it.
    (deployment,) = json.loads(run.stdout)["items"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [{"name": "V", "value": injected}]
    assert container["args"] == ["echo", injected]
    assert deployment["spec"]["template"]["metadata"]["annotations"] == {"l": injected}
