"""ConfigMaps and Secrets for the configs and secrets the rendered services use.

The renderer never reads files: a config or secret whose content the model does
not carry is referenced by name, and a diagnostic says how to create it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

from translator.model import FileObject
from translator.targets.kubernetes.context import Context
from translator.targets.kubernetes.names import config_key
from translator.targets.kubernetes.volumes import file_object_name

FileObjectDoc = tuple[str, str, dict[str, str], bool]


def file_objects(ctx: Context) -> Iterator[FileObjectDoc]:
    """(kind, name, data, sensitive) of every ConfigMap/Secret to emit, in name order."""
    docs: dict[tuple[str, str], FileObjectDoc] = {}
    for key in sorted(ctx.plan.services):
        planned = ctx.plan.services[key]
        for field, refs in (("configs", planned.service.configs),
                            ("secrets", planned.service.secrets)):
            for ref in refs:
                doc = _object(ctx, planned.name, field, ref.source)
                if doc is not None:
                    docs.setdefault((doc[0], doc[1]), doc)
    for _, doc in sorted(docs.items()):
        yield doc


def _object(ctx: Context, service: str, field: str, source: str) -> FileObjectDoc | None:
    secret = field == "secrets"
    objects = ctx.plan.project.secrets if secret else ctx.plan.project.configs
    obj: FileObject | None = objects.get(source)
    name = file_object_name(obj, source)
    kind = "Secret" if secret else "ConfigMap"
    if obj is None or obj.external:
        return None  # an existing object, referenced by name
    if secret and not ctx.options.embed_secrets:
        ctx.info(service, field, f"the Secret {name!r} is referenced, not created: create it "
                 f"with kubectl create secret generic {name} --from-file={config_key(source)}"
                 "=<file> (or render with --embed-secrets)")
        return None
    content = obj.content if obj.content is not None else obj.file_text
    if content is None:
        origin = f"file {obj.file}" if obj.file else f"variable {obj.environment}"
        ctx.warn(service, field, f"the content of {source} ({origin}) is not in the plan; "
                 f"create the {kind} {name!r} with key {config_key(source)!r} before deploying")
        return None
    if secret:  # Secret ``data`` is base64: the plain text appears nowhere in the file
        content = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return kind, name, {config_key(source): content}, secret
