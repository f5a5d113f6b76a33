"""Assemble the base and the overlays from each environment's objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from translator.errors import Diagnostic, Diagnostics, Severity, TranslatorError
from translator.kustomize.images import version_replacements
from translator.kustomize.merge import MISSING, POD_KINDS, additions, common
from translator.kustomize.overlay import (
    EnvInfo,
    Key,
    Overlay,
    selector,
    split_overlay,
    template_kinds,
)
from translator.targets.base import MANAGED_BY, MANAGED_BY_LABEL, Document
from translator.targets.kubernetes.names import VERSION_LABEL

API_VERSION = "kustomize.config.k8s.io/v1beta1"
KUSTOMIZATION = "kustomization.yaml"


def build_layout(
    rendered: Mapping[str, Sequence[Document]],
    envs: Mapping[str, EnvInfo] | None = None,
    diagnostics: Diagnostics | None = None,
) -> list[Document]:
    """The base and one overlay per environment, from each environment's Kubernetes objects.

    ``envs`` gives each environment's labels and annotations (none when missing); the
    documents' filenames are relative to the output folder (``base/...``,
    ``overlays/<env>/...``). Notes on what could not follow the image go to ``diagnostics``.
    """
    envs = envs or {}
    names = sorted(rendered)
    overlays = {}
    for env in names:
        try:
            overlays[env] = split_overlay(rendered[env], envs.get(env, EnvInfo()))
        except ValueError as err:
            raise TranslatorError.at(f"environment {env}: {err}", code="kustomize") from None
    shared = _shared([overlays[e] for e in names])
    base = {key: _base_object([overlays[e].objects[key] for e in names]) for key in shared}
    documents = [
        Document(f"base/{d.filename}", d.content, d.kind, d.name, d.sensitive)
        for d in base.values()
    ]
    documents.append(_kustomization("base", {"resources": sorted(d.filename for d in
                                                                 base.values())}))
    fixed: dict[Key, list[str]] = {}
    for env in names:
        documents += _overlay(env, rendered[env], overlays[env], base)
        _fixed_versions(env, overlays[env], documents[-1].content, fixed)
    if diagnostics is not None:
        _note(fixed, diagnostics)
    return documents


def _shared(overlays: list[Overlay]) -> list[Key]:
    """The objects every environment has, with one apiVersion."""
    if not overlays:
        return []
    keys = set.intersection(*(set(o.objects) for o in overlays))
    return sorted(k for k in keys
                  if len({str(o.objects[k].content.get("apiVersion")) for o in overlays}) == 1)


def _base_object(renderings: list[Document]) -> Document:
    first = renderings[0]
    pod_kind = first.kind in POD_KINDS
    content = common([d.content for d in renderings], pod_kind)
    sensitive = any(d.sensitive for d in renderings)
    return Document(first.filename, content, first.kind, first.name, sensitive)


def _overlay(
    env: str, documents: Sequence[Document], overlay: Overlay, base: Mapping[Key, Document]
) -> list[Document]:
    folder = f"overlays/{env}"
    out: list[Document] = []
    patches: list[dict[str, Any]] = []
    own: list[str] = []
    for key, doc in sorted(overlay.objects.items()):
        if key not in base:
            own.append(doc.filename)
            out.append(Document(f"{folder}/{doc.filename}", doc.content, *key, doc.sensitive))
            continue
        patch = _patch(doc, base[key])
        if patch is not None:
            out.append(Document(f"{folder}/patches/{doc.filename}", patch, *key, doc.sensitive))
            patches.append({"path": f"patches/{doc.filename}"})
    if overlay.annotations:
        meta: dict[str, Any] = {"name": env, "annotations": overlay.annotations}
        if all(_managed(overlay.objects[k].content) for k in overlay.annotated):
            meta["labels"] = {MANAGED_BY_LABEL: MANAGED_BY}
        out.append(Document(f"{folder}/patches/annotations.yaml", {
            "apiVersion": "v1",
            "kind": "Environment",  # a target patch: Kustomize reads only its fields
            "metadata": meta,
        }))
        patches.append({"path": "patches/annotations.yaml",
                        "target": selector(overlay.annotated)})
    fields = _fields(overlay, [d.content for d in documents], own, patches)
    out.append(_kustomization(folder, fields))
    return out


def _fields(
    overlay: Overlay, contents: list[dict[str, Any]], own: list[str], patches: list[Any]
) -> dict[str, Any]:
    """The overlay's kustomization fields, in the order Kustomize applies them."""
    fields: dict[str, Any] = {"resources": ["../../base", *sorted(own)]}
    if overlay.namespace is not None:
        fields["namespace"] = overlay.namespace
    if overlay.labels:
        fields["labels"] = [{"pairs": overlay.labels, "fields": [
            {"path": "spec/template/metadata/labels", "kind": k, "create": True}
            for k in template_kinds(contents)
        ]}]
    if overlay.images:
        fields["images"] = list(overlay.images.values())
    if overlay.replicas:
        fields["replicas"] = [{"name": n, "count": c} for n, c in overlay.replicas.items()]
    if patches:
        fields["patches"] = sorted(patches, key=lambda p: str(p["path"]))
    replacements = version_replacements(contents, overlay.images)
    if replacements:
        fields["replacements"] = replacements
    return fields


