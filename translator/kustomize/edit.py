"""Move one image of an overlay to another version, as ``kustomize edit set image`` would."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from translator.emit import dump
from translator.errors import Diagnostic, Severity, TranslatorError
from translator.model.artifact import DIGEST_RE, TAG_RE
from translator.plan.artifacts import round_trip, write_atomically
from translator.targets.kubernetes.names import is_label_value

_LIMIT = 1 << 20


def set_image(overlay_kustomization: Path, repository: str, version: str) -> list[Diagnostic]:
    """Set ``repository``'s tag or digest in the overlay's ``images:`` entry, in place.

    A round-trip edit (comments, order and quoting stay) written atomically, so a version
    bump is a one-line diff. A tag's version labels follow through the overlay's
    replacements; after a digest (or on an image that had no entry) they stay as rendered,
    which the returned warning says. Moving a tagged image to a digest is refused: the
    replacement would then copy a part of the digest into the labels.
    """
    path = overlay_kustomization
    try:
        text = path.read_text(encoding="utf-8") if path.stat().st_size <= _LIMIT else ""
    except (OSError, UnicodeDecodeError) as err:
        problem = TranslatorError.at(f"cannot read the overlay {str(path)!r}: {err}",
                                     code="kustomize",
                                     hint="write the layout first: convert --layout kustomize")
        raise problem from None
    as_json = text.lstrip().startswith("{")  # a layout written with --format json
    yaml = round_trip()
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout's own style
    yaml.explicit_start = text.startswith("---")  # ruamel drops the document start marker
    try:
        data = json.loads(text) if as_json else yaml.load(text)
    except (ValueError, YAMLError) as err:
        raise TranslatorError.at(f"{path}: unreadable: {err}", code="kustomize") from None
    if not isinstance(data, dict) or not isinstance(data.setdefault("images", []), list):
        raise TranslatorError.at(f"{path}: not a kustomization with an images: list",
                                 code="kustomize")
    entry = next((e for e in data["images"] if isinstance(e, dict)
                  and e.get("name") == repository), None)
    notes = _update(data["images"], entry, repository, version, path)
    if as_json:
        write_atomically(path, dump(data, "json"))  # the emitter's text, one value changed
    else:
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        write_atomically(path, buffer.getvalue())
    return notes


def _update(
    images: list[Any], entry: Any, repository: str, version: str, path: Path
) -> list[Diagnostic]:
    digest = DIGEST_RE.match(version) is not None
    if not digest and not (TAG_RE.match(version) and is_label_value(version)):
        raise TranslatorError.at(
            f"invalid version {version!r}: a tag that is also a label value (letters, digits, "
            "'_', '.', '-', at most 63) or a digest such as sha256:<hex>", code="kustomize")
    if digest and entry is not None and "newTag" in entry:
        raise TranslatorError.at(
            f"{path}: {repository} is deployed by tag and its version labels follow the tag; "
            "a digest needs the layout rendered again", code="kustomize",
            hint="run convert --layout kustomize with the new artifact")
    if entry is None:
        images.append({"name": repository})
        entry = images[-1]
    fixed = "newTag" not in entry
    entry.pop("digest" if not digest else "newTag", None)
    entry["digest" if digest else "newTag"] = version
    if not fixed:
        return []
    return [Diagnostic(
        Severity.WARNING,
        f"{path}: the app.kubernetes.io/version labels of {repository} stay as rendered; "
        "render the layout again to update them", code="kustomize.fixed-version")]
