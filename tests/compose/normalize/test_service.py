"""Plain service keys: image, build, environment, labels, scalars, extras, unknown keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translator.errors import Diagnostics, TranslatorError
from translator.model import Build, EnvFile, Logging, Ulimit

from .conftest import error_of, one_service, run


@pytest.mark.parametrize(
    ("image", "repository", "tag", "digest"),
    [
        ("nginx", "nginx", None, None),
        ("nginx:1.25", "nginx", "1.25", None),
        ("registry:5000/team/app:v1", "registry:5000/team/app", "v1", None),
        ("app@sha256:" + "a" * 64, "app", None, "sha256:" + "a" * 64),
    ],
)
def test_image(image: str, repository: str, tag: str | None, digest: str | None) -> None:
    artifact = one_service({"image": image}).artifact
    assert artifact is not None
    assert (artifact.repository, artifact.tag, artifact.digest) == (repository, tag, digest)


@pytest.mark.parametrize("image", ["Nginx", "nginx:", "a b", "nginx@sha256:xyz"])
def test_bad_image(image: str) -> None:
    diag = error_of({"image": image})
    assert diag.path == ("services", "web", "image")
    assert diag.message.startswith(f"invalid image reference {image!r}: expected [registry/]name")


def test_empty_image_with_build_is_no_image() -> None:
    service = run({"services": {"web": {"image": "", "build": "."}}}).services["web"]
    assert (service.artifact, service.build) == (None, Build(context="."))


def test_neither_image_nor_build() -> None:
    with pytest.raises(Exception) as info:
        run({"services": {"web": {"command": "x"}}})
    diag = info.value.diagnostics[0]  # type: ignore[attr-defined]
    assert diag.path == ("services", "web")
    assert diag.message == 'service "web" has neither an image nor a build context specified'


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (".", Build(context=".")),
        ("app", Build(context="./app")),
        ("https://github.com/x/y.git#main", Build(context="https://github.com/x/y.git#main")),
        (
            {
                "context": "./app/",
                "dockerfile": "Dockerfile.dev",
                "target": "dev",
                "args": ["A=1", "B"],
                "cache_from": ["x"],
                "platforms": ["linux/amd64"],
            },
            Build(
                context="./app",
                dockerfile="Dockerfile.dev",
                target="dev",
                args={"A": "1", "B": None},
                options={"cache_from": ["x"], "platforms": ["linux/amd64"]},
            ),
        ),
        ({"args": {"N": 1, "T": True}}, Build(context=".", args={"N": "1", "T": "true"})),
    ],
)
def test_build(build: Any, expected: Build) -> None:
    service = run({"services": {"web": {"build": build}}}).services["web"]
    assert service.build == expected
    assert service.artifact is None


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (["A=b", "C", "D=", "E=x=y"], {"A": "b", "C": None, "D": "", "E": "x=y"}),
        (
            {"A": True, "B": 1.5, "C": None, "D": 1, "E": "x", "F": False, "G": 2.0},
            {"A": "true", "B": "1.5", "C": None, "D": "1", "E": "x", "F": "false", "G": "2"},
        ),
    ],
)
def test_environment(environment: Any, expected: dict[str, str | None]) -> None:
    assert one_service({"environment": environment}).environment == expected


@pytest.mark.parametrize(
    ("environment", "path", "message"),
    [
        (
            "A=b",
            ("environment",),
            "expected a mapping or a list of KEY=value strings, got a string",
        ),
        ({"A": [1]}, ("environment", "A"), "expected a string or number, got a list"),
        ([["A"]], ("environment", 0), "expected a string or number, got a list"),
    ],
)
def test_environment_errors(environment: Any, path: tuple[Any, ...], message: str) -> None:
    diag = error_of({"environment": environment})
    assert (diag.path, diag.message) == (("services", "web", *path), message)


def test_env_file_merge(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("A=1\nB=2\n")
    (tmp_path / "b.env").write_text("B=3\nC=4\n")
    doc = {
        "services": {
            "web": {
                "image": "x",
                "env_file": [
                    "a.env",
                    {"path": "b.env", "format": "raw"},
                    {"path": "missing.env", "required": False},
                ],
                "environment": {"C": "override"},
            }
        }
    }
    service = run(doc, base_dir=tmp_path).services["web"]
    assert service.environment == {"A": "1", "B": "3", "C": "override"}
    assert service.env_files == (
        EnvFile(path="a.env", values={"A": "1", "B": "2"}),
        EnvFile(path="b.env", format="raw", values={"B": "3", "C": "4"}),
        EnvFile(path="missing.env", required=False),
    )


def test_env_file_string(tmp_path: Path) -> None:
    (tmp_path / ".env.web").write_text("K=v\n")
    doc = {"services": {"web": {"image": "x", "env_file": ".env.web"}}}
    assert run(doc, base_dir=tmp_path).services["web"].environment == {"K": "v"}


def test_env_file_missing(tmp_path: Path) -> None:
    doc = {"services": {"web": {"image": "x", "env_file": ["nope.env"]}}}
    with pytest.raises(Exception) as info:
        run(doc, base_dir=tmp_path)
    diag = info.value.diagnostics[0]  # type: ignore[attr-defined]
    assert diag.path == ("services", "web", "env_file", 0)
    assert diag.message.startswith("env file 'nope.env' not found")


@pytest.mark.parametrize(
    ("spec", "field", "expected"),
    [
        ({"labels": ["x=y", "z"]}, "labels", {"x": "y", "z": ""}),
        ({"labels": {"a": 1, "b": None}}, "labels", {"a": "1", "b": ""}),
        ({"annotations": {"a": "b"}}, "annotations", {"a": "b"}),
        ({"sysctls": ["net.core.somaxconn=1024"]}, "sysctls", {"net.core.somaxconn": "1024"}),
        ({"sysctls": {"a": 1}}, "sysctls", {"a": "1"}),
        ({"dns": "8.8.8.8"}, "dns", ("8.8.8.8",)),
        ({"dns_search": ["a", "b"]}, "dns_search", ("a", "b")),
        ({"cap_add": ["NET_ADMIN"]}, "cap_add", ("NET_ADMIN",)),
        ({"profiles": ["debug"]}, "profiles", ("debug",)),
        (
            {"devices": ["/dev/a:/dev/a", {"source": "/dev/b", "target": "/dev/b"}]},
            "devices",
            ("/dev/a:/dev/a", {"source": "/dev/b", "target": "/dev/b"}),
        ),
        (
            {"ulimits": {"nproc": 65535, "nofile": {"soft": 1, "hard": 2}}},
            "ulimits",
            {
                "nproc": Ulimit(soft=65535, hard=65535, single=True),
                "nofile": Ulimit(soft=1, hard=2),
            },
        ),
        (
            {"logging": {"driver": "json-file", "options": {"max-size": "10m", "max-file": 3}}},
            "logging",
            Logging(driver="json-file", options={"max-size": "10m", "max-file": "3"}),
        ),
        ({"stop_grace_period": "1m30s"}, "stop_grace_period", 90_000_000_000),
        ({"cpus": "0.5"}, "cpus", 0.5),
        ({"mem_limit": "1.5g"}, "mem_limit", 1_610_612_736),
        ({"mem_reservation": 1024}, "mem_reservation", 1024),
        ({"memswap_limit": -1}, "memswap_limit", -1),
        ({"memswap_limit": "1g"}, "memswap_limit", 1_073_741_824),
        ({"shm_size": "64m"}, "shm_size", 67_108_864),
        ({"pids_limit": 100}, "pids_limit", 100),
        ({"scale": "3"}, "scale", 3),
        ({"restart": "unless-stopped"}, "restart", "unless-stopped"),
        ({"init": True, "tty": False}, "init", True),
        ({"user": 1000}, "user", "1000"),
        ({"working_dir": "/app"}, "working_dir", "/app"),
        ({"network_mode": "host"}, "network_mode", "host"),
        (
            {"blkio_config": {"weight": 300}, "runtime": "runc"},
            "extras",
            {"blkio_config": {"weight": 300}, "runtime": "runc"},
        ),
        ({"x-team": {"owner": "a"}}, "extensions", {"x-team": {"owner": "a"}}),
    ],
)
def test_service_fields(spec: dict[str, Any], field: str, expected: Any) -> None:
    assert getattr(one_service(spec), field) == expected


@pytest.mark.parametrize(
    ("spec", "path", "message"),
    [
        (
            {"privileged": "maybe"},
            ("privileged",),
            "expected a boolean (true or false), got a string",
        ),
        ({"pids_limit": "many"}, ("pids_limit",), "expected an integer, got a string 'many'"),
        (
            {"stop_grace_period": 10},
            ("stop_grace_period",),
            "invalid duration 10: expected a Go duration such as 1m30s or 500ms (a string, not a "
            "bare number)",
        ),
        (
            {"ulimits": {"nofile": {"soft": 1}}},
            ("ulimits", "nofile", "hard"),
            "expected an integer, got null None",
        ),
        ({"cap_add": "NET_ADMIN"}, ("cap_add",), "expected a list of strings, got a string"),
        ({"logging": "json"}, ("logging",), "expected a mapping, got a string"),
    ],
)
def test_service_field_errors(spec: dict[str, Any], path: tuple[Any, ...], message: str) -> None:
    diag = error_of(spec)
    assert (diag.path, diag.message) == (("services", "web", *path), message)


def test_service_must_be_a_mapping() -> None:
    with pytest.raises(Exception) as info:
        run({"services": {"web": "nginx"}})
    diag = info.value.diagnostics[0]  # type: ignore[attr-defined]
    assert (diag.path, diag.message) == (
        ("services", "web"),
        "expected a service definition (a mapping), got a string",
    )


def test_unknown_keys_warn_and_source_keys() -> None:
    diagnostics = Diagnostics()
    doc = {
        "services": {
            "web": {"image": "x", "colour": "red", "cgroup": "host", "x-a": 1, "ports": ["80"]}
        }
    }
    service = run(doc, diagnostics=diagnostics).services["web"]
    assert service.source_keys == ("image", "cgroup", "ports")
    assert service.extras == {"cgroup": "host"}
    (warning,) = diagnostics.warnings
    assert (warning.code, warning.path, warning.service, warning.key) == (
        "unknown-key",
        ("services", "web", "colour"),
        "web",
        "colour",
    )


def test_env_file_reader_errors_get_the_entry_path(tmp_path: Path) -> None:
    from translator.compose.normalize import normalize_project
    from translator.errors import TranslatorError

    (tmp_path / "bad.env").write_text("x")

    def reader(path: Path) -> dict[str, str | None]:
        raise TranslatorError.at(f"bad line in {path.name}")

    doc = {"services": {"web": {"image": "x", "env_file": ["bad.env"]}}}
    with pytest.raises(TranslatorError) as info:
        normalize_project(
            doc, name="p", base_dir=tmp_path, diagnostics=Diagnostics(), read_env_file=reader
        )
    diag = info.value.diagnostics[0]
    assert (diag.path, diag.message) == (("services", "web", "env_file", 0), "bad line in bad.env")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("Yes", True), ("on", True), ("FALSE", False), ("off", False)],
)
def test_booleans_accept_interpolated_strings(value: Any, expected: bool) -> None:
    # compose-go casts strings left by interpolation (``${DEBUG:-false}``) for boolean fields.
    assert one_service({"init": value}).init is expected


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ({"healthcheck": {"test": "true", "interval_s": 5}}, ("healthcheck", "interval_s")),
        ({"deploy": {"replica": 2}}, ("deploy", "replica")),
        (
            {"deploy": {"resources": {"limits": {"memory": "1g", "gpu": 1}}}},
            ("deploy", "resources", "limits", "gpu"),
        ),
        ({"deploy": {"update_config": {"parallel": 1}}}, ("deploy", "update_config", "parallel")),
        ({"logging": {"driver": "x", "option": {}}}, ("logging", "option")),
    ],
)
def test_nested_unknown_keys_warn(spec: dict[str, Any], path: tuple[Any, ...]) -> None:
    diagnostics = Diagnostics()
    run({"services": {"web": {"image": "x", **spec}}}, diagnostics=diagnostics)
    assert [(d.code, d.path, d.key) for d in diagnostics.warnings] == [
        ("unknown-key", ("services", "web", *path), path[-1])
    ]


def test_nested_extension_keys_are_allowed() -> None:
    diagnostics = Diagnostics()
    run(
        {"services": {"web": {"image": "x", "deploy": {"x-note": 1, "placement": {"x-a": 2}}}}},
        diagnostics=diagnostics,
    )
    assert diagnostics.warnings == []


@pytest.mark.parametrize("name", ["", "-x", "a b", "a/b"])
def test_container_name_follows_the_spec_pattern(name: str) -> None:
    with pytest.raises(TranslatorError, match="container_name") as info:
        one_service({"image": "x", "container_name": name})
    assert info.value.diagnostics[0].path[-1] == "container_name"


def test_platform_must_be_one_the_build_produces() -> None:
    build = {"context": ".", "platforms": ["linux/amd64"]}
    with pytest.raises(TranslatorError, match=r"must include service\.platform") as info:
        one_service({"build": build, "platform": "linux/riscv64"})
    assert info.value.diagnostics[0].path[-1] == "platform"
    ok = one_service({"build": build, "platform": "linux/amd64"})
    assert ok.platform == "linux/amd64"
