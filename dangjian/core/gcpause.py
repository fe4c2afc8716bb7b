"""Pausing Python's cyclic garbage collector around work that allocates millions of objects without cycles.

The ledger PDF (WeasyPrint's box tree) and the full compliance refresh (a million small tuples) made the collector
walk the whole growing heap again and again: a third of the ledger's layout time, 1.5 s of the refresh's 2.5 s of
Python. Reference counting still frees most objects at once; what is left was allocated while paused, so one pass
over the youngest generation at the end frees it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # pauses under way in this process (jobs may run in threads)
_enabled_before = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector is process-wide: it comes back on when the last pause under way ends, as it was before."""
    global _pauses, _enabled_before
    with _lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()
        gc.collect(0)
