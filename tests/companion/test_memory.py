"""`release_free_memory`: the heap a burst freed goes back to the system (glibc's malloc_trim)."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from tests.support import REPO

_SCRIPT = """
import sys
import psutil
from companion.memory import release_free_memory
def rss_mb():
    return psutil.Process().memory_info().rss / 2**20
blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]  # ~100 MB of heap
pin = blocks[-1]  # allocated last, kept: the heap's top cannot shrink by itself
del blocks
before = rss_mb()
if sys.argv[1] == "release":
    release_free_memory()
print(before - rss_mb())
"""


def _freed_mb(mode: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return float(out)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or "libc.so" not in (ctypes.util.find_library("c") or ""),
    reason="malloc_trim is glibc's",
)
def test_memory_freed_by_a_burst_goes_back_to_the_system():
    assert _freed_mb("keep") < 10  # glibc alone keeps it…
    assert _freed_mb("release") > 60  # …until it is asked to give it back


def test_giving_memory_back_starts_no_process(monkeypatch):
    # The supervisor calls it the moment the companion falls idle: a child process then (ctypes'
    # find_library runs `ldconfig -p`) is a fork of the whole API process, and one more process
    # in its tree for whoever measures it.
    from companion import memory

    started = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        started.append(args[0] if args else kwargs.get("args"))
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    memory._malloc_trim.cache_clear()
    memory.release_free_memory()
    assert started == []
    if sys.platform.startswith("linux"):
        assert memory._malloc_trim() is not None  # glibc's, found by its soname
