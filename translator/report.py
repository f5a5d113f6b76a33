"""Diagnostics as text for people, scripts, GitHub Actions and code-scanning tools.

Import-light on purpose (standard library and :mod:`translator.errors` only): the CLI
prints reports without loading pydantic, jinja2 or the renderers.

Formats
-------
``human``
    One line per diagnostic, ``[environment] file:line:col: path: severity[code]: message
    (hint)`` (parts omitted when unknown), then a summary line. A warning or info repeated
    for several services (same code, key and message) is one line, at the first one's
    position, that counts and names them. ANSI colours on request.
``json``
    A stable schema, version 1::

        {
          "version": 1,
          "diagnostics": [
            {"severity": "error" | "warning" | "info",
             "code": str,            # "TR004", "kubernetes.dropped", "unknown-key" ...
             "message": str,
             "file": str | null,     # as shown to the user (relative when possible)
             "line": int | null,     # 1-based
             "column": int | null,   # 1-based
             "path": str | null,     # document path, "services.web.ports[1]"
             "service": str | null,
             "key": str | null,      # the compose service key concerned
             "target": str | null,   # a registered target name ("kubernetes")
             "hint": str | null,
             "environment": str | null}  # when a run checks several environments
          ],
          "summary": {"errors": int, "warnings": int, "infos": int, "total": int}
        }

    New fields may be added in version 1; fields are never removed or retyped
    without a new version number.
``github``
    GitHub Actions workflow commands, ``::error file=F,line=L,col=C,title=T::message``
    (``info`` becomes ``notice``), escaped as the Actions toolkit does: ``%``, CR and LF
    everywhere, ``:`` and ``,`` in properties too.
``sarif``
    SARIF 2.1.0 with one run of the ``translator`` driver, its rules from the lint
    registry plus every other diagnostic code that occurs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from translator.errors import Diagnostic, Severity, format_path

if TYPE_CHECKING:
    from translator.lint import Rule

Format = Literal["human", "json", "github", "sarif"]
FORMATS: tuple[Format, ...] = ("human", "json", "github", "sarif")
JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_report(
    diagnostics: Sequence[Diagnostic],
    fmt: Format,
    *,
    color: bool = False,
    rules: Mapping[str, Rule] | None = None,
    quiet: bool = False,
) -> str:
    """``diagnostics`` in format ``fmt``; ``rules`` (the lint registry) describes SARIF rules.
    ``quiet``: human text says nothing at all when there is nothing to report."""
    if fmt == "human":
        return "" if quiet and not diagnostics else human(diagnostics, color=color)
    if fmt == "json":
        return json.dumps(as_json(diagnostics), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return github(diagnostics)
    if fmt == "sarif":
        return json.dumps(sarif(diagnostics, rules or {}), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def summary(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    counts = {s: 0 for s in Severity}
    for d in diagnostics:
        counts[d.severity] += 1
    return {
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "total": len(diagnostics),
    }


# ---- human ----------------------------------------------------------------------------------
def human(diagnostics: Sequence[Diagnostic], *, color: bool = False) -> str:
    lines = [human_line(d, color=color, also=also) for d, also in grouped(diagnostics)]
    lines.append(_summary_line(summary(diagnostics)))
    return "\n".join(lines) + "\n"


def grouped(diagnostics: Sequence[Diagnostic]) -> list[tuple[Diagnostic, list[str]]]:
    """Each diagnostic with the services whose identical diagnostic it stands for: a warning
    or info of one code, key and message for several services is shown once (the first,
    in order), naming them all. Errors are never grouped: each needs its own fix."""
    groups: dict[tuple[object, ...], tuple[Diagnostic, list[str]]] = {}
    out: list[tuple[Diagnostic, list[str]]] = []
    for d in diagnostics:
        if d.severity is Severity.ERROR or d.service is None or d.key is None:
            out.append((d, []))
            continue
        key = (d.severity, d.code, d.key, d.target, d.message, d.hint, d.environment)
        found = groups.get(key)
        if found is None:
            groups[key] = found = (d, [])
            out.append(found)
        if d.service not in found[1]:
            found[1].append(d.service)
    return [(d, also if len(also) > 1 else []) for d, also in out]


def human_line(d: Diagnostic, *, color: bool = False, also: Sequence[str] = ()) -> str:
    """``also``: the services ``d`` stands for, when it stands for several."""
    head: list[str] = []
    if d.location is not None:
        head.append(f"{_BOLD}{d.location}{_RESET}" if color else str(d.location))
    if d.path:
        head.append(format_path(d.path))
    label = f"{d.severity.value}[{d.code}]" if d.code else d.severity.value
    if color:
        label = f"{_COLOURS[d.severity]}{label}{_RESET}"
    text = _text(d) + (f" [{len(also)} services: {', '.join(also)}]" if also else "")
    # A multi-line message (a YAML error's excerpt) continues indented under its line.
    line = ": ".join([*head, label, "\n    ".join(text.splitlines())])
    return f"[{d.environment}] {line}" if d.environment else line


def _text(d: Diagnostic) -> str:
    tagged = d.target and not d.message.startswith(f"[{d.target}]")
    text = f"[{d.target}] {d.message}" if tagged else d.message
    return f"{text} ({d.hint})" if d.hint else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_line(counts: Mapping[str, int]) -> str:
    if not counts["total"]:
        return "no problems found"
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")]
    if counts["infos"]:
        parts.append(_plural(counts["infos"], "info"))
    return ", ".join(parts)


# ---- json -----------------------------------------------------------------------------------
def as_json(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "diagnostics": [_json_item(d) for d in diagnostics],
        "summary": summary(diagnostics),
    }


def _json_item(d: Diagnostic) -> dict[str, Any]:
    loc = d.location
    return {
        "severity": d.severity.value,
        "code": d.code,
        "message": d.message,
        "file": None if loc is None else loc.file,
        "line": None if loc is None else loc.line,
        "column": None if loc is None else loc.col,
        "path": format_path(d.path) if d.path else None,
        "service": d.service,
        "key": d.key,
        "target": d.target,
        "hint": d.hint,
        "environment": d.environment,
    }


# ---- github ---------------------------------------------------------------------------------
def escape_data(text: str) -> str:
    """The message part of a workflow command (actions/toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property (actions/toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(github_line(d) + "\n" for d in diagnostics)


def github_line(d: Diagnostic) -> str:
    props: list[tuple[str, str]] = []
    if d.location is not None:
        props += [("file", d.location.file), ("line", str(d.location.line)),
                  ("col", str(d.location.col))]
    title = " ".join(p for p in (d.code, f"({d.target})" if d.target else "") if p)
    if title:
        props.append(("title", title))
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    text = f"{format_path(d.path)}: {_text(d)}" if d.path else _text(d)
    if d.environment:
        text = f"[{d.environment}] {text}"
    command = _GITHUB_LEVEL[d.severity]
    return f"::{command} {prop_text}::{escape_data(text)}" if props else \
        f"::{command}::{escape_data(text)}"


# ---- sarif ----------------------------------------------------------------------------------
def sarif(diagnostics: Sequence[Diagnostic], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """A SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)."""
    descriptors = [_rule_descriptor(r) for r in rules.values()]
    index = {r.id: i for i, r in enumerate(rules.values())}
    for code in sorted({d.code or "translator" for d in diagnostics} - set(index)):
        index[code] = len(descriptors)
        descriptors.append({"id": code, "shortDescription": {"text": code}})
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "translator",
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(d, index) for d in diagnostics],
            }
        ],
    }


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.rationale},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
    }


def _sarif_result(d: Diagnostic, index: Mapping[str, int]) -> dict[str, Any]:
    rule_id = d.code or "translator"
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": _text(d)},
    }
    location: dict[str, Any] = {}
    if d.location is not None:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": artifact_uri(d.location.file)},
            "region": {"startLine": d.location.line, "startColumn": d.location.col},
        }
    if d.path:
        location["logicalLocations"] = [{"fullyQualifiedName": format_path(d.path)}]
    if location:
        result["locations"] = [location]
    props = {k: v for k, v in (("service", d.service), ("key", d.key), ("target", d.target),
                               ("environment", d.environment)) if v}
    if props:
        result["properties"] = props
    return result


def artifact_uri(file: str) -> str:
    """A relative URI reference for a relative path; a ``file://`` URI for an absolute one."""
    path = PurePath(file)
    posix = path.as_posix()
    if path.is_absolute():
        return "file://" + quote(posix)
    return quote(posix)
