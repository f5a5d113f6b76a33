"""Templates that carry each document's shape; values enter them JSON-encoded.

Python computes every value and platform decision; a template (``templates/<target>/
<kind>.yaml.j2``) decides where each value goes, as a Helm chart does. Whatever an
expression prints passes through :func:`encode` (Jinja's ``finalize``), so a value is always
one whole JSON scalar, mapping or list: it can never add keys, documents or YAML syntax, in
our templates or in a user's copy (``--templates DIR``). JSON is YAML 1.2, so the rendered
text is read back with yaml-rs and handed to the one emitter.

Built-in templates are ours and run in a plain environment; as soon as a user's folder is
given, every template of the run goes through Jinja's immutable sandbox. Each environment
is built once per process and caches its compiled templates; the built-in ones are also
compiled once per machine, in Jinja's bytecode cache.
"""

from __future__ import annotations

import contextlib
import json
import os
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml_rs
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    Undefined,
)

from translator.errors import Location, TranslatorError
from translator.sandbox import BoundedSandbox, ContainedLoader, budget

TEMPLATE_SUFFIX = ".yaml.j2"

def _not_json(value: Any) -> Any:
    """The encoder's hook for a value that is no JSON: only a template can print one
    (``{{ range(3) }}``, an undefined name inside a list), so it is the template's error."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    raise TemplateRuntimeError(
        f"printed a {type(value).__name__}, which is no JSON value: print strings, numbers, "
        "booleans, null, lists or mappings"
    )


_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, default=_not_json)
# YAML caps implicit keys at 1024 characters (https://yaml.org/spec/1.2.2/#rule-ns-s-implicit-yaml-key);
# a longer mapping key is written with the explicit-key indicator instead.
_MAX_IMPLICIT_KEY = 1000
# An ASCII-escaped character is at most 12 JSON characters (a surrogate pair), so a string
# key shorter than this cannot encode to more than _MAX_IMPLICIT_KEY.
_SHORT_KEY = (_MAX_IMPLICIT_KEY - 2) // 12
# Whether encode() looks for over-long keys. Finding them is a walk over every value, and
# a long implicit key always makes yaml-rs refuse the text; so a render runs without the
# walk, and only a text that does not parse is rendered again with it.
_FIND_LONG_KEYS: ContextVar[bool] = ContextVar("find_long_keys", default=False)


def builtin_templates_dir() -> Path:
    """The templates shipped with the package (wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def encode(value: Any) -> str:
    """JSON-encode one template value; ASCII-only, so no raw line separator reaches YAML."""
    if isinstance(value, Undefined):
        # finalize sees an undefined name before anything uses it, so StrictUndefined has
        # not complained yet: complain as Jinja does on any other use ("'x' is undefined").
        value._fail_with_undefined_error()
    try:
        text = _ENCODER.encode(value)
    except ValueError as exc:  # NaN or infinity, or a list that holds itself
        raise TemplateRuntimeError(f"printed a value JSON cannot hold ({exc})") from None
    except RecursionError:
        raise TemplateRuntimeError("printed a value nested too deeply for JSON") from None
    if _FIND_LONG_KEYS.get() and len(text) > _MAX_IMPLICIT_KEY and _has_long_key(value):
        return _encode_explicit(value)
    return text


def _has_long_key(value: Any) -> bool:
    # Iterative: no recursion limit for deep values.
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


_OPTIONS: dict[str, Any] = {
    "undefined": StrictUndefined,
    "finalize": encode,
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "cache_size": -1,
}


class _BestEffortCache(FileSystemBytecodeCache):
    """A cache that cannot be written (full disk, read-only temp) costs only the compile
    time it would have saved: the run goes on."""

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> BytecodeCache | None:
    # Jinja's default folder: per user, created with mode 0700, and refused when another
    # user owns it. Its keys hold each template's absolute path and source checksum, so an
    # edited or moved template is compiled again. Compiling our templates costs about a
    # tenth of a second per run; the cache turns that into reading a few small files.
    try:
        return _BestEffortCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def _builtin_environment(builtin_dir: str) -> Environment:
    # A ChoiceLoader, as for a user's folder: its "not found" names the template, not a host path.
    # Our own files do not change while the process runs: no need to look at them again.
    loader = ChoiceLoader([FileSystemLoader(builtin_dir)])
    return Environment(
        loader=loader, auto_reload=False, bytecode_cache=_bytecode_cache(), **_OPTIONS
    )


@lru_cache(maxsize=8)
def _user_environment(user_dir: str, builtin_dir: str) -> BoundedSandbox:
    # The user's loader refuses (never skips) a file that is a FIFO, a device or a symlink
    # leading outside the folder, so the built-in template never silently stands in for it.
    loader = ChoiceLoader([ContainedLoader(user_dir), FileSystemLoader(builtin_dir)])
    # A user's file may change between two runs of one process (the API, a test): Jinja
    # compiles it again when its modification time changes.
    return BoundedSandbox(loader=loader, auto_reload=True, **_OPTIONS)


class Templates:
    """The template set of one run: the built-ins, overridden by ``user_dir``."""

    def __init__(self, user_dir: Path | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            problem = "is not a folder" if os.path.lexists(user_dir) else "does not exist"
            raise TranslatorError.at(
                f"templates folder {str(user_dir)!r} {problem}",
                code="templates",
                hint="--templates takes a folder holding <target>/<kind>.yaml.j2 files",
            )
        self.user_dir = user_dir
        builtin = str(builtin_templates_dir())
        self._env: Environment = (
            _builtin_environment(builtin) if user_dir is None
            else _user_environment(str(user_dir.resolve()), builtin)
        )
        # Each template is looked up once per run, not once per document.
        self._loaded: dict[str, Template] = {}

    def render(self, target: str, kind: str, **context: Any) -> dict[str, Any]:
        """Render ``<target>/<kind>.yaml.j2`` with ``context`` and read it back as a mapping."""
        name = f"{target}/{kind}{TEMPLATE_SUFFIX}"
        template = self._loaded.get(name)
        if template is None:
            try:
                template = self._loaded[name] = self._env.get_template(name)
            except TemplateError as exc:
                raise template_error(name, exc, None) from exc
            except RecursionError:  # Jinja's parser recurses once per nesting level
                raise TranslatorError.at(
                    f"template {name}: expressions nest too deeply to compile",
                    location=self._deepest_line(name),
                    code="templates",
                ) from None
        text = self._text(template, name, context)
        try:
            return _parse(text, name)
        except TranslatorError:
            pass
        token = _FIND_LONG_KEYS.set(True)
        try:
            text = self._text(template, name, context)
        finally:
            _FIND_LONG_KEYS.reset(token)
        return _parse(text, name)

    def _deepest_line(self, name: str) -> Location | None:
        """The template line where brackets nest deepest: where the parser gave up."""
        assert self._env.loader is not None
        try:
            source, filename, _ = self._env.loader.get_source(self._env, name)
        except (TemplateError, OSError):
            return None
        depth = deepest = 0
        line = at = 1
        for char in source:
            if char == "\n":
                line += 1
            elif char in "([{":
                depth += 1
                if depth > deepest:
                    deepest, at = depth, line
            elif char in ")]}":
                depth -= 1
        return Location(filename or name, at, 1)

    def _text(self, template: Template, name: str, context: dict[str, Any]) -> str:
        if self.user_dir is None:
            return _run(template, name, context)
        with budget():
            return _run_user(template, name, context)


def _run(template: Template, name: str, context: dict[str, Any]) -> str:
    try:
        return template.render(**context)
    except TemplateError as exc:
        raise template_error(name, exc, template.filename) from exc


# What a user's template can raise through Python itself: 1/0, 'a' + 1, int('x'), a
# recursion through include or extends, an allocation the sandbox's bounds did not foresee,
# and a NameError from Jinja's constant folding: an expression that overflows to infinity
# (`10**9e9999999`) is written into the compiled code as the name `inf` (found by fuzzing).
_USER_FAULTS = (
    ArithmeticError, LookupError, TypeError, ValueError, RecursionError, MemoryError, NameError
)


def _run_user(template: Template, name: str, context: dict[str, Any]) -> str:
    try:
        return _run(template, name, context)
    except _USER_FAULTS as exc:
        raise TranslatorError.at(
            f"template {name}: {_fault_message(exc)}",
            location=_location(exc, template.filename),
            code="templates",
        ) from None  # the chain of a RecursionError is as deep as the recursion


def _fault_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "templates nest too deeply (an include, extends, import or macro that " \
            "reaches itself again)"
    if isinstance(exc, MemoryError):
        return "the template ran out of memory"
    if isinstance(exc, NameError):
        return f"a number overflows to infinity, which Jinja cannot compile ({exc})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def template_error(name: str, exc: TemplateError, filename: str | None) -> TranslatorError:
    """``exc`` as a template error, at its line of the template file when Jinja tells."""
    return TranslatorError.at(
        f"template {name}: {exc.message or type(exc).__name__}",
        location=_location(exc, filename),
        code="templates",
    )


def _location(exc: BaseException, filename: str | None) -> Location | None:
    if isinstance(exc, TemplateSyntaxError):
        return Location(exc.filename, exc.lineno, 1) if exc.filename and exc.lineno else None
    if filename is None:
        return None
    # Jinja rewrites a render error's traceback so its template frames carry the template's
    # file name and line numbers; the innermost one is where it failed (in an included
    # template, that file).
    where: tuple[str, int] | None = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if code_file == filename or code_file.endswith(TEMPLATE_SUFFIX):
            where = (code_file, tb.tb_lineno)
        tb = tb.tb_next
    return Location(where[0], where[1], 1) if where else None


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as exc:
        raise TranslatorError.at(
            f"template {name} did not render to YAML: {exc}", code="templates"
        ) from exc
    except TypeError as exc:  # yaml-rs on a mapping or list used as a key
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
