from __future__ import annotations

import pytest

from translator.errors import (
    Diagnostic,
    Diagnostics,
    Location,
    Severity,
    TranslatorError,
    format_path,
)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("services",), "services"),
        (("services", "web", "ports", 1), "services.web.ports[1]"),
        (("services", "my-svc", "environment", "A_B"), "services.my-svc.environment.A_B"),
        (("services", "web", "labels", "com.example.x"), "services.web.labels['com.example.x']"),
        (("x", "a b"), "x['a b']"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_diagnostic_format_is_file_line_col_path_message() -> None:
    d = Diagnostic(
        Severity.ERROR,
        "invalid port",
        ("services", "web", "ports", 1),
        Location("compose.yaml", 12, 9),
    )
    assert d.format() == "compose.yaml:12:9: services.web.ports[1]: invalid port"


def test_diagnostic_format_names_target_and_hint() -> None:
    d = Diagnostic(
        Severity.WARNING, "ulimits is not supported", ("services", "db"), target="swarm", hint="x"
    )
    assert d.format() == "services.db: [swarm] ulimits is not supported (x)"


def test_located_attaches_positions_only_where_missing() -> None:
    here = Location("a.yaml", 1, 1)
    diags = Diagnostics()
    diags.warn("w", ("services", "a"))
    diags.add(Diagnostic(Severity.WARNING, "kept", ("services", "b"), Location("b.yaml", 2, 2)))
    diags.warn("no path")
    located = diags.located(lambda path: here)
    assert [d.location for d in located] == [here, Location("b.yaml", 2, 2), None]


def test_translator_error_needs_a_diagnostic_and_formats_all() -> None:
    with pytest.raises(ValueError):
        TranslatorError([])
    exc = TranslatorError.at("bad", ("services", "web"), Location("c.yaml", 3, 4))
    assert str(exc) == "c.yaml:3:4: services.web: bad"
    relocated = exc.located(lambda p: Location("z", 9, 9))
    assert relocated.diagnostics[0].location == Location("c.yaml", 3, 4)


def test_at_keeps_every_field() -> None:
    import dataclasses

    from translator.errors import Diagnostic, Location, Severity

    full = Diagnostic(Severity.WARNING, "m", ("services", "web"), None, code="c", service="web",
                      key="ports", target="swarm", hint="h", environment="prod")
    assert all(getattr(full, f.name) is not None for f in dataclasses.fields(full)
               if f.name != "location")  # every field set, so a forgotten one shows
    where = Location("compose.yaml", 3, 5)
    assert full.at(where) == dataclasses.replace(full, location=where)
