"""Coverage-guided fuzzing of the compose loader (YAML, interpolation, merge, normalize).

    /work/venv/bin/python fuzz/fuzz_loader.py WORK_CORPUS fuzz/corpus/loader \\
        -timeout=5 -rss_limit_mb=1024

Any exception but TranslatorError is a finding; so is a `config` document that does not
load back to the same model.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["translator"]):
    from fuzz_common import decode, round_trip_differences

    from translator.compose import yamlio
    from translator.errors import TranslatorError


def test_one(data: bytes) -> None:
    text = decode(data)
    if text is None:
        return
    with contextlib.suppress(TranslatorError):
        yamlio.parse_documents(text, "fuzz.yaml")
    problems = round_trip_differences(text)
    if problems:
        raise AssertionError("config round trip: " + "; ".join(problems)[:2000])

if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
