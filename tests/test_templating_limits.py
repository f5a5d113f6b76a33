"""A user's template cannot exhaust the process: each hostile shape ends in exit 1 with a
message naming the template file and line, under 1 GB (RLIMIT_AS) and without hanging.

Each case runs the CLI in a subprocess (tests/hardening/hardening_helpers.py: a 1 GB
address-space limit and a 60 s hang guard, never a speed assertion). Before the bounds,
these ended in exit 3 (OverflowError, MemoryError, RecursionError) or ran until killed.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from translator.sandbox import MAX_DEPTH, MAX_RANGE, MAX_STEPS
from translator.templating import builtin_templates_dir

sys.path.insert(0, str(Path(__file__).resolve().parent / "hardening"))
from hardening_helpers import Run, assert_clean_failure, run_cli, write

COMPOSE = "services:\n  web:\n    image: nginx\n"
HEAD = "apiVersion: apps/v1\nkind: Deployment\n"
TEMPLATE = "kubernetes/deployment.yaml.j2"
SOURCE = (builtin_templates_dir() / TEMPLATE).read_text(encoding="utf-8")

# (template body after HEAD, a part of the message); the failing line is always line 3.
BOUNDED = {
    "range": ("metadata: {{ range(10**9) | list | length }}\n", f"(the limit is {MAX_RANGE:,})"),
    "repeat": ("metadata: {{ 'x' * 10**9 }}\n", "a repeated str of size 1,000,000,000"),
    "power": ("metadata: {{ 10**99999999 }}\n", "an integer of"),
    "nested-loop": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        f"more than {MAX_STEPS:,} steps",
    ),
    "macro": (
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}\n", f"deeper than {MAX_DEPTH}"
    ),
    "include-self": (f"{{% include '{TEMPLATE}' %}}\n", "nest too deeply"),
    "include-twice": (
        f"{{% include '{TEMPLATE}' %}}{{% include '{TEMPLATE}' %}}\n", "nest too deeply"
    ),
    "printf-width": ("metadata: {{ '%*d' % (10**9, 1) }}\n", "a printf width of 1,000,000,000"),
    "format-width": ("metadata: {{ '{:>999999999}'.format(1) }}\n", "a format width"),
    "center": ("metadata: {{ 'x' | center(10**9) }}\n", "a width or count of 1,000,000,000"),
    "ljust": ("metadata: {{ 'x'.ljust(10**9) }}\n", "a width or count of 1,000,000,000"),
    "replace": (
        "metadata: {{ ('x' * 1000000) | replace('', 'y' * 1000) }}\n", "a replaced string"
    ),
    "join": ("metadata: {{ range(1000) | join('y' * 100000) }}\n", "a joined string"),
    "doubling": (
        "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s | length }}{% endmacro %}"
        "metadata: {{ d('x' * 1000, 40) }}\n",
        "a joined string",
    ),
    "zero-division": ("metadata: {{ 1 / 0 }}\n", "ZeroDivisionError"),
    "format-fields": (
        "metadata: {{ ('{0}' * 1000).format('x' * 1000000) }}\n", "a formatted string"
    ),
    "printf-fields": (
        "metadata: {{ ('%s' * 1000) % (('x' * 1000000,) * 1000) }}\n", "a repeated tuple"
    ),
    "printf-references": (
        "{% set a = 'x' * 2000000 %}metadata: {{ '%s%s%s%s' % (a, a, a, a) }}\n",
        "a formatted string of length 8,000,008",
    ),
    "join-references": (
        "metadata: {{ (['x' * 1000000] * 1000) | join }}\n", "a repeated list of size"
    ),
    "print-references": (
        "metadata: {{ [1] + ['x' * 1000000] * 1000 }}\n", "a repeated list of size"
    ),
    "printed-too-much": (
        "{% for i in range(100) %}{{ 'x' * 1000000 }}{% endfor %}\n", "a document of"
    ),
    "indent-string": (
        "metadata: {{ ('\\n' * 100000) | indent('x' * 1000) }}\n", "a string of length"
    ),
    "lipsum": ("metadata: {{ lipsum(10**6) }}\n", "'lipsum' is undefined"),
    # Printed values that are no JSON, and a parse that nests too deeply (found by fuzzing).
    "prints-a-range": ("metadata: {{ range(3) }}\n", "printed a range, which is no JSON value"),
    "undefined-inside-a-list": ("metadata: {{ [nope] }}\n", "'nope' is undefined"),
    "prints-infinity": ("metadata: {{ 1e308 * 10 }}\n", "printed a value JSON cannot hold"),
    "folded-infinity": ("metadata: {{ 10**9e9999999 }}\n", "overflows to infinity"),
    "nested-parentheses": ("metadata: {{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n",
                           "expressions nest too deeply to compile"),
}


def _project(tmp_path: Path, body: str) -> Path:
    write(tmp_path, "compose.yaml", COMPOSE)
    write(tmp_path / "tpl", TEMPLATE, HEAD + body)
    return tmp_path


def _convert(folder: Path) -> Run:
    return run_cli(["convert", "--to", "kubernetes", "--templates", "tpl"], folder)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``folder`` with its mode and size: what a run must not change."""
    return {
        str(p.relative_to(folder)): (p.lstat().st_mode, p.lstat().st_size)
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("case", sorted(BOUNDED))
def test_a_hostile_template_ends_in_a_positioned_error(case: str, tmp_path: Path) -> None:
    body, message = BOUNDED[case]
    folder = _project(tmp_path, body)
    before = _tree(folder)
    run = _convert(folder)
    assert_clean_failure(run, expect=message)
    # The message names the template file and the line the bound was hit at.
    assert f"{folder / 'tpl' / TEMPLATE}:3:1: template {TEMPLATE}:" in run.stderr
    assert _tree(folder) == before


def test_the_budget_is_per_document(tmp_path: Path) -> None:
    """A loop just under the step bound in every document passes: the bound is per document."""
    services = "".join(f"  s{i}: {{image: a}}\n" for i in range(3))
    write(tmp_path, "compose.yaml", "services:\n" + services)
    loop = "{% for i in range(MAX) %}{% endfor %}".replace("MAX", str(MAX_STEPS // 2))
    write(tmp_path / "tpl", TEMPLATE, loop + SOURCE)
    run = _convert(tmp_path)
    # range() itself is bounded below the step budget, so the loop is split in a nested pair.
    assert run.code == 1 and f"limit is {MAX_RANGE:,}" in run.stderr
    nested = "{% for i in range(10) %}{% for j in range(40000) %}{% endfor %}{% endfor %}"
    write(tmp_path / "tpl", TEMPLATE, nested + SOURCE)
    run = _convert(tmp_path)
    assert run.code == 0, run.stderr
    assert run.stdout.count("kind: Deployment") == 3


def _link_outside(folder: Path, outside: Path) -> None:
    (folder / "tpl" / "kubernetes").mkdir(parents=True)
    (outside / "deployment.yaml.j2").write_text("kind: Secret\n")
    os.symlink(outside / "deployment.yaml.j2", folder / "tpl" / TEMPLATE)


def _folder_outside(folder: Path, outside: Path) -> None:
    (folder / "tpl").mkdir()
    (outside / "deployment.yaml.j2").write_text("kind: Secret\n")
    os.symlink(outside, folder / "tpl" / "kubernetes")


def _fifo(folder: Path, outside: Path) -> None:
    (folder / "tpl" / "kubernetes").mkdir(parents=True)
    os.mkfifo(folder / "tpl" / TEMPLATE)


def _device_link(folder: Path, outside: Path) -> None:
    (folder / "tpl" / "kubernetes").mkdir(parents=True)
    os.symlink("/dev/zero", folder / "tpl" / TEMPLATE)


def _device(folder: Path, outside: Path) -> None:
    (folder / "tpl" / "kubernetes").mkdir(parents=True)
    try:
        os.mknod(folder / "tpl" / TEMPLATE, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device file needs privileges")


def _inside(folder: Path, outside: Path) -> None:
    """A symlink that stays inside the folder is followed: it is the user's own file."""
    write(folder / "tpl", "shared/deployment.yaml.j2", "{# linked #}\n" + SOURCE)
    (folder / "tpl" / "kubernetes").mkdir()
    os.symlink("../shared/deployment.yaml.j2", folder / "tpl" / TEMPLATE)


REFUSED = {
    "file-symlink-outside": (_link_outside, "is a symlink leading outside the templates folder"),
    "folder-symlink-outside": (_folder_outside, "is a symlink leading outside the templates"),
    "fifo": (_fifo, "is not a regular file"),
    "device-through-symlink": (_device_link, "is a symlink leading outside"),
    "device": (_device, "is not a regular file"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_template_leading_outside_or_not_a_file_is_refused(case: str, tmp_path: Path) -> None:
    make, message = REFUSED[case]
    folder, outside = tmp_path / "p", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    write(folder, "compose.yaml", COMPOSE)
    make(folder, outside)
    before = _tree(tmp_path)
    run = _convert(folder)
    assert_clean_failure(run, expect=message)
    assert f"template {TEMPLATE}:" in run.stderr
    assert "kind: Deployment" not in run.stdout  # the built-in did not stand in
    assert _tree(tmp_path) == before


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", COMPOSE)
    _inside(tmp_path, tmp_path)
    run = _convert(tmp_path)
    assert run.code == 0, run.stderr
    assert "kind: Deployment" in run.stdout


FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
TEMPLATE_CORPUS = sorted((FUZZ / "corpus" / "templates").glob("*"))


@pytest.mark.parametrize("path", TEMPLATE_CORPUS, ids=lambda p: p.name)
def test_template_fuzz_corpus_entry(path: Path) -> None:
    """The templates fuzzer's seeds and findings, through its own check, in process: only
    TranslatorError may escape, and the hang guard turns a missing bound into a failure."""
    sys.path.insert(0, str(FUZZ))
    from fuzz_common import render_template
    from work_counts import hang_guard

    with hang_guard():
        render_template(path.read_text(encoding="utf-8"))
