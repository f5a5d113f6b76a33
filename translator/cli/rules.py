"""``translator rules``: the topology lint rules."""

from __future__ import annotations

import sys

from translator.cli import common


def rules() -> int:
    """List the topology lint rules with their IDs and rationale."""
    from translator.lint import rules_table

    sys.stdout.write(rules_table())
    return common.EXIT_OK
