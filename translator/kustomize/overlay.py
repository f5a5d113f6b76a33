"""One environment's rendering, split into what its kustomization's own fields say and the
objects that remain.

Each field here replaces a part of the objects only where Kustomize reproduces that part
exactly, because its transformers run after the patches and would overwrite any object
that differs (the order is PatchTransformer, NamespaceTransformer, LabelTransformer,
AnnotationsTransformer, ReplicaCountTransformer, ImageTagTransformer, then
ReplacementTransformer; checked against kubectl's built-in Kustomize v5.5):

- ``namespace``: every object sits in the same namespace;
- ``labels``: an environment label is on every object and every pod template;
- environment annotations: commonAnnotations would also annotate pod templates and shared
  objects, which the renderer does not, so one strategic merge patch carries them with a
  ``target`` that selects exactly the annotated objects (by kind and name patterns);
- ``replicas``: one count per workload name;
- ``images``: one reference per repository; the objects keep the bare repository.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from translator.kustomize.images import ImageEntries, image_entries, strip_images
from translator.kustomize.merge import POD_KINDS
from translator.model import Environment
from translator.targets.base import Document

Key = tuple[str, str]  # (kind, name)
_CLUSTER_SCOPED = frozenset({"Namespace", "PersistentVolume", "StorageClass", "ClusterRole",
                             "ClusterRoleBinding", "CustomResourceDefinition"})
_SCALABLE = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})


@dataclass(frozen=True)
class EnvInfo:
    """What an environment sets on every object: its labels and annotations."""

    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, environment: Environment) -> EnvInfo:
        return cls(dict(environment.labels), dict(environment.annotations))


@dataclass
class Overlay:
    """One environment: its objects with the overlay's fields taken out, and those fields."""

    objects: dict[Key, Document]
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    annotated: list[Key] = field(default_factory=list)
    replicas: dict[str, int] = field(default_factory=dict)
    images: ImageEntries = field(default_factory=dict)


def split_overlay(documents: Sequence[Document], info: EnvInfo) -> Overlay:
    """Take out of copies of ``documents`` what the overlay's own fields will put back."""
    objects: dict[Key, Document] = {}
    for doc in documents:
        key = (str(doc.content.get("kind", doc.kind)), str(_meta(doc.content).get("name", "")))
        if key in objects:
            raise ValueError(f"two {key[0]} objects are named {key[1]!r}")
        objects[key] = Document(doc.filename, copy.deepcopy(doc.content), *key, doc.sensitive)
    contents = [d.content for d in objects.values()]
    overlay = Overlay(objects)
    overlay.namespace = _take_namespace(contents)
    overlay.labels = _take_labels(contents, info.labels)
    overlay.annotations, overlay.annotated = _take_annotations(objects, info.annotations)
    overlay.replicas = _take_replicas(contents)
    overlay.images = image_entries(contents)
    strip_images(contents, overlay.images)
    return overlay


def _meta(content: Mapping[str, Any]) -> dict[str, Any]:
    meta = content.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _take_namespace(contents: list[dict[str, Any]]) -> str | None:
    scoped = [c for c in contents if c.get("kind") not in _CLUSTER_SCOPED]
    found = {_meta(c).get("namespace") for c in scoped}
    if len(found) != 1 or not isinstance(namespace := found.pop(), str):
        return None
    for c in scoped:
        del c["metadata"]["namespace"]
    return namespace


def _templates(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The pod template metadata of a workload (the only templates the renderer writes)."""
    if content.get("kind") not in POD_KINDS:
        return []
    meta = content.get("spec", {}).get("template", {}).get("metadata")
    return [meta] if isinstance(meta, dict) else []


def template_kinds(contents: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted({str(c["kind"]) for c in contents if _templates(dict(c))})


def _take_labels(contents: list[dict[str, Any]], wanted: Mapping[str, str]) -> dict[str, str]:
    places = [_meta(c) for c in contents] + [t for c in contents for t in _templates(c)]
    taken: dict[str, str] = {}
    for key, value in sorted(wanted.items()):
        if places and all(_labels(p).get(key) == value for p in places):
            taken[key] = value
            for p in places:
                del p["labels"][key]
    for p in places:
        if "labels" in p and not p["labels"]:
            del p["labels"]
    return taken


def _labels(meta: Mapping[str, Any]) -> Mapping[str, Any]:
    labels = meta.get("labels")
    return labels if isinstance(labels, dict) else {}


def _take_annotations(
    objects: dict[Key, Document], wanted: Mapping[str, str]
) -> tuple[dict[str, str], list[Key]]:
    """Annotations carried by exactly the objects a kind-and-name target selects."""
    if not wanted:
        return {}, []
    annotated = sorted(
        k for k, d in objects.items()
        if all(_meta(d.content).get("annotations", {}).get(a) == v for a, v in wanted.items())
    )
    kinds, names = {k for k, _ in annotated}, {n for _, n in annotated}
    if not annotated or sorted(k for k in objects if k[0] in kinds and k[1] in names) != annotated:
        return {}, []
    for key in annotated:
        meta = objects[key].content["metadata"]
        for a in wanted:
            del meta["annotations"][a]
        if not meta["annotations"]:
            del meta["annotations"]
    return dict(sorted(wanted.items())), annotated


def selector(keys: Sequence[Key]) -> dict[str, str]:
    """A Kustomize patch target matching the kinds and names of ``keys`` (anchored regexes)."""
    kinds = sorted({k for k, _ in keys})
    names = sorted({n for _, n in keys})
    return {"kind": _alternatives(kinds), "name": _alternatives(names)}


def _alternatives(words: list[str]) -> str:
    # Object names are DNS names: of the regex syntax only "." can occur in them.
    escaped = [re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", w) for w in words]
    return escaped[0] if len(escaped) == 1 else "^(" + "|".join(escaped) + ")$"


def _take_replicas(contents: list[dict[str, Any]]) -> dict[str, int]:
    """The ReplicaCountTransformer matches by name across these kinds: one count a name."""
    counts: dict[str, set[int]] = {}
    for c in contents:
        replicas = c.get("spec", {}).get("replicas") if c.get("kind") in _SCALABLE else None
        if type(replicas) is int:
            counts.setdefault(str(_meta(c).get("name")), set()).add(replicas)
        elif c.get("kind") in _SCALABLE:
            counts.setdefault(str(_meta(c).get("name")), set()).add(-1)
    taken = {name: found.pop() for name, found in counts.items() if len(found) == 1}
    taken = {name: count for name, count in taken.items() if count >= 0}
    for c in contents:
        if c.get("kind") in _SCALABLE and _meta(c).get("name") in taken:
            del c["spec"]["replicas"]
    return dict(sorted(taken.items()))
