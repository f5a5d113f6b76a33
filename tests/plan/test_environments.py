from __future__ import annotations

import json
from pathlib import Path

import pytest
from plan_helpers import REPO, SHOP_SERVICES, write

from translator import targets
from translator.errors import TranslatorError
from translator.model import Constraint, Environment, Exposure, Storage
from translator.plan.envfile import ARTIFACT_HINT
from translator.plan.environments import (
    environment_json_schema,
    environments_dir,
    list_environments,
    load_environment,
)

SERVICES = (*SHOP_SERVICES, "db")


def load(env_dir: Path, text: str, name: str = "prod") -> Environment:
    write(env_dir, f"{name}.yaml", text)
    return load_environment(name, env_dir, SERVICES, volumes=("db-data",))


def error(env_dir: Path, text: str) -> TranslatorError:
    with pytest.raises(TranslatorError) as info:
        load(env_dir, text)
    return info.value


@pytest.mark.parametrize(
    ("compose", "override", "expected"),
    [
        (Path("/p/app/compose.yaml"), None, Path("/p/app/environments")),
        (Path("/p/app/compose.yaml"), Path("/elsewhere"), Path("/elsewhere")),
        (None, Path("envs"), Path("envs")),
    ],
)
def test_environments_dir(compose: Path | None, override: Path | None, expected: Path) -> None:
    assert environments_dir(compose, override) == expected


def test_list_environments_sorted_yaml_and_yml(env_dir: Path) -> None:
    for name in ("prod.yaml", "uat.yml", "local.yaml", "notes.txt", ".hidden.yaml"):
        (env_dir / name).write_text("{}\n")
    assert list_environments(env_dir) == ["local", "prod", "uat"]
    assert list_environments(env_dir / "missing") == []


def test_local_is_implied_without_a_file(env_dir: Path) -> None:
    assert load_environment("local", env_dir, SERVICES) == Environment(name="local")


def test_unknown_environment_lists_known_ones(env_dir: Path) -> None:
    write(env_dir, "uat.yaml", "{}")
    write(env_dir, "production.yml", "{}")
    with pytest.raises(TranslatorError, match="known environments are local, production, uat"):
        load_environment("staging", env_dir, SERVICES)


@pytest.mark.parametrize("name", ["../secrets", "/etc/passwd", ""])
def test_environment_names_are_not_paths(env_dir: Path, name: str) -> None:
    with pytest.raises(TranslatorError, match="unknown environment"):
        load_environment(name, env_dir, SERVICES)


def test_full_file_converts_to_semantic_units(env_dir: Path) -> None:
    env = load(env_dir, """
        platform: swarm
        namespace: shop
        production: true
        spread_key: node.labels.zone
        labels: {team: shop}
        defaults:
          replicas: 3
          strategy: spread
          constraints: ["node.labels.role == app"]
          resources:
            limits: {cpus: 0.5, memory: 512M}
            reservations: {cpus: "500m", memory: 256Mi}
          update_config: {parallelism: 1, delay: 10s, order: start-first}
          restart_policy: {condition: on-failure, window: 2m}
        services:
          db:
            mode: global
            exposure: {type: ingress, host: shop.example.com, tls_secret: tls}
            stateful: true
        volume_defaults: {size: 1Gi, storage_class: standard}
        volumes:
          db-data: {size: 50Gi}
        """)
    assert (env.name, env.platform, env.namespace) == ("prod", "swarm", "shop")
    assert env.production is True
    assert env.defaults.constraints == (Constraint(key="node.labels.role", op="==", value="app"),)
    assert env.defaults.resources is not None
    assert env.defaults.resources.limits.memory == 512 * 1024**2
    assert env.defaults.resources.reservations.cpus == 0.5
    assert env.defaults.update_config is not None
    assert env.defaults.update_config.delay == 10 * 10**9
    assert env.defaults.restart_policy is not None
    assert env.defaults.restart_policy.window == 120 * 10**9
    assert env.services["db"].exposure == Exposure(
        type="ingress", host="shop.example.com", tls_secret="tls"
    )
    assert env.volumes["db-data"] == Storage(size=50 * 1024**3)
    assert env.volume_defaults == Storage(size=1024**3, storage_class="standard")


