"""Plan resolution: project + artifacts + environment -> the one input of every renderer.

The artifact comes from compose ``image:`` < artifacts file < ``--image`` (and a
deploy ``version``); the topology is compose ``deploy:`` < environment
``defaults`` < environment ``services[name]``, overlaid field by field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from translator.errors import Diagnostic, Severity, TranslatorError
from translator.model import (
    Artifact,
    Environment,
    Exposure,
    ImageReferenceError,
    Placement,
    Plan,
    PlannedService,
    Project,
    Service,
    ServiceSettings,
    Storage,
    Topology,
)
from translator.model.base import Frozen

M = TypeVar("M", bound=Frozen)
_NONE: Mapping[str, Artifact] = {}
# Shared unset defaults (all fields immutable): one instance instead of one per service
# or volume, which costs a validation each.
_NO_EXPOSURE = Exposure()
_NO_STORAGE = Storage()


def overlay(base: M, top: M) -> M:
    """``base`` with every field ``top`` set explicitly; nested models merge recursively."""
    updates: dict[str, object] = {}
    for name in top.model_fields_set:
        value, under = getattr(top, name), getattr(base, name)
        if isinstance(value, Frozen) and isinstance(under, type(value)):
            value = overlay(under, value)
        updates[name] = value
    return base.model_copy(update=updates)


def resolve_plan(
    project: Project,
    environment: Environment,
    *,
    artifacts: Mapping[str, Artifact] = _NONE,
    images: Mapping[str, Artifact] = _NONE,
    only: Sequence[str] | None = None,
    version: str | None = None,
    require_artifacts: bool = True,
) -> Plan:
    """The plan of ``only`` (default: every service) of ``project`` in ``environment``.

    ``version`` (``translator deploy SERVICE VERSION``) sets the tag or digest of
    the ``only`` services. The plan keeps the whole project so that renderers
    can find the networks, volumes, secrets and configs the services use.
    """
    _check_names(project, environment, artifacts, images)
    selected = _select(project, only)
    if version is not None and only is None:
        raise TranslatorError.at(
            "a version applies to named services: give the service to deploy",
            code="version-without-service",
        )
    versioned = set(selected) if version is not None else set()
    planned: dict[str, PlannedService] = {}
    missing: list[str] = []
    for name in selected:
        service = project.services[name]
        artifact = _artifact(service, artifacts, images, version if name in versioned else None)
        if artifact is None and require_artifacts:
            missing.append(name)
        if artifact is not None and artifact != service.artifact:
            service = service.model_copy(update={"artifact": artifact})
        planned[name] = plan_service(service, environment)
    if missing:
        raise _missing_artifacts(missing)
    return Plan(
        project=project, environment=environment, services=planned,
        storage=plan_storage(project, environment),
    )


def plan_storage(project: Project, environment: Environment) -> dict[str, Storage]:
    """Every named volume's storage: ``volume_defaults`` overlaid by ``volumes[name]``."""
    return {
        name: overlay(environment.volume_defaults, environment.volumes.get(name, _NO_STORAGE))
        for name in project.volumes
    }


def _select(project: Project, only: Sequence[str] | None) -> list[str]:
    if only is None:
        return list(project.services)
    unknown = [n for n in only if n not in project.services]
    if unknown:
        raise TranslatorError.at(
            f"unknown service {', '.join(map(repr, unknown))}: the project defines "
            + (", ".join(project.services) or "no services"),
            code="unknown-service",
        )
    # Project order, so a plan of some services lists them as the full plan does.
    return [n for n in project.services if n in set(only)]


def _artifact(
    service: Service,
    artifacts: Mapping[str, Artifact],
    images: Mapping[str, Artifact],
    version: str | None,
) -> Artifact | None:
    artifact = images.get(service.name) or artifacts.get(service.name) or service.artifact
    if version is None:
        return artifact
    if artifact is None:
        raise TranslatorError.at(
            f"service {service.name!r} has no image, so version {version!r} has no repository: "
            f"pin a full reference (translator pin {service.name} registry/name:{version})",
            code="no-repository",
        )
    try:
        return artifact.with_version(version)
    except ImageReferenceError as err:
        raise TranslatorError.at(str(err), code="image-reference") from None


# Settings a later layer replaces as a whole (the service's own over the defaults).
_WHOLE = ("schedule", "autoscale", "pod", "service_account")


