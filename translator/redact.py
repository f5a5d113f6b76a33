"""What diagnostics may show of a value: secret-looking values become a placeholder.

A value is secret-looking when the key holding it is a secret name (``DB_PASSWORD``,
``API_KEY`` ...: :func:`is_secret_name`, which lint rule TR007 uses too), or when it is a
URL with an embedded password. The placeholder gives the length only: even a short hash
of a weak password can be reversed with a dictionary.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

PathPart = str | int

_WORDS = re.compile(r"[A-Z0-9]+")
_SECRET_WORDS = frozenset(
    {"PASSWORD", "PASSWD", "PWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "APIKEY",
     "CREDENTIAL", "CREDENTIALS"}
)
# "<word>_KEY" is a key to something: API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY ...
_KEY_PREFIXES = frozenset(
    {"API", "PRIVATE", "ACCESS", "SECRET", "AUTH", "ENCRYPTION", "SIGNING", "MASTER", "CLIENT"}
)
# A last word that makes the variable a reference to, or a property of, the secret.
_NOT_THE_SECRET = frozenset(
    {"FILE", "PATH", "DIR", "ID", "NAME", "USER", "USERNAME", "HOST", "PORT", "LENGTH",
     "POLICY", "TYPE", "METHOD", "ENABLED", "TTL", "EXPIRY", "HEADER", "URL", "ENDPOINT"}
)
# scheme://user:password@host
URL_WITH_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")


# Projects repeat variable names across services: decide each name once.
@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """Whether a variable or key called ``name`` holds a secret (``DB_PASSWORD``, ``API_KEY``;
    not ``PASSWORD_FILE`` or ``TOKEN_URL``, which point at one)."""
    words = _WORDS.findall(name.upper())
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    if any(w in _SECRET_WORDS for w in words):
        return True
    return any(a in _KEY_PREFIXES and b == "KEY" for a, b in itertools.pairwise(words))


def is_secret_value(value: str, path: Sequence[PathPart] = (), key: str | None = None) -> bool:
    """Whether ``value``, found at ``path`` (or under ``key``), must not be shown."""
    names = [key] if key else []
    names += [p for p in path[-1:] if isinstance(p, str)]
    if "=" in value:  # list-form environment: "DB_PASSWORD=..."
        names.append(value.split("=", 1)[0])
    return any(is_secret_name(n) for n in names) or bool(URL_WITH_PASSWORD.match(value))


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
