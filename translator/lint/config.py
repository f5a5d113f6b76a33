"""Per-project rule settings: turn rules off or change their severity.

Read from ``translator.toml`` in the project folder (the first compose file's folder),
else from the nearest ``pyproject.toml`` in that folder or above it (stopping at the
repository root, the folder holding ``.git``), as ruff and black find theirs. Either
file may say::

    [tool.translator.rules]        # in translator.toml: [rules], or top-level keys
    TR001 = "error"                # a rule id ...
    missing-resource-limits = "off"  # ... or its name; error | warning | info | off
    "swarm.dropped" = "off"        # ... or a target's diagnostic code (quoted: it has a dot)

    [tool.translator]
    disable = ["TR008"]            # the same as "off"

Other keys of ``[tool.translator]`` belong to other settings and are left alone; every
key of a ``rules`` table must name a rule or a target code. Target codes are
``<target>.dropped``, ``<target>.approximated``, ``<target>.renamed`` and ``<target>.info``
(:data:`TARGET_CODE_KINDS`): what a target loses, approximates, renames or only notes.
A target's errors (``kubernetes.invalid``) cannot be re-levelled: the output would be wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from translator.compose.yamlio import read_text
from translator.errors import Diagnostic, Location, Severity, TranslatorError

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class LintConfig:
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)


# The kinds of target diagnostic a project may turn off or re-level (Target.lost's handling,
# a renamed object, a note); see translator/targets/base.py.
TARGET_CODE_KINDS = ("dropped", "approximated", "renamed", "info")


def target_codes() -> dict[str, str]:
    """Every configurable target diagnostic code, mapped to itself (as rule names are)."""
    from translator.targets import names

    return {f"{t}.{kind}": f"{t}.{kind}" for t in names() for kind in TARGET_CODE_KINDS}


def relevel(diagnostics: Iterable[Diagnostic], config: LintConfig) -> list[Diagnostic]:
    """``diagnostics`` with the project's settings for their codes applied: the ones turned
    off left out, the others at their configured severity. Errors keep theirs: only codes
    that :func:`target_codes` or the rules name are ever configured."""
    if not config.disabled and not config.severities:
        return list(diagnostics)
    out: list[Diagnostic] = []
    for d in diagnostics:
        if d.code in config.disabled:
            continue
        level = config.severities.get(d.code)
        out.append(d if level is None or level is d.severity else replace(d, severity=level))
    return out


def load_config(project_dir: Path, rule_names: Mapping[str, str]) -> LintConfig:
    """``rule_names`` maps every rule id and name to its id; target codes are accepted too."""
    rule_names = {**rule_names, **target_codes()}
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
    for key, value in _flat(rules).items():
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


def _flat(rules: dict[str, Any]) -> dict[str, Any]:
    """``[rules.swarm] dropped = "off"`` (TOML's dotted keys) as ``swarm.dropped``."""
    out: dict[str, Any] = {}
    for key, value in rules.items():
        if isinstance(value, dict):
            out.update({f"{key}.{sub}": level for sub, level in value.items()})
        else:
            out[key] = value
    return out


def _rule_id(path: Path, text: str, key: str, rule_names: Mapping[str, str]) -> str:
    if key not in rule_names:
        known = ", ".join(sorted(k for k in rule_names if k.startswith("TR")))
        kinds = "|".join(TARGET_CODE_KINDS)
        raise _bad(path, text, key, f"names no rule or target code (known: {known}, "
                   f"and <target>.{kinds})")
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
