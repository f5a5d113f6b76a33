"""``translator schema``: JSON Schemas of translator's own file formats."""

from __future__ import annotations

import sys

from translator.cli import common


def environment() -> int:
    """The JSON Schema of environments/<name>.yaml files."""
    import json

    from translator.plan.environments import environment_json_schema

    sys.stdout.write(json.dumps(environment_json_schema(), indent=2) + "\n")
    return common.EXIT_OK
