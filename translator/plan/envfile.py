"""The environment FILE format: a strict pydantic model of what users write.

It mirrors :class:`translator.model.Environment` but takes the human forms
(``512M``, ``1Gi``, ``10s``, ``"node.labels.zone == eu"``) and turns them into
the model's semantic units as it validates. Converting to the model is then a
plain ``model_validate`` of the fields that were set, so "not set" survives
(``model_fields_set``) and the plan can overlay field by field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from translator.compose.units import parse_cpus, parse_duration, parse_size
from translator.errors import TranslatorError
from translator.model import Constraint

# Keys that would name an artifact: an environment says how, never what.
FORBIDDEN_KEYS = frozenset({"image", "tag", "version", "artifact"})
ARTIFACT_HINT = (
    "one artifact for all environments: set images in compose, artifacts.yaml or --image"
)

# Kubernetes binary quantities (1Gi, 500Mi); compose's own forms go to parse_size.
# https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
_K8S_SIZE = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei)$")
_K8S_POWER = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
# Swarm's constraint attributes:
# https://docs.docker.com/reference/cli/docker/service/create/#constraint
_CONSTRAINT = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|!=)\s*(\S(?:.*\S)?)\s*$")
_CONSTRAINT_KEYS = (
    "node.id", "node.hostname", "node.role", "node.platform.os", "node.platform.arch",
)
_CONSTRAINT_PREFIXES = ("node.labels.", "engine.labels.")
CONSTRAINT_HINT = (
    "expected '<attribute> == <value>' or '<attribute> != <value>' where the attribute is "
    + ", ".join(_CONSTRAINT_KEYS)
    + ", node.labels.<name> or engine.labels.<name>"
)


def to_bytes(value: object) -> int:
    """A size: bytes as a number, compose forms (512M, 1g) or Kubernetes forms (1Gi, 500Mi)."""
    if isinstance(value, str) and (match := _K8S_SIZE.match(value.strip())):
        return int(float(match[1]) * 1024 ** _K8S_POWER[match[2]])
    try:
        return parse_size(value, ())
    except TranslatorError as err:
        raise ValueError(err.diagnostics[0].message + " or 1Gi, 500Mi") from None


def to_nanoseconds(value: object) -> int:
    try:
        return parse_duration(value, ())
    except TranslatorError as err:
        raise ValueError(err.diagnostics[0].message) from None


def to_cpus(value: object) -> float:
    # Kubernetes millicores (500m) are accepted beside compose's numbers.
    if isinstance(value, str) and re.fullmatch(r"\d+m", value.strip()):
        return int(value.strip()[:-1]) / 1000
    try:
        return parse_cpus(value, ())
    except TranslatorError as err:
        raise ValueError(err.diagnostics[0].message + " or 500m") from None


def to_constraint(value: object) -> Constraint:
    if isinstance(value, Constraint):
        return value
    match = _CONSTRAINT.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"invalid constraint {value!r}: {CONSTRAINT_HINT}")
    key = match[1]
    label = next((key[len(p):] for p in _CONSTRAINT_PREFIXES if key.startswith(p)), None)
    if key not in _CONSTRAINT_KEYS and not label:
        raise ValueError(f"unknown constraint attribute {key!r}: {CONSTRAINT_HINT}")
    return Constraint(key=key, op=match[2], value=match[3])  # type: ignore[arg-type]


_SIZE_PATTERN = r"^\d+(\.\d+)?\s?([bBkKmMgGtTpP]([bB]|iB|ib)?|Ki|Mi|Gi|Ti|Pi|Ei)?$"
_SIZE_SCHEMA = {
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": _SIZE_PATTERN}],
    "description": "bytes, or a size such as 512M, 1g, 1Gi or 500Mi",
}
Size = Annotated[int, BeforeValidator(to_bytes), WithJsonSchema(_SIZE_SCHEMA)]
Duration = Annotated[int, BeforeValidator(to_nanoseconds), WithJsonSchema(
    {"type": "string", "description": "a Go duration such as 10s, 1m30s or 500ms"})]
Cpus = Annotated[float, BeforeValidator(to_cpus), WithJsonSchema(
    {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
     "description": "CPUs: 0.5, \"2\" or millicores such as 500m"})]
# Any, for pydantic: the value is a model Constraint, which is not a pydantic class;
# to_constraint has checked and built it.
ConstraintText = Annotated[Any, BeforeValidator(to_constraint), WithJsonSchema(
    {"type": "string", "pattern": _CONSTRAINT.pattern,
     "description": "such as node.labels.role == database"})]
StrMap = dict[str, str]


class _File(BaseModel):
    # strict: "3" is not a replica count and "yes" is not a boolean in an environment file.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ResourceSpecFile(_File):
    cpus: Cpus | None = None
    memory: Size | None = None
    pids: int | None = Field(default=None, ge=0)


class ResourcesFile(_File):
    limits: ResourceSpecFile | None = None
    reservations: ResourceSpecFile | None = None


class UpdateConfigFile(_File):
    parallelism: int | None = Field(default=None, ge=0)
    delay: Duration | None = None
    failure_action: Literal["continue", "rollback", "pause"] | None = None
    monitor: Duration | None = None
    max_failure_ratio: float | None = Field(default=None, ge=0)
    order: Literal["start-first", "stop-first"] | None = None


class RestartPolicyFile(_File):
    condition: Literal["none", "on-failure", "any"] = "any"
    delay: Duration | None = None
    max_attempts: int | None = Field(default=None, ge=0)
    window: Duration | None = None


class ExposureFile(_File):
    type: Literal["internal", "node-port", "load-balancer", "ingress"] = "internal"
    host: str | None = None
    path: str = "/"
    tls_secret: str | None = None
    ingress_class: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)


class SettingsFile(_File):
    """Per-service settings, or the defaults for every service."""

    replicas: int | None = Field(default=None, ge=0)
    mode: Literal["replicated", "global"] | None = None
    strategy: Literal["spread", "binpack"] | None = None
    constraints: list[ConstraintText] | None = None
    max_replicas_per_node: int | None = Field(default=None, ge=0)
    resources: ResourcesFile | None = None
    update_config: UpdateConfigFile | None = None
    restart_policy: RestartPolicyFile | None = None
    exposure: ExposureFile | None = None
    stateful: bool | None = None
    readiness_probe: bool | None = None
    labels: StrMap = Field(default_factory=dict)
    annotations: StrMap = Field(default_factory=dict)


class StorageFile(_File):
    size: Size | None = None
    storage_class: str | None = None


class EnvironmentFile(_File):
    """An ``environments/<name>.yaml`` file. The name comes from the file name."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, title="compose-translator environment"
    )

    platform: Literal["kubernetes", "swarm", "marathon"] = "kubernetes"
    namespace: str | None = None
    production: bool = False
    spread_key: str = "node.hostname"
    allow_host_paths: bool = False
    labels: StrMap = Field(default_factory=dict)
    annotations: StrMap = Field(default_factory=dict)
    defaults: SettingsFile = SettingsFile()
    services: dict[str, SettingsFile] = Field(default_factory=dict)
    volume_defaults: StorageFile = StorageFile()
    volumes: dict[str, StorageFile] = Field(default_factory=dict)

    def as_model_data(self) -> dict[str, Any]:
        """Only the fields written, with semantic units: input for ``Environment``."""
        return self.model_dump(exclude_unset=True)
