"""Issue 3's invariants, checked on what every target actually renders for the shop sample.

- Changing one service's version changes only that service's artifact references.
- The same artifact appears byte-identically in every environment's output.
- ``deploy`` of one service gives exactly that service's part of the full ``convert``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translator import api
from translator.targets import names
from translator.targets.base import RenderOptions

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "samples" / "shop"
ENVIRONMENTS = ("local", "uat", "production")
Leaf = tuple[tuple[Any, ...], Any]


@pytest.fixture(scope="module")
def loaded() -> Any:
    return api.load_project(["compose.yaml"], working_dir=SHOP, environ={})


def render(
    loaded: Any, target: str, env: str, images: tuple[str, ...] = (), **kw: Any
) -> list[dict[str, Any]]:
    plan = api.resolve(loaded, env, api.PlanInputs(images=images), **kw)
    result = api.render(plan, target, options=RenderOptions(extra={"marathon_layout": "apps"}))
    return [doc.content for doc in result.documents]


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[Leaf]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path, node


@pytest.mark.parametrize("target", names())
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_a_version_change_touches_only_that_artifact(loaded: Any, target: str, env: str) -> None:
    service = "returns"
    before = render(loaded, target, env)
    plan = api.resolve(loaded, env)
    old = plan.services[service].service.artifact
    assert old is not None
    after = render(loaded, target, env, images=(f"{service}=v999",))
    new_ref = old.with_version("v999").reference
    assert len(before) == len(after)
    changed = []
    for doc_a, doc_b in zip(before, after, strict=True):
        a, b = dict(leaves(doc_a)), dict(leaves(doc_b))
        assert a.keys() == b.keys(), "a version change must not add or remove fields"
        changed += [(a[p], b[p]) for p in a if a[p] != b[p]]
    assert changed, "the new version must show up somewhere"
    allowed = {(old.reference, new_ref), (old.version, "v999")}
    unexpected = [pair for pair in changed if pair not in allowed]
    assert not unexpected, f"{target}/{env}: changes beyond the artifact: {unexpected[:5]}"


@pytest.mark.parametrize("target", names())
def test_the_same_artifact_appears_identically_in_every_environment(
    loaded: Any, target: str
) -> None:
    references = {
        name: svc.service.artifact.reference
        for name, svc in api.resolve(loaded, "local").services.items()
        if svc.service.artifact is not None
    }
    for env in ENVIRONMENTS:
        values = {str(v) for doc in render(loaded, target, env) for _, v in leaves(doc)}
        missing = {n: ref for n, ref in references.items() if ref not in values}
        assert not missing, f"{target}/{env} lacks the artifacts {missing}"


def contained(part: Any, whole: Any) -> bool:
    """``part`` is ``whole`` or a piece of it: mappings by key, lists item by item."""
    if isinstance(part, dict) and isinstance(whole, dict):
        return all(k in whole and contained(v, whole[k]) for k, v in part.items())
    if isinstance(part, list) and isinstance(whole, list):
        return all(any(item == other for other in whole) for item in part)
    return bool(part == whole)


@pytest.mark.parametrize("target", names())
@pytest.mark.parametrize("service", ["returns", "db", "customer-service"])
def test_deploy_is_that_services_part_of_convert(loaded: Any, target: str, service: str) -> None:
    full = render(loaded, target, "production")
    one = render(loaded, target, "production", only=[service])
    assert one, "deploy renders something"
    for doc in one:
        assert any(contained(doc, whole) for whole in full), (
            f"{target}: a deploy document is not part of convert: {str(doc)[:300]}"
        )
    assert len(one) < len(full) or len(full) == 1
