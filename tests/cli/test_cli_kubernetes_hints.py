"""Manifests that apply on a fresh cluster: what they need and do not create is said."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run, write

PROJECT = {
    "compose.yaml": """
        services:
          web:
            image: nginx
            ports: ["8080:80"]
          agent:
            image: example/agent
            privileged: true
        """,
    "environments/prod.yaml": """
        platform: kubernetes
        namespace: shop
        services:
          web:
            exposure:
              type: ingress
              host: shop.example.com
              tls_secret: shop-tls
        """,
}


def test_a_namespace_not_created_is_said_once_with_the_flag(tmp_path: Path) -> None:
    folder = write(tmp_path, PROJECT)
    done = run(folder, "convert", "--env", "prod")
    assert done.returncode == 0, done.stderr
    note = ("info: environments/prod.yaml:2:1: environment.namespace: [kubernetes] the objects "
            "are placed in namespace 'shop', which these manifests do not create (create it "
            "before deploying with kubectl create namespace shop, or render with "
            "--create-namespace)\n")
    assert done.stderr.count(note) == 1
    created = run(folder, "convert", "--env", "prod", "--create-namespace")
    assert "namespace 'shop'" not in created.stderr and "kind: Namespace" in created.stdout
    # deploy takes the flag too.
    deployed = run(folder, "deploy", "web", "1.27", "prod", "--create-namespace")
    assert deployed.returncode == 0 and "kind: Namespace" in deployed.stdout


def test_an_ingress_tls_secret_gets_the_create_it_hint(tmp_path: Path) -> None:
    done = run(write(tmp_path, PROJECT), "convert", "--env", "prod")
    assert "info: environments/prod.yaml:5:5: environment.services.web.exposure: [kubernetes] " \
        "the TLS Secret 'shop-tls' of the Ingress is referenced, not created: create it before " \
        "deploying with kubectl create secret tls shop-tls --cert=<file> --key=<file>\n" \
        in done.stderr
    assert "secretName: shop-tls" in done.stdout


def test_privileged_is_mapped_with_a_warning(tmp_path: Path) -> None:
    done = run(write(tmp_path, PROJECT), "convert", "--to", "kubernetes")
    assert "privileged: true" in done.stdout
    assert "warning: compose.yaml:7:5: services.agent.privileged: [kubernetes] privileged: " \
        "true is mapped to securityContext, but clusters that enforce the baseline or " \
        "restricted Pod Security Standard refuse privileged pods" in done.stderr
