"""Values arrive verbatim in every target and never change the output's structure.

Each hostile value goes into a service's environment, a label, the command and the
entrypoint. Every target's output is emitted as text (YAML and JSON), parsed again, and
compared with what the renderer built, with the shape of the same project rendered with a
harmless value, and searched for the value itself. Assertions are on parsed output only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from translator import api

HOSTILE = {
    "newline": "line1\nline2",
    "crlf": "a\r\nb",
    "document-marker": "---",
    "document-injection": "x\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: pwned}\n",
    "yaml-end-marker": "...\n",
    "colon-space": "key: value",
    "leading-colon": ": x",
    "double-quote": 'say "hi"',
    "single-quote": "it's",
    "backslash": "C:\\path\\n",
    "jinja-expression": "{{ 7 * 7 }}",
    "jinja-statement": "{% for x in y %}{{ x }}{% endfor %}",
    "jinja-comment": "{# c #}",
    "dollar-brace": "${HOME}",
    "dollar-default": "${A:-default}",
    "dollar-plain": "$HOME and $$",
    "hash": "# not a comment",
    "hash-after-space": "a #b",
    "flow-sequence": "[a, b]",
    "flow-mapping": "{a: 1}",
    "anchor": "&a x",
    "alias": "*a",
    "tag": "!!python/object:os.system",
    "block-scalar": "|\n  x",
    "folded": ">-",
    "null-word": "null",
    "tilde": "~",
    "bool-word": "yes",
    "true": "true",
    "octal-like": "0755",
    "hex-like": "0x1F",
    "float-like": "1e3",
    "inf": ".inf",
    "empty": "",
    "spaces": "  padded  ",
    "tab": "a\tb",
    "nul": "a\0b",
    "line-separator": "a\u2028b\u2029c",
    "bell": "a\x07b",
    "del": "a\x7fb",
    "bom-inside": "\ufeffx",
    "emoji": "😀 non-BMP",
    "rtl": "\u202eevil",
    "percent-directive": "%YAML 1.1",
    "long-100k": "x" * 100_000,
    "long-line-with-breaks": ("word " * 20_000 + "\n") * 3,
}


def _project(value: str, folder: Path) -> str:
    compose_value = value.replace("$", "$$")  # literal in Compose: no interpolation
    doc = {
        "services": {
            "web": {
                "image": "nginx:1.27",
                "environment": {"HOSTILE": compose_value},
                "labels": {"hostile": compose_value},
                "command": ["run", compose_value],
                "entrypoint": ["/entry", compose_value],
            }
        }
    }
    return json.dumps(doc)  # JSON is YAML; its escapes carry every character


def _render(value: str, folder: Path) -> dict[str, tuple[list[Any], list[Any]]]:
    """target -> (documents as built, documents parsed back from YAML and JSON text)."""
    loaded = api.load_project(["-"], stdin=_project(value, folder), environ={},
                              working_dir=folder, project_name="hostile")
    plan = api.resolve(loaded, "local")
    out: dict[str, tuple[list[Any], list[Any]]] = {}
    for target in api.target_names():
        docs = api.render(plan, target).documents
        built = [d.content for d in docs]
        from_yaml = list(yaml.safe_load_all(api.to_text(docs, "yaml")))
        from_json = _json_stream(api.to_text(docs, "json"))
        assert from_yaml == built, f"{target}: YAML text does not parse back to the documents"
        assert from_json == built, f"{target}: JSON text does not parse back to the documents"
        out[target] = (built, from_yaml)
    return out


def _json_stream(text: str) -> list[Any]:
    decoder, out, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        value, index = decoder.raw_decode(text, index)
        out.append(value)
    return out


def _shape(node: Any) -> Any:
    """The structure with every string leaf replaced: what a value must never change."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return "<str>" if isinstance(node, str) else node


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


SENTINEL = "harmless-sentinel-value"


def _as_written(target: str, value: str) -> set[str]:
    """The forms in which ``value`` must appear: the platform's own escaping, nothing else."""
    if target == "swarm":  # `docker stack deploy` interpolates stack files: $ is written $$
        return {value.replace("$", "$$")}
    if target == "kubernetes" and ("$(" in value or "$$" in value):
        # The kubelet expands $(VAR) and reduces $$ in command, args and env (not in
        # annotations), so those carry every $ doubled.
        return {value, value.replace("$", "$$")}
    return {value}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Any], list[Any]]]:
    return _render(SENTINEL, tmp_path_factory.mktemp("baseline"))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_value_is_verbatim_and_structure_unchanged(
    name: str, baseline: dict[str, tuple[list[Any], list[Any]]], tmp_path: Path
) -> None:
    value = HOSTILE[name]
    rendered = _render(value, tmp_path)
    for target, (_, parsed) in rendered.items():
        expected_parsed = baseline[target][1]
        assert _shape(parsed) == _shape(expected_parsed), f"{target}: structure changed"
        shown = _as_written(target, value)
        wanted = sum(s == SENTINEL for s in _strings(expected_parsed))
        assert wanted >= 3, f"{target}: the sentinel should appear in env, labels and command"
        found = sum(s in shown for s in _strings(parsed))
        assert found == wanted, f"{target}: {found} verbatim copies, expected {wanted}"
