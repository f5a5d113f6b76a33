"""Which compose files are loaded, in which order (Compose v2 file discovery)."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.compose.discovery import discover
from translator.errors import Diagnostics, TranslatorError


def layout(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("services: {}\n")


@pytest.mark.parametrize(
    ("present", "cwd", "expected", "warnings"),
    [
        (["compose.yaml"], ".", ["compose.yaml"], 0),
        (["docker-compose.yml"], ".", ["docker-compose.yml"], 0),
        (["docker-compose.yaml", "compose.yml"], ".", ["compose.yml"], 1),
        (["compose.yaml", "docker-compose.yml"], ".", ["compose.yaml"], 1),
        (
            ["compose.yaml", "compose.override.yaml"],
            ".",
            ["compose.yaml", "compose.override.yaml"],
            0,
        ),
        (
            ["docker-compose.yml", "docker-compose.override.yml"],
            ".",
            ["docker-compose.yml", "docker-compose.override.yml"],
            0,
        ),
        (
            ["compose.yaml", "compose.override.yaml", "docker-compose.override.yml"],
            ".",
            ["compose.yaml", "compose.override.yaml"],
            1,
        ),
        # walks up to the nearest parent that has a compose file
        (["compose.yaml", "a/b/.keep"], "a/b", ["compose.yaml"], 0),
        (["compose.yaml", "a/compose.yml", "a/b/.keep"], "a/b", ["a/compose.yml"], 0),
        (
            ["compose.yaml", "compose.override.yml", "sub/.keep"],
            "sub",
            ["compose.yaml", "compose.override.yml"],
            0,
        ),
    ],
)
def test_default_file_names(
    tmp_path: Path, present: list[str], cwd: str, expected: list[str], warnings: int
) -> None:
    layout(tmp_path, present)
    diagnostics = Diagnostics()
    found = discover((tmp_path / cwd).resolve(), (), {}, diagnostics)
    assert [f.path for f in found.files] == [tmp_path.resolve() / e for e in expected]
    assert not found.explicit
    assert len(diagnostics.warnings) == warnings


@pytest.mark.parametrize(
    ("files", "environ", "expected", "stdin"),
    [
        (("b.yaml", "a.yaml"), {"COMPOSE_FILE": "c.yaml"}, ["b.yaml", "a.yaml"], [False, False]),
        ((), {"COMPOSE_FILE": "c.yaml:sub/d.yaml"}, ["c.yaml", "sub/d.yaml"], [False, False]),
        (
            (),
            {"COMPOSE_FILE": "c.yaml;d.yaml", "COMPOSE_PATH_SEPARATOR": ";"},
            ["c.yaml", "d.yaml"],
            [False, False],
        ),
        (("-",), {}, ["-"], [True]),
        (("x/../a.yaml", "-"), {}, ["a.yaml", "-"], [False, True]),
    ],
)
def test_named_files_win(
    tmp_path: Path,
    files: tuple[str, ...],
    environ: dict[str, str],
    expected: list[str],
    stdin: list[bool],
) -> None:
    layout(tmp_path, ["compose.yaml"])  # present but not used: names win
    found = discover(tmp_path, files, environ, Diagnostics())
    assert [f.path for f in found.files] == [tmp_path / e for e in expected]
    assert [f.stdin for f in found.files] == stdin
    assert found.explicit


def test_nothing_found_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TranslatorError) as info:
        discover(tmp_path, (), {}, Diagnostics())
    diag = info.value.diagnostics[0]
    assert diag.code == "file-not-found"
    assert "no compose file found" in diag.message
    assert diag.hint is not None and "-f" in diag.hint
