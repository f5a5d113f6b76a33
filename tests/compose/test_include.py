"""Top-level include: import, paths, env, cycles and conflicts (spec 14-include.md)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from translator.compose.loader import LoadOptions, load_merged
from translator.errors import TranslatorError


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def merged(root: Path, environ: dict[str, str] | None = None) -> dict[str, Any]:
    result = load_merged(LoadOptions(working_dir=str(root), environ=environ or {}))
    return result.data


BASIC = {
    "compose.yaml": """
        include:
          - inc/compose.yaml
          - path: [other/a.yaml, other/b.yaml]
            project_directory: other
        services:
          web:
            image: web
            depends_on: [db]
    """,
    "inc/compose.yaml": """
        services:
          db:
            image: postgres
            build: ./ctx
            volumes: ["./data:/var/lib", "dbdata:/x"]
            env_file: db.env
        volumes:
          dbdata: {}
        secrets:
          pw:
            file: ./pw.txt
    """,
    "other/a.yaml": """
        services:
          cache:
            image: redis
    """,
    "other/b.yaml": """
        services:
          cache:
            command: ["redis-server", "--save", ""]
    """,
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("services", "db", "image"), "postgres"),
        (("services", "db", "build"), "./inc/ctx"),
        (("services", "db", "volumes"), ["./inc/data:/var/lib", "dbdata:/x"]),
        (("services", "db", "env_file"), "./inc/db.env"),
        (("services", "cache", "image"), "redis"),
        (("services", "cache", "command"), ["redis-server", "--save", ""]),
        (("services", "web", "depends_on"), ["db"]),
        (("volumes", "dbdata"), {}),
        (("secrets", "pw", "file"), "./inc/pw.txt"),
    ],
)
def test_include_imports_resources_with_rebased_paths(
    tmp_path: Path, path: tuple[str, ...], expected: Any
) -> None:
    write(tmp_path, BASIC)
    value: Any = merged(tmp_path)
    for part in path:
        value = value[part]
    assert value == expected


def test_include_key_is_removed(tmp_path: Path) -> None:
    write(tmp_path, BASIC)
    assert "include" not in merged(tmp_path)


@pytest.mark.parametrize(
    ("parent_env", "inc_env", "environ", "expected"),
    [
        (None, "IMG=fromincluded\n", {}, "fromincluded"),
        ("IMG=fromparent\n", "IMG=fromincluded\n", {}, "fromparent"),
        (None, "IMG=fromincluded\n", {"IMG": "process"}, "process"),
        (None, None, {}, "default"),
    ],
)
def test_include_env_precedence(
    tmp_path: Path,
    parent_env: str | None,
    inc_env: str | None,
    environ: dict[str, str],
    expected: str,
) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "include: [inc/compose.yaml]\n",
            "inc/compose.yaml": "services:\n  a:\n    image: ${IMG:-default}\n",
        },
    )
    if parent_env is not None:
        (tmp_path / ".env").write_text(parent_env)
    if inc_env is not None:
        (tmp_path / "inc" / ".env").write_text(inc_env)
    assert merged(tmp_path, environ)["services"]["a"]["image"] == expected


@pytest.mark.parametrize(
    ("files", "message", "where"),
    [
        (
            {
                "compose.yaml": "include: [inc/compose.yaml]\nservices:\n  a:\n    image: x\n",
                "inc/compose.yaml": "include: [../compose.yaml]\n",
            },
            "include cycle: compose.yaml -> inc/compose.yaml -> compose.yaml",
            "compose.yaml:1:11: include[0]: ",
        ),
        (
            {
                "compose.yaml": "include: [inc/compose.yaml]\nservices:\n  db:\n    image: other\n",
                "inc/compose.yaml": "services:\n  db:\n    image: pg\n",
            },
            "services.db conflicts with the one imported from inc/compose.yaml",
            "compose.yaml:3:3: services.db: ",
        ),
        (
            {"compose.yaml": "include: [nope.yaml]\n"},
            "included file not found:",
            "compose.yaml:1:11: include[0]: ",
        ),
        (
            {"compose.yaml": "include:\n  - path: [a.yaml, inc]\n", "a.yaml": "services: {}\n",
             "inc/compose.yaml": "services: {}\n"},
            "is a folder, not a compose file",
            "compose.yaml:2:20: include[0].path[1]: ",
        ),
        (
            {"compose.yaml": "include: {path: a}\n"},
            "include must be a list",
            "compose.yaml:1:1: include: ",
        ),
    ],
)
def test_include_errors(tmp_path: Path, files: dict[str, str], message: str, where: str) -> None:
    write(tmp_path, files)
    with pytest.raises(TranslatorError) as info:
        merged(tmp_path)
    text = info.value.diagnostics[0].format()
    assert message in text
    assert text.startswith(where), text


def test_identical_definitions_do_not_conflict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "include: [inc/compose.yaml]\nnetworks:\n  n: {}\n",
            "inc/compose.yaml": "services:\n  a:\n    image: x\nnetworks:\n  n: {}\n",
        },
    )
    assert merged(tmp_path)["networks"] == {"n": {}}


def test_nested_include_paths_are_relative_to_each_project(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "include: [a/compose.yaml]\n",
            "a/compose.yaml": "include: [b/compose.yaml]\n",
            "a/b/compose.yaml": "services:\n  s:\n    build: .\n",
        },
    )
    assert merged(tmp_path)["services"]["s"]["build"] == "./a/b"
