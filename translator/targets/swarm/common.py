"""What the Swarm target's modules share: the render context of one service, errors and
value formats."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from translator.errors import Diagnostics, Path, TranslatorError, quote
from translator.model import Plan, PlannedService, Service
from translator.targets.base import Handling, Target

TARGET_NAME = "swarm"
# The template values of one key handler: value name -> value (None leaves its key out).
Values = dict[str, Any]
_JSON = json.JSONEncoder(ensure_ascii=False)
# swarmkit accepts a service name that is a DNS name component, at most 63 characters,
# once prefixed with "<stack>_" (docker/cli convert.AddStackLabel / Namespace.Scope).
# One alphanumeric per repetition: "(?:[-_]*[a-zA-Z0-9]+)*" backtracked exponentially on a
# long name with one bad character (found by the swarm fuzzer).
_DNS_COMPONENT = re.compile(r"^[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9])*$")
_MAX_NAME = 63

_KIB = 1024
# Units of docker's RAMInBytes parser (binary multiples), largest first:
# https://pkg.go.dev/github.com/docker/go-units#RAMInBytes
_SIZE_UNITS: tuple[tuple[str, int], ...] = (
    ("g", _KIB**3),
    ("m", _KIB**2),
    ("k", _KIB),
)


@dataclass(frozen=True, slots=True)
class ServiceContext:
    """What every key handler of one service reads, and where it reports a loss."""

    target: Target
    plan: Plan
    planned: PlannedService
    diagnostics: Diagnostics

    @property
    def name(self) -> str:
        return self.planned.name

    @property
    def service(self) -> Service:
        return self.planned.service

    def lost(self, key: str, message: str, path: Path, *, handling: Handling = "dropped") -> None:
        """A value of ``key`` that the stack file cannot carry (fully)."""
        self.target.lost(self.diagnostics, self.name, key, message, handling=handling, path=path)


@dataclass(frozen=True, slots=True)
class StackContext:
    """What the stack-level parts (networks, volumes, secrets, configs) read and report to."""

    target: Target
    plan: Plan
    diagnostics: Diagnostics

    def lost(self, key: str, message: str, path: Path) -> None:
        """A setting of a stack-level object that the stack file cannot carry."""
        self.target.lost(self.diagnostics, None, key, message, path=path)


def invalid(message: str, path: Path, *, hint: str | None = None) -> TranslatorError:
    """Input the Swarm manager would refuse: an error with the compose path it concerns."""
    return TranslatorError.at(
        f"[{TARGET_NAME}] {message}", path, code=f"{TARGET_NAME}.invalid", hint=hint
    )


def check_name(stack: str, name: str) -> None:
    """The stack's name (the environment's namespace) scopes every service name.

    The manager refuses a scoped name ``<stack>_<service>`` that is not a DNS name
    component ("name must be valid as a DNS name component"), so a leading ``-`` passes
    but a dot or a trailing ``-`` does not.
    """
    scoped = f"{stack}_{name}"
    # Length first: it is the cheap test, and it spares the pattern a megabyte name.
    if len(scoped) > _MAX_NAME:
        raise invalid(
            f"service name {quote(scoped)} is longer than {_MAX_NAME} characters",
            ("services", name),
            hint="Swarm names a stack's services <stack>_<service>; shorten either",
        )
    if not _DNS_COMPONENT.match(scoped):
        raise invalid(
            f"service name {quote(scoped)} is not a DNS label: Swarm refuses it",
            ("services", name),
            hint="use letters, digits, '-' and '_', ending with a letter or digit",
        )


def format_size(size: int) -> str:
    """Bytes as the shortest exact RAMInBytes string (``256m``, ``1g``, ``1000b``)."""
    for unit, factor in _SIZE_UNITS:
        if size and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}b"


def format_cpus(cpus: Decimal) -> str:
    """A CPU count as a plain, exact decimal string (never exponent notation), as the
    schema wants."""
    if cpus == cpus.to_integral_value():
        return str(int(cpus))
    return format(cpus.normalize(), "f")


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
