"""``model_dump``: a model as plain data, with pydantic's flags for the classes we have.

``exclude_defaults``, ``exclude_none`` and ``exclude_unset`` apply to the fields of every
model in the tree, never to the items of a dict or a tuple (as pydantic's did). In
``json`` mode tuples become lists; in ``python`` mode they stay tuples.
"""

from __future__ import annotations

from typing import Any

from translator.model.frozen import Frozen
from translator.model.frozen_compile import meta

# (json mode, exclude_defaults, exclude_none, exclude_unset)
Flags = tuple[bool, bool, bool, bool]


def dump(model: Frozen, flags: Flags, include: set[str] | None,
         exclude: set[str] | None) -> dict[str, Any]:
    """The fields of ``model`` (``include``/``exclude`` name top-level fields only)."""
    _, no_defaults, no_none, no_unset = flags
    info = meta(type(model))
    values, fields_set = model.__dict__, model._fields_set
    out: dict[str, Any] = {}
    for name in info.names:
        if (include is not None and name not in include) or (
                exclude is not None and name in exclude):
            continue
        if no_unset and name not in fields_set:
            continue
        value = values[name]
        if no_none and value is None:
            continue
        if no_defaults and name in info.defaults and value == info.default_value(name):
            continue
        out[name] = _value(value, flags)
    return out


def _value(value: Any, flags: Flags) -> Any:
    if isinstance(value, Frozen):
        return dump(value, flags, None, None)
    kind = type(value)
    if kind is tuple or kind is list:
        items = [_value(item, flags) for item in value]
        return tuple(items) if kind is tuple and not flags[0] else items
    if kind is dict:
        return {key: _value(item, flags) for key, item in value.items()}
    return value
