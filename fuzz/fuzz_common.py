"""Shared by the fuzz targets: what counts as a finding, and how one input is run.

A finding is any exception other than TranslatorError (the CLI's exit 3), a render whose
emitted text does not parse back to the document it came from (a value changed the
output's structure), or a run over libFuzzer's -timeout / -rss_limit_mb.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from translator import api  # noqa: E402
from translator.errors import TranslatorError  # noqa: E402
from translator.targets.base import RenderOptions  # noqa: E402


def _import_all() -> None:
    """Import every translator module now, so atheris instruments the lazily imported ones."""
    import importlib
    import pkgutil

    import translator

    for info in pkgutil.walk_packages(translator.__path__, "translator."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


_import_all()

# Loading needs a working folder (relative paths, .env); an empty one keeps runs pure.
WORKDIR = Path(tempfile.mkdtemp(prefix="translator-fuzz-"))
ENVIRON = {"TAG": "1.0", "PORT": "8080", "PASSWORD": "hunter2"}


def decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def load(text: str) -> Any:
    """The Loaded project for ``text`` (stdin), or None for a clear TranslatorError."""
    try:
        return api.load_project(["-"], stdin=text, environ=ENVIRON, working_dir=WORKDIR)
    except TranslatorError:
        return None


def render_and_check(text: str, target: str) -> None:
    """Load, resolve and render ``text`` for ``target``; check the emitted text round-trips."""
    loaded = load(text)
    if loaded is None:
        return
    try:
        plan = api.resolve(loaded, "local", require_artifacts=False)
        # Waiting for dependencies renders the init containers too (a dependency fan is a seed).
        rendered = api.render(plan, target, options=RenderOptions(wait_for_dependencies=True))
    except TranslatorError:
        return
    for fmt in ("yaml", "json"):
        out = api.to_text(rendered.documents, fmt)  # type: ignore[arg-type]
        parsed = _parse_stream(out, fmt)
        expected = [json.loads(json.dumps(d.content)) for d in rendered.documents]
        if parsed != expected:
            raise AssertionError(f"{target} {fmt} output does not parse back to its documents")


def _parse_stream(text: str, fmt: str) -> list[Any]:
    if fmt == "yaml":
        return [json.loads(json.dumps(d)) for d in yaml.safe_load_all(text)]
    decoder = json.JSONDecoder()
    out: list[Any] = []
    index = 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        value, index = decoder.raw_decode(text, index)
        out.append(value)
    return out


def comparable(model: Any) -> Any:
    """A model as plain data for round-trip comparison: ``source_keys`` (which keys the
    file spelled) ignored, and unset values (None, empty sub-objects such as
    ``healthcheck: {}``, which ``config`` leaves out as they mean nothing) dropped."""
    return _prune(model.model_dump(exclude={"source_keys"}, exclude_defaults=True))


def _resources(items: dict[str, Any]) -> dict[str, Any]:
    return {k: _prune(v.model_dump(exclude_defaults=True)) for k, v in items.items()}


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pairs = ((k, _prune(v)) for k, v in value.items())
        return {k: v for k, v in pairs if v is not None and v != {} and v != []}
    if isinstance(value, list | tuple):
        return [_prune(v) for v in value]
    return value


def round_trip_differences(text: str) -> list[str]:
    """Fields that differ after ``config`` output is loaded again (empty when it round-trips)."""
    first = load(text)
    if first is None:
        return []
    from translator.compose.serialize import escape_dollars
    from translator.emit import dump

    # As `config` must print it: `$` doubled (as Compose does) so a second load does not
    # interpolate it again, through the one emitter (yaml_rs.dumps alone breaks odd keys).
    printed = dump(escape_dollars(api.compose_document(first.project)), "yaml")
    second = load(printed)
    if second is None:
        return ["config output does not load again"]
    a, b = first.project, second.project
    if set(a.services) != set(b.services):
        return ["services differ"]
    problems = [
        f"services.{n}: {comparable(s)!r} != {comparable(b.services[n])!r}"
        for n, s in a.services.items()
        if comparable(s) != comparable(b.services[n])
    ]
    for part in ("volumes", "networks", "configs", "secrets"):
        if _resources(getattr(a, part)) != _resources(getattr(b, part)):
            problems.append(f"{part} differ")
    return problems


# The user's template folder of the templates target: one Deployment template, rewritten
# for each input, of a small project that reaches most of the pod template's fields.
TEMPLATES = WORKDIR / "templates"
_TEMPLATE = TEMPLATES / "kubernetes" / "deployment.yaml.j2"
_STAMPS = itertools.count(1)
_PROJECT = """services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment: {A: "1", B: "{{ x }}"}
    depends_on: [db]
    labels: {team: web}
  db:
    image: postgres:16
"""


@functools.lru_cache(maxsize=1)
def _template_plan() -> Any:
    loaded = api.load_project(["-"], stdin=_PROJECT, environ=ENVIRON, working_dir=WORKDIR)
    return api.resolve(loaded, "local", require_artifacts=False)


def render_template(text: str) -> None:
    """Render the small project with ``text`` as the user's Deployment template (in the
    bounded sandbox): only TranslatorError may escape, within libFuzzer's limits."""
    _TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    _TEMPLATE.write_text(text, encoding="utf-8")
    stamp = next(_STAMPS) * 1_000_000_000  # a new mtime: Jinja compiles each input afresh
    os.utime(_TEMPLATE, ns=(stamp, stamp))
    options = RenderOptions(wait_for_dependencies=True)
    with contextlib.suppress(TranslatorError):
        api.render(_template_plan(), "kubernetes", options=options, templates_dir=TEMPLATES)
