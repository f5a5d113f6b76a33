"""Reading a small YAML file of ours (environment, artifacts) with positions for errors.

Parsing and positions come from ``translator.compose.yamlio`` (imported lazily so
this package loads while the loader is being built). Until ``SourceMap.locate``
answers, a ruamel.yaml round-trip load supplies line and column as a fallback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from translator.errors import Diagnostic, Location, PathPart, Severity, TranslatorError
from translator.errors import Path as DocPath

if TYPE_CHECKING:
    from pydantic import BaseModel

MAX_BYTES = 1024 * 1024


@dataclass
class Source:
    """One YAML file: its text, parsed data and a way to find positions."""

    file: Path
    text: str
    data: Any
    _map: Any = field(default=None, repr=False)
    _fallback: Any = field(default=None, repr=False)

    @classmethod
    def read(cls, file: Path, what: str) -> Source:
        # The YAML reader loads only when an environment has a file (local needs none).
        from translator.compose import yamlio

        try:
            text = yamlio.read_text(file, what=what, limit=MAX_BYTES)
        except OSError as err:
            raise TranslatorError.at(f"cannot read {what} {file}: {err.strerror}") from None
        return cls.parse(text, file)

    @classmethod
    def parse(cls, text: str, file: Path) -> Source:
        # As in read(): only a file needs the YAML reader.
        from translator.compose import yamlio

        try:
            data = yamlio.parse(text, str(file))
        except ValueError as err:  # yaml_rs.YAMLDecodeError is a ValueError
            raise TranslatorError.at(f"{file}: invalid YAML: {err}", code="yaml") from None
        return cls(file, text, data, yamlio.SourceMap(text, str(file)))

    def locate(self, path: DocPath) -> Location | None:
        """The position of ``path``, else of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self._map.locate(path[:end]) if self._map is not None else None
            if found is None:
                found = self._ruamel_locate(path[:end])
            if found is not None:
                return found
        return None

    def error(self, message: str, path: DocPath, code: str = "invalid") -> TranslatorError:
        return TranslatorError.at(message, path, self.locate(path), code=code)

    def _ruamel_locate(self, path: DocPath) -> Location | None:
        if self._fallback is None:
            self._fallback = _ruamel_load(self.text)
        node = self._fallback
        pos: tuple[int, int] | None = (0, 0)
        for part in path:
            try:
                pos = node.lc.key(part) if isinstance(part, str) else node.lc.item(part)
                node = node[part]
            except (AttributeError, KeyError, IndexError, TypeError):
                return None
        return None if pos is None else Location(str(self.file), pos[0] + 1, pos[1] + 1)

    def validation_error(
        self, errors: Iterable[Mapping[str, Any]], hint: str = "", keys: Collection[str] = ()
    ) -> TranslatorError:
        """Pydantic's errors (``ValidationError.errors()``) as our positioned diagnostics,
        one per document path; an unknown key gets the closest of ``keys`` (every key the
        file format knows) as a "did you mean"."""
        messages: dict[DocPath, list[str]] = {}
        for item in errors:
            path = data_path(item["loc"], self.data)
            # The written value when the whole loc is in the document; else pydantic's.
            whole = len(path) == len(item["loc"])
            text = _message(item, _value_at(self.data, path) if whole else item.get("input"),
                            keys)
            if text not in messages.setdefault(path, []):
                messages[path].append(text)
        diagnostics = [
            Diagnostic(Severity.ERROR, " or ".join(texts), path, self.locate(path),
                       code="invalid", hint=hint or None)
            for path, texts in messages.items()
        ]
        return TranslatorError(diagnostics)


def _ruamel_load(text: str) -> Any:
    # ruamel.yaml costs tens of milliseconds to import; only this rare path needs it.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except YAMLError:
        return None


def _message(item: Mapping[str, Any], written: Any, keys: Collection[str] = ()) -> str:
    """The error's text; ``written`` is the value in the document (pydantic's ``input`` may
    be a converted copy: a tuple for a YAML list)."""
    kind = item["type"]
    if kind == "extra_forbidden":
        key = str(item["loc"][-1])
        match = difflib.get_close_matches(key, sorted(keys), n=1)
        if match:
            return f"unknown key {key!r}: did you mean `{match[0]}`?"
        return f"unknown key {key!r}: check its spelling and indentation"
    text = str(item["msg"]).removeprefix("Value error, ")
    # Pydantic names our internal classes ("instance of ServiceSettings") and the model's
    # tuples; users wrote YAML mappings and lists.
    text = re.sub(r"a valid dictionary or instance of \w+", "a mapping", text)
    text = text.replace("a valid tuple", "a valid list")
    if kind != "value_error":
        shown = repr(written)
        text += f", got {shown if len(shown) <= 60 else shown[:57] + '...'}"
    return text


def data_path(loc: tuple[int | str, ...], data: Any) -> DocPath:
    """Pydantic's ``loc`` restricted to the parts that exist in the data.

    Union members and validator names ("int", "function-before[...]") appear in
    ``loc`` but not in the document; dropping them leaves the user's path.
    """
    out: list[PathPart] = []
    node = data
    for part in loc:
        in_map = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            out.append(part)
            node = node[part]
    return tuple(out)


def _value_at(data: Any, path: DocPath) -> Any:
    """The value at ``path``, which :func:`data_path` has found in ``data``."""
    for part in path:
        data = data[part]
    return data


def walk_keys(data: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, str]]:
    """Every mapping key in ``data`` with its path, depth first in document order."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            here = (*path, str(key))
            yield here, str(key)
            yield from walk_keys(value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk_keys(value, (*path, index))


def model_keys(model: type[BaseModel]) -> frozenset[str]:
    """Every key a file validated by ``model`` may hold, at any depth (field names and
    aliases of it and of the models its fields hold): the words a "did you mean" offers."""
    from pydantic import BaseModel

    found: set[str] = set()
    todo: list[Any] = [model]
    seen: set[Any] = set()
    while todo:
        kind = todo.pop()
        if kind in seen:
            continue
        seen.add(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            for name, info in kind.model_fields.items():
                found.update(n for n in (name, info.alias) if n)
                todo.append(info.annotation)
        else:
            todo.extend(get_args(kind))
    return frozenset(found)
