"""The Kubernetes target: a resolved plan -> Namespace, ConfigMaps, Secrets, PVCs,
Services, workloads, Ingresses and NetworkPolicies.

The key tables (:mod:`.keys`) hold the handler of every compose key and environment
setting; the handlers fill each service's template values and the templates
(``templates/kubernetes/<kind>.yaml.j2``) carry the documents (:mod:`.render`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from translator.errors import Diagnostic, Diagnostics, Severity, quote
from translator.model import Plan, PlannedService
from translator.targets.base import (
    Document,
    KeyEntry,
    OutputFormat,
    RenderOptions,
    Target,
    TargetOption,
)
from translator.targets.kubernetes.context import TARGET_NAME, Context
from translator.targets.kubernetes.grouping import pod_groups
from translator.targets.kubernetes.keys import KEYS as KEY_TABLE
from translator.targets.kubernetes.keys import LABELS, SETTINGS
from translator.targets.kubernetes.meta import shared_meta
from translator.targets.kubernetes.names import assign_names, dns_name, is_cut
from translator.targets.kubernetes.render import (
    Output,
    render_claim,
    render_service,
    render_shared,
)

if TYPE_CHECKING:
    # Only a type here: importing the templating module loads Jinja, which `--help`
    # (it imports the targets for their flags) must not.
    from translator.templating import Templates


class KubernetesTarget(Target):
    name: ClassVar[str] = TARGET_NAME
    aliases: ClassVar[tuple[str, ...]] = ("k8s",)
    default_format: ClassVar[OutputFormat] = "yaml"
    layout: ClassVar[str] = "one <kind>-<name>.yaml file per object"
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption("network_policies", "Emit NetworkPolicy objects for networks."),
        TargetOption("create_namespace", "Emit the Namespace object.",
                     commands=("convert", "deploy")),
    )
    keys: ClassVar[Mapping[str, KeyEntry]] = KEY_TABLE
    settings: ClassVar[Mapping[str, KeyEntry]] = SETTINGS
    labels: ClassVar[Mapping[str, KeyEntry]] = LABELS
    title = "Kubernetes"

    def object_name(self, kind: str, name: str) -> str | None:
        """Services, volumes, secrets and configs become DNS labels (RFC 1123)."""
        return dns_name(name) if kind in ("services", "volumes", "secrets", "configs") else None

    def render(
        self, plan: Plan, options: RenderOptions, templates: Templates, diagnostics: Diagnostics
    ) -> list[Document]:
        ctx = Context(plan=plan, options=options, diagnostics=diagnostics, target=self)
        ctx.names = assign_names(set(plan.project.services) | set(plan.services), "services")
        _report_cut_names(plan, ctx.names, diagnostics)
        # metadata.namespace only when the environment names one or we create it: otherwise
        # `kubectl apply -n X` decides, and the manifests never point at a missing namespace.
        explicit = plan.environment.namespace is not None or bool(options.flag("create_namespace"))
        ctx.namespace = dns_name(plan.namespace) if explicit else None
        out = Output(templates)
        if options.flag("create_namespace") and ctx.namespace:
            out.add("Namespace", ctx.namespace, shared_meta(ctx, ctx.namespace))
        elif ctx.namespace:
            diagnostics.add(_namespace_note(ctx.namespace))
        claims: dict[str, list[PlannedService]] = {}
        groups = pod_groups(ctx)
        ctx.pods = {m: host for host, names in groups.items() for m in names}
        members = set(ctx.pods)
        for key in sorted(set(plan.services) - members):
            render_service(ctx, plan.services[key], out, claims,
                           [plan.services[m] for m in groups.get(key, [])])
        for volume in sorted(claims):
            render_claim(ctx, volume, claims[volume], out)
        render_shared(ctx, out)
        return out.ordered()


def _report_cut_names(plan: Plan, names: dict[str, str], diagnostics: Diagnostics) -> None:
    """A service name past 63 characters is cut to a DNS label that ends in a hash."""
    for service in plan.services:
        if is_cut(service):
            diagnostics.warn(
                f"service name {quote(service)} is cut to the {len(names[service])}-character "
                f"Kubernetes name {names[service]}", ("services", service),
                code="kubernetes.renamed", service=service, target="kubernetes",
            )


def _namespace_note(namespace: str) -> Diagnostic:
    """Objects name a namespace the manifests do not create: on a fresh cluster ``kubectl
    apply`` fails with "namespaces ... not found" until it exists. Said once per render."""
    return Diagnostic(
        Severity.INFO,
        f"the objects are placed in namespace {namespace!r}, which these manifests do not "
        "create",
        ("environment", "namespace"),
        code=f"{TARGET_NAME}.info",
        target=TARGET_NAME,
        hint=f"create it before deploying with kubectl create namespace {namespace}, or render "
             "with --create-namespace",
    )


TARGET = KubernetesTarget()

