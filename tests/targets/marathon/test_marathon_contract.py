"""The Marathon target on the Target contract: its key tables and a user's copy of its
templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from marathon_helpers import plan, render, service

from translator.templating import builtin_templates_dir

# Values that would add keys, documents or template code if a template pasted them as text.
HOSTILE = ("a\n---\nkind: x", "{{ 7*7 }}", "key: value", "- item", "&anchor *alias", "}")


def test_a_key_the_service_does_not_use_is_not_rendered() -> None:
    # The model holds a stop grace period, but the compose file never said so.
    svc = service(stop_grace_period=10_000_000_000, source_keys=("image",))
    assert "taskKillGracePeriodSeconds" not in render(plan(svc)).app


def _user_templates(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the built-in Marathon templates with ``old`` replaced by ``new``."""
    shutil.copytree(builtin_templates_dir() / "marathon", tmp_path / "marathon")
    path = tmp_path / "marathon" / "app.yaml.j2"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return tmp_path


def test_a_user_copy_adds_a_field(tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "disk: {{ disk }}\n", "disk: {{ disk }}\ngpus: 0\n")
    app = render(plan(service()), templates_dir=folder).app
    assert app["gpus"] == 0
    keys = list(app)
    assert keys[keys.index("disk") + 1] == "gpus"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_stay_values_in_a_user_copy(tmp_path: Path, hostile: str) -> None:
    folder = _user_templates(
        tmp_path, "disk: {{ disk }}\n", "disk: {{ disk }}\nx-note: {{ env }}\n"
    )
    svc = service(
        command=("run", hostile),
        environment={"V": hostile},
        labels={"note": hostile},
        working_dir="/w" + hostile,
    )
    app = render(plan(svc), templates_dir=folder).app
    assert app["x-note"] == app["env"] == {"V": hostile}
    assert app["args"] == ["run", hostile]
    assert app["labels"]["note"] == hostile
    assert {"key": "workdir", "value": "/w" + hostile} in app["container"]["docker"]["parameters"]
    assert "kind" not in app
