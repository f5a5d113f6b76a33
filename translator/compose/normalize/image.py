"""``image:``: the reference, parsed once; an unset variable that broke it is named.

https://github.com/compose-spec/compose-spec/blob/main/05-services.md#image
"""

from __future__ import annotations

from typing import Any

from translator.compose.interpolate import unset_variable
from translator.compose.normalize.keys import fail, scalar_str
from translator.errors import Diagnostics, Path, TranslatorError
from translator.model import parse_reference
from translator.model.artifact import ImageReferenceError


def normalize_image(value: Any, path: Path, diagnostics: Diagnostics) -> dict[str, Any]:
    ref = scalar_str(value, path)
    if not ref:
        return {}  # compose-go treats ``image: ""`` (an unset variable) as no image
    try:
        artifact = parse_reference(ref)
    except ImageReferenceError as exc:
        unset = _unset_variables(diagnostics, path)
        if unset:
            # The reference is broken because a variable is missing: say so, not "invalid".
            raise TranslatorError.at(
                f"the image reference {ref!r} is incomplete: variable {', '.join(unset)} is "
                "unset (Compose substitutes an empty string)",
                path,
                hint=f"set {unset[0]} in the environment or the .env file, or give it a "
                f"default: ${{{unset[0]}:-latest}}",
            ) from None
        raise fail(str(exc), path) from None
    # The validated instance is kept as is (pydantic does not revalidate instances).
    return {"artifact": artifact}


def _unset_variables(diagnostics: Diagnostics, path: Path) -> list[str]:
    """Variables the interpolation of ``path`` found unset (from its warnings)."""
    return [
        name
        for d in diagnostics
        if d.code == "interpolation" and d.path == path
        for name in [unset_variable(d.message)]
        if name is not None
    ]
