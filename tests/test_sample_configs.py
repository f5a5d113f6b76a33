"""The bundled samples: `translator config` output is snapshotted, and each validates clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translator import api
from translator.emit import dump

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.parent.name for p in (REPO / "samples").glob("*/compose.yaml"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_config_snapshot(sample: str, snapshot_yaml: object) -> None:
    loaded = api.load_project(["compose.yaml"], working_dir=REPO / "samples" / sample, environ={})
    document = json.loads(json.dumps(api.compose_document(loaded.project)))
    assert dump(document, "yaml") == snapshot_yaml
    assert not loaded.diagnostics.items, [d.format() for d in loaded.diagnostics]


def test_there_are_at_least_three_samples() -> None:
    assert {"shop", "voting", "monitoring"} <= set(SAMPLES)
