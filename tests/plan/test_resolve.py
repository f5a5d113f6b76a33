from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_helpers import make_project
from plan_strategies import environments

from translator.errors import TranslatorError
from translator.model import (
    Constraint,
    Environment,
    Exposure,
    Project,
    Resources,
    ResourceSpec,
    RestartPolicy,
    ServiceSettings,
    Storage,
    UpdateConfig,
    parse_reference,
)
from translator.plan.resolve import overlay, resolve_plan

PROJECT = make_project()
SERVICES = list(PROJECT.services)
VOLUMES = list(PROJECT.volumes)
ENVIRONMENTS = environments(SERVICES, VOLUMES)
GI = 1024**3
LOCAL = Environment()
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# ---- artifacts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("artifacts", "images", "only", "version", "expected"),
    [
        ({}, {}, None, None, "registry.example.com/shop/returns:1.0.0"),
        ({"returns": "ci.io/returns:7"}, {}, None, None, "ci.io/returns:7"),
        ({"returns": "ci.io/returns:7"}, {"returns": "cli.io/r:9"}, None, None, "cli.io/r:9"),
        ({"returns": "ci.io/returns:7"}, {}, ["returns"], "v456", "ci.io/returns:v456"),
        ({}, {"returns": "cli.io/r:9"}, ["returns"], "sha256:" + "0" * 64,
         "cli.io/r@sha256:" + "0" * 64),
        ({}, {}, ["returns"], None, "registry.example.com/shop/returns:1.0.0"),
    ],
)
def test_artifact_precedence(
    artifacts: dict[str, str], images: dict[str, str], only: list[str] | None,
    version: str | None, expected: str,
) -> None:
    plan = resolve_plan(
        PROJECT, LOCAL,
        artifacts={k: parse_reference(v) for k, v in artifacts.items()},
        images={k: parse_reference(v) for k, v in images.items()},
        only=only, version=version,
    )
    assert plan.services["returns"].service.image == expected