def test_unset_fields_stay_unset_for_the_overlay(env_dir: Path) -> None:
    env = load(env_dir, "defaults: {restart_policy: {delay: 5s}, resources: {limits: {cpus: 1}}}")
    assert env.defaults.restart_policy is not None
    assert env.defaults.restart_policy.model_fields_set == {"delay"}
    assert env.defaults.resources is not None
    assert env.defaults.resources.model_fields_set == {"limits"}


def test_empty_file_is_all_defaults(env_dir: Path) -> None:
    env = load(env_dir, "# nothing yet\n")
    # The environment keeps where its file is, for diagnostics; its settings are the defaults.
    assert env.source is not None and env.source.file.endswith("prod.yaml")
    assert env.model_dump() == Environment(name="prod").model_dump()


@pytest.mark.parametrize(
    ("text", "path", "line", "match"),
    [
        ("services:\n  dbx: {replicas: 1}\n", ("services", "dbx"), 2, "unknown service 'dbx'"),
        ("defaults:\n  strategy: spreadd\n", ("defaults", "strategy"), 2, "'spread' or 'binpack'"),
        ("services:\n  db:\n    mode: daemon\n", ("services", "db", "mode"), 3, "'replicated' or"),
        (
            "defaults:\n  constraints:\n    - node.role == manager\n    - role = db\n",
            ("defaults", "constraints", 1), 4, "expected '<attribute> == <value>'",
        ),
        ("defaults:\n  replicas: '3'\n", ("defaults", "replicas"), 2, "valid integer"),
        ("defaults:\n  replica: 3\n", ("defaults", "replica"), 2, "unknown key 'replica'"),
        (
            "defaults:\n  resources:\n    limits: {memory: lots}\n",
            ("defaults", "resources", "limits", "memory"), 3, "invalid size 'lots'",
        ),
        ("platform: nomad\n", ("platform",), 1, "'kubernetes', 'swarm' or 'marathon'"),
        ("volumes:\n  logs: {size: 1Gi}\n", ("volumes", "logs"), 2, "unknown volume 'logs'"),
        ("production: yes\n", ("production",), 1, "valid boolean"),
        ("services:\n  db:\n    replicas: -1\n", ("services", "db", "replicas"), 3,
         "greater than or equal to 0, got -1"),
        ("services:\n  db:\n", ("services", "db"), 2, "should be a mapping, got None"),
        ("defaults:\n  update_config: {delay: 10}\n", ("defaults", "update_config", "delay"), 2,
         "a string, not a bare number"),
        # The model has a name field; a file does not (its file name gives it).
        ("name: prod\n", ("name",), 1, "unknown key 'name'"),
        # Values show as written (a list, not the model's tuple).
        ("labels: [a]\n", ("labels",), 1, "valid dictionary, got ['a']"),
        ("defaults:\n  constraints: node.role == x\n", ("defaults", "constraints"), 2,
         "a valid list, got 'node.role == x'"),
        ("defaults:\n  resources:\n    limits: null\n", ("defaults", "resources", "limits"), 3,
         "should be a mapping, got None"),
        ("defaults:\n  exposure: {port: 0}\n", ("defaults", "exposure", "port"), 2,
         "greater than or equal to 1, got 0"),
    ],
)
def test_bad_input_is_positioned(
    env_dir: Path, text: str, path: tuple[str | int, ...], line: int, match: str
) -> None:
    err = error(env_dir, text)
    diagnostic = err.diagnostics[0]
    assert diagnostic.path == path
    assert diagnostic.location is not None
    assert diagnostic.location.file == str(env_dir / "prod.yaml")
    assert diagnostic.location.line == line
    assert match in diagnostic.message
    assert f"prod.yaml:{line}:" in str(err)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("services:\n  db:\n    image: postgres:17\n", ("services", "db", "image")),
        ("defaults:\n  tag: v2\n", ("defaults", "tag")),
        ("version: 1.2.3\n", ("version",)),
        ("services:\n  returns:\n    artifact: x\n", ("services", "returns", "artifact")),
        ("defaults:\n  labels:\n    version: v1\n", ("defaults", "labels", "version")),
    ],
)
def test_artifacts_are_forbidden(env_dir: Path, text: str, path: tuple[str, ...]) -> None:
    diagnostic = error(env_dir, text).diagnostics[0]
    assert diagnostic.path == path
    assert ARTIFACT_HINT in diagnostic.message
    assert diagnostic.code == "artifact-in-environment"
    assert diagnostic.location is not None and diagnostic.location.line == len(path)


