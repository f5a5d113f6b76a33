"""The environment FILE format: what users write, validated by the model itself.

:class:`translator.model.Environment` validates the file in one pass. This module adds
what only a hand-written file needs: the human forms of units (``512M``, ``1Gi``,
``10s``, ``500m``, ``"node.labels.zone == eu"``), parsed by the helpers below, which the
model's ``FromText`` fields call through the validation context; strict types ("3" is
not a replica count, "yes" not a boolean); the platform names of the target registry;
and the JSON Schema of the file, which shows those human forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, localcontext
from typing import Any

from pydantic import ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from translator import targets
from translator.compose.units import parse_cpus, parse_duration, parse_size
from translator.errors import TranslatorError
from translator.model import Constraint, Environment
from translator.model.base import FromText

# Keys that would name an artifact: an environment says how, never what.
FORBIDDEN_KEYS = frozenset({"image", "tag", "version", "artifact"})
ARTIFACT_HINT = (
    "one artifact for all environments: set images in compose, artifacts.yaml or --image"
)

# Kubernetes binary quantities (1Gi, 500Mi); compose's own forms go to parse_size.
# https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
_K8S_SIZE = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei)$")
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
        # Exactly: Ki..Pi are compose's k..p; Ei is 1024 Pi.
        number, unit = match[1], match[2]
        if unit == "Ei":
            with localcontext(prec=len(number) + 8):
                number, unit = str(Decimal(number) * 1024), "Pi"
        value = number + unit[0].lower()
    try:
        return parse_size(value, ())
    except TranslatorError as err:
        raise ValueError(err.diagnostics[0].message + " or 1Gi, 500Mi") from None


def to_nanoseconds(value: object) -> int:
    try:
        return parse_duration(value, ())
    except TranslatorError as err:
        raise ValueError(err.diagnostics[0].message) from None


def to_cpus(value: object) -> Decimal:
    # Kubernetes millicores (500m) are accepted beside compose's numbers.
    if isinstance(value, str) and re.fullmatch(r"\d+m", value.strip()):
        value = str(Decimal(value.strip()[:-1]) / 1000)
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

# Per unit of a FromText field: its parser, and its JSON Schema (the forms a file writes).
PARSERS: Mapping[str, Callable[[object], object]] = {
    "size": to_bytes, "duration": to_nanoseconds, "cpus": to_cpus, "constraint": to_constraint,
}
_TEXT_SCHEMAS: Mapping[str, JsonSchemaValue] = {
    "size": {
        "anyOf": [{"type": "integer", "minimum": 0},
                  {"type": "string", "pattern": _SIZE_PATTERN}],
        "description": "bytes, or a size such as 512M, 1g, 1Gi or 500Mi",
    },
    "duration": {"type": "string", "description": "a Go duration such as 10s, 1m30s or 500ms"},
    "cpus": {
        "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
        "description": "CPUs: 0.5, \"2\" or millicores such as 500m",
    },
    "constraint": {
        "type": "string", "pattern": _CONSTRAINT.pattern,
        "description": "such as node.labels.role == database",
    },
}
TITLE = "compose-translator environment"


class InvalidFile(ValueError):
    """An environment file the model refuses: pydantic's error items (``errors``)."""

    def __init__(self, errors: list[Mapping[str, Any]]) -> None:
        super().__init__(f"{len(errors)} error(s) in an environment file")
        self.errors = errors


def validate(name: str, data: Mapping[str, Any]) -> Environment:
    """The environment ``name`` from a file's parsed data, in one validation.

    Raises :class:`InvalidFile`; the caller positions its errors in the file.
    """
    # ``name`` is a field of the model, but the file name gives it.
    refused: list[Mapping[str, Any]] = (
        [{"type": "extra_forbidden", "loc": ("name",), "input": data["name"]}]
        if "name" in data else []
    )
    context = {"parsers": PARSERS, "platforms": targets.names()}
    try:
        # Strict refuses a YAML list where the model holds a tuple: lists become tuples.
        environment = Environment.model_validate(
            {**_tuples(data), "name": name}, strict=True, context=context
        )
    except ValidationError as err:
        raise InvalidFile([*err.errors(include_url=False), *refused]) from None
    if refused:
        raise InvalidFile(refused)
    return environment


def _tuples(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _tuples(value) for key, value in data.items()}
    if isinstance(data, list):
        return tuple(_tuples(item) for item in data)
    return data


class FileSchema(GenerateJsonSchema):
    """The model's JSON Schema, with the written forms of its FromText fields."""

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        function = schema["function"]["function"]
        if isinstance(function, FromText):
            return dict(_TEXT_SCHEMAS[function.unit])
        return super().function_before_schema(schema)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an environment file: the model's, less what a file never writes."""
    schema = Environment.model_json_schema(schema_generator=FileSchema)
    properties = schema["properties"]
    del properties["name"]  # the file name gives it
    # The model takes any name the registry passes at validation; the schema lists them.
    properties["platform"]["enum"] = targets.names()
    return {**schema, "title": TITLE}
