"""The skeleton fast path gives exactly what rendering and parsing the full text gives.

Each case renders a user template both ways: ``Templates.render`` (fast path, falling
back when unsure) and the classic path (finalize JSON-encodes, the whole text is
parsed). Results, or error messages, must be equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator import template_skeletons
from translator.errors import TranslatorError
from translator.template_jinja import run
from translator.templating import Templates, _parse

TEMPLATES = {
    "plain": "kind: K\nmetadata: {{ meta }}\nspec:\n{% for k, v in spec.items() %}\n"
    "  {{ k }}: {{ v }}\n{% endfor %}\n",
    # the value inside a larger scalar, in a comment, twice through an alias, as a key
    "in-scalar": "kind: K\nname: pre-{{ meta }}\n",
    "in-comment": "kind: K # {{ meta }}\nspec: {{ spec }}\n",
    "alias": "kind: K\na: &x {{ meta }}\nb: *x\n",
    "keys": "kind: K\n{{ meta }}: 1\n{{ spec }}: 2\n",
    "flow": "kind: K\nitems: [{{ meta }}, {{ spec }}, 3]\n",
    "quoted": "kind: K\nname: \"{{ meta }}\"\n",
    "block": "kind: K\nscript: |\n  {{ meta }}\n",
    "not-a-mapping": "- {{ meta }}\n",
}
# Template text that knows this process's nonce (it cannot, but the check must not rely
# on that): its fake placeholder makes slot 0 appear twice.
TEMPLATES["forged"] = (
    "kind: K\nx: " + template_skeletons.placeholder(0) + "\ny: {{ meta }}\n"
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                                allow_infinity=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("templates")
    (root / "probe").mkdir()
    for name, text in TEMPLATES.items():
        (root / "probe" / f"{name}.yaml.j2").write_text(text)
    return root


def _classic(templates: Templates, kind: str, **context: Any) -> dict[str, Any]:
    name = f"probe/{kind}.yaml.j2"
    entry = templates._entries.get(name) or templates._entry(name)
    return _parse(run(templates._jinja(name, entry), name, context), name)


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except TranslatorError as exc:
        return ("error", exc.diagnostics[0].message)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(meta=values, spec=st.dictionaries(st.text(max_size=4), values, max_size=4))
@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_fast_path_equals_full_parse(folder: Path, kind: str, meta: Any, spec: Any) -> None:
    templates = Templates(folder)
    fast = _outcome(lambda: templates.render("probe", kind, meta=meta, spec=spec))
    slow = _outcome(lambda: _classic(templates, kind, meta=meta, spec=spec))
    assert fast == slow
    # A final document (never embedded, so never kept) is the same document.
    final = _outcome(lambda: templates.render_final("probe", kind, meta=meta, spec=spec))
    assert final == slow


@pytest.mark.parametrize(
    ("kind", "meta", "spec", "why"),
    [
        ("in-scalar", "a", {}, "a value inside a larger scalar"),
        ("in-comment", "a", {"x": 1}, "a value in a comment"),
        ("alias", {"a": 1}, {}, "one placeholder used twice"),
        ("forged", "a", {}, "template text imitating a placeholder"),
        ("keys", "same", "same", "two keys that become one"),
        ("keys", {"a": 1}, "b", "a mapping used as a key"),
        ("plain", "\udc80", {}, "a lone surrogate, which the full parse refuses"),
    ],
)
def test_unsure_cases_take_the_full_parse(
    folder: Path, monkeypatch: pytest.MonkeyPatch, kind: str, meta: Any, spec: Any, why: str
) -> None:
    templates = Templates(folder)
    fallbacks = []
    real = template_skeletons.Skeletons.fill

    def spy(
        self: template_skeletons.Skeletons, text: str, vals: list[Any], record: bool = True
    ) -> Any:
        result = real(self, text, vals, record)
        fallbacks.append(result is None)
        return result

    monkeypatch.setattr(template_skeletons.Skeletons, "fill", spy)
    fast = _outcome(lambda: templates.render("probe", kind, meta=meta, spec=spec))
    assert fallbacks == [True], why
    assert fast == _outcome(lambda: _classic(templates, kind, meta=meta, spec=spec))


def test_plain_shapes_are_parsed_once_and_documents_share_nothing(folder: Path) -> None:
    templates = Templates(folder)
    first = templates.render("probe", "plain", meta={"name": "a"}, spec={"replicas": 1})
    second = templates.render("probe", "plain", meta={"name": "b"}, spec={"replicas": 2})
    assert len(templates._skeletons._parsed) == 1
    assert first == {"kind": "K", "metadata": {"name": "a"}, "spec": {"replicas": 1}}
    assert second["metadata"] == {"name": "b"} and second["spec"] == {"replicas": 2}
    first["spec"]["replicas"] = 9
    assert second["spec"] == {"replicas": 2}
    assert templates.render("probe", "plain", meta={}, spec={"replicas": 3})["spec"] == {
        "replicas": 3
    }


def test_values_are_copies_with_json_types(folder: Path) -> None:
    templates = Templates(folder)
    meta = {"labels": {"a": "b"}, "ports": (80, 443), 5: "five"}
    doc = templates.render("probe", "plain", meta=meta, spec={})
    assert doc["metadata"] == {"labels": {"a": "b"}, "ports": [80, 443], "5": "five"}
    assert doc["metadata"]["labels"] is not meta["labels"]


def test_unencodable_value_is_a_bug_report_not_bad_input(folder: Path) -> None:
    with pytest.raises(RuntimeError, match="not JSON-encodable"):
        Templates(folder).render("probe", "plain", meta={"x": object()}, spec={})


def test_embedding_rendered_documents_shares_nothing(folder: Path) -> None:
    templates = Templates(folder)
    one = templates.render("probe", "plain", meta={"name": "a"}, spec={})
    two = templates.render("probe", "plain", meta={"name": "b"}, spec={})
    group = templates.render("probe", "flow", meta={"x": one, "y": two}, spec=[one])
    assert group["items"][0] == {"x": one, "y": two}
    assert group["items"][1] == [one]
    # Each document object appears at most once across all results.
    assert group["items"][0]["x"] is one  # taken as it is: no second round trip
    assert group["items"][1][0] is not one  # a second embedding is a copy
    everywhere = [id(one), id(two), id(group["items"][0]["y"]), id(group["items"][1][0])]
    assert len(set(everywhere)) == 3  # one and y are the same object, the copy is new


def test_values_that_only_look_like_documents_are_copied(folder: Path) -> None:
    templates = Templates(folder)
    one = templates.render("probe", "plain", meta={}, spec={})
    shared = {"a": one, "b": one}  # the same document twice: the second must be a copy
    doc = templates.render("probe", "plain", meta=shared, spec={"n": None})
    assert doc["metadata"] == {"a": one, "b": one}
    assert doc["metadata"]["a"] is not doc["metadata"]["b"]
    assert doc["spec"] == {"n": None}


def test_final_documents_are_not_kept_so_embedding_them_copies(folder: Path) -> None:
    templates = Templates(folder)
    final = templates.render_final("probe", "plain", meta={"name": "a"}, spec={})
    assert not templates._skeletons._fresh  # nothing kept: values are copied in one go
    doc = templates.render("probe", "plain", meta={"x": final}, spec={"t": (1, 2)})
    assert doc["metadata"] == {"x": final} and doc["metadata"]["x"] is not final
    assert doc["spec"] == {"t": [1, 2]}  # the round trip of the all-copy path: a list
    kept = templates.render("probe", "plain", meta={}, spec={})
    assert templates.render("probe", "plain", meta=kept, spec={})["metadata"] is kept
