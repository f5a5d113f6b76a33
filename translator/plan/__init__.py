"""Environments, artifacts and plan resolution: what runs (artifacts) x how (environment)."""

from __future__ import annotations

from translator.plan.artifacts import load_artifacts, parse_image_overrides, pin
from translator.plan.diff import DiffRow, diff_json, diff_plans, diff_table
from translator.plan.environments import (
    environment_json_schema,
    environments_dir,
    list_environments,
    load_environment,
)
from translator.plan.resolve import resolve_plan

__all__ = [
    "DiffRow",
    "diff_json",
    "diff_plans",
    "diff_table",
    "environment_json_schema",
    "environments_dir",
    "list_environments",
    "load_artifacts",
    "load_environment",
    "parse_image_overrides",
    "pin",
    "resolve_plan",
]
