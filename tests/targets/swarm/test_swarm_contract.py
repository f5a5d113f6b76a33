"""The Swarm target on the Target contract: its key tables and a user's copy of its templates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from swarm_helpers import plan, render, service

from translator.errors import Diagnostics
from translator.model import PlannedService, Topology
from translator.targets.base import RenderOptions
from translator.targets.swarm import TARGET
from translator.templating import Templates, builtin_templates_dir

# Values that would add keys, documents or template code if a template pasted them as text.
HOSTILE = ("a\n---\nkind: x", "{{ 7*7 }}", "key: value", "- item", "&anchor *alias", "}")


def test_a_key_the_service_does_not_use_is_not_rendered() -> None:
    # The model holds a command, but the compose file never said `command`.
    svc = service(command=("run",), source_keys=("image",))
    assert "command" not in render(plan(svc)).service()


def _user_templates(tmp_path: Path, edit: dict[str, str]) -> Path:
    """A copy of the built-in Swarm templates with ``edit`` (old -> new) applied."""
    shutil.copytree(builtin_templates_dir() / "swarm", tmp_path / "swarm")
    path = tmp_path / "swarm" / "service.yaml.j2"
    text = path.read_text()
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    return tmp_path


def _render_with(folder: Path, *services: Any) -> dict[str, Any]:
    docs = TARGET.render(plan(*services), RenderOptions(), Templates(folder), Diagnostics())
    content: dict[str, Any] = docs[0].content
    return content


def test_a_user_copy_adds_a_field(tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, {"deploy:\n": "x-owner: {{ hostname }}\ndeploy:\n"})
    got = _render_with(folder, service(hostname="team-a"))["services"]["web"]
    assert got["x-owner"] == "team-a"
    # The rest of the document is the built-in one, in its order.
    assert list(got) == ["image", "hostname", "x-owner", "deploy"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_stay_values_in_a_user_copy(tmp_path: Path, hostile: str) -> None:
    folder = _user_templates(tmp_path, {"deploy:\n": "x-note: {{ user }}\ndeploy:\n"})
    svc = service(
        user=hostile,
        hostname=hostile,
        command=(hostile,),
        environment={"V": hostile},
        labels={hostile: hostile},
    )
    planned = PlannedService(
        service=svc, topology=Topology(labels={"k": hostile}), labels={"env": hostile}
    )
    got = _render_with(folder, planned)["services"]["web"]
    assert got["x-note"] == got["user"] == got["hostname"] == hostile
    assert got["command"] == [hostile]
    assert got["environment"] == {"V": hostile}
    assert got["labels"] == {hostile: hostile}
    assert got["deploy"]["labels"] == {"k": hostile, "env": hostile}
    assert "kind" not in got


def test_deploy_fields_are_present_only_when_set() -> None:
    bare = render(plan(service())).service()["deploy"]
    assert bare == {"mode": "replicated"}
    topo = Topology(replicas=2, endpoint_mode="dnsrr")
    full = render(plan(PlannedService(service=service(), topology=topo))).service()["deploy"]
    assert full == {"mode": "replicated", "replicas": 2, "endpoint_mode": "dnsrr"}
