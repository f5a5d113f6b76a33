from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import make_project, write

from translator.errors import TranslatorError
from translator.model import Artifact, Project, parse_reference
from translator.plan.artifacts import (
    is_version,
    load_artifacts,
    parse_image_overrides,
    pin,
)

DIGEST = "sha256:" + "ab" * 32
SERVICES = ("returns", "db", "worker")


# ---- load_artifacts -------------------------------------------------------------------------


def test_missing_artifacts_file_is_empty(tmp_path: Path) -> None:
    assert load_artifacts(tmp_path / "artifacts.yaml", SERVICES) == {}


def test_artifacts_file_maps_services_to_references(tmp_path: Path) -> None:
    path = write(tmp_path, "artifacts.yaml", f"""
        # from CI
        returns: registry.example.com/shop/returns:v456
        db: postgres@{DIGEST}
        """)
    assert load_artifacts(path, SERVICES) == {
        "returns": Artifact(repository="registry.example.com/shop/returns", tag="v456"),
        "db": Artifact(repository="postgres", digest=DIGEST),
    }


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ("returns: a:1\nbilling: b:2\n", 2, "unknown service 'billing'"),
        ("returns: Registry/UPPER:1\n", 1, "invalid image reference"),
        ("returns: a:1\ndb: {image: x}\n", 2, "expected an image reference"),
        ("db: 12\n", 1, "expected an image reference"),
    ],
)
def test_bad_artifacts_are_positioned(tmp_path: Path, text: str, line: int, match: str) -> None:
    path = write(tmp_path, "artifacts.yaml", text)
    with pytest.raises(TranslatorError, match=match) as info:
        load_artifacts(path, SERVICES)
    location = info.value.diagnostics[0].location
    assert location is not None and (location.file, location.line) == (str(path), line)


def test_artifacts_file_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "artifacts.yaml", "- returns\n")
    with pytest.raises(TranslatorError, match="maps service names"):
        load_artifacts(path, SERVICES)


# ---- --image --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("returns=v456", "registry.example.com/shop/returns:v456"),
        (f"returns={DIGEST}", f"registry.example.com/shop/returns@{DIGEST}"),
        ("returns=other.io/team/returns:2", "other.io/team/returns:2"),
        ("db=postgres:17", "postgres:17"),
        ("db=localhost:5000/pg", "localhost:5000/pg"),
        (" db = 17.1 ", "postgres:17.1"),
    ],
)
def test_image_overrides(project: Project, value: str, expected: str) -> None:
    service = value.split("=")[0].strip()
    assert parse_image_overrides([value], project)[service].reference == expected


def test_image_tag_uses_the_artifacts_file_repository(project: Project) -> None:
    pinned = {"returns": parse_reference("mirror.example.com/returns:1")}
    got = parse_image_overrides(["returns=2"], project, artifacts=pinned)
    assert got["returns"].reference == "mirror.example.com/returns:2"


def test_later_image_for_a_service_wins(project: Project) -> None:
    got = parse_image_overrides(["db=16", "returns=v1", "db=17"], project)
    assert {k: v.reference for k, v in got.items()} == {
        "db": "postgres:17",
        "returns": "registry.example.com/shop/returns:v1",
    }


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("billing=v1", "unknown service 'billing'; the project defines accounts"),
        ("returns", "expected SERVICE=REF"),
        ("=v1", "expected SERVICE=REF"),
        ("returns=", "expected SERVICE=REF"),
        ("returns=Registry/UPPER:1", "invalid image reference"),
        ("returns=.bad", "invalid version"),
        ("returns=a:b:c", "invalid image reference"),
        ("worker=v1", "no image in compose or the artifacts file"),
    ],
)
def test_bad_image_overrides(value: str, match: str) -> None:
    project = make_project(build_only=("worker",))
    with pytest.raises(TranslatorError, match=match):
        parse_image_overrides([value], project)


