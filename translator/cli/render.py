"""Rendering one environment and writing the result: what ``convert`` and ``deploy`` share."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from translator.cli import common
from translator.errors import Diagnostic, TranslatorError

if TYPE_CHECKING:
    from translator.api import PlanInputs
    from translator.compose.loader import Loaded
    from translator.targets.base import Document, RenderOptions


@dataclass(frozen=True, slots=True)
class Rendered:
    target: str
    documents: list[Document]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class Request:
    """What to render, however many environments: the target and how."""

    target: str | None
    options: RenderOptions
    templates: Path | None


def render_env(
    loaded: Loaded,
    env: str,
    inputs: PlanInputs,
    request: Request,
    *,
    only: Sequence[str] | None = None,
    version: str | None = None,
    out: Path | None = None,
) -> Rendered:
    from translator import api
    from translator.locate import locate_for_plan

    options = request.options
    if out is not None:
        # Relative file references (secrets, configs) must resolve from where the output lands.
        rel = os.path.relpath(loaded.base_dir, out.absolute())
        options = replace(options, extra={**options.extra, "project_dir": rel})
    try:
        plan = api.resolve(loaded, env, inputs, only=only, version=version)
    except TranslatorError as err:  # a compose path (a build-only service): say where
        raise TranslatorError(api.locate(loaded, err.diagnostics)) from None
    try:
        rendered = api.render(plan, request.target, options=options,
                              templates_dir=request.templates)  # fmt: skip
    except TranslatorError as err:  # e.g. an object a user's template misshaped: say where
        raise TranslatorError(locate_for_plan(loaded, plan, err.diagnostics)) from None
    notes = [*rendered.diagnostics.items, *api.renamed(plan, rendered.target)]
    found = locate_for_plan(loaded, plan, notes)
    return Rendered(rendered.target, list(rendered.documents), found)


def kubernetes_list(documents: Sequence[Document]) -> str:
    """Kubernetes objects as one JSON document, a ``v1`` ``List``: concatenated JSON objects
    are no JSON document (``json.load`` refuses them), a List is one that ``kubectl apply
    -f`` reads too (https://kubernetes.io/docs/reference/using-api/api-concepts/#collections)."""
    from translator.emit import dump  # the emitter loads only for output

    items = [doc.content for doc in documents]
    return dump({"apiVersion": "v1", "kind": "List", "items": items}, "json")


def emit(rendered: Rendered, out: Path | None, fmt: str | None, prune: bool = False) -> None:
    """The documents on stdout, or one file per document under ``out``."""
    from translator import api

    chosen = common.output_format(fmt, rendered.target)
    if out is None and chosen == "json" and rendered.target == "kubernetes":
        sys.stdout.write(kubernetes_list(rendered.documents))
    elif out is None:
        sys.stdout.write(api.to_text(rendered.documents, chosen))
    else:
        api.write(rendered.documents, out, chosen, prune=prune)
