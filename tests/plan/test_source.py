from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from translator.errors import TranslatorError
from translator.plan._source import Source, data_path, walk_keys

DATA = {"defaults": {"resources": {"limits": {"memory": "x"}}}, "list": [{"a": 1}, {"b": 2}]}


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("defaults", "resources", "limits", "memory", "int"), ("defaults", "resources", "limits",
                                                                 "memory")),
        (("defaults", "function-before[to_bytes()]", "resources"), ("defaults", "resources")),
        (("list", 1, "b"), ("list", 1, "b")),
        (("list", 5), ("list",)),
        (("missing",), ()),
    ],
)
def test_data_path_keeps_only_document_parts(
    loc: tuple[int | str, ...], path: tuple[int | str, ...]
) -> None:
    assert data_path(loc, DATA) == path


def test_walk_keys_in_document_order() -> None:
    assert [p for p, _ in walk_keys(DATA)] == [
        ("defaults",), ("defaults", "resources"), ("defaults", "resources", "limits"),
        ("defaults", "resources", "limits", "memory"), ("list",), ("list", 0, "a"),
        ("list", 1, "b"),
    ]


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    count: int = 0


class _Outer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    inner: _Inner = _Inner()
    name: str = ""


TEXT = "inner:\n  count: many\n  extra: 1\nname: 7\n"


def test_validation_errors_become_positioned_diagnostics(tmp_path: Path) -> None:
    source = Source.parse(TEXT, tmp_path / "f.yaml")
    with pytest.raises(ValidationError) as info:
        _Outer.model_validate(source.data)
    err = source.validation_error(info.value.errors(), hint="see the schema")
    assert isinstance(err, TranslatorError)
    got = {(d.path, d.location.line if d.location else 0) for d in err.diagnostics}
    assert got == {(("inner", "count"), 2), (("inner", "extra"), 3), (("name",), 4)}
    text = str(err)
    assert "unknown key 'extra'" in text and "got 'many'" in text and "see the schema" in text
    assert "_Inner" not in text


def test_locate_falls_back_to_the_nearest_ancestor(tmp_path: Path) -> None:
    source = Source.parse(TEXT, tmp_path / "f.yaml")
    location = source.locate(("inner", "count", "deeper", 3))
    assert location is not None and location.line == 2


def test_ruamel_fallback_when_no_source_map(tmp_path: Path) -> None:
    import yaml

    source = Source(tmp_path / "f.yaml", TEXT, yaml.safe_load(TEXT))  # no SourceMap given
    location = source.locate(("inner", "extra"))
    assert location is not None
    assert (location.file, location.line, location.col) == (str(tmp_path / "f.yaml"), 3, 3)