def test_a_service_named_version_is_not_an_artifact(env_dir: Path) -> None:
    write(env_dir, "prod.yaml", "services:\n  version: {replicas: 2}\n")
    env = load_environment("prod", env_dir, ("version",))
    assert env.services["version"].replicas == 2


def test_every_unknown_service_is_reported(env_dir: Path) -> None:
    err = error(env_dir, "services:\n  a: {}\n  db: {}\n  b: {}\n")
    assert [(d.path, d.location.line if d.location else 0) for d in err.diagnostics] == [
        (("services", "a"), 2),
        (("services", "b"), 4),
    ]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n"])
def test_top_level_must_be_a_mapping(env_dir: Path, text: str) -> None:
    assert "mapping" in str(error(env_dir, text))


def test_invalid_yaml_is_a_translator_error(env_dir: Path) -> None:
    err = error(env_dir, "defaults: [1\n")
    assert "YAML" in str(err)
    assert str(env_dir / "prod.yaml") in str(err)


def test_schema_describes_the_file_format() -> None:
    schema = environment_json_schema()
    json.dumps(schema)  # JSON-ready
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    assert {"platform", "defaults", "services", "volume_defaults", "volumes"} <= set(
        schema["properties"]
    )
    settings = schema["$defs"]["ServiceSettings"]
    assert settings["properties"]["strategy"]["anyOf"][0]["enum"] == ["spread", "binpack"]
    assert "image" not in json.dumps(schema["properties"])
    # The model's schema, with what a file writes: no name, the registry's platforms, and
    # units as text.
    assert "name" not in schema["properties"]
    assert schema["properties"]["platform"]["enum"] == targets.names()
    memory = schema["$defs"]["ResourceSpec"]["properties"]["memory"]["anyOf"][0]
    assert {"type": "string", "pattern": memory["anyOf"][1]["pattern"]} in memory["anyOf"]
    assert "1Gi" in memory["description"]
    constraint = settings["properties"]["constraints"]["anyOf"][0]["items"]
    assert constraint["type"] == "string" and "node.labels" in constraint["description"]


def test_schema_validates_the_samples() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = environment_json_schema()
    files = sorted(REPO.glob("samples/*/environments/*.yaml"))
    assert files
    for file in files:
        jsonschema.validate(yaml.safe_load(file.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"defaults": {"image": "x"}}, schema)


SAMPLES = {
    "shop": ({*SHOP_SERVICES, "db"}, {"db-data"}, ["local", "production", "uat"]),
    "voting": ({"vote", "result", "redis", "worker", "db"}, {"db-data"}, ["local", "production"]),
    "monitoring": (
        {"prometheus", "alertmanager", "grafana", "node-exporter"},
        {"prometheus-data", "alertmanager-data", "grafana-data"},
        ["local"],
    ),
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_sample_environments_load(sample: str) -> None:
    services, volumes, names = SAMPLES[sample]
    directory = REPO / "samples" / sample / "environments"
    assert list_environments(directory) == names
    for name in names:
        assert load_environment(name, directory, services, volumes=volumes).name == name


def test_shop_production_is_laid_out_as_promised() -> None:
    directory = REPO / "samples" / "shop" / "environments"
    prod = load_environment("production", directory, {*SHOP_SERVICES, "db"})
    uat = load_environment("uat", directory, {*SHOP_SERVICES, "db"})
    assert prod.production and not uat.production
    assert prod.defaults.strategy == "spread" and prod.spread_key == "node.labels.zone"
    assert (prod.defaults.replicas or 0) > 1
    db = prod.services["db"]
    assert db.constraints == (Constraint(key="node.labels.role", op="==", value="database"),)
    assert db.stateful is True
    assert prod.volumes["db-data"].size and prod.volumes["db-data"].storage_class
    assert prod.defaults.resources is not None
    assert prod.defaults.update_config is not None
    assert prod.defaults.update_config.order == "start-first"
    exposure = prod.services["customer-service"].exposure
    assert exposure is not None and exposure.type == "ingress" and exposure.host
    assert exposure.tls_secret
    # UAT: one machine, one replica each.
    assert uat.defaults.replicas == 1
    assert uat.defaults.constraints == (Constraint(key="node.hostname", op="==", value="uat-1"),)
