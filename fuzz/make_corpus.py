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

from translator import api  # noqa: E402

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


def main() -> None:
    loader_dir, render_dir = (REPO / "fuzz" / "corpus" / d for d in ("loader", "render"))
    seeds: list[str] = list(SNIPPETS)
    for compose in sorted((REPO / "samples").glob("*/compose.yaml")):
        seeds.append(compose.read_text(encoding="utf-8"))
        loaded = api.load_project([compose], environ={})
        seeds.append(yaml_rs.dumps(api.compose_document(loaded.project)))
    for folder in (loader_dir, render_dir):
        folder.mkdir(parents=True, exist_ok=True)
        for text in seeds:
            name = hashlib.sha1(text.encode()).hexdigest()[:16]
            (folder / name).write_text(text, encoding="utf-8")
    print(f"{len(seeds)} seeds in {loader_dir} and {render_dir}")


if __name__ == "__main__":
    main()
