"""``.env`` parsing: syntax table, precedence, errors, and agreement with Docker Compose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from translator.compose.dotenv import parse_dotenv, read_env_file
from translator.errors import Location, TranslatorError

SHELL = {"SHELLVAR": "fromshell", "BARE": "frombare"}
NO_ENV: dict[str, str] = {}

# (file text, expected variables) with SHELL as the process environment.
CASES: list[tuple[str, dict[str, str | None]]] = [
    ("A=plain\n", {"A": "plain"}),
    ("# comment\n\n  # indented comment\nA=1\n", {"A": "1"}),
    ("A=with # comment\n", {"A": "with"}),
    ("A=with#hash\n", {"A": "with#hash"}),
    ("A=a\t#tab\n", {"A": "a\t#tab"}),
    ("A=#foo\n", {"A": "#foo"}),
    ("A= # c\n", {"A": "# c"}),
    ("A=x #\n", {"A": "x"}),
    ("A=  spaced value  \n", {"A": "spaced value"}),
    ("A=a=b\n", {"A": "a=b"}),
    ("A=a\\nb\n", {"A": "a\\nb"}),
    ('A=a"b"c\n', {"A": 'a"b"c'}),
    ("A=$\n", {"A": "$"}),
    ("A=\n", {"A": ""}),
    ("A=", {"A": ""}),
    ("export F=exported\n", {"F": "exported"}),
    ("export  SP = v \n", {"SP": "v"}),
    ("exporter=1\n", {"exporter": "1"}),
    ("G =spaced\nH= lead\n", {"G": "spaced", "H": "lead"}),
    ("N: yaml\nD : 4\n", {"N": "yaml", "D": "4"}),
    (
        "A-B=1\nC.D=2\n\u00e9\u00e9=3\n1A=4\n",
        {"A-B": "1", "C.D": "2", "\u00e9\u00e9": "3", "1A": "4"},
    ),
    ('D="dq \\n x\\t \\" y" # trailing\n', {"D": 'dq \n x\t " y'}),
    (
        'A="\\a|\\b|\\f|\\n|\\r|\\t|\\v|\\\\|\\"|\\$|\\\'|\\z|\\x41|\\u00e9"\n',
        {"A": "\a|\b|\f|\n|\r|\t|\v|\\|\"|$|\\'|\\z|\\x41|\\u00e9"},
    ),
    ("E='sq ${A} \\n'\n", {"E": "sq ${A} \\n"}),
    ("A='it\\'s'\n", {"A": "it's"}),
    ('L="multi\nline"\n', {"L": "multi\nline"}),
    ("L='multi\nline sq'\n", {"L": "multi\nline sq"}),
    ('Q="a"b\n', {"Q": "a", "b": None}),
    ('A="x"y=1\n', {"A": "x", "y": "1"}),
    ("A=plain\nI=${A}-${NOPE:-def}-$A\n", {"A": "plain", "I": "plain-def-plain"}),
    ('A=v\nU="\\$A \\\\$A"\n', {"A": "v", "U": "$A \\v"}),
    ("A=v\nB='$A'\nC=$$A\n", {"A": "v", "B": "$A", "C": "$A"}),
    ("R=${SHELLVAR}\nSHELLVAR=fromfile\n", {"R": "fromshell", "SHELLVAR": "fromfile"}),
    ("SHELLVAR=fromfile\nY=${SHELLVAR}\n", {"SHELLVAR": "fromfile", "Y": "fromshell"}),
    ('L="a\nb"\nT=${L}\n', {"L": "a\nb", "T": "a\nb"}),
    ("BARE\nUNSET_BARE\n", {"BARE": "frombare", "UNSET_BARE": None}),
    ("BARE", {"BARE": "frombare"}),
    ("S=$HOME_X\n", {"S": ""}),
    ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_syntax(text: str, expected: dict[str, str | None]) -> None:
    result = parse_dotenv(text, ".env", lookup=SHELL.get)
    assert result == expected
    assert list(result) == list(expected)


def test_cases_match_docker_compose_env_file(
    tmp_path: Path, compose_config: Callable[..., dict[str, Any]]
) -> None:
    """Each case as a service env_file; Compose drops unset bare keys, so compare non-None."""
    services = []
    for i, (text, _) in enumerate(CASES):
        if text == "BARE":  # compose-go reads a last-line bare key as a value (see dotenv.py)
            continue
        (tmp_path / f"{i}.env").write_text(text, newline="")
        services.append(f"  s{i}:\n    image: nginx\n    env_file: {i}.env\n")
    file = tmp_path / "compose.yaml"
    file.write_text("services:\n" + "".join(services))
    got = compose_config(file, SHELL)["services"]
    for i, (text, expected) in enumerate(CASES):
        if text == "BARE":
            continue
        environment = {
            k: v.replace("$$", "$") for k, v in got[f"s{i}"].get("environment", {}).items()
        }
        wanted = {k: v for k, v in expected.items() if v is not None}
        assert environment == wanted, text


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ("A=1\nE~F=4\n", "unexpected character '~' in variable name", 2, 2),
        ("A B=1\n", "cannot contain a space", 1, 1),
        ('OK=1\nA="x\n', "unterminated quoted value", 2, 3),
        ("OK=1\nA='x\n", "unterminated quoted value", 2, 3),
        ("A=${B:?need b}\n", "required variable B is missing a value: need b", 1, 3),
        ("\n\n  X=${\n", "invalid interpolation format", 3, 5),
    ],
)
def test_errors_are_positioned(text: str, message: str, line: int, col: int) -> None:
    with pytest.raises(TranslatorError) as info:
        parse_dotenv(text, "app.env", lookup=SHELL.get)
    diagnostic = info.value.diagnostics[0]
    assert message in diagnostic.message
    assert diagnostic.location == Location("app.env", line, col)


def test_unset_variables_warn_naming_the_file() -> None:
    warnings: list[str] = []
    parse_dotenv("A=$NOPE\n", "app.env", lookup=SHELL.get, warn=lambda m, p: warnings.append(m))
    assert warnings == ['app.env: The "NOPE" variable is not set. Defaulting to a blank string.']


def test_read_env_file(tmp_path: Path) -> None:
    file = tmp_path / "app.env"
    file.write_bytes(b"\xef\xbb\xbfA=1\r\nB=${A}\r\n")
    assert read_env_file(file, NO_ENV.get) == {"A": "1", "B": "1"}


def test_read_env_file_refuses_directories_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError, match="is a directory"):
        read_env_file(tmp_path, NO_ENV.get)
    big = tmp_path / "big.env"
    big.write_bytes(b"A=" + b"x" * (2 * 1024 * 1024))
    with pytest.raises(TranslatorError, match="larger than"):
        read_env_file(big, NO_ENV.get)


@pytest.mark.corpus
def test_corpus_env_files_match_docker_compose(
    conformance_dir: Path, tmp_path: Path, compose_config: Callable[..., dict[str, Any]]
) -> None:
    """Every ``.env``-style file of the corpus, read by us and by Compose as an env_file."""
    files = sorted(
        p
        for p in (conformance_dir / "corpus").rglob("*")
        if p.is_file() and (p.name == ".env" or p.suffix == ".env")
    )
    assert files, "the corpus has no env files"
    services = "".join(
        f"  s{i}:\n    image: nginx\n    env_file: {file}\n" for i, file in enumerate(files)
    )
    compose_file = tmp_path / "compose.yaml"
    compose_file.write_text("services:\n" + services)
    got = compose_config(compose_file, {})["services"]
    for i, file in enumerate(files):
        ours = {k: v for k, v in read_env_file(file, NO_ENV.get).items() if v is not None}
        theirs = {k: v.replace("$$", "$") for k, v in got[f"s{i}"].get("environment", {}).items()}
        assert ours == theirs, file
