"""The Jinja side of templating: the sandbox, ``finalize``, and Jinja's errors.

Imported only when a run needs Jinja: a template that has no direct program (see
:mod:`translator.template_direct`), a render a direct program leaves to Jinja (a missing
name, a loop over a non-dict), a full-text render, or a template the loader must report
(missing, unreadable). A run whose templates :mod:`translator.template_text` reads
never imports this module, nor jinja2.

The environment's ``finalize`` JSON-encodes whatever an expression yields, so a value can
never add keys, documents or YAML syntax, in our templates or in a user's copy.
"""

from __future__ import annotations

import json
from functools import lru_cache
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    Undefined,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from translator.errors import Location, TranslatorError
from translator.template_compile import compile_direct
from translator.template_direct import Direct
from translator.template_skeletons import ENCODER, SLOTS, placeholder


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
    if isinstance(value, Undefined):
        # finalize sees an undefined name before anything uses it, so StrictUndefined has
        # not complained yet: complain here, as Jinja does on any other use ("'x' is
        # undefined"), instead of letting the JSON encoder choke on the object.
        value._fail_with_undefined_error()
    collected = SLOTS.values
    if collected is None:
        return encode(value)
    collected.append(value)
    return placeholder(len(collected) - 1)


@lru_cache(maxsize=8)
def environment(user_dir: str | None, builtin_dir: str) -> ImmutableSandboxedEnvironment:
    """The sandbox of a template set: ``user_dir`` (if any) first, then the built-ins."""
    loaders = [FileSystemLoader(builtin_dir)]
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


def load(env: ImmutableSandboxedEnvironment, name: str) -> Template:
    """Template ``name``, compiled by Jinja; a missing or broken one is a TranslatorError."""
    try:
        return env.get_template(name)
    except TemplateError as exc:
        raise template_error(name, exc, None) from exc


def direct(env: ImmutableSandboxedEnvironment, name: str) -> Direct | None:
    """The direct program of template ``name`` as the loader finds it; None: Jinja only."""
    try:
        source = env.loader.get_source(env, name)[0] if env.loader is not None else None
    except TemplateError:
        return None
    return None if source is None else compiled(env, source)


@lru_cache(maxsize=64)
def compiled(env: ImmutableSandboxedEnvironment, source: str) -> Direct | None:
    """The direct program of ``source`` in ``env``, parsed by Jinja once per process."""
    return compile_direct(env, source)


def run(template: Template, name: str, context: dict[str, Any]) -> str:
    """The full text of ``template`` with ``context``; Jinja's errors as TranslatorErrors."""
    try:
        return template.render(**context)
    except TemplateError as exc:
        raise template_error(name, exc, template.filename) from exc


def collect(template: Template, name: str, context: dict[str, Any]) -> tuple[str, list[Any]]:
    """The skeleton text Jinja renders, and the values its placeholders stand for."""
    values: list[Any] = []
    SLOTS.values = values
    try:
        return run(template, name, context), values
    finally:
        SLOTS.values = None


def template_error(name: str, exc: TemplateError, filename: str | None) -> TranslatorError:
    """``exc`` as a template error, at its line of the template file when Jinja tells."""
    return TranslatorError.at(
        f"template {name}: {exc.message or type(exc).__name__}",
        location=_location(exc, filename),
        code="templates",
    )


def _location(exc: TemplateError, filename: str | None) -> Location | None:
    if isinstance(exc, TemplateSyntaxError):
        return Location(exc.filename, exc.lineno, 1) if exc.filename and exc.lineno else None
    if filename is None:
        return None
    # Jinja rewrites a render error's traceback so its template frames carry the template's
    # file name and line numbers; the innermost one is where it failed.
    line = 0
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return Location(filename, line, 1) if line else None