def test_version_applies_only_to_the_deployed_service() -> None:
    plan = resolve_plan(PROJECT, LOCAL, only=["returns", "db"], version="v2")
    assert [p.service.image for p in plan.services.values()] == [
        "registry.example.com/shop/returns:v2", "postgres:v2",
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"version": "v1"}, "give the service to deploy"),
        ({"only": ["returns"], "version": "-x"}, "invalid version"),
        ({"only": ["billing"]}, "unknown service 'billing': the project defines accounts"),
        ({"images": {"billing": parse_reference("x:1")}}, "--image names unknown service"),
        ({"artifacts": {"nope": parse_reference("x:1")}}, "artifacts names unknown service"),
    ],
)
def test_bad_resolution_requests(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(TranslatorError, match=match):
        resolve_plan(PROJECT, LOCAL, **kwargs)  # type: ignore[arg-type]


def test_environment_naming_unknown_service_or_volume_is_an_error() -> None:
    for env, match in [
        (Environment(services={"ghost": ServiceSettings()}), "unknown service 'ghost'"),
        (Environment(volumes={"ghost": Storage()}), "unknown volume 'ghost'"),
    ]:
        with pytest.raises(TranslatorError, match=match):
            resolve_plan(PROJECT, env)


def test_build_only_service_needs_an_artifact() -> None:
    project = make_project(build_only=("worker",))
    with pytest.raises(TranslatorError, match="'worker' has only build:") as info:
        resolve_plan(project, LOCAL)
    assert "translator pin worker" in str(info.value)
    lenient = resolve_plan(project, LOCAL, require_artifacts=False)
    assert lenient.services["worker"].service.artifact is None
    # Rendering another service alone does not need the worker's artifact.
    assert resolve_plan(project, LOCAL, only=["returns"]).services.keys() == {"returns"}
    given_one = {"worker": parse_reference("ci.io/worker:abc")}
    plan = resolve_plan(project, LOCAL, artifacts=given_one)
    assert plan.services["worker"].service.image == "ci.io/worker:abc"
    with pytest.raises(TranslatorError, match="no image, so version 'v1' has no repository"):
        resolve_plan(project, LOCAL, only=["worker"], version="v1")


# ---- topology overlay -----------------------------------------------------------------------

APP = Constraint(key="node.labels.role", op="==", value="app")
DB = Constraint(key="node.labels.role", op="==", value="database")


@pytest.mark.parametrize(
    ("defaults", "service", "check"),
    [
        # Nothing set: compose's deploy stays as written.
        (ServiceSettings(), ServiceSettings(),
         lambda t: t == PROJECT.services["db"].topology),
        (ServiceSettings(replicas=3), ServiceSettings(), lambda t: t.replicas == 3),
        (ServiceSettings(replicas=3), ServiceSettings(replicas=1), lambda t: t.replicas == 1),
        (ServiceSettings(constraints=(APP,)), ServiceSettings(),
         lambda t: t.placement.constraints == (APP,)),
        (ServiceSettings(constraints=(APP,)), ServiceSettings(constraints=(DB,)),
         lambda t: t.placement.constraints == (DB,)),
        # Field by field: memory from the environment, cpus still from compose.
        (ServiceSettings(resources=Resources(limits=ResourceSpec(memory=2 * GI))),
         ServiceSettings(),
         lambda t: t.resources.limits == ResourceSpec(cpus=1.0, memory=2 * GI)),
        (ServiceSettings(restart_policy=RestartPolicy(delay=5)), ServiceSettings(),
         lambda t: t.restart_policy == RestartPolicy(condition="on-failure", max_attempts=3,
                                                     delay=5)),
        (ServiceSettings(update_config=UpdateConfig(order="start-first")),
         ServiceSettings(update_config=UpdateConfig(parallelism=2)),
         lambda t: t.update_config == UpdateConfig(order="start-first", parallelism=2)),
        (ServiceSettings(strategy="spread"), ServiceSettings(),
         lambda t: (t.placement.strategy, t.placement.spread_over)
         == ("spread", ("node.labels.zone",))),
        (ServiceSettings(strategy="spread"), ServiceSettings(strategy="binpack"),
         lambda t: (t.placement.strategy, t.placement.spread_over) == ("binpack", ())),
        (ServiceSettings(mode="global", max_replicas_per_node=1), ServiceSettings(),
         lambda t: (t.mode, t.placement.max_replicas_per_node) == ("global", 1)),
    ],
)
def test_topology_overlay(
    defaults: ServiceSettings, service: ServiceSettings, check: object
) -> None:
    env = Environment(spread_key="node.labels.zone", defaults=defaults, services={"db": service})
    topology = resolve_plan(PROJECT, env).services["db"].topology
    assert callable(check) and check(topology), topology


def test_exposure_stateful_labels_overlay() -> None:
    env = Environment(
        defaults=ServiceSettings(exposure=Exposure(type="node-port"), labels={"a": "1", "b": "1"},
                                 readiness_probe=True),
        services={"customer-service": ServiceSettings(
            exposure=Exposure(type="ingress", host="shop.example.com"), labels={"b": "2"},
            stateful=True, annotations={"x": "y"},
        )},
    )
    plan = resolve_plan(PROJECT, env)
    cs, other = plan.services["customer-service"], plan.services["accounts"]
    assert cs.exposure == Exposure(type="ingress", host="shop.example.com")
    assert other.exposure == Exposure(type="node-port")
    assert (cs.labels, other.labels) == ({"a": "1", "b": "2"}, {"a": "1", "b": "1"})
    assert (cs.stateful, other.stateful) == (True, False)
    assert cs.annotations == {"x": "y"} and other.annotations == {}
    assert cs.readiness_probe and other.readiness_probe


def test_storage_for_every_named_volume() -> None:
    env = Environment(volume_defaults=Storage(size=GI, storage_class="standard"),
                      volumes={"db-data": Storage(size=50 * GI)})
    assert resolve_plan(PROJECT, env).storage == {
        "db-data": Storage(size=50 * GI, storage_class="standard"),
        "cache": Storage(size=GI, storage_class="standard"),
    }
    assert resolve_plan(PROJECT, LOCAL).storage == {"db-data": Storage(), "cache": Storage()}


def test_only_keeps_the_whole_project_and_project_order() -> None:
    plan = resolve_plan(PROJECT, LOCAL, only=["db", "accounts"])
    assert list(plan.services) == ["accounts", "db"]
    assert plan.project == PROJECT


def test_overlay_keeps_unset_fields() -> None:
    base = RestartPolicy(condition="on-failure", max_attempts=3)
    assert overlay(base, RestartPolicy(delay=7)) == RestartPolicy(
        condition="on-failure", max_attempts=3, delay=7
    )
    assert overlay(base, RestartPolicy(condition="any")).condition == "any"


# ---- invariants -----------------------------------------------------------------------------


@HYPOTHESIS
@given(ENVIRONMENTS, st.sampled_from(SERVICES), st.from_regex(r"v[0-9]{1,3}", fullmatch=True))
def test_changing_one_version_changes_only_that_artifact(
    env: Environment, service: str, version: str
) -> None:
    before = resolve_plan(PROJECT, env)
    artifact = before.services[service].service.artifact
    assert artifact is not None
    after = resolve_plan(PROJECT, env, images={service: artifact.with_version(version)})
    for name in SERVICES:
        if name != service:
            assert after.services[name] == before.services[name]
    changed, was = after.services[service], before.services[service]
    assert changed.service.artifact == artifact.with_version(version)
    assert changed.model_copy(update={"service": was.service}) == was
    assert changed.service.model_copy(update={"artifact": artifact}) == was.service


@HYPOTHESIS
@given(ENVIRONMENTS, ENVIRONMENTS)
def test_the_same_artifact_in_every_environment(a: Environment, b: Environment) -> None:
    pinned = {"returns": parse_reference("ci.io/returns@sha256:" + "1" * 64)}
    plan_a = resolve_plan(PROJECT, a, artifacts=pinned)
    plan_b = resolve_plan(PROJECT, b, artifacts=pinned)
    for name in SERVICES:
        # The whole compose service, artifact included, is untouched by the environment.
        assert plan_a.services[name].service == plan_b.services[name].service


@HYPOTHESIS
@given(ENVIRONMENTS, st.lists(st.sampled_from(SERVICES), min_size=1, unique=True),
       st.none() | st.just("v9"))
def test_only_gives_exactly_the_full_plans_services(
    env: Environment, only: list[str], version: str | None
) -> None:
    full = resolve_plan(PROJECT, env)
    part = resolve_plan(PROJECT, env, only=only)
    assert part.services == {n: full.services[n] for n in SERVICES if n in only}
    assert (part.project, part.environment, part.storage) == (
        full.project, full.environment, full.storage,
    )
    if version is not None:
        deployed = resolve_plan(PROJECT, env, only=only[:1], version=version)
        artifact = full.services[only[0]].service.artifact
        assert artifact is not None
        images = {only[0]: artifact.with_version(version)}
        assert deployed.services == {
            only[0]: resolve_plan(PROJECT, env, images=images).services[only[0]]
        }


def test_project_fixture_matches_module_project(project: Project) -> None:
    assert project == PROJECT


@pytest.mark.parametrize(
    ("compose_mode", "env_mode", "own_replicas", "expected"),
    [
        ("global", None, None, None),  # compose global: the default count does not apply
        ("replicated", "global", None, None),  # environment makes it global
        ("replicated", "global", 3, 3),  # its own count is kept (renderers refuse it)
        ("replicated", None, None, 2),  # replicated: the default applies
    ],
)
def test_default_replicas_do_not_apply_to_global_services(
    compose_mode: str, env_mode: str | None, own_replicas: int | None, expected: int | None
) -> None:
    from translator.model import Service, Topology

    web = Service(
        name="web",
        artifact=parse_reference("nginx:1"),
        topology=Topology(mode=compose_mode),  # type: ignore[arg-type]
    )
    project = Project(name="p", services={"web": web})
    env = Environment(
        name="e",
        defaults=ServiceSettings(replicas=2),
        services={"web": ServiceSettings(mode=env_mode, replicas=own_replicas)},  # type: ignore[arg-type]
    )
    assert resolve_plan(project, env).services["web"].topology.replicas == expected
