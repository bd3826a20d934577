"""Give the process's free heap back to the system once it has nothing to do.

After a burst (say the outbox's flush of a hundred page copies) the API process's heap keeps
the memory its requests freed: glibc holds it for reuse, so RSS stays tens of MB higher for as
long as the service runs. `release_free_memory()` collects garbage and asks glibc to return
its free pages (`malloc_trim`); the supervisor calls it when the worker falls asleep, the
moment the whole companion goes idle. Elsewhere than glibc it only collects garbage.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache

__all__ = ["release_free_memory"]


@cache
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        return None


def release_free_memory() -> None:
    """Collect garbage, then return the heap's free pages to the system where glibc allows."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
