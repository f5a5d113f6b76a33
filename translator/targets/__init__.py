"""The target registry: one line per target. Every list of target names derives from it.

A line maps a target's name to where its :class:`~translator.targets.base.Target` object
lives (``"module:attribute"``); the target itself owns everything else, its aliases
included. Targets are imported on first use, so ``translator --help`` and commands that
name their target import only that one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.targets.base import Target

REGISTRY: dict[str, str] = {
    "kubernetes": "translator.targets.kubernetes:TARGET",
    "swarm": "translator.targets.swarm:TARGET",
    "marathon": "translator.targets.marathon:TARGET",
}


def names() -> list[str]:
    """Canonical target names, in registry order."""
    return list(REGISTRY)


def aliases() -> dict[str, str]:
    """Every accepted spelling (canonical names and aliases) -> canonical name.

    Imports every target: only the targets know their aliases.
    """
    table = {name: name for name in REGISTRY}
    for name in REGISTRY:
        table.update(dict.fromkeys(_load(name).aliases, name))
    return table


def canonical(name: str) -> str | None:
    """The canonical name for ``name`` or one of its aliases; None when nothing answers."""
    if name in REGISTRY:  # the common spelling imports nothing
        return name
    return aliases().get(name)


def get(name: str) -> Target:
    """The target called ``name`` (or an alias of it); KeyError when none is registered."""
    resolved = canonical(name)
    if resolved is None:
        raise KeyError(name)
    return _load(resolved)


def _load(name: str) -> Target:
    module, _, attr = REGISTRY[name].partition(":")
    target: Target = getattr(importlib.import_module(module), attr)
    return target
