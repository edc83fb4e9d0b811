"""Memory: the budgets decodes are held to, and giving freed buffers back to the system."""

from __future__ import annotations

import platform
import sys

import pytest

from tests.builders import python_output
from viewer.imaging.memory import (
    DECODE_BUDGET,
    LARGE_DECODE_BUDGET,
    LARGE_DECODE_PIXELS,
)
from viewer.imaging.pixels import decode_cost
from viewer.imaging.raw import raw_cost

MIB = 2**20


def test_an_everyday_photo_fits_the_everyday_budget() -> None:
    """A 24-MP JPEG decoded whole takes 96 MB, and fitted to a big screen it is copied
    once more for Qt: within the everyday budget, so it needs no large-decode lane."""
    whole = decode_cost((6000, 4000), "RGB", converts=False)
    assert whole == 96_000_000
    assert whole + raw_cost((2560, 1707)) <= DECODE_BUDGET
    assert decode_cost((12000, 8000), "RGB", converts=False) > DECODE_BUDGET, "96 MP does not"


def test_two_workers_and_the_window_stay_under_a_gigabyte() -> None:
    """One decode at a time in the large lane, the other worker within the everyday budget."""
    assert DECODE_BUDGET < LARGE_DECODE_BUDGET
    assert LARGE_DECODE_BUDGET + DECODE_BUDGET < 1024 * MIB - 256 * MIB  # room for the window


def test_small_decodes_are_not_worth_a_trim() -> None:
    assert 256 * 256 < LARGE_DECODE_PIXELS <= 1400 * 900


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_freed_buffers_go_back_to_the_system() -> None:
    """In a fresh interpreter: 125 MiB freed but held by the allocator (a live block above
    them stops it shrinking the heap) is resident until released."""
    code = """
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 // 2**20
from viewer.imaging.memory import release_free_memory
blocks = [b"x" * (64 * 1024) for _ in range(2000)]
kept = blocks[-1]
del blocks
held = resident()
release_free_memory()
print(held - resident())
"""
    assert int(python_output(code)) >= 100, "MiB given back"
