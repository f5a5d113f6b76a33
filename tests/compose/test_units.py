"""Durations, sizes and CPU counts as Compose parses them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.compose.units import format_go_float, parse_cpus, parse_duration, parse_size
from translator.errors import TranslatorError

PATH = ("services", "web", "healthcheck", "interval")


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("0", 0),
        ("0s", 0),
        ("1s", 1_000_000_000),
        ("1m30s", 90_000_000_000),
        ("1.5s", 1_500_000_000),
        ("100ms", 100_000_000),
        ("2h", 7_200_000_000_000),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006),
        ("10\u00b5s", 10_000),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("+3s", 3_000_000_000),
        ("1.0000000001s", 1_000_000_000),
        (" 5s ", 5_000_000_000),
    ],
)
def test_parse_duration(text: str, ns: int) -> None:
    assert parse_duration(text, PATH) == ns


@pytest.mark.parametrize(
    "value",
    ["1x", "10", "", "s", ".s", "-1s", "1s2", "1 s", "abc", 10, 1.5, True, None, ["1s"]],
)
def test_parse_duration_rejects(value: object) -> None:
    with pytest.raises(TranslatorError) as info:
        parse_duration(value, PATH)
    diag = info.value.diagnostics[0]
    assert diag.path == PATH
    assert diag.message.startswith(f"invalid duration {value!r}: expected a Go duration such as")


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (0, 0),
        (1024, 1024),
        (1.9, 1),
        ("100", 100),
        ("100b", 100),
        ("100B", 100),
        ("100k", 102_400),
        ("100K", 102_400),
        ("100kb", 102_400),
        ("100KiB", 102_400),
        ("512m", 536_870_912),
        ("1g", 1_073_741_824),
        ("1.5GB", 1_610_612_736),
        ("1.5 g", 1_610_612_736),
        ("2t", 2 * 1024**4),
        ("1p", 1024**5),
        (".5k", 512),
    ],
)
def test_parse_size(value: object, size: int) -> None:
    assert parse_size(value, ("services", "web", "mem_limit")) == size


@pytest.mark.parametrize("value", ["1x", "1kk", "1kbb", "1gi", "k", "", "-1m", -1, True, None, [1]])
def test_parse_size_rejects(value: object) -> None:
    path = ("services", "web", "mem_limit")
    with pytest.raises(TranslatorError) as info:
        parse_size(value, path)
    diag = info.value.diagnostics[0]
    assert diag.path == path
    assert (
        diag.message
        == f"invalid size {value!r}: expected a size in bytes such as 512m, 1g, 1.5GB or 100k"
    )


@pytest.mark.parametrize(("value", "cpus"), [(0.5, 0.5), (2, 2.0), ("0.25", 0.25), (" 1 ", 1.0)])
def test_parse_cpus(value: object, cpus: float) -> None:
    assert parse_cpus(value, ("services", "web", "cpus")) == cpus


@pytest.mark.parametrize("value", ["half", "-1", -0.5, True, None, "nan", "inf"])
def test_parse_cpus_rejects(value: object) -> None:
    with pytest.raises(TranslatorError) as info:
        parse_cpus(value, ("services", "web", "cpus"))
    assert info.value.diagnostics[0].path == ("services", "web", "cpus")
    assert "expected a number of CPUs" in info.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("value", "text"), [(1.0, "1"), (1.5, "1.5"), (0.1, "0.1"), (1e22, "1e+22")]
)
def test_format_go_float(value: float, text: str) -> None:
    assert format_go_float(value) == text


def test_long_unit_strings_are_parsed_without_the_cache() -> None:
    # Strings past the memoized length take the same parser, uncached.
    from translator.compose import units

    long_duration = "1s" * 40
    assert len(long_duration) > units._CACHED_LEN
    assert units.parse_duration(long_duration, ()) == 40 * 1_000_000_000
    long_size = "0" * 70 + "1k"
    assert units.parse_size(long_size, ()) == 1024
    with pytest.raises(TranslatorError):
        units.parse_duration("x" * 100, ())
    with pytest.raises(TranslatorError):
        units.parse_size("x" * 100, ())


@pytest.mark.parametrize(
    ("value", "size"),
    [
        # Exact where a float is not: 2**53 + 1, and a fraction of a large number.
        ("9007199254740993b", 2**53 + 1),
        (9007199254740993, 2**53 + 1),
        ("9223372036854775807", 2**63 - 1),
        ("8191.9999999999999999p", 8191 * 1024**5 + (1024**5 - 1)),
        ("0.3k", 307),  # Docker truncates to whole bytes, and so do we
        (1e3, 1000),
    ],
)
def test_parse_size_is_exact(value: object, size: int) -> None:
    assert parse_size(value, ("services", "web", "mem_limit")) == size


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("99999999999999999999g", "'99999999999999999999g'"),
        ("9223372036854775808", "'9223372036854775808'"),
        (2**63, str(2**63)),
        ("8192p", "'8192p'"),
        ("1" * 5000 + "k", "'11111111111111111111111111111...1111k' (5003 characters)"),
    ],
)
def test_parse_size_refuses_what_no_target_holds(value: object, quoted: str) -> None:
    path = ("services", "web", "shm_size")
    with pytest.raises(TranslatorError) as info:
        parse_size(value, path)
    diag = info.value.diagnostics[0]
    assert diag.path == path
    assert diag.message == (
        f"size {quoted} is more than any target can hold: Docker, Swarm, Kubernetes and Mesos "
        "keep sizes as signed 64-bit byte counts (at most 9223372036854775807 bytes)"
    )


@pytest.mark.parametrize(
    ("value", "cpus"),
    [
        ("0.1", Decimal("0.1")),
        (0.1, Decimal("0.1")),
        ("2.50", Decimal("2.5")),
        (2, Decimal(2)),
        ("1e3", Decimal(1000)),
        ("1.123456789", Decimal("1.123456789")),
        ("9223372036854775.807", Decimal("9223372036854775.807")),
    ],
)
def test_parse_cpus_is_exact(value: object, cpus: Decimal) -> None:
    parsed = parse_cpus(value, ("services", "web", "cpus"))
    assert isinstance(parsed, Decimal)
    assert (parsed, str(parsed)) == (cpus, str(cpus))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1e308, "is more than any target can hold"),
        ("1e99999999", "is more than any target can hold"),
        ("9223372036854775.808", "is more than any target can hold"),
        ("0.0000000001", "is finer than any target can hold"),
        (1e-10, "is finer than any target can hold"),
    ],
)
def test_parse_cpus_refuses_what_no_target_holds(value: object, reason: str) -> None:
    with pytest.raises(TranslatorError) as info:
        parse_cpus(value, ("services", "web", "cpus"))
    diag = info.value.diagnostics[0]
    assert diag.path == ("services", "web", "cpus")
    assert diag.message.startswith(f"cpus {value!r} {reason}")
