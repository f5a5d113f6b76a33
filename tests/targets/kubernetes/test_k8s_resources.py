"""Kubernetes quantities: parsed as the API server reads them, every suffix included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translator.targets.kubernetes.resources import memory_quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", Decimal(1)), ("500m", Decimal("0.5")), ("1.5", Decimal("1.5")),
        ("128Mi", Decimal(128 << 20)), ("1G", Decimal(10**9)), ("1k", Decimal(1000)),
        # E is exa and Ei exbi, not an exponent (the kubernetes fuzzer: a huge memory
        # reservation became "...Ei" and the parser raised instead of reading it)
        ("5E", Decimal(5 * 10**18)), ("5Ei", Decimal(5 << 60)), ("1.5Ei", Decimal(3 << 59)),
        ("1e3", Decimal(1000)), ("1E3", Decimal(1000)), ("2E+2", Decimal(200)),
        ("-1e-3", Decimal("-0.001")),
        ("1 GB", None), ("1Gb", None), ("", None), ("e3", None), ("1e", None),
    ],
)
def test_parse_quantity(text: str, value: Decimal | None) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("size", [1, 1023, 1 << 20, 3 << 30, 5 << 60, (10**40) << 20])
def test_every_memory_quantity_reads_back_at_least_as_large(size: int) -> None:
    parsed = parse_quantity(memory_quantity(size))
    assert parsed is not None and parsed >= size
