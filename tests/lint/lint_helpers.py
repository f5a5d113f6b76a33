"""Builders shared by the lint tests (imported as ``lint_helpers``)."""

from __future__ import annotations

from collections.abc import Callable

from project_files import write_project as write_project  # re-exported for the lint tests

from translator.model import Plan

PlanFactory = Callable[..., Plan]


