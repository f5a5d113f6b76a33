from __future__ import annotations

import pytest

from translator.model import Artifact, ImageReferenceError, parse_reference

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("reference", "repository", "tag", "digest"),
    [
        ("nginx", "nginx", None, None),
        ("nginx:1.27", "nginx", "1.27", None),
        ("library/nginx:latest", "library/nginx", "latest", None),
        ("reg.example.com:5000/shop/ret:v456", "reg.example.com:5000/shop/ret", "v456", None),
        (f"ghcr.io/a/b@{DIGEST}", "ghcr.io/a/b", None, DIGEST),
        (f"ghcr.io/a/b:1.0@{DIGEST}", "ghcr.io/a/b", "1.0", DIGEST),
        ("localhost/app_x__y:dev-1_2.3", "localhost/app_x__y", "dev-1_2.3", None),
    ],
)  # fmt: skip
def test_parse_reference_splits_parts(
    reference: str, repository: str, tag: str | None, digest: str | None
) -> None:
    artifact = parse_reference(reference)
    assert (artifact.repository, artifact.tag, artifact.digest) == (repository, tag, digest)
    assert artifact.reference == reference


@pytest.mark.parametrize(
    "reference",
    [
        "", "Nginx", "nginx:", "nginx:-bad", "a//b", "nginx@sha256:short", "with space", ":tag",
        "x:" + "a" * 129,
    ],
)
def test_parse_reference_refuses_malformed(reference: str) -> None:
    with pytest.raises(ImageReferenceError, match="invalid image reference"):
        parse_reference(reference)


@pytest.mark.parametrize(
    ("artifact", "version", "pinned"),
    [
        (Artifact(repository="nginx"), "latest", False),
        (Artifact(repository="nginx", tag="latest"), "latest", False),
        (Artifact(repository="nginx", tag="1.2"), "1.2", True),
        (Artifact(repository="nginx", digest=DIGEST), "ababababab" "ab", True),
    ],
)
def test_version_and_pinned(artifact: Artifact, version: str, pinned: bool) -> None:
    assert artifact.version == version
    assert artifact.pinned is pinned


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v456", "shop/returns:v456"), (DIGEST, f"shop/returns@{DIGEST}")],
)
def test_with_version_keeps_repository(version: str, expected: str) -> None:
    base = Artifact(repository="shop/returns", tag="1.0.7")
    assert base.with_version(version).reference == expected


@pytest.mark.parametrize("version", ["", "-x", "a b", "v1:2", "x" * 129])
def test_with_version_refuses_bad_tags(version: str) -> None:
    with pytest.raises(ImageReferenceError, match="invalid version"):
        Artifact(repository="shop/returns").with_version(version)