def plan_service(service: Service, environment: Environment) -> PlannedService:
    """One service laid out in ``environment``: its settings over its compose ``deploy:``."""
    layers = [environment.defaults]
    if service.name in environment.services:
        layers.append(environment.services[service.name])
    topology, exposure = service.topology, _NO_EXPOSURE
    stateful = readiness = False
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    service_annotations: dict[str, str] = {}
    chosen: dict[str, Any] = {}
    for settings in layers:
        topology = apply_settings(topology, settings, environment.spread_key)
        if settings.exposure is not None:
            exposure = overlay(exposure, settings.exposure)
        stateful = stateful if settings.stateful is None else settings.stateful
        readiness = readiness if settings.readiness_probe is None else settings.readiness_probe
        labels.update(settings.labels)
        annotations.update(settings.annotations)
        service_annotations.update(settings.service_annotations)
        chosen.update({name: getattr(settings, name) for name in _WHOLE
                       if getattr(settings, name) is not None})
    own = environment.services.get(service.name)
    if topology.mode in ("global", "global-job") and (own is None or own.replicas is None):
        # A default replica count is for replicated services; a global service runs one
        # task per node. Only a count set for this very service is kept (and refused later).
        topology = topology.model_copy(update={"replicas": service.topology.replicas})
    return PlannedService(
        service=service, topology=topology, exposure=exposure, stateful=stateful,
        readiness_probe=readiness, labels=labels, annotations=annotations,
        service_annotations=service_annotations, **chosen,
    )


def apply_settings(topology: Topology, settings: ServiceSettings, spread_key: str) -> Topology:
    """``topology`` with the fields ``settings`` gives (None means "not set")."""
    updates: dict[str, object] = {}
    for name in ("replicas", "mode"):
        if getattr(settings, name) is not None:
            updates[name] = getattr(settings, name)
    for name in ("resources", "restart_policy", "update_config"):
        value, under = getattr(settings, name), getattr(topology, name)
        if value is not None:
            updates[name] = value if under is None else overlay(under, value)
    updates["placement"] = _placement(topology.placement, settings, spread_key)
    return topology.model_copy(update=updates)


def _placement(placement: Placement, settings: ServiceSettings, spread_key: str) -> Placement:
    updates: dict[str, object] = {}
    if settings.constraints is not None:
        # The environment's constraints replace compose's: it knows the machines.
        updates["constraints"] = settings.constraints
    if settings.max_replicas_per_node is not None:
        updates["max_replicas_per_node"] = settings.max_replicas_per_node
    if settings.strategy is not None:
        updates["strategy"] = settings.strategy
        # spread: over the environment's spread key (a Swarm placement preference);
        # binpack: no spreading at all.
        spreading = settings.strategy == "spread"
        updates["spread_over"] = (placement.spread_over or (spread_key,)) if spreading else ()
    return placement.model_copy(update=updates) if updates else placement


def _check_names(
    project: Project,
    environment: Environment,
    artifacts: Mapping[str, Artifact],
    images: Mapping[str, Artifact],
) -> None:
    for what, names in (
        (f"environment {environment.name!r}", environment.services),
        ("the artifacts", artifacts),
        ("--image", images),
    ):
        unknown = [n for n in names if n not in project.services]
        if unknown:
            raise TranslatorError.at(
                f"{what} names unknown service {', '.join(map(repr, unknown))}: the project "
                f"defines {', '.join(project.services) or 'no services'}",
                code="unknown-service",
            )
    extra = [n for n in environment.volumes if n not in project.volumes]
    if extra:
        raise TranslatorError.at(
            f"environment {environment.name!r} sizes unknown volume "
            f"{', '.join(map(repr, extra))}: the project declares "
            f"{', '.join(project.volumes) or 'no named volumes'}",
            code="unknown-volume",
        )


def _missing_artifacts(names: list[str]) -> TranslatorError:
    """One error per build-only service, each at its own service."""
    return TranslatorError([
        Diagnostic(
            Severity.ERROR,
            f"service {name!r} has only build: and no artifact; every target needs an image",
            ("services", name),
            code="no-artifact",
            hint=f"add it to artifacts.yaml, run `translator pin {name} REGISTRY/NAME:TAG`, "
            f"or pass --image {name}=REGISTRY/NAME:TAG",
        )
        for name in names
    ])
