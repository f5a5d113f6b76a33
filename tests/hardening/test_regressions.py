"""Findings of the fuzzers (fuzz/) and of the hardening suite, each kept as a regression test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hardening_helpers import BASE, run_cli, write
from work_counts import hang_guard, peak_bytes

from translator import api
from translator.compose.serialize import escape_dollars
from translator.emit import dump
from translator.errors import TranslatorError


def _load(text: str, folder: Path) -> api.Loaded:  # type: ignore[name-defined]
    return api.load_project(["-"], stdin=text, environ={}, working_dir=folder, project_name="p")


# the swarm fuzzer: "(?:[-_]*[a-zA-Z0-9]+)*" backtracked exponentially on a service name
# with one bad character; 20 characters took 1.7 s, 30 would take hours, so these names
# (40 to 80 characters) end only if the check is linear.
# The loader now refuses names outside Compose's [a-zA-Z0-9._-]+, so the first two reach
# the check only directly; the third is a valid compose name that Swarm refuses.
@pytest.mark.parametrize("name", ["prometh`eus" + "a" * 40, "a" * 60 + "!", "a-" * 40 + "."])
def test_swarm_name_check_is_linear(name: str, tmp_path: Path) -> None:
    from translator.targets.swarm import check_name

    with hang_guard(), pytest.raises(TranslatorError, match=r"DNS label|longer than"):
        check_name("p", name)


def test_swarm_refuses_a_compose_name_it_cannot_use(tmp_path: Path) -> None:
    loaded = _load(json.dumps({"services": {"a-" * 40 + ".": {"image": "nginx"}}}), tmp_path)
    with hang_guard(), pytest.raises(TranslatorError, match=r"DNS label|longer than"):
        api.render(api.resolve(loaded, "local"), "swarm")


# the swarm fuzzer: a label key holding a line break was written by yaml-rs as a block
# scalar, which cannot be a key; the rest of the key became a new mapping entry.
@pytest.mark.parametrize("target", ["swarm", "marathon", "kubernetes"])
def test_label_key_with_line_break_keeps_structure(target: str, tmp_path: Path) -> None:
    labels = {"a\nconfigs: injected": "v", "443:4x\nb": "", "0o17": "0b1"}
    loaded = _load(json.dumps({"services": {"web": {"image": "nginx", "labels": labels}}}),
                   tmp_path)
    try:
        docs = api.render(api.resolve(loaded, "local"), target).documents
    except TranslatorError:
        return  # refusing such a key is fine too
    parsed = list(yaml.safe_load_all(api.to_text(docs, "yaml")))
    assert parsed == [d.content for d in docs]


# tests/hardening/test_yaml_hostile: templating's long-key pre-check, a backtracking regex,
# took 6 s and 1.8 GB on a 15 MB environment value: its memory is what stays measurable.
def test_large_value_renders_in_linear_memory(tmp_path: Path) -> None:
    def render_all(size: int) -> int:
        value = "a" * size
        loaded = _load(BASE + f"    environment:\n      A: {value}\n", tmp_path)

        def render() -> None:
            for target in api.target_names():
                api.render(api.resolve(loaded, "local"), target)

        with hang_guard():
            return peak_bytes(render)

    mib = 1024 * 1024
    small, large = render_all(2 * mib), render_all(4 * mib)
    # Measured: about twice the value (a copy or two of it); the old pattern held some
    # 120 bytes per character of the value.
    assert large <= 8 * 4 * mib, f"rendering a 4 MiB value peaked at {large:,} bytes"
    assert large <= 2.2 * small, f"peaks {small:,} and {large:,} bytes at 2 and 4 MiB"


# fuzz_loader: `config` output must load back to the same project. Compose's `config`
# doubles every `$` (else ${HOME} in a value is interpolated again) and the text must come
# from the one emitter (yaml_rs.dumps writes some keys as block scalars).
CONFIG_CASES = {
    "dollar": BASE + "    command: echo $${HOME} $$$$ $${A:-b}\n",
    "label-key-with-line-break": BASE + '    labels: {"a\\nb": v}\n',
    "number-like-string": BASE + '    environment: {A: "0o17", B: "2001-12-14", C: "1_000"}\n',
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_config_document_round_trips_through_the_emitter(case: str, tmp_path: Path) -> None:
    first = _load(CONFIG_CASES[case], tmp_path)
    text = dump(escape_dollars(api.compose_document(first.project)), "yaml")
    second = _load(text, tmp_path)
    assert second.project.services["web"].model_copy(update={"source_keys": ()}) == \
        first.project.services["web"].model_copy(update={"source_keys": ()})


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_cli_config_output_loads_back_to_the_same_project(case: str, tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", CONFIG_CASES[case])
    run = run_cli(["config", "-f", "compose.yaml"], tmp_path)
    assert run.code == 0, run.stderr
    write(tmp_path, "again.yaml", run.stdout)
    again = run_cli(["config", "-f", "again.yaml"], tmp_path)
    assert again.code == 0 and again.stdout == run.stdout, again.stderr


# fuzz_loader: a YAML key that is null, a float or a bool ended up in a diagnostic's path,
# and formatting the message raised TypeError (an internal error, exit 3).
@pytest.mark.parametrize(
    "text",
    [
        "~: ${\n" + BASE,
        "~:\n :${'A+-}",  # the fuzzer's minimal input
        "1.5: ${TA+:-x\n" + BASE,
        BASE + "    environment:\n      1.5: [x]\n",
        BASE + "    environment:\n      ~: {a: b}\n",
        BASE + "    labels:\n      true: [x]\n",
        "services:\n  web:\n    image: nginx\n    ~: ${\n",
    ],
)
def test_non_string_keys_in_error_paths(text: str, tmp_path: Path) -> None:
    with pytest.raises(TranslatorError) as caught:
        _load(text, tmp_path)
    assert str(caught.value)


def test_format_path_accepts_any_key() -> None:
    from translator.errors import format_path

    assert format_path(("services", None, 1.5, True, 2)) == "services[None][1.5][True][2]"  # type: ignore[arg-type]


# the marathon fuzzer: locating the error in this file ran the indentation walk's gate,
# whose flow pattern backtracked exponentially on the run of quotes (over 6 s; each
# further quote doubles it): only linear work ends here.
def test_locating_an_error_beside_a_run_of_quotes_ends(tmp_path: Path) -> None:
    text = ("services:\n  web:\n    image: ngTAG:-1.27}\n"
            "    ports: ['8[80:80',<</t" + "'" * 66 + "cc']\n")
    with hang_guard(), pytest.raises(TranslatorError, match="invalid image reference"):
        _load(text, tmp_path)


# the kubernetes fuzzer: a memory of whole exbibytes became "2Ei", which the quantity
# parser took for an exponent and refused with decimal.InvalidOperation (an internal error).
def test_exbibyte_memory_renders(tmp_path: Path) -> None:
    text = ("services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n"
            "        limits: {memory: 2147483648g}\n        reservations: {memory: 1073741824g}\n")
    docs = api.render(api.resolve(_load(text, tmp_path), "local"), "kubernetes").documents
    [deployment] = [d for d in docs if d.kind == "Deployment"]
    resources = deployment.content["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == {"limits": {"memory": "2Ei"}, "requests": {"memory": "1Ei"}}


LONG_NAME = "d" * 5000  # past every file system's name limit (ENAMETOOLONG)
# Every place a compose file names a file of the project (found by fuzz_loader and
# fuzz_render: an over-long name crashed the existence check of a secret's file).
LONG_PATH_CASES = {
    "secret file": f"services:\n  w:\n    image: a\n    secrets: [s]\n"
                   f"secrets:\n  s:\n    file: ./{LONG_NAME}\n",
    "config file": f"services:\n  w:\n    image: a\n    configs: [c]\n"
                   f"configs:\n  c:\n    file: ./{LONG_NAME}\n",
    "env_file": f"services:\n  w:\n    image: a\n    env_file: ./{LONG_NAME}\n",
    "include": f"include:\n  - ./{LONG_NAME}\nservices:\n  w:\n    image: a\n",
    "extends": f"services:\n  w:\n    extends: {{file: ./{LONG_NAME}, service: x}}\n",
}


@pytest.mark.parametrize("case", sorted(LONG_PATH_CASES))
@pytest.mark.parametrize("command", ["config", "convert"])
def test_an_over_long_file_name_is_bad_input_not_a_crash(
    case: str, command: str, tmp_path: Path
) -> None:
    write(tmp_path, "compose.yaml", LONG_PATH_CASES[case])
    done = run_cli([command], tmp_path)
    assert done.code in (0, 1), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    if done.code == 1:
        assert "compose.yaml:" in done.stderr  # a positioned message
