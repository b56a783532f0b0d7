"""The server process gives memory it freed back to the system (glibc; elsewhere the calls change nothing)."""

from __future__ import annotations

import sys

import psutil
import pytest

from mmrec.process_memory import limit_arenas, trim

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def test_memory_freed_between_what_is_still_held_goes_back_to_the_system():
    # As in a server: blocks of every visit interleaved, most of them dropped when their visit ends.
    blocks = [bytearray(1500) for _ in range(80_000)]
    held = blocks[::50]
    del blocks
    freed = rss_mb()
    assert trim()
    assert rss_mb() < freed - 60, "the ~115 MB freed stayed resident"
    assert len(held) == 1600


def test_arenas_can_be_limited():
    assert limit_arenas(2)
