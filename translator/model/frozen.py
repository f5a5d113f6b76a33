"""The frozen base class of every model class, without a validation framework.

The model used to be pydantic. Importing pydantic and building the model's validators
cost about 0.14 s of every run, more than loading a 1,000-service project, while the
model checks very little: ``translator.compose`` has already checked and parsed every
value. This base keeps what the model needs, in the API subset it used:

- keyword construction that turns nested mappings into model instances and lists into
  tuples, turns an ``int`` into a ``float`` where a float is declared, and checks
  ``Literal`` choices and numeric bounds (``field(ge=0)``, ``Annotated[int, Bounds(...)]``);
- immutability, value equality and hashing, ``repr``, pickling;
- ``model_validate``, ``model_dump``, ``model_copy`` and ``model_fields_set``, which
  behave as pydantic's did for these classes: when this base replaced pydantic, the
  dumps of every sample and corpus project and plan were identical, type for type, and
  tests/model/test_frozen.py pins each behaviour.

Each class's ``__init__`` is generated on its first construction (``frozen_compile``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, ClassVar, TypeVar, dataclass_transform, overload

__all__ = ["Bounds", "FieldSpec", "Frozen", "ModelError", "field"]

_T = TypeVar("_T")
_M = TypeVar("_M", bound="Frozen")
Loc = tuple[int | str, ...]


class ModelError(ValueError):
    """A value the model refuses, with the path to it (``loc``), like a validation error."""

    def __init__(self, loc: Loc, msg: str, value: Any) -> None:
        super().__init__(f"{'.'.join(map(str, loc)) or '(model)'}: {msg} (got {value!r})")
        self.loc, self.msg, self.value = loc, msg, value

    def at(self, part: int | str) -> ModelError:
        """The same error one level further out."""
        return ModelError((part, *self.loc), self.msg, self.value)

    def errors(self) -> list[dict[str, Any]]:
        """The error in the shape callers of a validation error read."""
        return [{"loc": self.loc, "msg": self.msg, "input": self.value}]


class FrozenInstanceError(AttributeError):
    """Assigning to or deleting a field of a model instance."""


class Bounds:
    """Inclusive numeric bounds, for ``Annotated[int, Bounds(ge=0)]``."""

    __slots__ = ("ge", "le")

    def __init__(self, *, ge: int | None = None, le: int | None = None) -> None:
        self.ge, self.le = ge, le

    def check(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, int | float):
            raise ModelError((), "expected a number", value)
        if self.ge is not None and value < self.ge:
            raise ModelError((), f"must be at least {self.ge}", value)
        if self.le is not None and value > self.le:
            raise ModelError((), f"must be at most {self.le}", value)
        return value


class _Unset:
    """A field spec's "no default" (the field is required), distinct from a None default."""

    def __repr__(self) -> str:
        return "<unset>"


UNSET: Any = _Unset()


class FieldSpec:
    """What ``field(...)`` puts in a class body: a default or factory, bounds, repr."""

    __slots__ = ("bounds", "default", "factory", "repr")

    def __init__(
        self, default: Any, factory: Callable[[], Any] | None, bounds: Bounds | None, show: bool
    ) -> None:
        self.default, self.factory, self.bounds, self.repr = default, factory, bounds, show


@overload
def field(*, default: _T, ge: int | None = None, repr: bool = True) -> _T: ...
@overload
def field(*, default_factory: Callable[[], _T]) -> _T: ...
def field(
    *,
    default: Any = UNSET,
    default_factory: Callable[[], Any] | None = None,
    ge: int | None = None,
    repr: bool = True,
) -> Any:
    """A field's default (or factory), a lower bound on its value, and whether ``repr``
    shows it."""
    return FieldSpec(default, default_factory, None if ge is None else Bounds(ge=ge), repr)


def _rebuild(cls: type[_M], values: dict[str, Any], fields_set: frozenset[str]) -> _M:
    new = object.__new__(cls)
    new.__dict__.update(values)
    set_fields_set(new, set(fields_set))
    return new


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class Frozen:
    """Base of every model class: immutable, keyword-only, no unknown fields."""

    # Fields live in ``__dict__`` (fast attribute reads); what was set explicitly lives
    # beside it, so that equality compares values only, as pydantic's did (a tuple of
    # names: the cheapest to build, and rarely read).
    __slots__ = ("__dict__", "_fields_set")
    # Filled by ``__init_subclass__``: field name -> (annotation text, class-body value).
    __fields__: ClassVar[dict[str, tuple[str, Any]]] = {}
    _fields_set: Collection[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, tuple[str, Any]] = {}
        for klass in reversed(cls.__mro__):
            if klass is Frozen or not issubclass(klass, Frozen):
                continue
            for name, annotation in inspect.get_annotations(klass).items():
                if not str(annotation).startswith("ClassVar"):
                    fields[name] = (str(annotation), klass.__dict__.get(name, UNSET))
        cls.__fields__ = fields
        # The first construction compiles the class and replaces this entry point.
        cls.__init__ = _compile_then_init  # type: ignore[method-assign]

    def __init__(self, **values: Any) -> None:  # replaced per class, see __init_subclass__
        raise TypeError("Frozen is abstract: construct one of its subclasses")

    # -- the pydantic-shaped API -------------------------------------------------------

    @classmethod
    def model_validate(cls: type[_M], data: Any) -> _M:
        """An instance from a mapping of field values (nested mappings become models)."""
        if type(data) is not dict:  # the common case skips two isinstance checks
            if isinstance(data, cls):
                return data
            if not isinstance(data, Mapping):
                raise ModelError((), f"expected a mapping for {cls.__name__}", data)
        fields = cls.__fields__
        if not data.keys() <= fields.keys():  # one C-level check for the common case
            key = next(key for key in data if key not in fields)
            raise ModelError((key,), "is not a field of " + cls.__name__, data[key])
        return cls(**data)

    @property
    def model_fields_set(self) -> set[str]:
        """The fields given explicitly at construction (or by ``model_copy(update=...)``)."""
        return set(self._fields_set)

    def model_copy(self: _M, *, update: Mapping[str, Any] | None = None) -> _M:
        """A shallow copy with ``update`` applied as given, without conversion (as pydantic)."""
        new = object.__new__(type(self))
        values = new.__dict__
        values.update(self.__dict__)
        fields_set = set(self._fields_set)
        if update:
            values.update(update)
            fields_set.update(update)
        set_fields_set(new, fields_set)
        return new

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
    ) -> dict[str, Any]:
        """Fields as plain data; the ``exclude_*`` flags apply at every level, as pydantic's."""
        from translator.model.frozen_dump import dump

        flags = (mode == "json", exclude_defaults, exclude_none, exclude_unset)
        return dump(self, flags, None if include is None else set(include),
                    None if exclude is None else set(exclude))

    # -- value semantics ---------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self.__dict__), frozenset(self._fields_set)))

    def __repr_args__(self) -> list[str]:
        from translator.model.frozen_compile import meta

        values = self.__dict__
        return [f"{name}={values[name]!r}" for name in meta(type(self)).shown]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self.__repr_args__())})"

    def __str__(self) -> str:
        return " ".join(self.__repr_args__())


# Writes the slot past ``__setattr__``, which refuses every assignment.
set_fields_set: Callable[[Frozen, Collection[str]], None] = Frozen._fields_set.__set__  # type: ignore[attr-defined]


def _compile_then_init(self: Frozen, **values: Any) -> None:
    from translator.model.frozen_compile import meta

    meta(type(self)).init(self, **values)
