"""Hostile YAML through the real CLI: each case ends within 5 s and 1 GB with exit 1.

Limits (translator/compose/yamlio.py, yaml_nodes.py, yaml_construct.py): a compose file
is at most 16 MiB (16,777,216 bytes; stdin the same in characters), nesting at most
100 levels, aliases expand to at most 1,000,000 nodes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hardening_helpers import BASE, TIME_LIMIT, assert_clean_failure, run_cli, write

MiB = 1024 * 1024


def _billion_laughs() -> str:
    lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"x-{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return BASE + "\n".join(lines) + "\n"


def _quadratic_blowup() -> str:
    # One big anchored mapping referenced many times: linear text, quadratic data.
    big = "\n".join(f"  k{i}: v" for i in range(3000))
    return BASE + f"x-big: &big\n{big}\n" + "".join(f"x-r{i}: *big\n" for i in range(3000))


def _merge_bomb() -> str:
    lines = ["x-a: &a {k0: v}"]
    for i, (prev, name) in enumerate(zip("abcdefghij", "bcdefghijk", strict=True)):
        lines.append(f"x-{name}: &{name} {{<<: [*{prev}, *{prev}], k{i + 1}: [*{prev}, *{prev}]}}")
    return BASE + "\n".join(lines) + "\n"


# name -> (file content, text the error must contain)
REFUSED: dict[str, tuple[Callable[[], str | bytes], str]] = {
    "billion-laughs": (_billion_laughs, "alias bomb"),
    "quadratic-blowup": (_quadratic_blowup, "alias bomb"),
    "merge-key-bomb": (_merge_bomb, "alias bomb"),
    "alias-cycle": (lambda: BASE + "x-a: &a [*a]\n", ""),
    "nesting-flow-seq-10000": (lambda: BASE + "x-d: " + "[" * 10_000 + "]" * 10_000 + "\n",
                               "nesting is deeper than 100"),
    "nesting-flow-map-10000": (lambda: BASE + "x-d: " + "{a: " * 10_000 + "1" + "}" * 10_000,
                               "nesting is deeper than 100"),
    "nesting-block-map-10000": (
        lambda: BASE + "x-d:\n" + "".join(" " * i + "k:\n" for i in range(1, 1_500)) + "  v\n",
        "nesting is deeper than 100"),
    "nesting-compact-seq-10000": (lambda: BASE + "x-d:\n" + "- " * 10_000 + "x\n",
                                  "nesting is deeper than 100"),
    "nesting-401-regression": (lambda: BASE + "x-deep: " + "[" * 401 + "]" * 401 + "\n",
                               "nesting is deeper than 100"),
    "nesting-mixed-block-flow": (
        lambda: BASE + "x-d:\n" + "".join(" " * i + "k:\n" for i in range(1, 60))
        + " " * 60 + "[" * 50 + "]" * 50 + "\n",
        "deeper than 100"),
    "scalar-50MB": (lambda: BASE + "x-s: " + "a" * (50 * MiB) + "\n", "larger than 16,777,216"),
    "file-20MB": (lambda: BASE + "".join(f"x-k{i}: {'v' * 100}\n" for i in range(200_000)),
                  "larger than 16,777,216"),
    "binary-elf": (lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 100, "not valid UTF-8"),
    "binary-nul": (lambda: BASE + "    environment:\n      A: a\0b\n", "NUL bytes"),
    "latin-1": (lambda: (BASE + "    environment:\n      A: caf\xe9\n").encode("latin-1"),
                "not valid UTF-8"),
    "utf-16": (lambda: BASE.encode("utf-16"), "not valid UTF-8"),
    "control-character": (lambda: BASE + "    environment:\n      A: a\x07b\n", "U+0007"),
    "tab-indentation": (lambda: "services:\n\tweb:\n\t\timage: nginx\n", "syntax"),
    "duplicate-service-key": (lambda: BASE + "    image: other\n", "duplicate key"),
    "duplicate-top-level-key": (lambda: BASE + "services: {}\n", "duplicate key"),
    "duplicate-keys-flow": (lambda: BASE + "    environment: {A: 1, A: 2}\n", "duplicate key"),
    "python-object-apply": (
        lambda: BASE + "x-p: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
        "unsupported YAML tag"),
    "python-object-new": (lambda: BASE + "x-p: !!python/object/new:os.system [id]\n",
                          "unsupported YAML tag"),
    "python-name": (lambda: BASE + "x-p: !!python/name:os.system ''\n", "unsupported YAML tag"),
    "unknown-local-tag": (lambda: BASE + "x-p: !foo bar\n", "unsupported YAML tag"),
    "unknown-verbatim-tag": (lambda: BASE + "x-p: !<tag:evil.com,2000:x> bar\n",
                             "unsupported YAML tag"),
    "tag-on-service": (lambda: "services:\n  web: !!python/object:os.system {image: x}\n",
                       "unsupported YAML tag"),
    "empty-file": (lambda: "", "empty compose file"),
    "scalar-root": (lambda: "just a string\n", "must be a mapping"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_yaml_is_refused_cleanly(case: str, tmp_path: Path) -> None:
    make, expect = REFUSED[case]
    write(tmp_path, "compose.yaml", make())
    run = run_cli(["config", "-f", "compose.yaml"], tmp_path)
    assert_clean_failure(run, expect=expect or None)
    assert not (Path("/tmp/pwned").exists() and case.startswith("python"))


def test_stdin_is_bounded(tmp_path: Path) -> None:
    run = run_cli(["config", "-f", "-"], tmp_path, stdin=BASE + "x-s: " + "a" * (50 * MiB))
    assert_clean_failure(run, expect="larger than 16,777,216")


def test_endless_stdin_ends(tmp_path: Path) -> None:
    import subprocess

    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            ["timeout", "-s", "KILL", str(TIME_LIMIT + 3), "sh", "-c",
             f"ulimit -v {1024 * 1024}; PYTHONPATH={Path(__file__).resolve().parents[2]} "
             f"{sys.executable} -m translator config -f - 2>&1 | head -c 2000"],
            stdin=zero, cwd=tmp_path, capture_output=True, text=True, errors="replace",
            check=False,
        )
    assert proc.stdout.startswith("error: "), proc.stdout


# Inputs that are unusual but valid: read exactly as Docker Compose reads them.
ACCEPTED: dict[str, tuple[str | bytes, dict[str, str]]] = {
    "bom": ("\ufeff" + BASE + "    environment:\n      A: x\n", {"A": "x"}),
    "crlf": ((BASE + "    environment:\n      A: x\n").replace("\n", "\r\n"), {"A": "x"}),
    "crlf-in-quoted": (BASE + '    environment:\n      A: "line1\\r\\nline2"\n',
                       {"A": "line1\r\nline2"}),
    "tab-inside-value": (BASE + "    environment:\n      A: 'a\tb'\n", {"A": "a\tb"}),
    "tab-after-colon": (BASE + "    environment:\n      A:\tx\n", {"A": "x"}),
    "escaped-nul": (BASE + '    environment:\n      A: "a\\0b"\n', {"A": "a\0b"}),
    "utf-8-names": (BASE + "    environment:\n      ÄÖ: 日本語\n", {"ÄÖ": "日本語"}),
    "scalar-1MB": (BASE + "    environment:\n      A: " + "a" * MiB + "\n", {"A": "a" * MiB}),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_unusual_valid_yaml_is_read_verbatim(case: str, tmp_path: Path) -> None:
    text, environment = ACCEPTED[case]
    write(tmp_path, "compose.yaml", text)
    run = run_cli(["config", "-f", "compose.yaml", "--format", "json"], tmp_path)
    assert run.code == 0, run.stderr
    import json

    assert json.loads(run.stdout)["services"]["web"]["environment"] == environment


def test_large_valid_file_within_the_limit_is_handled_in_time(tmp_path: Path) -> None:
    # 15 MB, just under the limit, through a renderer: the limit itself is affordable.
    value = "a" * (15 * MiB)
    write(tmp_path, "compose.yaml", BASE + "    environment:\n      A: " + value + "\n")
    run = run_cli(["convert", "--to", "kubernetes", "-f", "compose.yaml"], tmp_path)
    assert run.code == 0, run.stderr[:2000]
    docs = list(yaml.safe_load_all(run.stdout))
    env = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"][
        "containers"][0]["env"]
    assert env == [{"name": "A", "value": value}]


# Environment and artifacts files go through the same reader, with the same limits.
OTHER_FILES = {
    "deep": "replicas: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "alias-bomb": _billion_laughs().replace(BASE, ""),
    "python-tag": "x: !!python/object/apply:os.system ['id']\n",
    "binary": "\x00\x01\x02",
    "duplicate": "platform: kubernetes\nplatform: swarm\n",
}


@pytest.mark.parametrize("case", sorted(OTHER_FILES))
@pytest.mark.parametrize("which", ["environments/prod.yaml", "artifacts.yaml"])
def test_hostile_environment_and_artifacts_files(which: str, case: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", BASE)
    write(tmp_path, which, OTHER_FILES[case])
    env = "prod" if which.startswith("environments") else "local"
    run = run_cli(["convert", "--to", "kubernetes", "--env", env, "-f", "compose.yaml"], tmp_path)
    assert_clean_failure(run)
