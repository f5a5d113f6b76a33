"""Write the seed corpus (fuzz/corpus/{loader,render}/) from samples/ and a few feature snippets.

    /work/venv/bin/python fuzz/make_corpus.py

Seeds are the bundled samples, as written and as `translator config` prints them (that
form is self-contained: env files inlined), plus short files that reach the loader's
corners: anchors and merges, !reset/!override, interpolation, long and short syntaxes.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml_rs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import alias_fan, bare, many_resources, many_secrets, many_volumes  # noqa: E402

from translator import api  # noqa: E402
from translator.templating import builtin_templates_dir  # noqa: E402

SNIPPETS = [
    "services:\n  web:\n    image: nginx:${TAG:-1.27}\n    ports: ['8080:80', '443:443/tcp']\n",
    "x-base: &base\n  image: redis:7\n  restart: always\nservices:\n  a:\n    <<: *base\n"
    "  b:\n    <<: [*base]\n    restart: !reset null\n",
    "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cret\n"
    "    volumes: [data:/var/lib/postgresql/data]\n    healthcheck:\n"
    "      test: [CMD, pg_isready]\n      interval: 10s\n      retries: 3\nvolumes:\n  data: {}\n",
    "services:\n  api:\n    image: api:1\n    depends_on:\n      db: {condition: service_healthy}\n"
    "    deploy:\n      replicas: 3\n      resources:\n"
    "        limits: {cpus: '0.5', memory: 256M}\n"
    "  db:\n    image: postgres:16\n    healthcheck: {test: [CMD, 'true']}\n",
    "services:\n  w:\n    image: busybox\n    command: sh -c 'echo \"$${HOME}\" # x'\n"
    "    labels: {a: '---', b: '{{ x }}', c: '{% y %}'}\n    secrets: [s]\n    configs: [c]\n"
    "secrets:\n  s: {environment: PASSWORD}\nconfigs:\n  c: {content: 'k: v'}\n",
    "name: p\nservices:\n  w:\n    image: busybox\n    networks: [front, back]\n"
    "    ports: [{target: 80, published: '8080', mode: host}]\n"
    "networks:\n  front: {}\n  back: {}\n",
]

# The extreme shapes of the hardening work, small enough for libFuzzer's 5 s per input:
# dependency fans through one alias (with and without a cycle), bare and wide services,
# many resources, and configs and secrets read from outside the project folder.
SHAPES = [
    alias_fan(40),
    "x-all: &all [" + ", ".join(f"s{i}" for i in range(20)) + "]\nservices:\n"
    + "".join(f"  s{i}: {{image: a, depends_on: *all}}\n" for i in range(20)),
    bare(300),
    many_volumes(300),
    many_secrets(300),
    many_resources(50),
    "services:\n  w:\n    image: a\n    configs: [c, d]\n    secrets: [s]\n"
    "configs:\n  c: {file: /etc/passwd}\n  d: {file: ../outside.txt}\n"
    "secrets:\n  s: {file: /proc/self/environ}\n",
]

# User templates (--templates DIR, kubernetes/deployment.yaml.j2) that once exhausted the
# process, and the built-in one to mutate from.
_HEAD = "apiVersion: apps/v1\nkind: Deployment\n"
TEMPLATE_SEEDS = [
    _HEAD + "metadata: {{ range(10**9) | list | length }}\n",
    _HEAD + "metadata: {{ 'x' * 10**9 }}\n",
    _HEAD + "metadata: {{ 10**99999999 }}\n",
    _HEAD + "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    _HEAD + "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}\n",
    _HEAD + "{% include 'kubernetes/deployment.yaml.j2' %}\n",
    "{% extends 'kubernetes/deployment.yaml.j2' %}\n",
    _HEAD + "metadata: {{ '%*d' % (10**9, 1) }}\n",
    _HEAD + "metadata: {{ '{:>999999999}'.format(1) }}\n",
    _HEAD + "metadata: {{ range(1000) | join('y' * 100000) }}\n",
    (builtin_templates_dir() / "kubernetes" / "deployment.yaml.j2").read_text(encoding="utf-8"),
]


def _write(folder: Path, seeds: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for text in seeds:
        name = hashlib.sha1(text.encode()).hexdigest()[:16]
        (folder / name).write_text(text, encoding="utf-8")


def main() -> None:
    loader_dir, render_dir = (REPO / "fuzz" / "corpus" / d for d in ("loader", "render"))
    seeds: list[str] = [*SNIPPETS, *SHAPES]
    for compose in sorted((REPO / "samples").glob("*/compose.yaml")):
        seeds.append(compose.read_text(encoding="utf-8"))
        loaded = api.load_project([compose], environ={})
        seeds.append(yaml_rs.dumps(api.compose_document(loaded.project)))
    for folder in (loader_dir, render_dir):
        _write(folder, seeds)
    _write(REPO / "fuzz" / "corpus" / "templates", TEMPLATE_SEEDS)
    print(f"{len(seeds)} seeds in {loader_dir} and {render_dir}, "
          f"{len(TEMPLATE_SEEDS)} in corpus/templates")


if __name__ == "__main__":
    main()
