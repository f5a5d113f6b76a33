"""Small helpers shared by the Swarm target's modules: diagnostics, errors and value formats."""

from __future__ import annotations

import json
from typing import Any

from translator.errors import Diagnostics, Path, TranslatorError

TARGET_NAME = "swarm"
_JSON = json.JSONEncoder(ensure_ascii=False)

_KIB = 1024
# Units of docker's RAMInBytes parser (binary multiples), largest first:
# https://pkg.go.dev/github.com/docker/go-units#RAMInBytes
_SIZE_UNITS: tuple[tuple[str, int], ...] = (
    ("g", _KIB**3),
    ("m", _KIB**2),
    ("k", _KIB),
)


def lost(
    diagnostics: Diagnostics,
    service: str,
    key: str,
    message: str,
    path: Path,
    *,
    handling: str = "dropped",
) -> None:
    """One warning about a value of ``key`` that the stack file cannot carry (fully)."""
    diagnostics.warn(
        message,
        path,
        code=f"{TARGET_NAME}.{handling}",
        service=service,
        key=key,
        target=TARGET_NAME,
    )


def invalid(message: str, path: Path, *, hint: str | None = None) -> TranslatorError:
    """Input the Swarm manager would refuse: an error with the compose path it concerns."""
    return TranslatorError.at(
        f"[{TARGET_NAME}] {message}", path, code=f"{TARGET_NAME}.invalid", hint=hint
    )


def format_size(size: int) -> str:
    """Bytes as the shortest exact RAMInBytes string (``256m``, ``1g``, ``1000b``)."""
    for unit, factor in _SIZE_UNITS:
        if size and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}b"


def format_cpus(cpus: float) -> str:
    """A CPU count as a plain decimal string (never exponent notation), as the schema wants."""
    text = f"{cpus:.9f}".rstrip("0").rstrip(".")
    return text or "0"


def escape_dollars(value: Any) -> Any:
    """Double every ``$`` in string values: ``docker stack deploy`` interpolates the stack
    file again, while the model's values are final.

    https://docs.docker.com/reference/compose-file/interpolation/
    """
    # Most services hold no "$" at all: one C-speed look at their JSON (which never
    # escapes "$") spares the walk. Anything JSON cannot encode takes the walk.
    try:
        if "$" not in _JSON.encode(value):
            return value
    except (TypeError, ValueError):
        pass
    return _escape(value)


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape(v) for v in value]
    return value
