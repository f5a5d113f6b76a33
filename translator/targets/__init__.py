"""The target registry: one line per target. The CLI takes its choices from here.

Targets are imported lazily so that ``translator --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.targets.base import Target

# name -> "module:attribute" of the target object.
REGISTRY: dict[str, str] = {
    "kubernetes": "translator.targets.kubernetes:TARGET",
    "swarm": "translator.targets.swarm:TARGET",
    "marathon": "translator.targets.marathon:TARGET",
}


def names() -> list[str]:
    return list(REGISTRY)


def get(name: str) -> Target:
    """The target called ``name``; KeyError lists nothing, so callers check ``names()`` first."""
    module, _, attr = REGISTRY[name].partition(":")
    target: Target = getattr(importlib.import_module(module), attr)
    return target
