"""Per-project rule settings: turn rules off or change their severity.

Read from ``translator.toml`` in the project folder (the first compose file's folder),
else from the nearest ``pyproject.toml`` in that folder or above it (stopping at the
repository root, the folder holding ``.git``), as ruff and black find theirs. Either
file may say::

    [tool.translator.rules]        # in translator.toml: [rules], or top-level keys
    TR001 = "error"                # a rule id ...
    missing-resource-limits = "off"  # ... or its name; error | warning | info | off

    [tool.translator]
    disable = ["TR008"]            # the same as "off"

Other keys of ``[tool.translator]`` belong to other settings and are left alone; every
key of a ``rules`` table must name a rule.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator.compose.yamlio import read_text
from translator.errors import Location, Severity, TranslatorError

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class LintConfig:
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)


def load_config(project_dir: Path, rule_names: Mapping[str, str]) -> LintConfig:
    """``rule_names`` maps every rule id and name to its id."""
    candidates: list[tuple[Path, tuple[str, ...]]] = [(project_dir / "translator.toml", ())]
    pyproject = find_pyproject(project_dir)
    if pyproject is not None:
        candidates.append((pyproject, ("tool", "translator")))
    for path, section in candidates:
        if path.is_file():
            table = _section(path, section)
            if table is not None:
                return _parse(path, table, rule_names)
    return LintConfig()


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``, not above the repository root."""
    for folder in (start.absolute(), *start.absolute().parents):
        if (folder / "pyproject.toml").is_file():
            return folder / "pyproject.toml"
        if (folder / ".git").exists():
            return None
    return None


def _read(path: Path) -> str:
    """The config file's text: a regular file of at most 1 MiB (bounded, non-blocking read)."""
    return read_text(path, what="config file", limit=1024 * 1024)


def _section(path: Path, section: tuple[str, ...]) -> dict[str, Any] | None:
    text = _read(path)
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = _TOML_POSITION.search(str(err))
        line, col = (int(found[1]), int(found[2])) if found else (1, 1)
        raise TranslatorError.at(
            f"invalid TOML: {err}", location=Location(str(path), line, col), code="config"
        ) from None
    for part in section:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def _parse(path: Path, table: dict[str, Any], rule_names: Mapping[str, str]) -> LintConfig:
    text = _read(path)
    levels: dict[str, str] = {}
    rules = table.get("rules", {})
    if not isinstance(rules, dict):
        raise _bad(path, text, "rules", "must be a table of rule = level")
    for key, value in rules.items():
        levels[_rule_id(path, text, key, rule_names)] = _level(path, text, key, value)
    # Top-level keys that name a rule count too; others may be settings of other tools.
    for key, value in table.items():
        if key in rule_names:
            levels[rule_names[key]] = _level(path, text, key, value)
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise _bad(path, text, "disable", "must be a list of rule ids or names")
    for key in disable:
        levels[_rule_id(path, text, key, rule_names)] = "off"
    return LintConfig(
        disabled=frozenset(rid for rid, level in levels.items() if level == "off"),
        severities={rid: LEVELS[level] for rid, level in levels.items() if level != "off"},
    )


def _rule_id(path: Path, text: str, key: str, rule_names: Mapping[str, str]) -> str:
    if key not in rule_names:
        known = ", ".join(sorted(k for k in rule_names if k.startswith("TR")))
        raise _bad(path, text, key, f"names no rule (known: {known})")
    return rule_names[key]


def _level(path: Path, text: str, key: str, value: object) -> str:
    if not isinstance(value, str) or value not in (*LEVELS, "off"):
        raise _bad(path, text, key, f"must be error, warning, info or off, not {value!r}")
    return value


def _bad(path: Path, text: str, key: str, problem: str) -> TranslatorError:
    """tomllib keeps no positions: find the key's first line by text, else point at line 1."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=|[\"']{re.escape(key)}[\"']",
                         re.MULTILINE)
    found = pattern.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return TranslatorError.at(
        f"lint setting {key!r} {problem}", location=Location(str(path), line, 1), code="config"
    )
