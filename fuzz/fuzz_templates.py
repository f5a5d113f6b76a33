"""Coverage-guided fuzzing of a user's template (``--templates DIR``) in the bounded sandbox.

    /work/venv/bin/python fuzz/fuzz_templates.py WORK_CORPUS fuzz/corpus/templates \\
        -timeout=5 -rss_limit_mb=1024

Each input is the text of ``kubernetes/deployment.yaml.j2``. Any exception but
TranslatorError is a finding, and so is an input over the time or memory limit: the
sandbox must end every template (a huge range, repetition, power, loop, recursion) with
a clear error.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["translator", "jinja2"]):
    from fuzz_common import decode, render_template


def test_one(data: bytes) -> None:
    text = decode(data)
    if text is not None:
        render_template(text)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
