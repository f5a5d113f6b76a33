"""The target registry: one line per target. Every list of target names derives from it.

Targets are imported lazily so that ``translator --help`` stays fast: the registry holds
where each target lives and the short names it also answers to, not the target itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from translator.targets.base import Target


class Entry(NamedTuple):
    """Where a target object lives ("module:attribute") and its aliases (``--to k8s``)."""

    location: str
    aliases: tuple[str, ...] = ()


REGISTRY: dict[str, Entry] = {
    "kubernetes": Entry("translator.targets.kubernetes:TARGET", ("k8s",)),
    "swarm": Entry("translator.targets.swarm:TARGET"),
    "marathon": Entry("translator.targets.marathon:TARGET"),
}


def names() -> list[str]:
    """Canonical target names, in registry order."""
    return list(REGISTRY)


def aliases() -> dict[str, str]:
    """Every accepted spelling (canonical names and aliases) -> canonical name."""
    table = {name: name for name in REGISTRY}
    for name, entry in REGISTRY.items():
        table.update(dict.fromkeys(entry.aliases, name))
    return table


def canonical(name: str) -> str | None:
    """The canonical name for ``name`` or one of its aliases; None when nothing answers."""
    return aliases().get(name)


def get(name: str) -> Target:
    """The target called ``name`` (or an alias of it); KeyError when none is registered."""
    resolved = canonical(name)
    if resolved is None:
        raise KeyError(name)
    module, _, attr = REGISTRY[resolved].location.partition(":")
    target: Target = getattr(importlib.import_module(module), attr)
    return target
