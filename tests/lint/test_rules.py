"""Every rule against a minimal bad sample (it fires, at the expected path) and a good one
(it stays quiet). Plans come from real compose and environment files."""

from __future__ import annotations

import pytest
from lint_helpers import PlanFactory

from translator.errors import Path
from translator.lint import RULES

UAT = "platform: kubernetes\n"
PROD = "platform: kubernetes\nproduction: true\n"
LIMITS = "defaults:\n  resources:\n    limits: {cpus: 1, memory: 256M}\n"


@pytest.fixture(autouse=True)
def _cycles_reach_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader refuses depends_on cycles, as Compose does; TR005 stays the check for plans
    built another way, so its cyclic samples get past the loader here."""
    monkeypatch.setattr("translator.compose.normalize.check_cycles", lambda services: None)


def svc(name: str, body: str = "image: nginx:1.27") -> str:
    lines = "\n".join(f"    {line}" for line in body.splitlines())
    return f"  {name}:\n{lines}\n"


def compose(*services: str) -> str:
    return "services:\n" + "".join(services)


CASES: list[tuple[str, str, str, str | None, set[Path]]] = [
    # id, compose, environment, environment file, paths the rule reports
    ("TR001", compose(svc("web", "image: nginx")), "uat", UAT, {("services", "web", "image")}),
    ("TR001", compose(svc("web", "image: nginx:latest")), "uat", UAT,
     {("services", "web", "image")}),
    ("TR001", compose(svc("web", "image: nginx:1.27")), "uat", UAT, set()),
    ("TR001", compose(svc("web", "image: nginx@sha256:" + "a" * 64)), "uat", UAT, set()),
    ("TR001", compose(svc("web", "image: nginx")), "local", None, set()),
    ("TR002", compose(svc("web")), "prod", PROD, {("services", "web", "deploy", "replicas")}),
    ("TR002", compose(svc("web")), "prod", PROD + "services:\n  web: {replicas: 1}\n",
     {("environment", "services", "web", "replicas")}),
    ("TR002", compose(svc("web")), "prod", PROD + "defaults: {replicas: 1}\n",
     {("environment", "defaults", "replicas")}),
    ("TR002", compose(svc("web")), "prod", PROD + "defaults: {replicas: 2}\n", set()),
    ("TR002", compose(svc("db")), "prod", PROD + "services:\n  db: {stateful: true}\n", set()),
    ("TR002", compose(svc("agent")), "prod", PROD + "defaults: {mode: global}\n", set()),
    ("TR002", compose(svc("web")), "uat", UAT, set()),
    ("TR003", compose(svc("web")), "uat", UAT, {("services", "web", "deploy", "resources")}),
    ("TR003", compose(svc("web")), "uat", UAT + LIMITS, set()),
    ("TR003", compose(svc("web", "image: nginx:1.27\ndeploy:\n  resources:\n"
                             "    limits: {memory: 64M}")), "uat", UAT, set()),
    ("TR003", compose(svc("web")), "local", None, set()),
    ("TR004", compose(svc("a", 'image: x:1\nports: ["8080:80"]'),
                      svc("b", 'image: x:1\nports: ["8080:81"]')), "local", None,
     {("services", "b", "ports", 0)}),
    ("TR004", compose(svc("a", 'image: x:1\nports: ["8000-8010:8000-8010"]'),
                      svc("b", 'image: x:1\nports: ["9000:90", "127.0.0.1:8005:80"]')),
     "local", None, {("services", "b", "ports", 1)}),
    ("TR004", compose(svc("a", 'image: x:1\nports: ["8080:80"]'),
                      svc("b", 'image: x:1\nports: ["8080:80/udp"]')), "local", None, set()),
    ("TR004", compose(svc("a", 'image: x:1\nports: ["127.0.0.1:8080:80"]'),
                      svc("b", 'image: x:1\nports: ["127.0.0.2:8080:80"]')), "local", None, set()),
    ("TR004", compose(svc("a", 'image: x:1\nports: ["8080:80"]'),
                      svc("b", 'image: x:1\nports: ["8081:80"]')), "local", None, set()),
    ("TR005", compose(svc("a", "image: x:1\ndepends_on: [b]"),
                      svc("b", "image: x:1\ndepends_on: [a]")), "local", None,
     {("services", "b", "depends_on", "a")}),
    ("TR005", compose(svc("a", "image: x:1\ndepends_on: [b]"),
                      svc("b", "image: x:1\ndepends_on: [c]"), svc("c", "image: x:1")),
     "local", None, set()),
    ("TR006", compose(svc("web_app"), svc("web-app")), "local", None,
     {("services", "web_app")}),
    ("TR006", compose(svc("web.app"), svc("web-app")), "local", None,
     {("services", "web.app")}),
    ("TR006", compose(svc("web"), svc("api")), "local", None, set()),
    ("TR007", compose(svc("web", "image: x:1\nenvironment:\n  DB_PASSWORD: hunter2")),
     "local", None, {("services", "web", "environment", "DB_PASSWORD")}),
    ("TR007", compose(svc("web", "image: x:1\nenvironment:\n"
                             "  DATABASE_URL: postgres://app:hunter2@db/app")),
     "local", None, {("services", "web", "environment", "DATABASE_URL")}),
    ("TR007", compose(svc("web", "image: x:1\nenvironment:\n"
                             "  DB_PASSWORD_FILE: /run/secrets/db\n  API_TOKEN: ''\n"
                             "  AWS_ACCESS_KEY_ID: AKIA0000\n  DATABASE_URL: postgres://db/app")),
     "local", None, set()),
    ("TR008", compose(svc("web", 'image: x:1\nports: ["80:80"]')), "local", None,
     {("services", "web", "ports")}),
    ("TR008", compose(svc("web", 'image: x:1\nports: ["80:80"]\nhealthcheck: {disable: true}')),
     "local", None, {("services", "web", "healthcheck")}),
    ("TR008", compose(svc("web", 'image: x:1\nports: ["80:80"]\n'
                             'healthcheck: {test: ["CMD", "true"]}')), "local", None, set()),
    ("TR008", compose(svc("worker", "image: x:1\nexpose: [80]")), "local", None, set()),
    ("TR009", compose(svc("db")), "prod", "platform: swarm\ndefaults: {strategy: binpack}\n",
     {("environment", "defaults", "strategy")}),
    ("TR009", compose(svc("db")), "prod",
     "platform: marathon\nservices:\n  db: {strategy: binpack}\n",
     {("environment", "services", "db", "strategy")}),
    ("TR009", compose(svc("db")), "prod",
     "platform: kubernetes\ndefaults: {strategy: binpack}\n", set()),
    ("TR009", compose(svc("db")), "prod", "platform: swarm\ndefaults: {strategy: spread}\n", set()),
]


@pytest.mark.parametrize(("rule_id", "text", "env", "env_text", "expected"), CASES)
def test_rule_fires_on_bad_and_not_on_good(
    make_plan: PlanFactory,
    rule_id: str,
    text: str,
    env: str,
    env_text: str | None,
    expected: set[Path],
) -> None:
    plan = make_plan(text, env, env_text)
    found = list(RULES[rule_id].check(plan))
    assert {d.path for d in found} == expected
    assert all(d.code == rule_id for d in found)


def test_every_rule_has_a_bad_and_a_good_case() -> None:
    fired = {rid for rid, *_, expected in CASES if expected}
    quiet = {rid for rid, *_, expected in CASES if not expected}
    assert fired == quiet == set(RULES)


def test_secret_value_never_appears(make_plan: PlanFactory) -> None:
    plan = make_plan(compose(svc("web", "image: x:1\nenvironment:\n"
                                        "  STRIPE_API_KEY: sk_live_abcdef\n"
                                        "  DSN: mysql://root:s3cr3tpw@db/x")))
    found = list(RULES["TR007"].check(plan))
    assert len(found) == 2
    for d in found:
        shown = " ".join(filter(None, (d.message, d.hint)))
        assert "sk_live_abcdef" not in shown and "s3cr3tpw" not in shown


def test_cycle_message_names_the_path(make_plan: PlanFactory) -> None:
    plan = make_plan(compose(svc("a", "image: x:1\ndepends_on: [b]"),
                             svc("b", "image: x:1\ndepends_on: [c]"),
                             svc("c", "image: x:1\ndepends_on: [a]")))
    (found,) = RULES["TR005"].check(plan)
    assert "a -> b -> c -> a" in found.message


def test_port_conflict_names_the_other_service(make_plan: PlanFactory) -> None:
    plan = make_plan(compose(svc("a", 'image: x:1\nports: ["8080:80"]'),
                             svc("b", 'image: x:1\nports: ["0.0.0.0:8080:81"]')))
    (found,) = RULES["TR004"].check(plan)
    assert "8080/tcp" in found.message and "'a'" in found.message
