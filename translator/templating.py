"""Document skeletons: Jinja templates whose every value arrives JSON-encoded.

Templates hold structure only. Python prepares each value; the environment's
``finalize`` JSON-encodes whatever an expression yields, so a value can never
add keys, documents or YAML syntax, in our templates or in a user's copy
(``--templates DIR``). JSON is a subset of YAML 1.2, so the rendered text is
parsed back and handed to the one emitter.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml_rs
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from translator.errors import TranslatorError
from translator.template_direct import Direct, compile_direct
from translator.template_skeletons import ENCODER, SLOTS, Skeletons, placeholder

TEMPLATE_SUFFIX = ".yaml.j2"


def builtin_templates_dir() -> Path:
    """The templates shipped with the package (wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def encode(value: Any) -> str:
    """JSON-encode one template value; ASCII-only so no raw line separator reaches YAML.

    JSON is YAML 1.2, except that YAML caps implicit keys at 1024 characters; longer
    mapping keys are written with the explicit-key indicator (``? "key": value``).
    """
    try:
        text = ENCODER.encode(value)
    except (TypeError, ValueError) as exc:  # a renderer bug, not bad input
        raise RuntimeError(f"template value is not JSON-encodable: {exc}") from exc
    if len(text) > _MAX_IMPLICIT_KEY and _has_long_key(value):
        return _encode_explicit(value)
    return text


_MAX_IMPLICIT_KEY = 1000
# An ASCII-escaped character is at most 12 JSON characters (a surrogate pair), so a string
# key shorter than this cannot encode to more than _MAX_IMPLICIT_KEY: no need to encode it.
_SHORT_KEY = (_MAX_IMPLICIT_KEY - 2) // 12


def _has_long_key(value: Any) -> bool:
    # Iterative and visiting containers only: no recursion limit for deep values, and a
    # Marathon group (every app in one value) costs one pass over its keys.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in item:
                if not (isinstance(key, str) and len(key) <= _SHORT_KEY) and (
                    len(json.dumps(key, ensure_ascii=True)) > _MAX_IMPLICIT_KEY
                ):
                    return True
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return False


def _encode_explicit(value: Any) -> str:
    if isinstance(value, dict):
        items = (
            f"? {json.dumps(k, ensure_ascii=True)}: {_encode_explicit(v)}" for k, v in value.items()
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_encode_explicit(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


def _finalize(value: Any) -> str:
    """Every value a template prints: its JSON, or a placeholder while collecting."""
    collected = SLOTS.values
    if collected is None:
        return encode(value)
    collected.append(value)
    return placeholder(len(collected) - 1)


@lru_cache(maxsize=8)
def _environment(user_dir: str | None) -> ImmutableSandboxedEnvironment:
    loaders = [FileSystemLoader(str(builtin_templates_dir()))]
    if user_dir is not None:
        loaders.insert(0, FileSystemLoader(user_dir))
    return ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        cache_size=-1,
    )


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
        self._env = _environment(None if user_dir is None else str(user_dir.resolve()))
        # Jinja checks a template file's mtime on every get_template (3,000 stats for
        # 1,000 services); one lookup per template set and run is enough.
        self._loaded: dict[str, Template] = {}
        self._direct: dict[str, Direct | None] = {}
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
        template = self._template(name)
        direct = self._direct[name]
        rendered = None if direct is None else direct.render(context)
        if rendered is None:
            rendered = self._collect(template, name, context)
        filled = self._skeletons.fill(*rendered, record=record)
        if filled is not None:
            return filled
        document = _parse(self._run(template, name, context), name)
        return self._skeletons.produced(document) if record else document

    def _collect(
        self, template: Template, name: str, context: dict[str, Any]
    ) -> tuple[str, list[Any]]:
        """The skeleton text Jinja renders, and the values its placeholders stand for."""
        values: list[Any] = []
        SLOTS.values = values
        try:
            return self._run(template, name, context), values
        finally:
            SLOTS.values = None

    def _template(self, name: str) -> Template:
        template = self._loaded.get(name)
        if template is None:
            try:
                template = self._loaded[name] = self._env.get_template(name)
            except TemplateError as exc:
                raise _template_error(name, exc) from exc
            self._direct[name] = _direct(self._env, name)
        return template

    @staticmethod
    def _run(template: Template, name: str, context: dict[str, Any]) -> str:
        try:
            return template.render(**context)
        except TemplateError as exc:
            raise _template_error(name, exc) from exc


def _direct(env: ImmutableSandboxedEnvironment, name: str) -> Direct | None:
    """The direct program of template ``name`` (see :mod:`translator.template_direct`)."""
    try:
        source = env.loader.get_source(env, name)[0] if env.loader is not None else None
    except TemplateError:
        return None
    return None if source is None else _compiled(env, source)


@lru_cache(maxsize=64)
def _compiled(env: ImmutableSandboxedEnvironment, source: str) -> Direct | None:
    return compile_direct(env, source)


def _template_error(name: str, exc: TemplateError) -> TranslatorError:
    return TranslatorError.at(
        f"template {name}: {exc.message or type(exc).__name__}", code="templates"
    )


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
