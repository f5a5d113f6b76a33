"""Coverage-guided fuzzing of the kubernetes renderer, from compose text through to emitted text.

    /work/venv/bin/python fuzz/fuzz_render_kubernetes.py WORK_CORPUS fuzz/corpus/render \\
        -timeout=5 -rss_limit_mb=1024

Any exception but TranslatorError is a finding; so is emitted YAML or JSON that does not
parse back to the documents the renderer built.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["translator"]):
    from fuzz_common import decode, render_and_check


def test_one(data: bytes) -> None:
    text = decode(data)
    if text is not None:
        render_and_check(text, "kubernetes")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
