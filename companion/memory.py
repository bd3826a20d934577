"""Give the process's free heap back to the system once it has nothing to do.

After a burst (say the outbox's flush of a hundred page copies) the API process's heap keeps
the memory its requests freed: glibc holds it for reuse, so RSS stays tens of MB higher for as
long as the service runs. `release_free_memory()` collects garbage and asks glibc to return
its free pages (`malloc_trim`); the supervisor calls it when the worker falls asleep, the
moment the whole companion goes idle. Elsewhere than glibc it only collects garbage.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from functools import cache

__all__ = ["keep_dataframe_libraries_out", "release_free_memory"]

# Imported by `sqlite_utils` whenever they are installed (to map their types), never used by the
# API process: together ~45 MB of an idle companion in a venv that has them (a developer's, or
# one shared with other tools).
_UNUSED_IN_THE_API = ("pandas", "numpy")


def keep_dataframe_libraries_out() -> None:
    """Make `import pandas` / `import numpy` fail in this process (call before sqlite_utils).

    For the API process only: `sqlite_utils` treats them as absent. The worker is a process of its
    own (spaCy needs numpy). Does nothing to a library already imported.
    """
    for name in _UNUSED_IN_THE_API:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


@cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None where there is none; looked up once.

    By its soname, not `ctypes.util.find_library("c")`: that runs `ldconfig -p` in a child
    process (the API forked a short-lived child the first time it fell idle)."""
    if not sys.platform.startswith("linux"):
        return None  # macOS and the BSDs: no malloc_trim
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        return None


def release_free_memory() -> None:
    """Collect garbage, then return the heap's free pages to the system where glibc allows."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
