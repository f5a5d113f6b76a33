"""Text reports group a warning repeated across services; errors and other formats do not."""

from __future__ import annotations

import json

from translator.errors import Diagnostic, Location, Severity
from translator.report import grouped, render_report


def _lost(service: str, line: int, severity: Severity = Severity.WARNING,
          environment: str | None = None) -> Diagnostic:
    return Diagnostic(severity, "networks are not enforced", ("services", service, "networks"),
                      Location("compose.yaml", line, 5), code="kubernetes.approximated",
                      service=service, key="networks", target="kubernetes",
                      environment=environment)  # fmt: skip


def test_one_line_per_repeated_warning_at_the_first_position() -> None:
    items = [_lost("web", 3), _lost("api", 7), _lost("db", 11)]
    assert render_report(items, "human") == (
        "compose.yaml:3:5: services.web.networks: warning[kubernetes.approximated]: "
        "[kubernetes] networks are not enforced [3 services: web, api, db]\n"
        "0 errors, 3 warnings\n"
    )
    assert len(json.loads(render_report(items, "json"))["diagnostics"]) == 3


def test_errors_and_other_environments_are_not_grouped() -> None:
    items = [_lost("web", 3, Severity.ERROR), _lost("api", 7, Severity.ERROR),
             _lost("web", 3, environment="uat"), _lost("api", 7, environment="prod")]
    assert [(d.service, also) for d, also in grouped(items)] == [
        ("web", []), ("api", []), ("web", []), ("api", [])]
    assert render_report(items[2:3], "human").startswith("[uat] compose.yaml:3:5: ")
    assert json.loads(render_report(items[2:3], "json"))["diagnostics"][0]["environment"] == "uat"
