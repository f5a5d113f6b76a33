"""What the loader records about bind sources: read when they are project files that fit
in one ConfigMap, described otherwise, and never read from the host's own state."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from translator.compose.normalize.hostfiles import MAX_BYTES, host_source
from translator.model.hostfiles import HostFile


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "conf").mkdir(parents=True)
    (root / "conf" / "a.yml").write_text("a: 1\n")
    (root / "conf" / ".hidden").write_text("h")
    (root / "nested" / "sub").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "app.conf").write_text("x = 1\n")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n")
    (root / "big").mkdir()
    (root / "big" / "blob.txt").write_text("x" * MAX_BYTES)
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    (root / "linked").mkdir()
    os.symlink(tmp_path / "secret.txt", root / "linked" / "out.txt")
    os.mkfifo(root / "pipe")
    return root


@pytest.mark.parametrize(("source", "kind"), [
    ("./conf", "folder"),
    ("./app.conf", "file"),
    ("./empty", "folder"),
    ("./missing", "missing"),
    ("./nested", "nested"),
    ("./big", "large"),
    ("../secret.txt", "outside"),
    ("./link.txt", "outside"),
    ("./linked", "outside"),
    ("./pipe", "system"),
    (".", "project"),
    ("~/x", "outside"),
    ("C:\\data", "outside"),
    ("/proc", "system"),
    ("/var/run/docker.sock", "system"),
    ("/", "system"),
    ("/etc/localtime", "system"),
])
def test_kind_of_each_source(project: Path, source: str, kind: str) -> None:
    assert host_source(source, project).kind == kind


def test_a_folder_keeps_every_file_in_name_order(project: Path) -> None:
    found = host_source("./conf", project)
    assert found.files == (HostFile(name=".hidden", text="h"),
                           HostFile(name="a.yml", text="a: 1\n"))


def test_bytes_that_are_not_utf8_are_kept_as_base64(project: Path) -> None:
    [found] = host_source("./logo.png", project).files
    assert (found.text, found.binary, found.size) == (None, "iVBORw0K", 6)


def test_only_files_of_the_project_are_read(project: Path) -> None:
    for source in ("../secret.txt", "./link.txt", "./linked"):
        assert host_source(source, project).files == ()


def test_a_loaded_project_carries_the_facts(project: Path) -> None:
    from translator import api

    (project / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx\n    volumes:\n      - ./conf:/etc/app\n"
        "      - app-data:/data\nvolumes:\n  app-data: {}\n")
    loaded = api.load_project([project / "compose.yaml"])
    bind, named = loaded.project.services["web"].volumes
    assert bind.host is not None and bind.host.kind == "folder"
    assert named.host is None
    # The compose output never shows what was read.
    assert "a: 1" not in str(api.compose_document(loaded.project))