def test_full_reference_gives_a_build_only_service_its_artifact() -> None:
    project = make_project(build_only=("worker",))
    got = parse_image_overrides(["worker=ci.example.com/worker:abc123"], project)
    assert got["worker"] == Artifact(repository="ci.example.com/worker", tag="abc123")


@given(st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,40}", fullmatch=True))
def test_plain_words_are_versions(tag: str) -> None:
    assert is_version(tag)
    assert not is_version(f"repo/{tag}") and not is_version(f"repo:{tag}")


# ---- pin ------------------------------------------------------------------------------------

ARTIFACTS = """\
# Written by CI after each build.
returns: registry.example.com/shop/returns:1.0.7   # hotfix pending
# the database
db: "postgres:16.4"
accounts: registry.example.com/shop/accounts:1.4.2
"""


def test_pin_keeps_comments_order_and_other_entries(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "artifacts.yaml"
    path.write_text(ARTIFACTS)
    pin(path, "returns", "v456", project)
    # The end-of-line comment keeps its column.
    assert path.read_text() == ARTIFACTS.replace("returns:1.0.7   #", "returns:v456    #")


def test_pin_adds_a_new_entry_at_the_end(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "artifacts.yaml"
    path.write_text(ARTIFACTS)
    pin(path, "shipping", DIGEST, project)
    text = path.read_text()
    assert text.startswith(ARTIFACTS)
    assert text.endswith(f"shipping: registry.example.com/shop/shipping@{DIGEST}\n")
    assert set(load_artifacts(path, project.services)) == {"returns", "db", "accounts", "shipping"}


def test_pin_on_a_missing_file_creates_it(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "deploy" / "artifacts.yaml"
    result = pin(path, "db", "17.0", project)
    assert result == Artifact(repository="postgres", tag="17.0")
    assert load_artifacts(path, project.services) == {"db": result}
    assert path.read_text().startswith("#")
    assert [p.name for p in path.parent.iterdir()] == ["artifacts.yaml"]  # no temp files


def test_pin_repository_comes_from_the_file_entry(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "artifacts.yaml", "db: mirror.example.com/pg:16\n")
    pin(path, "db", "17", project)
    assert path.read_text() == "db: mirror.example.com/pg:17\n"


def test_pin_keeps_file_mode(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "artifacts.yaml", "db: postgres:16\n")
    os.chmod(path, 0o600)
    pin(path, "db", "17", project)
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("text", "service", "version", "match"),
    [
        ("db: postgres:16\n", "billing", "v1", "unknown service 'billing'"),
        ("db: postgres:16\n", "worker", "v1", "no image in compose"),
        ("db: postgres:16\n", "db", "-bad", "invalid version"),
        ("db: [x]\n", "db", "v1", "expected an image reference"),
        ("- db\n", "db", "v1", "maps service names"),
        ("db: 'BAD REF'\n", "db", "v1", "invalid image reference"),
    ],
)
def test_pin_refuses_bad_input_and_leaves_the_file(
    tmp_path: Path, text: str, service: str, version: str, match: str
) -> None:
    project = make_project(build_only=("worker",))
    path = write(tmp_path, "artifacts.yaml", text)
    with pytest.raises(TranslatorError, match=match):
        pin(path, service, version, project)
    assert path.read_text() == text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["returns", "db", "accounts", "shipping"]), min_size=1,
                max_size=8),
       st.lists(st.from_regex(r"v[0-9]{1,4}", fullmatch=True), min_size=8, max_size=8))
def test_pin_never_loses_entries(services: list[str], versions: list[str]) -> None:
    import tempfile

    project = make_project()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "artifacts.yaml"
        path.write_text(ARTIFACTS)
        expected = {k: v.reference for k, v in load_artifacts(path, project.services).items()}
        for service, version in zip(services, versions, strict=False):
            pin(path, service, version, project)
            expected[service] = expected.get(
                service, project.services[service].image or ""
            ).rsplit(":", 1)[0] + f":{version}"
        got = {k: v.reference for k, v in load_artifacts(path, project.services).items()}
        assert got == expected
        assert "# hotfix pending" in path.read_text()
