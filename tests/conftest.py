from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The conformance data (schemas and a corpus of real compose files, see its PROVENANCE.md)
# lives in the repository, so every clone runs every test.
CONFORMANCE = REPO / "tests" / "conformance"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    """``tests/conformance``: the schemas and the corpus, part of the repository."""
    return CONFORMANCE


# Snapshots are real .yaml/.json files under snapshots/<test module path>/, reviewed in diffs.
# Tests hand the fixture the emitted TEXT (what users get), so a snapshot diff is an output diff.
from syrupy.assertion import SnapshotAssertion  # noqa: E402
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode  # noqa: E402
from syrupy.location import PyTestLocation  # noqa: E402

SNAPSHOTS = REPO / "snapshots"


class _TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        module = Path(test_location.filepath).resolve().relative_to(REPO / "tests")
        return str(SNAPSHOTS.joinpath(*module.with_suffix("").parts))


class YamlSnapshot(_TextSnapshot):
    file_extension = "yaml"


class JsonSnapshot(_TextSnapshot):
    file_extension = "json"


@pytest.fixture
def snapshot_yaml(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Compare emitted YAML text with ``snapshots/<module>/<test name>.yaml``."""
    return snapshot.use_extension(YamlSnapshot)


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Compare emitted JSON text with ``snapshots/<module>/<test name>.json``."""
    return snapshot.use_extension(JsonSnapshot)


class MermaidSnapshot(_TextSnapshot):
    file_extension = "mmd"


class DotSnapshot(_TextSnapshot):
    file_extension = "dot"


@pytest.fixture
def snapshot_mermaid(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Compare a Mermaid picture with ``snapshots/<module>/<test name>.mmd``."""
    return snapshot.use_extension(MermaidSnapshot)


@pytest.fixture
def snapshot_dot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Compare a Graphviz picture with ``snapshots/<module>/<test name>.dot``."""
    return snapshot.use_extension(DotSnapshot)
