"""Messages that name the cause, each at its position: the mistakes a new user makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run, write

# (files, extra arguments, a line the output must hold). Every line starts with the file
# and the line:column of the cause.
CASES = {
    "typo'd key": (
        {"compose.yaml": """
            services:
              web:
                imgae: nginx
            """},
        (),
        "compose.yaml:3:5: services.web.imgae: error[invalid]: service \"web\" has neither an "
        "image nor a build context specified; unknown key `imgae`: did you mean `image`?",
    ),
    "typo'd service key": (
        {"compose.yaml": """
            services:
              web:
                image: nginx
                deploy:
                  replicaz: 2
            """},
        (),
        "compose.yaml:5:7: services.web.deploy.replicaz: warning[unknown-key]: unknown key "
        "'replicaz' is not part of the Compose Specification and is ignored (did you mean "
        "`replicas`?)",
    ),
    "typo'd top-level key": (
        {"compose.yaml": """
            servics:
              web:
                image: nginx
            """},
        (),
        "compose.yaml:1:1: servics: warning[unknown-key]: unknown top-level key 'servics' is "
        "not part of the Compose Specification and is ignored (did you mean `services`?)",
    ),
    "typo'd environment-file key": (
        {"compose.yaml": "services:\n  web:\n    image: nginx\n",
         "environments/prod.yaml": "platform: kubernetes\nservcies:\n  web:\n    replicas: 2\n"},
        ("--env", "prod"),
        "environments/prod.yaml:2:1: servcies: error[invalid]: unknown key 'servcies': did you "
        "mean `services`?",
    ),
    "tab": (
        {"compose.yaml": "services:\n  web:\n\timage: nginx\n"},
        (),
        "compose.yaml:3:1: error[yaml]: YAML syntax error: line 3 is indented with a tab, and "
        "YAML indentation must use spaces",
    ),
    "unset variable in image": (
        {"compose.yaml": """
            services:
              web:
                image: nginx:${NGINX_TAG}
            """},
        (),
        "compose.yaml:3:5: services.web.image: error[invalid]: the image reference 'nginx:' is "
        "incomplete: variable NGINX_TAG is unset",
    ),
    "absolute env_file": (
        {"compose.yaml": """
            services:
              web:
                image: nginx
                env_file: /nonexistent/x.env
            """},
        (),
        "compose.yaml:4:5: services.web.env_file: error[invalid]: env file "
        "'/nonexistent/x.env' not found",
    ),
    "no services": (
        {"compose.yaml": "services: {}\n"},
        (),
        "compose.yaml:1:1: services: warning[no-services]: the project defines no services: "
        "there is nothing to run or translate",
    ),
    "services behind profiles": (
        {"compose.yaml": """
            services:
              web:
                image: nginx
                profiles: [debug]
            """},
        (),
        "compose.yaml:1:1: services: warning[no-services]: no service is enabled: every service "
        "is behind a profile, and no profile is active (activate one of debug with --profile",
    ),
    "missing secret file": (
        {"compose.yaml": """
            services:
              web:
                image: nginx
                secrets: [pw]
            secrets:
              pw:
                file: ./pw.txt
            """},
        (),
        "compose.yaml:7:5: secrets.pw.file: warning[missing-file]: secret file './pw.txt' is "
        "missing: Compose needs it when a service that uses 'pw' starts",
    ),
    "service renamed for a platform": (
        {"compose.yaml": """
            services:
              My_Web:
                image: nginx
            """},
        ("--to", "kubernetes"),
        "compose.yaml:2:3: services.My_Web: info[kubernetes.renamed]: [kubernetes] service "
        "'My_Web' is named 'my-web' in Kubernetes",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_names_the_cause_at_its_position(tmp_path: Path, case: str) -> None:
    files, args, expected = CASES[case]
    done = run(write(tmp_path, files), "validate", *args)
    assert expected in done.stdout, done.stdout + done.stderr


def test_a_folder_given_to_f_is_called_a_folder(tmp_path: Path) -> None:
    write(tmp_path, {"app/compose.yaml": "services:\n  web:\n    image: nginx\n"})
    done = run(tmp_path, "validate", "-f", "app")
    assert "error[file-not-found]: app is a folder, not a compose file (name the compose file " \
        "inside it, such as app/compose.yaml" in done.stdout
    assert done.returncode == 1


BUILD_ONLY = """
services:
  web:
    build: .
  api:
    build: ./api
"""


@pytest.mark.parametrize("command", ["validate", "convert"])
def test_build_only_services_are_each_named_at_their_line(tmp_path: Path, command: str) -> None:
    done = run(write(tmp_path, {"compose.yaml": BUILD_ONLY}), command, "--to", "kubernetes")
    out = done.stdout + done.stderr
    assert done.returncode == 1
    for name, line in (("web", 2), ("api", 4)):
        assert f"compose.yaml:{line}:3: services.{name}: " in out
        assert f"service '{name}' has only build: and no artifact; every target needs an " \
            f"image (add it to artifacts.yaml, run `translator pin {name} " in out


def test_a_renamed_service_is_an_info_on_convert_too(tmp_path: Path) -> None:
    done = run(write(tmp_path, {"compose.yaml": "services:\n  My_Web:\n    image: nginx\n"}),
               "convert", "--to", "kubernetes")
    assert done.returncode == 0
    assert "info: compose.yaml:2:3: services.My_Web: [kubernetes] service 'My_Web' is named " \
        "'my-web' in Kubernetes" in done.stderr
    assert "name: my-web" in done.stdout


def test_deploy_without_a_version_says_it_uses_latest(tmp_path: Path) -> None:
    folder = write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx\n"})
    done = run(folder, "deploy", "web")
    assert done.returncode == 0, done.stderr
    assert "info: no VERSION given: deploying web at 'latest', which moves with every push " \
        "(name a tag or digest to deploy a fixed version: translator deploy web VERSION [ENV])" \
        in done.stderr
    pinned = run(folder, "deploy", "web", "1.27")
    assert "VERSION" not in pinned.stderr and 'image: "nginx:1.27"' in pinned.stdout
