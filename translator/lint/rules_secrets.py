"""Secret-looking values in plain ``environment``: they end up in manifests, stack files
and Marathon apps in clear text. Messages never include the value."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from translator.errors import Diagnostic, Severity
from translator.lint.rule import Rule, finding

if TYPE_CHECKING:
    from translator.model import Plan

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
# Switches such as MYSQL_ALLOW_EMPTY_PASSWORD=yes name a secret but hold none.
_FLAGS = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})
_URL_WITH_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")


# Projects repeat variable names across services: decide each name once.
@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    words = _WORDS.findall(name.upper())
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    if any(w in _SECRET_WORDS for w in words):
        return True
    return any(a in _KEY_PREFIXES and b == "KEY" for a, b in itertools.pairwise(words))


def is_literal(value: str | None) -> bool:
    """A value written out, not a path to a mounted file or an unresolved reference."""
    if value is None or not value.strip() or value.strip().lower() in _FLAGS:
        return False
    return not value.startswith(("/", "./", "${"))


def plaintext_secrets(plan: Plan) -> Iterator[Diagnostic]:
    for name, planned in plan.services.items():
        for key, value in planned.service.environment.items():
            if value is None:
                continue
            if is_secret_name(key) and is_literal(value):
                what = "a literal secret"
            elif _URL_WITH_PASSWORD.match(value):
                what = "a URL with an embedded password"
            else:
                continue
            yield finding(
                "TR007",
                f"environment variable {key} holds {what} (value not shown)",
                ("services", name, "environment", key),
                service=name,
                key="environment",
                hint="use a compose secret (secrets:) and point the variable at the "
                "mounted file, e.g. " + key + "_FILE=/run/secrets/...",
            )


RULES = (
    Rule(
        "TR007",
        "plaintext-secret",
        "Passwords, tokens and keys in plain environment end up readable in every rendered "
        "manifest; use secrets.",
        Severity.WARNING,
        plaintext_secrets,
    ),
)
