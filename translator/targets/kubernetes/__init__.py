"""The Kubernetes target: a resolved plan -> Namespace, ConfigMaps, Secrets, PVCs,
Services, workloads, Ingresses and NetworkPolicies.

Each object is rendered from ``templates/kubernetes/<kind>.yaml.j2`` and checked
by :mod:`translator.targets.kubernetes.checks` (what an API server's validation checks
beyond the schema). Objects of one service carry its artifact version; shared
objects (claims, configs, secrets, policies) carry none, so changing one
service's version changes only that service's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from translator.errors import Diagnostics, TranslatorError, format_path
from translator.errors import Path as ErrorPath
from translator.model import Plan, PlannedService
from translator.targets.base import Document, RenderOptions, TargetOption, diagnose_keys
from translator.targets.kubernetes.checks import check_object
from translator.targets.kubernetes.container import env_file_maps, port_losses
from translator.targets.kubernetes.context import TARGET_NAME, Context, controller_kind
from translator.targets.kubernetes.keys import KEYS
from translator.targets.kubernetes.meta import object_meta, pod_metadata, shared_meta, workload_meta
from translator.targets.kubernetes.names import assign_names, dns_name, selector_labels
from translator.targets.kubernetes.network import (
    ingress_values,
    network_losses,
    network_policies,
    published_policy,
    service_values,
)
from translator.targets.kubernetes.objects import file_objects
from translator.targets.kubernetes.pod import pod_spec
from translator.targets.kubernetes.volumes import claim_name, pod_volumes
from translator.targets.kubernetes.workloads import claim_spec, workload_spec
from translator.templating import Templates

# Apply order: what others reference comes first.
KIND_ORDER = (
    "Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service",
    "Deployment", "DaemonSet", "StatefulSet", "Job", "Ingress", "NetworkPolicy",
)


@dataclass
class _Output:
    templates: Templates
    documents: list[Document] = field(default_factory=list)
    # The compose entry the next objects come from (services.web, volumes.data): a failed
    # object check is reported there, so validate can give its compose line.
    origin: ErrorPath = ()

    def add(self, kind: str, name: str, sensitive: bool = False, **values: Any) -> None:
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
        return sorted(self.documents, key=lambda d: (KIND_ORDER.index(d.kind), d.name))


def _at_origin(err: TranslatorError, origin: ErrorPath) -> TranslatorError:
    """``err`` about an object (``Deployment.web.spec...``) moved to the compose entry the
    object comes from, keeping the object path in the message."""
    if not origin:
        return err
    return TranslatorError([
        replace(d, path=origin, message=f"{format_path(d.path)}: {d.message}")
        for d in err.diagnostics
    ])


class KubernetesTarget:
    name = TARGET_NAME
    description = "Kubernetes manifests (apps/v1 workloads, Services, Ingresses, PVCs)"
    options = (
        TargetOption("network_policies", "Emit NetworkPolicy objects for networks."),
        TargetOption("create_namespace", "Emit the Namespace object.",
                     commands=("convert", "deploy")),
    )

    def render(
        self, plan: Plan, options: RenderOptions, templates: Templates, diagnostics: Diagnostics
    ) -> list[Document]:
        ctx = Context(plan=plan, options=options, diagnostics=diagnostics)
        ctx.names = assign_names(set(plan.project.services) | set(plan.services), "services")
        # metadata.namespace only when the environment names one or we create it: otherwise
        # `kubectl apply -n X` decides, and the manifests never point at a missing namespace.
        explicit = plan.environment.namespace is not None or bool(options.flag("create_namespace"))
        ctx.namespace = dns_name(plan.namespace) if explicit else None
        out = _Output(templates)
        if options.flag("create_namespace") and ctx.namespace:
            meta = shared_meta(ctx, ctx.namespace)
            meta.pop("namespace", None)  # a Namespace is cluster-scoped
            out.add("Namespace", ctx.namespace, metadata=meta)
        claims: dict[str, list[PlannedService]] = {}
        for key in sorted(plan.services):
            _render_service(ctx, plan.services[key], out, claims)
        for volume in sorted(claims):
            _render_claim(ctx, volume, claims[volume], out)
        out.origin = ()
        for kind, name, data, sensitive in file_objects(ctx):
            out.add(kind, name, sensitive=sensitive, metadata=shared_meta(ctx, name), data=data)
        for name, spec in network_policies(ctx).items():
            out.add("NetworkPolicy", name, metadata=shared_meta(ctx, name), spec=spec)
        return out.ordered()


def _render_service(
    ctx: Context, planned: PlannedService, out: _Output, claims: dict[str, list[PlannedService]]
) -> None:
    diagnose_keys(TARGET_NAME, planned.name, planned.service.source_keys, KEYS, ctx.diagnostics)
    out.origin = ("services", planned.name)
    _warn_links(ctx, planned)
    port_losses(ctx, planned)
    network_losses(ctx, planned)
    name = ctx.name_of(planned.name)
    kind = controller_kind(ctx, planned)
    volumes = pod_volumes(ctx, planned, stateful=kind == "StatefulSet")
    selector = selector_labels(name, ctx.plan.project.name)
    meta = object_meta(ctx, planned)
    template = {"metadata": pod_metadata(ctx, planned, meta),
                "spec": pod_spec(ctx, planned, volumes, selector)}
    spec = workload_spec(ctx, planned, kind, selector, template)
    if kind == "StatefulSet" and volumes.claims:
        spec["volumeClaimTemplates"] = [
            {"metadata": {"name": claim_name(ctx, v)}, "spec": claim_spec(ctx, v, [planned])}
            for v in volumes.claims
        ]
    else:
        for volume in volumes.claims:
            claims.setdefault(volume, []).append(planned)
    out.add(kind, name, metadata=workload_meta(ctx, planned, meta), spec=spec)
    service = service_values(ctx, planned)
    if service is not None:
        out.add("Service", name, metadata=meta, spec=service, selector=selector)
    ingress = ingress_values(ctx, planned)
    if ingress is not None:
        out.add("Ingress", name, metadata=meta, spec=ingress)
    policy = published_policy(ctx, planned)
    if policy is not None:
        out.add("NetworkPolicy", name, metadata=meta,
                spec={"podSelector": {"matchLabels": selector}, **policy})
    for map_name, data in env_file_maps(ctx, planned):
        out.add("ConfigMap", map_name, metadata={**meta, "name": map_name}, data=data)


def _render_claim(
    ctx: Context, volume: str, users: list[PlannedService], out: _Output
) -> None:
    declared = ctx.plan.project.volumes.get(volume)
    if declared is not None and declared.external:
        return  # an external volume is an existing claim, referenced by name
    name = claim_name(ctx, volume)
    if declared is not None and declared.driver not in (None, "local"):
        ctx.warn(users[0].name, "volumes", f"volume {volume} driver {declared.driver!r} is "
                 "replaced by the cluster's storage class")
    out.origin = ("volumes", volume)
    out.add("PersistentVolumeClaim", name, metadata=shared_meta(ctx, name),
            spec=claim_spec(ctx, volume, users))


def _warn_links(ctx: Context, planned: PlannedService) -> None:
    for link in planned.service.links:
        service, sep, alias = link.partition(":")
        if sep and alias != service:
            ctx.warn(planned.name, "links", f"link alias {alias!r} for {service} is not "
                     "created; the Service is reachable as "
                     f"{ctx.names.get(service, dns_name(service))!r}")


TARGET = KubernetesTarget()
