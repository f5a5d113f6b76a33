"""Compiling a model class: its annotations become converters and a generated ``__init__``.

A class compiles on its first use, so a run pays only for the classes it builds. The
generated ``__init__`` is straight-line code with one branch per field: a field not given
takes its default, a field given is converted only when its type asks for it (a nested
model, a tuple, a dict of models, a float, a ``Literal``, bounds).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from translator.model.frozen import UNSET, Bounds, FieldSpec, Frozen, ModelError, set_fields_set

Converter = Callable[[Any], Any]


class Meta:
    """What one compiled class knows of its fields."""

    __slots__ = ("_default_values", "defaults", "init", "names", "shown")

    def __init__(self, names: tuple[str, ...], shown: tuple[str, ...],
                 defaults: dict[str, tuple[Any, bool]], init: Callable[..., None]) -> None:
        self.names, self.shown, self.defaults, self.init = names, shown, defaults, init
        self._default_values: dict[str, Any] = {}

    def default_value(self, name: str) -> Any:
        """The field's default, a factory's result computed once (for comparisons only)."""
        if name not in self._default_values:
            value, is_factory = self.defaults[name]
            self._default_values[name] = value() if is_factory else value
        return self._default_values[name]


def meta(cls: type[Frozen]) -> Meta:
    """The class's compiled description, compiling it on first use."""
    found = cls.__dict__.get("_meta_")
    if found is None:
        found = _compile(cls)
        type.__setattr__(cls, "_meta_", found)
        type.__setattr__(cls, "__init__", found.init)
    assert isinstance(found, Meta)
    return found


def _compile(cls: type[Frozen]) -> Meta:
    namespace = dict(vars(sys.modules[cls.__module__]))
    names, shown = [], []
    defaults: dict[str, tuple[Any, bool]] = {}
    scope: dict[str, Any] = {"U": UNSET, "ModelError": ModelError, "SET": set_fields_set}
    lines: list[str] = []
    for name, (annotation, spec) in cls.__fields__.items():
        bounds = spec.bounds if isinstance(spec, FieldSpec) else None
        convert = _with_bounds(converter(eval(annotation, namespace)), bounds)
        names.append(name)
        if not isinstance(spec, FieldSpec) or spec.repr:
            shown.append(name)
        default, factory = _default(spec)
        if factory is not None or default is not UNSET:
            defaults[name] = (factory, True) if factory is not None else (default, False)
        scope[f"C_{name}"], scope[f"D_{name}"] = convert, factory or default
        lines += _field_lines(name, convert is not None, factory, default)
    post = "model_post_init" in vars(cls) or any(
        "model_post_init" in vars(base) for base in cls.__mro__[1:-2])
    params = ", ".join(f"{n}=U" for n in names)
    source = "\n".join([
        f"def __init__(self, *, {params}):" if names else "def __init__(self):",
        "    d = self.__dict__", "    s = set()", "    f = None", "    try:",
        *(f"        {line}" for line in lines or ["pass"]),
        "    except ModelError as e:",
        "        raise (e if f is None else e.at(f)) from None",
        "    SET(self, s)",
        *(["    self.model_post_init()"] if post else []),
    ])
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec"), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return Meta(tuple(names), tuple(shown), defaults, init)


def _default(spec: Any) -> tuple[Any, Callable[[], Any] | None]:
    if isinstance(spec, FieldSpec):
        return spec.default, spec.factory
    return spec, None


def _field_lines(
    name: str, converts: bool, factory: Callable[[], Any] | None, default: Any
) -> list[str]:
    if factory is dict:
        fill = "{}"  # the common factory, without a call
    elif factory is not None:
        fill = f"D_{name}()"
    elif default is not UNSET:
        fill = f"D_{name}"
    else:
        fill = "ModelError((), 'is required', None)"
    given = f"C_{name}({name})" if converts else name
    return [
        f"if {name} is U:",
        f"    f = {name!r}; raise {fill}" if default is UNSET and factory is None
        else f"    d[{name!r}] = {fill}",
        "else:",
        *([f"    f = {name!r}"] if converts else []),
        f"    d[{name!r}] = {given}",
        f"    s.add({name!r})",
    ]


# -- converters ------------------------------------------------------------------------


def converter(tp: Any) -> Converter | None:
    """The function that turns an accepted input into the field's value; None: as given."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        bounds = next((a for a in args[1:] if isinstance(a, Bounds)), None)
        return _with_bounds(converter(args[0]), bounds)
    if tp in (str, bool, int, Any, type(None)) or getattr(tp, "__json_value__", False):
        return None
    if tp is float:
        return _to_float
    if origin is Literal:
        return _choice(frozenset(args))
    if origin in (Union, UnionType):
        return _optional(tp, args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_of(converter(args[0]))
    if origin is dict:
        return _dict_of(converter(args[1]))
    if isinstance(tp, type) and issubclass(tp, Frozen):
        return _model(tp)
    raise TypeError(f"the model base cannot hold a field of type {tp!r}")


def _with_bounds(convert: Converter | None, bounds: Bounds | None) -> Converter | None:
    if bounds is None:
        return convert
    check = bounds.check
    if convert is None:
        return check
    return lambda value: check(convert(value))


def _to_float(value: Any) -> Any:
    # As pydantic did: an int where a float is declared becomes a float (cpus: 1 -> 1.0).
    return float(value) if type(value) is int else value


def _choice(choices: frozenset[Any]) -> Converter:
    def check(value: Any) -> Any:
        if value not in choices:
            allowed = ", ".join(sorted(map(repr, choices)))
            raise ModelError((), f"must be one of {allowed}", value)
        return value

    return check


def _optional(tp: Any, args: tuple[Any, ...]) -> Converter | None:
    options = [a for a in args if a is not type(None)]
    if len(options) == 1:
        inner = converter(options[0])
        if inner is None:
            return None
        return lambda value: None if value is None else inner(value)
    if all(converter(option) is None for option in options):
        return None
    raise TypeError(f"the model base cannot hold a field of type {tp!r}")


def _tuple_of(item: Converter | None) -> Converter:
    def convert(value: Any) -> Any:
        kind = type(value)
        if kind is not tuple and kind is not list:
            raise ModelError((), "expected a sequence", value)
        if item is None:
            return value if kind is tuple else tuple(value)
        out = []
        for index, entry in enumerate(value):
            try:
                out.append(item(entry))
            except ModelError as err:
                raise err.at(index) from None
        return tuple(out)

    return convert


def _dict_of(item: Converter | None) -> Converter:
    def convert(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ModelError((), "expected a mapping", value)
        if item is None:
            return dict(value)
        out = {}
        for key, entry in value.items():
            try:
                out[key] = item(entry)
            except ModelError as err:
                raise err.at(key) from None
        return out

    return convert


def _model(cls: type[Frozen]) -> Converter:
    def convert(value: Any) -> Any:
        return value if type(value) is cls else cls.model_validate(value)

    return convert
