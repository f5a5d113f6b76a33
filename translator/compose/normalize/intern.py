"""Sharing equal, immutable parts of the model between services.

Services of one project repeat the same healthchecks, resource limits, placement rules
and dependency options (often through YAML anchors). Each distinct value is validated
once per project and the frozen instance is shared: the project stays equal field for
field (same values, same ``model_fields_set``), but validation, allocation and garbage
collection work drop with every repeat.

Only models whose fields are all immutable (numbers, strings, tuples, other such models)
are shared, so no caller can change one service through another: Healthcheck, Placement,
Resources without device requests (those carry an options dict), Dependency and
BindOptions. A part that fails validation is never shared: it stays a plain mapping, and
the one validation of the whole project reports it, at its full path, as before.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError

from translator.model import Dependency
from translator.model.base import Frozen
from translator.model.service import BindOptions

M = TypeVar("M", bound=Frozen)


def _key(value: object) -> bytes | None:
    """The value's pickle: equal bytes mean equal values of the same types (``1``, ``1.0``
    and ``True`` pickle apart, dict order is kept), and C-speed serialization costs less
    than a key built in Python. None for anything pickle refuses (then it is not shared).
    """
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # any object pickle cannot take is simply not shared
        return None


class Interner:
    """Validated instances of one project's repeated parts, keyed by their plain fields."""

    def __init__(self) -> None:
        self._shared: dict[Any, Frozen] = {}

    def get(self, model: type[M], fields: dict[str, Any]) -> M | dict[str, Any]:
        """The shared instance of ``model`` for ``fields``, or ``fields`` unchanged when they
        do not validate: the project-wide validation then reports the error, with its path."""
        key = _key(fields)
        if key is None:
            return fields
        return self._lookup((model, key), model, lambda: fields)

    def normalized(
        self, model: type[M], raw: object, build: Callable[[], dict[str, Any]]
    ) -> M | dict[str, Any]:
        """Like :meth:`get`, keyed by the *raw* compose value that ``build`` normalizes.

        ``build`` must depend on ``raw`` only (its errors may name a path: an erroring
        value is never stored, so every occurrence of it still raises at its own path).
        A repeated value then skips normalization as well as validation.
        """
        key = _key(raw)
        if key is None:
            return build()
        return self._lookup((model, "raw", key), model, build)

    def _lookup(
        self, key: Any, model: type[M], build: Callable[[], dict[str, Any]]
    ) -> M | dict[str, Any]:
        shared = self._shared.get(key)
        if shared is None:
            fields = build()
            try:
                shared = model.model_validate(fields)
            except ValidationError:
                return fields
            self._shared[key] = shared
        assert isinstance(shared, model)
        return shared


def share_parts(interner: Interner, out: dict[str, Any]) -> None:
    """Swap small checked parts that services repeat for shared validated instances
    (healthcheck, placement and resources are shared as they are normalized)."""
    deps = out["depends_on"]
    for name, dep in deps.items():
        if isinstance(dep, dict):
            deps[name] = interner.get(Dependency, dep)
    for mount in out.get("volumes", ()):
        if isinstance(mount.get("bind"), dict):
            mount["bind"] = interner.get(BindOptions, mount["bind"])
