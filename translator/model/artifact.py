"""A service's artifact: the image it runs, identical in every environment."""

from __future__ import annotations

import re

from pydantic import field_validator

from translator.model.base import Frozen

# The reference grammar of the distribution project:
# https://github.com/distribution/reference/blob/main/reference.go
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REPOSITORY = rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^(?P<repo>{_REPOSITORY})(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$"
)
_REPOSITORY_RE = re.compile(_REPOSITORY)
TAG_RE = re.compile(rf"^{_TAG}$")
DIGEST_RE = re.compile(rf"^{_DIGEST}$")


class ImageReferenceError(ValueError):
    """An image reference that does not follow the OCI/distribution grammar."""


class Artifact(Frozen):
    """An image reference split into its parts. ``tag`` and ``digest`` may both be set."""

    repository: str
    tag: str | None = None
    digest: str | None = None

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        if not _REPOSITORY_RE.fullmatch(value):
            raise ValueError(f"invalid image repository {value!r}")
        return value

    @property
    def reference(self) -> str:
        """The full reference as a container runtime takes it."""
        ref = self.repository
        if self.tag is not None:
            ref += f":{self.tag}"
        if self.digest is not None:
            ref += f"@{self.digest}"
        return ref

    @property
    def version(self) -> str:
        """A label-safe version: the tag, else the digest's hex prefix, else ``latest``."""
        if self.tag is not None:
            return self.tag
        if self.digest is not None:
            return self.digest.split(":", 1)[1][:12]
        return "latest"

    @property
    def pinned(self) -> bool:
        """True when the reference names one build: a digest, or a tag other than latest."""
        return self.digest is not None or (self.tag is not None and self.tag != "latest")

    def with_version(self, version: str) -> Artifact:
        """The same repository at another tag (``v456``) or digest (``sha256:…``)."""
        if DIGEST_RE.match(version):
            return Artifact(repository=self.repository, digest=version)
        if not TAG_RE.match(version):
            raise ImageReferenceError(
                f"invalid version {version!r}: a tag is letters, digits, '_', '.' and '-' "
                "(at most 128, not starting with '.' or '-'), or a digest such as sha256:<hex>"
            )
        return Artifact(repository=self.repository, tag=version)


def parse_reference(reference: str) -> Artifact:
    """Split ``registry/repo:tag@digest`` into an :class:`Artifact`.

    Raises :class:`ImageReferenceError` for anything the distribution grammar
    refuses (upper case in the path, an empty tag, a bad digest).
    """
    match = _REFERENCE.match(reference)
    if match is None:
        raise ImageReferenceError(
            f"invalid image reference {reference!r}: expected [registry/]name[:tag][@digest], "
            "with a lower-case name"
        )
    # Built without validation: the grammar above has checked every part (a string or None),
    # and the repository is what the field's validator would match again.
    return Artifact.model_construct(
        repository=match["repo"], tag=match["tag"], digest=match["digest"]
    )
