"""Document skeletons: templates whose every value arrives JSON-encoded.

Templates hold structure only. Python prepares each value; every value a template prints is
JSON-encoded, so a value can never add keys, documents or YAML syntax, in our templates or
in a user's copy (``--templates DIR``). JSON is a subset of YAML 1.2, so the rendered text
is parsed back and handed to the one emitter.

A template is looked up here (the user's folder first, then the built-ins, as Jinja's
loader would) and run by its direct program (:mod:`translator.template_direct`), read from
its text without Jinja when it is in the simple subset every built-in template uses
(:mod:`translator.template_text`), so such a run never imports jinja2. Anything else goes
to :mod:`translator.template_jinja`, imported on first need: a template outside that
subset, a render its program leaves to Jinja, the full-text fallback, and the loader's
errors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml_rs

from translator.errors import TranslatorError
from translator.template_direct import Direct
from translator.template_skeletons import Skeletons
from translator.template_text import compile_text

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import ImmutableSandboxedEnvironment

TEMPLATE_SUFFIX = ".yaml.j2"


def builtin_templates_dir() -> Path:
    """The templates shipped with the package (wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


class _Entry:
    """One template of a run: its direct program and, once a render needs it, Jinja's."""

    __slots__ = ("direct", "jinja")

    def __init__(self, direct: Direct | None, jinja: Template | None = None) -> None:
        self.direct, self.jinja = direct, jinja


class Templates:
    """The template set of one run: the built-in skeletons, overridden by ``user_dir``."""

    def __init__(self, user_dir: Path | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise TranslatorError.at(
                f"templates folder {str(user_dir)!r} does not exist",
                code="templates",
                hint="--templates takes a folder holding <target>/<kind>.yaml.j2 files",
            )
        self.user_dir = user_dir
        self._user = None if user_dir is None else str(user_dir.resolve())
        self._builtin = str(builtin_templates_dir())
        # One lookup per template and run: the files are read once, not per render.
        self._entries: dict[str, _Entry] = {}
        self._skeletons = Skeletons()

    def render(self, target: str, kind: str, **context: Any) -> dict[str, Any]:
        """Render ``<target>/<kind>.yaml.j2`` with ``context`` and parse it back to a mapping.

        Fast path: the template renders with a placeholder for each value (by its direct
        program when it has one, see :mod:`translator.template_direct`, else by Jinja), the
        small skeleton text is parsed once per distinct shape (cached), and the values
        (decoded in one JSON call) are put in their places. The result equals parsing the
        full text; whenever that is not certain (a value inside a larger scalar or a
        comment, an alias, a clash of keys, a parse error) the full text is rendered and
        parsed as before, which also gives the error messages.
        """
        return self._render(target, kind, context, record=True)

    def render_final(self, target: str, kind: str, **context: Any) -> dict[str, Any]:
        """:meth:`render` for a document no later render embeds (a Kubernetes object). It is
        not kept for embedding, so renders that embed nothing need not look for documents
        among their values."""
        return self._render(target, kind, context, record=False)

    def _render(
        self, target: str, kind: str, context: dict[str, Any], record: bool
    ) -> dict[str, Any]:
        name = f"{target}/{kind}{TEMPLATE_SUFFIX}"
        entry = self._entries.get(name) or self._entry(name)
        direct = entry.direct
        rendered = None if direct is None else direct.render(context)
        if rendered is None:
            from translator.template_jinja import collect

            rendered = collect(self._jinja(name, entry), name, context)
        filled = self._skeletons.fill(*rendered, record=record)
        if filled is not None:
            return filled
        from translator.template_jinja import run

        document = _parse(run(self._jinja(name, entry), name, context), name)
        return self._skeletons.produced(document) if record else document

    def _entry(self, name: str) -> _Entry:
        """Template ``name``'s entry: the program read from its text when it is in the simple
        subset, else what Jinja makes of it (a missing template is Jinja's loader's error,
        as it always was)."""
        source = self._source(name)
        direct = None if source is None else compile_text(source)
        if direct is not None:
            entry = _Entry(direct)
        else:
            from translator import template_jinja

            env = self._environment()
            if source is None:  # not found or unreadable: the loader decides and reports
                jinja = template_jinja.load(env, name)
                entry = _Entry(template_jinja.direct(env, name), jinja)
            else:
                entry = _Entry(template_jinja.compiled(env, source))
        self._entries[name] = entry
        return entry

    def _source(self, name: str) -> str | None:
        """The text Jinja's loader would load for ``name``; None when only it can tell."""
        pieces = name.split("/")
        # The names Jinja's split_template_path rewrites or refuses: only it can tell.
        if any(p in ("", ".", "..") or os.sep in p or (os.altsep and os.altsep in p)
               for p in pieces):
            return None
        for folder in (self._user, self._builtin):
            if folder is None:
                continue
            path = os.path.join(folder, *pieces)
            if os.path.isfile(path):
                try:  # as FileSystemLoader reads it: UTF-8, universal newlines
                    with open(path, encoding="utf-8") as file:
                        return file.read()
                except (OSError, UnicodeError):
                    return None
        return None

    def _jinja(self, name: str, entry: _Entry) -> Template:
        """Jinja's compiled template ``name``, made on first need."""
        if entry.jinja is None:
            from translator.template_jinja import load

            entry.jinja = load(self._environment(), name)
        return entry.jinja

    def _environment(self) -> ImmutableSandboxedEnvironment:
        from translator.template_jinja import environment

        return environment(self._user, self._builtin)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as exc:
        raise TranslatorError.at(
            f"template {name} did not render to YAML: {exc}", code="templates"
        ) from exc
    except TypeError as exc:  # yaml-rs on a mapping or list used as a key (hypothesis found it)
        raise TranslatorError.at(
            f"template {name} did not render to YAML: a key is not a scalar ({exc})",
            code="templates",
        ) from exc
    if not isinstance(data, dict):
        raise TranslatorError.at(
            f"template {name} must render one mapping, got {type(data).__name__}",
            code="templates",
        )
    return data
