"""Kubernetes names, label values and port names, made valid from compose names.

Object names follow DNS-1035 labels (lower case, digits, ``-``, starting with a
letter, at most 63 characters): that is what a Service name needs and it is also
a valid RFC 1123 label/subdomain for every other kind we emit.
https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from translator.errors import TranslatorError
from translator.targets.base import MANAGED_BY as MANAGED_BY
from translator.targets.base import MANAGED_BY_LABEL as MANAGED_BY_LABEL

MAX_NAME = 63
DNS1035_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
DNS1123_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN_RE = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
LABEL_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
LABEL_NAME_RE = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
# IANA_SVC_NAME: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
PORT_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")
CONFIG_KEY_RE = re.compile(r"^[-._a-zA-Z0-9]+$")
_NOT_DNS = re.compile(r"[^a-z0-9-]+")
_DASHES = re.compile(r"-{2,}")
# Names and label keys repeat across thousands of objects (the same few label keys on
# every object); the checks below are pure, so each distinct string is checked once.
_cached = lru_cache(maxsize=8192)

NAME_LABEL = "app.kubernetes.io/name"
PART_OF_LABEL = "app.kubernetes.io/part-of"
VERSION_LABEL = "app.kubernetes.io/version"


def _digest(text: str, size: int = 8) -> str:
    import hashlib  # only for names too long to keep: OpenSSL's start-up is not free

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


@_cached
def dns_name(raw: str, limit: int = MAX_NAME) -> str:
    """A DNS-1035 label for ``raw``; long names keep a hash of the original so they stay unique."""
    name = _uncut_dns_name(raw)
    if len(name) > limit:
        name = name[: limit - 9].rstrip("-") + "-" + _digest(raw)
    return name


def _uncut_dns_name(raw: str) -> str:
    name = _NOT_DNS.sub("-", raw.lower())
    name = _DASHES.sub("-", name).strip("-")
    if not name or not name[0].isalpha():
        name = f"x-{name}".rstrip("-")
    return name


def is_cut(raw: str, limit: int = MAX_NAME) -> bool:
    """Whether :func:`dns_name` cuts ``raw`` to ``limit`` characters (and adds a hash)."""
    return len(_uncut_dns_name(raw)) > limit


def join_name(*parts: str) -> str:
    """A derived object name such as ``<service>-env-0``, valid and at most 63 characters."""
    return dns_name("-".join(p for p in parts if p))


@_cached
def is_dns_name(name: str) -> bool:
    return len(name) <= MAX_NAME and DNS1035_RE.match(name) is not None


@_cached
def is_port_name(name: str) -> bool:
    return (
        PORT_NAME_RE.match(name) is not None
        and "--" not in name
        and any(c.isalpha() for c in name)
    )


def port_name(raw: str | None, protocol: str, port: int) -> str:
    """An IANA_SVC_NAME: the compose name when it can be made valid, else ``<proto>-<port>``."""
    if raw:
        candidate = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", raw.lower())).strip("-")
        if is_port_name(candidate):
            return candidate
    return f"{protocol.lower()}-{port}"


@_cached
def label_value(raw: str) -> str:
    """A valid label value (<= 63 characters of ``[-A-Za-z0-9_.]``, alphanumeric ends)."""
    value = re.sub(r"[^-A-Za-z0-9_.]+", "-", raw)
    if len(value) > MAX_NAME:
        value = value[: MAX_NAME - 9] + "-" + _digest(raw)
    return re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", value)


@_cached
def is_label_value(value: str) -> bool:
    return len(value) <= MAX_NAME and LABEL_VALUE_RE.match(value) is not None


@_cached
def is_qualified_name(key: str) -> bool:
    """A label or annotation key: optional DNS subdomain prefix (<= 253) and a name (<= 63)."""
    prefix, _, name = key.rpartition("/")
    if "/" in key and (len(prefix) > 253 or not DNS1123_SUBDOMAIN_RE.match(prefix)):
        return False
    return len(name) <= MAX_NAME and LABEL_NAME_RE.match(name) is not None


def config_key(raw: str) -> str:
    """A ConfigMap/Secret data key (``[-._a-zA-Z0-9]+``, at most 253 characters)."""
    key = re.sub(r"[^-._a-zA-Z0-9]+", "-", raw)[:253]
    return key if key not in ("", ".", "..") else "value"


def assign_names(compose_names: Iterable[str], kind: str) -> dict[str, str]:
    """Map compose names to object names; two names that collide are an error naming both."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for raw in sorted(compose_names):
        name = dns_name(raw)
        if name in seen:
            raise TranslatorError.at(
                f"{kind} names {seen[name]!r} and {raw!r} both become {name!r} in Kubernetes",
                (kind, raw),
                code="kubernetes.name-collision",
                hint="rename one of them: Kubernetes names are lower case, digits and '-'",
            )
        seen[name] = raw
        out[raw] = name
    return out


def standard_labels(name: str, project: str, version: str | None) -> dict[str, str]:
    """The recommended labels; ``version`` is omitted for selectors so rollouts can match.

    https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
    """
    labels = {NAME_LABEL: label_value(name), PART_OF_LABEL: label_value(project)}
    if version is not None:
        labels[VERSION_LABEL] = label_value(version)
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    return labels


def selector_labels(name: str, project: str) -> dict[str, str]:
    return {NAME_LABEL: label_value(name), PART_OF_LABEL: label_value(project)}


def merge_labels(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Environment labels never override the standard ones (selectors depend on them)."""
    merged = dict(base)
    for key in sorted(extra):
        merged.setdefault(key, extra[key])
    return merged
