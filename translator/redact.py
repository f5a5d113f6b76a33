"""What diagnostics may show of a value: secret-looking values become a placeholder.

A value is secret-looking when the key holding it is a secret name by lint rule TR007's
heuristic (``DB_PASSWORD``, ``API_KEY`` ...; :mod:`translator.lint.rules_secrets`), or when
it is a URL with an embedded password. The placeholder gives the length only: even a
short hash of a weak password can be reversed with a dictionary.
"""

from __future__ import annotations

from collections.abc import Sequence

PathPart = str | int


def is_secret_value(value: str, path: Sequence[PathPart] = (), key: str | None = None) -> bool:
    """Whether ``value``, found at ``path`` (or under ``key``), must not be shown."""
    # Imported here: the lint package is only needed once an error is being reported.
    from translator.lint.rules_secrets import _URL_WITH_PASSWORD, is_secret_name

    names = [key] if key else []
    names += [p for p in path[-1:] if isinstance(p, str)]
    if "=" in value:  # list-form environment: "DB_PASSWORD=..."
        names.append(value.split("=", 1)[0])
    return any(is_secret_name(n) for n in names) or bool(_URL_WITH_PASSWORD.search(value))


def placeholder(value: str) -> str:
    return f"<redacted: {len(value)} characters>"


SHOWN_CHARACTERS = 200


def shown(value: str, path: Sequence[PathPart] = (), key: str | None = None) -> str:
    """``repr(value)`` cut to a readable length, or a placeholder when it is secret-looking."""
    if is_secret_value(value, path, key):
        return placeholder(value)
    if len(value) <= SHOWN_CHARACTERS:
        return repr(value)
    return f"{value[:SHOWN_CHARACTERS]!r}... ({len(value):,} characters)"
