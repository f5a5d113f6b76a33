"""Hypothesis strategies for environments over the helper project (``make_project``)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from translator.model import (
    Constraint,
    Environment,
    Exposure,
    Resources,
    ResourceSpec,
    RestartPolicy,
    ServiceSettings,
    Storage,
    UpdateConfig,
)

MI = 1024**2
SECOND = 10**9


def partial(model: Any, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Instances of ``model`` with a random subset of ``fields`` set (the rest unset)."""
    return st.fixed_dictionaries({}, optional=fields).map(lambda kw: model(**kw))


constraints = st.lists(
    st.builds(
        Constraint,
        key=st.sampled_from(["node.role", "node.labels.zone", "node.hostname"]),
        op=st.sampled_from(["==", "!="]),
        value=st.sampled_from(["manager", "eu-1", "db-1"]),
    ),
    max_size=2,
).map(tuple)
resource_spec = partial(
    ResourceSpec,
    cpus=st.sampled_from([0.25, 0.5, 1.0, 2.0]),
    memory=st.sampled_from([128 * MI, 512 * MI, 1024 * MI]),
)
resources = partial(Resources, limits=resource_spec, reservations=resource_spec)
durations = st.sampled_from([SECOND, 5 * SECOND, 60 * SECOND])
update_config = partial(
    UpdateConfig,
    parallelism=st.integers(1, 3),
    delay=durations,
    order=st.sampled_from(["start-first", "stop-first"]),
)
restart_policy = partial(
    RestartPolicy,
    condition=st.sampled_from(["none", "on-failure", "any"]),
    delay=durations,
    max_attempts=st.integers(0, 5),
)
exposure = partial(
    Exposure,
    type=st.sampled_from(["internal", "node-port", "load-balancer", "ingress"]),
    host=st.sampled_from(["a.example.com", "b.example.com"]),
    tls_secret=st.sampled_from(["tls-a", "tls-b"]),
)
small_dict = st.dictionaries(st.sampled_from(["tier", "team"]), st.sampled_from(["x", "y"]),
                             max_size=2)
settings = partial(
    ServiceSettings,
    replicas=st.integers(0, 5),
    mode=st.sampled_from(["replicated", "global"]),
    strategy=st.sampled_from(["spread", "binpack"]),
    constraints=constraints,
    max_replicas_per_node=st.integers(1, 3),
    resources=resources,
    restart_policy=restart_policy,
    update_config=update_config,
    exposure=exposure,
    stateful=st.booleans(),
    readiness_probe=st.booleans(),
    labels=small_dict,
    annotations=small_dict,
)
storage = partial(
    Storage,
    size=st.sampled_from([MI * 1024, MI * 5120]),
    storage_class=st.sampled_from(["standard", "fast"]),
)


def environments(services: list[str], volumes: list[str]) -> st.SearchStrategy[Environment]:
    return partial(
        Environment,
        name=st.sampled_from(["local", "uat", "production"]),
        platform=st.sampled_from(["kubernetes", "swarm", "marathon"]),
        namespace=st.sampled_from(["shop", "shop-uat"]),
        production=st.booleans(),
        spread_key=st.sampled_from(["node.hostname", "node.labels.zone"]),
        defaults=settings,
        services=st.dictionaries(st.sampled_from(services), settings, max_size=3),
        volume_defaults=storage,
        volumes=st.dictionaries(st.sampled_from(volumes), storage, max_size=2),
        labels=small_dict,
    )
