"""kubernetes-validate's strict schema files as in-process validators, shared by the
Kubernetes target tests and the hardening tests (importable from any test module, like
project_files.py).

kubernetes-validate's own validate() reloads its schemas on every call; this keeps one
validator per (version, kind) with the same files, so the corpus runs in seconds.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from importlib_resources import files
from referencing import Registry, Resource


@lru_cache(maxsize=64)
def kubernetes_validator(version: str, kind: str, api_version: str) -> Any:
    """The Draft 2020-12 validator of ``kind`` in Kubernetes ``version`` (e.g. "1.37")."""
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    folder = f"kubernetes-json-schema/v{version}.0-local-strict"
    base = files("kubernetes_validate").joinpath(folder)
    schema = json.loads(base.joinpath(f"{kind.lower()}-{group}.json").read_text())
    defs = json.loads(base.joinpath("_definitions.json").read_text())
    registry: Registry[Any] = Resource.from_contents(defs) @ (
        Resource.from_contents(schema) @ Registry()
    )
    return jsonschema.Draft202012Validator(schema, registry=registry)
