"""What every target shares: the document type, render options and the target protocol.

A target is a thin generator (as in sqlglot's dialects): it turns a resolved
:class:`~translator.model.Plan` into documents, one template per document kind,
and reports every compose key it cannot express as a diagnostic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from translator.errors import Diagnostics
from translator.errors import Path as ErrorPath
from translator.model import Plan

if TYPE_CHECKING:
    # Only a type here: importing the templating module loads Jinja, which `--help`
    # (it imports the targets for their flags) must not.
    from translator.templating import Templates

# The marker every rendered document carries, so `convert --prune` removes only files this
# tool wrote (the emitter reads them back): a Kubernetes label, a top-level extension key of
# a stack file (templates/swarm/stack.yaml.j2), a label on every Marathon app.
MANAGED_BY = "compose-translator"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
STACK_MARKER_KEY = "x-managed-by"
APP_MARKER_LABEL = "managed-by"

OutputFormat = Literal["yaml", "json"]
Handling = Literal["mapped", "approximated", "dropped"]


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


# A key handler computes the template values of one compose key (or of a few keys that only
# make sense together, which then share one handler). Its signature is the target's own:
# each target passes its render context and the service being rendered.
Handler = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Dropped:
    """A key the target cannot express at all; ``reason`` is what users read."""

    reason: str


@dataclass(frozen=True, slots=True)
class Approximated:
    """A key the target expresses only in part: ``handler`` renders what it can and
    ``reason`` says what is lost."""

    handler: Handler
    reason: str


# One entry of a key table: the handler itself (mapped), an approximation, or a reason.
KeyEntry = Handler | Approximated | Dropped


def handling_of(entry: KeyEntry | None) -> Handling:
    if entry is None or isinstance(entry, Dropped):
        return "dropped"
    return "approximated" if isinstance(entry, Approximated) else "mapped"


def note_of(entry: KeyEntry | None, target: str) -> str:
    """What users read about ``entry``: the reason, or the first line of the handler's
    docstring (so a mapped key's note always describes the code that maps it)."""
    if entry is None:
        return f"{target} has no mapping for it"
    if isinstance(entry, (Dropped, Approximated)):
        return entry.reason
    doc = (entry.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def handler_of(entry: KeyEntry | None) -> Handler | None:
    if entry is None or isinstance(entry, Dropped):
        return None
    return entry.handler if isinstance(entry, Approximated) else entry


class Target(ABC):
    """The contract every target fulfils (as a sqlglot dialect subclasses a generator).

    A target is one package under ``translator/targets/`` plus one registry line. It owns
    its name and aliases, the output it writes, its own switches, and its key tables:
    ``keys`` for compose service keys, ``settings`` for environment-file settings and
    ``labels`` for other tools' labels it honours.
    Each table entry *is* the handler that maps the key, or the reason it is dropped, so
    ``translator explain`` and the diagnostics read the same table the renderer runs.
    """

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    default_format: ClassVar[OutputFormat] = "yaml"
    # What ``-o DIR`` holds, for ``--help`` and the docs.
    layout: ClassVar[str] = ""
    options: ClassVar[tuple[TargetOption, ...]] = ()
    keys: ClassVar[Mapping[str, KeyEntry]] = {}
    settings: ClassVar[Mapping[str, KeyEntry]] = {}
    # Labels of other tools the target reads (Kompose's ``kompose.*`` on Kubernetes): each
    # label's handler, or why it is not honoured. ``translator explain`` shows a row per
    # such label a service carries.
    labels: ClassVar[Mapping[str, KeyEntry]] = {}
    # How messages name the platform ("Kubernetes"); empty: the target's name.
    title: ClassVar[str] = ""
    # Placement strategies (an environment's ``strategy:``) the platform's scheduler cannot
    # honour -> why; lint rule TR009 warns where an environment asks for one.
    unhonoured_strategies: ClassVar[Mapping[str, str]] = {}

    def object_name(self, kind: str, name: str) -> str | None:
        """The name the target gives compose object ``name`` of ``kind`` (``services``,
        ``volumes``, ``secrets``, ``configs``); None when it keeps compose's names. Lint
        rule TR006 reports two objects that would end up with one name."""
        return None

    @abstractmethod
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

    def handlers(
        self, service: str, present: Iterable[str], diagnostics: Diagnostics
    ) -> list[Handler]:
        """The handlers of the keys ``service`` uses, each once, in table order; every
        present key the target drops or approximates is reported here, by service and key.
        A key missing from the table is dropped: a new compose key never vanishes silently."""
        found: dict[Handler, None] = {}
        for key in present:
            entry = self.keys.get(key)
            handler = handler_of(entry)
            if handler is not None:
                found[handler] = None
            handling = handling_of(entry)
            if handling != "mapped":
                verb = "is not supported" if handling == "dropped" else "is approximated"
                note = note_of(entry, self.name)
                self.lost(diagnostics, service, key, f"{key} {verb}: {note}", handling=handling)
        order = self._handler_order
        return sorted(found, key=lambda h: order.get(h, len(order)))

    @cached_property
    def _handler_order(self) -> dict[Handler | None, int]:
        # Built once per target, not once per service: the table is a class constant.
        return {handler_of(e): i for i, e in enumerate(self.keys.values())}

    def lost(
        self,
        diagnostics: Diagnostics,
        service: str | None,
        key: str,
        message: str,
        *,
        handling: Handling = "dropped",
        path: ErrorPath = (),
    ) -> None:
        """Report what of ``key`` the target loses: the one place lost keys are reported,
        with one code scheme (``<target>.dropped``, ``<target>.approximated``). ``service``
        is None for a project-level object (a stack's network), which then names its ``path``."""
        diagnostics.warn(
            message,
            path or ("services", service or "", key),
            code=f"{self.name}.{handling}",
            service=service,
            key=key,
            target=self.name,
        )


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
