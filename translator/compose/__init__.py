"""Reading docker-compose files into the topology model.

``load``, ``LoadOptions`` and ``Loaded`` are imported lazily so that importing a helper
module of this package (``translator.compose.units`` ...) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from translator.compose.loader import Loaded, LoadOptions, load

__all__ = ["LoadOptions", "Loaded", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from translator.compose import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
