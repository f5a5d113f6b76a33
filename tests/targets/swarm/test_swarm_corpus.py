"""Every corpus file the loader accepts renders to a stack file that `docker stack config`
accepts and that the client side of `docker stack deploy` passes without "Ignoring ..."."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from swarm_helpers import (
    CONFORMANCE,
    NO_DAEMON,
    UNSUPPORTED_MARKERS,
    client_side_deploy,
    require_client,
    run_client,
    schema_errors,
)

from translator import api
from translator.emit import dumps_stream
from translator.errors import TranslatorError

pytestmark = pytest.mark.corpus

CORPUS = CONFORMANCE / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
# Build-only services get a stand-in artifact, as CI's artifacts file would give them.
STAND_IN = "corpus.example/build-only:ci"


@dataclass
class Outcome:
    skipped: str | None = None  # the loader refused the file: not ours to render
    crashed: str | None = None  # anything but a TranslatorError, from any stage
    refused: TranslatorError | None = None
    schema: list[str] | None = None
    config: tuple[int, str] | None = None
    deploy: str | None = None


def _render(path: Path, out: Path) -> tuple[Outcome, Path | None]:
    try:
        loaded = api.load_project([path], working_dir=path.parent)
        build_only = [n for n, s in loaded.project.services.items() if s.artifact is None]
        inputs = api.PlanInputs(images=[f"{n}={STAND_IN}" for n in build_only])
        plan = api.resolve(loaded, "local", inputs)
    except TranslatorError as exc:
        return Outcome(skipped=exc.diagnostics[0].format()), None
    except Exception as exc:  # a loader bug must fail this file only, not the whole module
        return Outcome(crashed=f"loading crashed: {exc!r}"), None
    try:
        rendered = api.render(plan, "swarm")
    except TranslatorError as exc:
        return Outcome(refused=exc), None
    except Exception as exc:
        return Outcome(crashed=f"rendering crashed: {exc!r}"), None
    stack = out / rendered.documents[0].filename
    stack.write_text(dumps_stream(rendered.documents, "yaml"))
    return Outcome(schema=schema_errors(rendered.documents[0].content)), stack


def _check(item: tuple[Outcome, Path | None]) -> Outcome:
    outcome, stack = item
    if stack is None:
        return outcome
    # Relative bind/secret paths resolve against the stack file's folder: a file beside the
    # corpus file would point where the corpus does, but `stack config` only needs them to exist
    # for secrets/configs, so the checks run in a scratch copy folder of their own.
    done = run_client(["stack", "config", "-c", stack.name], stack.parent)
    outcome.config = (done.returncode, done.stderr)
    deploy = client_side_deploy(stack)
    outcome.deploy = deploy.stdout + deploy.stderr
    return outcome


@pytest.fixture(scope="module")
def outcomes() -> Iterator[dict[Path, Outcome]]:
    assert FILES, f"no compose files under {CORPUS}"
    require_client()
    with tempfile.TemporaryDirectory(prefix="swarm-corpus-") as tmp:
        rendered = []
        for index, path in enumerate(FILES):
            out = Path(tmp) / f"{index:04d}"
            out.mkdir()
            _link_sources(path.parent, out)
            rendered.append(_render(path, out))
        with ThreadPoolExecutor(max_workers=4) as pool:
            yield dict(zip(FILES, pool.map(_check, rendered), strict=True))


def _link_sources(source: Path, out: Path) -> None:
    """Make the corpus file's folder visible from the scratch folder (secret files, binds)."""
    for entry in source.iterdir():
        target = out / entry.name
        if not target.exists():
            target.symlink_to(entry)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file(path: Path, outcomes: dict[Path, Outcome]) -> None:
    outcome = outcomes[path]
    assert outcome.crashed is None, outcome.crashed
    if outcome.skipped is not None:
        pytest.skip(f"the loader refuses this file: {outcome.skipped}")
    if outcome.refused is not None:
        # A refusal must say where: the manager would refuse the same input.
        assert all(d.path for d in outcome.refused.diagnostics), str(outcome.refused)
        return
    assert outcome.schema == []
    assert outcome.config is not None and outcome.config[0] == 0, outcome.config
    assert outcome.deploy is not None
    assert not [m for m in UNSUPPORTED_MARKERS if m in outcome.deploy], outcome.deploy
    assert NO_DAEMON in outcome.deploy, outcome.deploy
