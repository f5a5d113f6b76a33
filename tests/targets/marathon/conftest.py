"""Fixtures for the Marathon target's tests: the Marathon 1.7 schema validators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from marathon_helpers import Validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


@pytest.fixture(scope="session")
def validate(conformance_dir: Path) -> Validate:
    """``validate(document, kind)`` -> schema error messages (kind: "group" or "app").

    Group.json refers to ``./AppDefinition.json`` relative to its own ``id``; registering
    the app schema under that URL resolves it offline.
    """
    folder = conformance_dir / "schemas" / "marathon-1.7"
    group = json.loads((folder / "Group.json").read_text())
    app = json.loads((folder / "AppDefinition.json").read_text())
    base = group["id"].rsplit("/", 1)[0]
    registry: Registry[Any] = Registry().with_resource(
        f"{base}/AppDefinition.json", Resource.from_contents(app, default_specification=DRAFT4)
    )
    validators = {
        "group": Draft4Validator(group, registry=registry),
        "app": Draft4Validator(app, registry=registry),
    }

    def run(document: dict[str, Any], kind: str) -> list[str]:
        errors = validators[kind].iter_errors(document)
        return [f"{list(e.absolute_path)}: {e.message}" for e in errors]

    return run
