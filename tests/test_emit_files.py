"""Writing files: names stay inside the output folder, nothing the user had is lost."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from translator.emit_files import write_tree
from translator.errors import TranslatorError
from translator.targets.base import Document


@pytest.mark.parametrize(
    "name", ["../x", "/etc/passwd", "a/../../b", "..", ".", "", "a\\b", "a\0b", "a//b"]
)
def test_names_that_escape_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(TranslatorError, match="inside the output folder"):
        write_tree([Document("ok.yaml", {"a": 1}), Document(name, {"b": 2})], out, "yaml")
    assert not out.exists()
    assert sorted(os.listdir(tmp_path)) == []


def test_write_creates_files_with_suffix_and_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    docs = [
        Document("sub/deploy-web", {"kind": "Deployment"}),
        Document("secret-x", {"k": 1}, sensitive=True),
    ]
    written = write_tree(docs, out, "yaml")
    assert written == [out / "sub" / "deploy-web.yaml", out / "secret-x.yaml"]
    assert yaml.safe_load(written[0].read_text()) == {"kind": "Deployment"}
    assert stat.S_IMODE(written[1].stat().st_mode) == 0o600


def test_existing_user_files_are_kept_and_ours_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.txt").write_text("mine")
    (out / "web.yaml").write_text("old")
    write_tree([Document("web", {"new": True})], out, "yaml")
    assert (out / "README.txt").read_text() == "mine"
    assert yaml.safe_load((out / "web.yaml").read_text()) == {"new": True}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_failed_render_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "web.yaml").write_text("old")
    with pytest.raises(TranslatorError):
        write_tree([Document("web", {"a": 1}), Document("web", {"b": 2})], out, "yaml")
    assert (out / "web.yaml").read_text() == "old"


def test_symlink_inside_output_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "web.yaml").symlink_to(outside)
    write_tree([Document("web", {"a": 1})], out, "yaml")
    assert outside.read_text() == "precious"
    assert not (out / "web.yaml").is_symlink()


def test_output_path_that_is_a_file_or_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(TranslatorError, match="not a folder"):
        write_tree([Document("a", {})], link, "yaml")
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(TranslatorError, match="not a folder"):
        write_tree([Document("a", {})], afile, "yaml")
    assert list(target.iterdir()) == []