def _patch(doc: Document, base: Document) -> dict[str, Any] | None:
    """A strategic merge patch: what ``doc`` adds to ``base``, under the object's identity."""
    added = additions(doc.content, base.content, doc.kind in POD_KINDS)
    if added is MISSING:
        return None
    meta = {"name": doc.content["metadata"]["name"], **added.pop("metadata", {})}
    if _managed(doc.content):  # a no-op on the object, the marker --prune looks for
        meta["labels"] = {**meta.get("labels", {}), MANAGED_BY_LABEL: MANAGED_BY}
    return {"apiVersion": doc.content["apiVersion"], "kind": doc.kind, "metadata": meta,
            **{k: v for k, v in added.items() if k not in ("apiVersion", "kind")}}


def _managed(content: dict[str, Any]) -> bool:
    return bool(content.get("metadata", {}).get("labels", {}).get(MANAGED_BY_LABEL) == MANAGED_BY)


def _kustomization(folder: str, fields: dict[str, Any]) -> Document:
    # Kustomize ignores a kustomization's own metadata; the label marks the file as ours.
    meta = {"name": folder.rsplit("/", 1)[-1], "labels": {MANAGED_BY_LABEL: MANAGED_BY}}
    content = {"apiVersion": API_VERSION, "kind": "Kustomization", "metadata": meta, **fields}
    return Document(f"{folder}/{KUSTOMIZATION}", content, "Kustomization", folder)


def _fixed_versions(
    env: str, overlay: Overlay, kustomization: dict[str, Any], found: dict[Key, list[str]]
) -> None:
    """Record the workloads whose version label cannot follow an edited ``images:`` entry."""
    followed = {r["source"]["name"] for r in kustomization.get("replacements", ())}
    for (kind, name), doc in overlay.objects.items():
        labels = doc.content.get("metadata", {}).get("labels", {})
        if kind in POD_KINDS and VERSION_LABEL in labels and name not in followed:
            found.setdefault((kind, name), []).append(env)


def _note(found: dict[Key, list[str]], diagnostics: Diagnostics) -> None:
    for (kind, name), envs in sorted(found.items()):
        diagnostics.add(Diagnostic(
            Severity.INFO,
            f"the version label of {kind} {name} is written as rendered in overlays "
            f"{', '.join(envs)}: its image is pinned by digest, untagged, or runs at "
            "several versions, so the label does not follow an edited images: entry",
            code="kustomize.fixed-version",
        ))
