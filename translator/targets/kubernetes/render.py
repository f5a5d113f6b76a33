"""Rendering one plan: each service's handlers fill its template values, then each
document is rendered from ``templates/kubernetes/<kind>.yaml.j2`` and checked by
:mod:`translator.targets.kubernetes.checks` (what an API server's validation checks
beyond the schema). Objects of one service carry its artifact version; shared objects
(claims, configs, secrets, policies) carry none, so changing one service's version
changes only that service's objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from translator.errors import Path as ErrorPath
from translator.errors import TranslatorError, format_path
from translator.model import PlannedService
from translator.targets.base import Document
from translator.targets.kubernetes.checks import check_object
from translator.targets.kubernetes.context import (
    TARGET_NAME,
    Context,
    Unit,
    Values,
)
from translator.targets.kubernetes.grouping import join_pod
from translator.targets.kubernetes.keys import ALWAYS, RUN_ORDER
from translator.targets.kubernetes.meta import shared_meta
from translator.targets.kubernetes.names import selector_labels
from translator.targets.kubernetes.network import network_policies
from translator.targets.kubernetes.objects import file_objects
from translator.targets.kubernetes.volumes import PodVolumes, claim_name
from translator.targets.kubernetes.workloads import claim_values, controller_kind

if TYPE_CHECKING:
    # Only a type here: importing the templating module loads Jinja, which `--help`
    # (it imports the targets for their flags) must not.
    from translator.templating import Templates

# Apply order: what others reference comes first.
KIND_ORDER = (
    "Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service",
    "Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "HorizontalPodAutoscaler",
    "Ingress", "NetworkPolicy",
)
# Every variable the workload templates read; a handler that does not run leaves its
# values unset (None: the template leaves the field out).
TEMPLATE_VALUES = (
    "name", "namespace", "labels", "annotations", "workload_annotations",
    "replicas", "service_name", "strategy", "min_ready_seconds", "claim_templates",
    "completions", "parallelism", "backoff_limit", "restart_policy",
    "schedule", "concurrency_policy", "autoscaler", "service_account",
    "pod_labels", "pod_annotations", "init_containers",
    "image", "image_pull_policy", "command", "args", "working_dir", "env", "env_from", "ports",
    "resources", "liveness_probe", "startup_probe", "readiness_probe", "lifecycle",
    "security_context", "volume_mounts", "tty", "stdin",
    "hostname", "subdomain", "termination_grace_period", "host_aliases",
    "pod_security_context", "dns_config", "host_network", "image_pull_secrets",
    "node_selector", "affinity", "topology_spread_constraints", "volumes",
    "service", "ingress", "published_ingress",
)
_DEFAULTS: dict[str, Any] = dict.fromkeys(TEMPLATE_VALUES)


@dataclass
class Output:
    templates: Templates
    documents: list[Document] = field(default_factory=list)
    # The compose entry the next objects come from (services.web, volumes.data): a failed
    # object check is reported there, so validate can give its compose line.
    origin: ErrorPath = ()

    def add(self, kind: str, name: str, values: dict[str, Any], sensitive: bool = False) -> None:
        content = self.templates.render(TARGET_NAME, kind.lower(), **values)
        try:
            check_object(content)
        except TranslatorError as err:
            raise _at_origin(err, self.origin) from None
        self.documents.append(Document(
            filename=f"{kind.lower()}-{name}.yaml", content=content, kind=kind, name=name,
            sensitive=sensitive,
        ))

    def ordered(self) -> list[Document]:
        """Documents in apply order; two objects of one kind and name would overwrite."""
        seen: set[tuple[str, str]] = set()
        for doc in self.documents:
            if (doc.kind, doc.name) in seen:
                raise TranslatorError.at(
                    f"two {doc.kind} objects would be named {doc.name!r}",
                    (doc.kind, doc.name), code="kubernetes.name-collision",
                    hint="rename the compose service, config or network that collides")
            seen.add((doc.kind, doc.name))
        order = {kind: index for index, kind in enumerate(KIND_ORDER)}
        return sorted(self.documents, key=lambda d: (order[d.kind], d.name))


def _at_origin(err: TranslatorError, origin: ErrorPath) -> TranslatorError:
    """``err`` about an object (``Deployment.web.spec...``) moved to the compose entry the
    object comes from, keeping the object path in the message."""
    if not origin:
        return err
    return TranslatorError([
        replace(d, path=origin, message=f"{format_path(d.path)}: {d.message}")
        for d in err.diagnostics
    ])


def build_unit(ctx: Context, planned: PlannedService) -> Unit:
    """Run the handlers of the keys ``planned`` uses (and those that always run)."""
    selected = set(ctx.target.handlers(planned.name, planned.service.source_keys,
                                       ctx.diagnostics))
    name = ctx.name_of(planned.name)
    unit = Unit(planned=planned, name=name, kind=controller_kind(ctx, planned),
                selector=selector_labels(name, ctx.plan.project.name),
                values={**_DEFAULTS, "name": name}, volumes=PodVolumes())
    for handler in RUN_ORDER:
        if handler in selected or handler in ALWAYS:
            handler(ctx, unit)
    return unit


def render_service(
    ctx: Context, planned: PlannedService, out: Output, claims: dict[str, list[PlannedService]],
    members: Sequence[PlannedService] = (),
) -> None:
    """The service's workload, Service, Ingress, policy and env_file ConfigMaps; the
    containers of ``members`` join its pod (see grouping.py)."""
    out.origin = ("services", planned.name)
    unit = build_unit(ctx, planned)
    parts = []
    for member in members:
        out.origin = ("services", member.name)
        parts.append(build_unit(ctx, member))
    out.origin = ("services", planned.name)
    if parts:
        join_pod(ctx, unit, parts)
    for part in (unit, *parts):
        if part is unit and unit.kind == "StatefulSet":
            continue  # a StatefulSet's claims are its claim templates
        for volume in part.volumes.claims:
            claims.setdefault(volume, []).append(part.planned)
    values = unit.values
    out.add(unit.kind, unit.name, {**values, "selector": unit.selector,
                                   "annotations": values["workload_annotations"]})
    if values["autoscaler"] is not None:
        out.add("HorizontalPodAutoscaler", unit.name, {**_meta(values), **values["autoscaler"]})
    for part in (unit, *parts):
        out.origin = ("services", part.planned.name)
        _service_objects(ctx, part, unit.selector, out)


def _meta(values: Values) -> dict[str, Any]:
    return {k: values[k] for k in ("name", "namespace", "labels", "annotations")}


def _service_objects(
    ctx: Context, unit: Unit, selector: dict[str, str], out: Output
) -> None:
    """The Service, Ingress, published-port policy, env_file ConfigMaps and bind-mount
    objects of one service, selecting the pods its container runs in (``selector``)."""
    values, name = unit.values, unit.name
    meta = _meta(values)
    if values["service"] is not None:
        out.add("Service", name, {**meta, **values["service"], "selector": selector})
    if values["ingress"] is not None:
        out.add("Ingress", name, {**meta, **values["ingress"]})
    if values["published_ingress"] is not None:
        out.add("NetworkPolicy", name, {**meta, "pod_selector": {"matchLabels": selector},
                                        "ingress": values["published_ingress"]})
    for map_name, data in unit.env_maps:
        out.add("ConfigMap", map_name, {**meta, "name": map_name, "data": data})
    for kind, object_name, object_values in unit.volumes.bind_objects:
        out.add(kind, object_name, {**shared_meta(ctx, object_name), **object_values})


def render_claim(ctx: Context, volume: str, users: list[PlannedService], out: Output) -> None:
    """A PersistentVolumeClaim shared by the services (not StatefulSets) that mount ``volume``."""
    declared = ctx.plan.project.volumes.get(volume)
    if declared is not None and declared.external:
        return  # an external volume is an existing claim, referenced by name
    name = claim_name(ctx, volume)
    if declared is not None and declared.driver not in (None, "local"):
        ctx.warn(users[0].name, "volumes", f"volume {volume} driver {declared.driver!r} is "
                 "replaced by the cluster's storage class")
    out.origin = ("volumes", volume)
    out.add("PersistentVolumeClaim", name,
            {**shared_meta(ctx, name), **claim_values(ctx, volume, users)})


def render_shared(ctx: Context, out: Output) -> None:
    """ConfigMaps and Secrets of configs and secrets, and one NetworkPolicy per network."""
    out.origin = ()
    for kind, name, data, sensitive in file_objects(ctx):
        out.add(kind, name, {**shared_meta(ctx, name), "data": data}, sensitive=sensitive)
    for name, policy in network_policies(ctx).items():
        out.add("NetworkPolicy", name, {**shared_meta(ctx, name), **policy})
