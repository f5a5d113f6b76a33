"""What several renderings of one object share, and what one of them adds to that.

:func:`common` keeps the fields equal in every rendering (the base); :func:`additions`
is what one rendering has beyond it (an overlay's patch). Because the base is always a
subset of each rendering, a patch only ever adds or sets fields, never deletes one, so a
strategic merge patch can always say it (the Kustomize docs on patches:
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/).

Lists are compared whole, except the container lists of a pod template, which are merged
by container name as a strategic merge does (``patchMergeKey: name`` in the Kubernetes
API): there the base keeps each container's shared fields and a patch names the
container it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

# The kinds whose pod-template container lists Kustomize merges by name (it knows their
# schema); for any other kind a strategic merge replaces lists whole.
POD_KINDS: Final = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
)
_BY_NAME: Final = frozenset({"containers", "initContainers"})


class _Missing:
    """No value shared by every rendering."""


MISSING: Final = _Missing()


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (``1``, ``1.0`` and ``True`` differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def common(values: Sequence[Any], pod_kind: bool, key: str = "") -> Any:
    """The part of ``values`` (one per rendering) that every rendering shares, or MISSING."""
    first = values[0]
    if all(same(first, v) for v in values[1:]):
        return first
    if all(isinstance(v, dict) for v in values):
        out: dict[str, Any] = {}
        for k in first:
            if all(k in v for v in values):
                shared = common([v[k] for v in values], pod_kind, k)
                if shared is not MISSING:
                    out[k] = shared
        return out
    if pod_kind and key in _BY_NAME and _same_names(values):
        return [
            {"name": items[0]["name"], **common(list(items), pod_kind)}
            for items in zip(*values, strict=True)
        ]
    return MISSING


def _same_names(values: Sequence[Any]) -> bool:
    """Every value is a list of named mappings, with the same names in the same order."""
    names = [_names(v) for v in values]
    return names[0] is not None and all(n == names[0] for n in names)


def _names(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        return None
    names = [i.get("name") for i in value]
    return names if all(isinstance(n, str) for n in names) else None


def additions(value: Any, base: Any, pod_kind: bool, key: str = "") -> Any:
    """What ``value`` has beyond ``base`` (a result of :func:`common`), or MISSING if nothing."""
    if base is MISSING:
        return value
    if same(value, base):
        return MISSING
    if isinstance(value, dict) and isinstance(base, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            added = additions(v, base.get(k, MISSING), pod_kind, k)
            if added is not MISSING:
                out[k] = added
        return out if out else MISSING
    if pod_kind and key in _BY_NAME and isinstance(value, list) and isinstance(base, list):
        changed = [
            {"name": item["name"], **added}
            for item, shared in zip(value, base, strict=True)
            if (added := additions(item, shared, pod_kind)) is not MISSING
        ]
        return changed or MISSING
    raise ValueError(f"{key or 'value'}: the base holds a value the rendering does not have")
