"""What every target shares: the document type, render options and the target protocol.

A target is a thin generator (as in sqlglot's dialects): it turns a resolved
:class:`~translator.model.Plan` into documents, one template per document kind,
and reports every compose key it cannot express as a diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from translator.errors import Diagnostics
from translator.model import Plan
from translator.templating import Templates

# The marker every rendered document carries, so `convert --prune` removes only files this
# tool wrote (the emitter reads them back): a Kubernetes label, a top-level extension key of
# a stack file (templates/swarm/stack.yaml.j2), a label on every Marathon app.
MANAGED_BY = "compose-translator"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
STACK_MARKER_KEY = "x-managed-by"
APP_MARKER_LABEL = "managed-by"

OutputFormat = Literal["yaml", "json"]


@dataclass(frozen=True, slots=True)
class Document:
    """One rendered object. ``filename`` is relative to the output folder and safe:
    targets build it from sanitized names only."""

    filename: str
    content: dict[str, Any]
    kind: str = ""
    name: str = ""
    # Marks content the emitter writes with mode 0600 (embedded secret values).
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options common to all targets, plus a per-target mapping of flags.

    ``extra`` holds target-specific switches by name (``network_policies``,
    ``marathon_layout``) so that adding a target adds no field here.
    """

    embed_secrets: bool = False
    wait_for_dependencies: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def flag(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)


@dataclass(frozen=True, slots=True)
class TargetOption:
    """One switch a target owns: its key in :attr:`RenderOptions.extra` and its CLI flag.

    The CLI builds its target flags from these declarations, so a new target brings its
    own flags with it and no command module names them.
    """

    name: str
    help: str
    # Empty: an on/off flag (default False). Otherwise the flag takes one of these values.
    choices: tuple[str, ...] = ()
    # The value when the flag is not given, per command (``deploy`` renders Marathon apps).
    defaults: Mapping[str, str] = field(default_factory=dict)
    # The commands that offer the flag.
    commands: tuple[str, ...] = ("convert", "deploy", "validate")

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def default(self, command: str) -> str | bool:
        if not self.choices:
            return False
        return self.defaults.get(command, self.choices[0])


class Target(Protocol):
    name: str
    description: str
    options: tuple[TargetOption, ...]

    def render(
        self,
        plan: Plan,
        options: RenderOptions,
        templates: Templates,
        diagnostics: Diagnostics,
    ) -> list[Document]:
        """Render ``plan.services`` (and only the resources they use) into documents.

        Raises :class:`~translator.errors.TranslatorError` when the plan cannot be
        rendered at all; adds warnings to ``diagnostics`` for everything lossy.
        """
        ...


Handling = Literal["mapped", "approximated", "dropped"]


@dataclass(frozen=True, slots=True)
class KeySupport:
    """What a target does with one compose service key; ``note`` says how or why not."""

    handling: Handling
    note: str = ""


# What reading a misshapen document raises: a user's template (``--templates``) can give
# a field of any shape; built-in templates never do.
SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError)


def shape_problem(exc: Exception, reader: str) -> str:
    """What is wrong with a document whose check raised one of :data:`SHAPE_ERRORS`;
    ``reader`` is what would refuse it (``the API``, ``Marathon``)."""
    if isinstance(exc, KeyError):
        return f"it has no {exc.args[0]!r} field"
    return (f"a field holds a value of the wrong type (a mapping, a list or a scalar where "
            f"{reader} expects another)")


def diagnose_keys(
    target: str,
    service: str,
    present: tuple[str, ...],
    table: Mapping[str, KeySupport],
    diagnostics: Diagnostics,
) -> None:
    """Warn, by service and key, about every present key the target drops or approximates.

    A key missing from the table is reported as dropped: a new compose key can never
    vanish silently just because a target's table predates it.
    """
    for key in present:
        support = table.get(key)
        if support is None:
            support = KeySupport("dropped", f"{target} has no mapping for it")
        elif support.handling == "mapped":
            continue
        verb = "is not supported" if support.handling == "dropped" else "is approximated"
        diagnostics.warn(
            f"{key} {verb}: {support.note}" if support.note else f"{key} {verb}",
            ("services", service, key),
            code=f"{target}.{support.handling}",
            service=service,
            key=key,
            target=target,
        )
