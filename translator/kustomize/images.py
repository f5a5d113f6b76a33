"""Images in a Kustomize layout: the base names the repository, each overlay its version.

An overlay's ``images:`` entry sets the tag or digest of every container of that
repository (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/),
so a repository gets an entry only where all its containers run one reference.

The ``app.kubernetes.io/version`` labels follow the image through ``replacements:``
(https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/),
which run after the images transformer: the source is the container's image, split at
``:`` and taken at the index just past the repository's own colons, i.e. the tag. So a
version bump edits one ``newTag`` line and every label follows. The replacement only
overwrites labels the objects already carry (the base keeps them): Kustomize v5.5
writes a *created* label such as ``16.4`` unquoted, which reads back as a number.

A digest or an untagged image cannot drive the label that way (the label is the
digest's first 12 hex digits, or ``latest``): there the label stays as rendered, in the
base or a patch, and :func:`set_image` refuses to move such an image.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from translator.kustomize.merge import POD_KINDS
from translator.model.artifact import ImageReferenceError, parse_reference
from translator.targets.kubernetes.names import NAME_LABEL, VERSION_LABEL, is_label_value

ImageEntries = dict[str, dict[str, str]]  # repository -> images: entry


def containers(content: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every container and init container of a workload's pod template."""
    if content.get("kind") not in POD_KINDS:
        return
    spec = content.get("spec", {})
    if content.get("kind") == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    pod = spec if content.get("kind") == "Pod" else spec.get("template", {}).get("spec", {})
    for key in ("initContainers", "containers"):
        for container in pod.get(key) or ():
            if isinstance(container, dict) and isinstance(container.get("image"), str):
                yield container


def image_entries(contents: Sequence[dict[str, Any]]) -> ImageEntries:
    """One ``images:`` entry per repository whose containers all run one tag or one digest."""
    refs: dict[str, set[str]] = {}
    for content in contents:
        for container in containers(content):
            try:
                artifact = parse_reference(container["image"])
            except ImageReferenceError:
                continue
            refs.setdefault(artifact.repository, set()).add(container["image"])
    entries: ImageEntries = {}
    for repository, found in sorted(refs.items()):
        artifact = parse_reference(next(iter(found)))
        if len(found) != 1 or (artifact.tag is None) == (artifact.digest is None):
            continue  # several references, both a tag and a digest, or neither
        if artifact.tag is not None:
            entries[repository] = {"name": repository, "newTag": artifact.tag}
        elif artifact.digest is not None:
            entries[repository] = {"name": repository, "digest": artifact.digest}
    return entries


def strip_images(contents: Sequence[dict[str, Any]], entries: ImageEntries) -> None:
    for content in contents:
        for container in containers(content):
            try:
                repository = parse_reference(container["image"]).repository
            except ImageReferenceError:
                continue
            if repository in entries:
                container["image"] = repository


def version_replacements(
    contents: Sequence[dict[str, Any]], entries: ImageEntries
) -> list[dict[str, Any]]:
    """A replacement per workload whose version label is its container's tag."""
    out: list[dict[str, Any]] = []
    for content in contents:
        meta = content.get("metadata", {})
        version = meta.get("labels", {}).get(VERSION_LABEL)
        source = _tagged_container(content, entries, version)
        if source is None:
            continue
        targets = [
            _target(other, version)
            for other in contents
            if other.get("metadata", {}).get("labels", {}).get(VERSION_LABEL) == version
            and other["metadata"]["labels"].get(NAME_LABEL) == meta["labels"].get(NAME_LABEL)
        ]
        out.append({
            "source": {
                "kind": content["kind"],
                "name": meta["name"],
                "fieldPath": _image_path(content, source["name"]),
                "options": {"delimiter": ":", "index": source["repository"].count(":") + 1},
            },
            "targets": sorted(targets, key=lambda t: (t["select"]["kind"], t["select"]["name"])),
        })
    return sorted(out, key=lambda r: (r["source"]["kind"], r["source"]["name"]))


def _tagged_container(
    content: dict[str, Any], entries: ImageEntries, version: object
) -> dict[str, str] | None:
    if content.get("kind") in ("Pod", "CronJob"):  # no spec.template to name a path in
        return None
    if not isinstance(version, str) or not is_label_value(version):
        return None
    for container in containers(content):
        try:
            repository = parse_reference(container["image"]).repository
        except ImageReferenceError:
            continue
        if entries.get(repository, {}).get("newTag") == version and "name" in container:
            return {"name": str(container["name"]), "repository": repository}
    return None


def _image_path(content: dict[str, Any], container: str) -> str:
    inits = content["spec"]["template"]["spec"].get("initContainers") or ()
    key = "initContainers" if any(c.get("name") == container for c in inits) else "containers"
    return f"spec.template.spec.{key}.[name={container}].image"


def _target(content: dict[str, Any], version: str) -> dict[str, Any]:
    paths = [f"metadata.labels.[{VERSION_LABEL}]"]
    template = content.get("spec", {}).get("template", {}) if content["kind"] in POD_KINDS else {}
    if template.get("metadata", {}).get("labels", {}).get(VERSION_LABEL) == version:
        paths.append(f"spec.template.metadata.labels.[{VERSION_LABEL}]")
    return {
        "select": {"kind": content["kind"], "name": content["metadata"]["name"]},
        "fieldPaths": paths,
    }
