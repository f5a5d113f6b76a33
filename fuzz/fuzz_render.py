"""Coverage-guided fuzzing of one renderer, from compose text through to emitted text.

    FUZZ_TARGET=kubernetes /work/venv/bin/python fuzz/fuzz_render.py WORK_CORPUS \\
        fuzz/corpus/render -timeout=5 -rss_limit_mb=1024

FUZZ_TARGET names the renderer (kubernetes, swarm or marathon); it is an environment
variable because libFuzzer reads every command-line argument as a flag or a corpus.
Any exception but TranslatorError is a finding; so is emitted YAML or JSON that does not
parse back to the documents the renderer built.
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["translator"]):
    from fuzz_common import decode, render_and_check

    from translator.targets import names

TARGET = os.environ.get("FUZZ_TARGET", "")


def test_one(data: bytes) -> None:
    text = decode(data)
    if text is not None:
        render_and_check(text, TARGET)


if __name__ == "__main__":
    if TARGET not in names():
        sys.exit(f"set FUZZ_TARGET to one of: {', '.join(names())}")
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
