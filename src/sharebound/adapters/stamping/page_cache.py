"""A bounded, in-process cache of what view only cuts out of stored PDFs: one-page PDFs by
(blob SHA-256, page index), and each document's page outline by SHA-256.

Opening a long PDF is most of a page image's cost (a 5,000-page, 3.5 MB PDF takes about 0.3 s
to open, its page about 0.05 s to cut, stamp and render), so a request cuts the page it needs
and the next few at one opening, and the readers' later requests find them here. The keys are
content addresses, so an entry never goes stale; the stamp is never cached (it is the
copy's). Least recently used entries go first, past `max_bytes`; it is only a cache: any
process may start empty (the server keeps no state between requests that matters).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A thread-safe LRU mapping holding at most `max_bytes` (as `put` is told each entry costs)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int) -> None:
        if size > self.max_bytes // 8:  # why: one huge page must not push out every other
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, gone) = self._entries.popitem(last=False)
                self._bytes -= gone

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


PAGES: Bounded[tuple[str, int], bytes] = Bounded(64 * 1_048_576)  # why: a few thousand pages of text
OUTLINES: Bounded[str, tuple[int, tuple[float, float]]] = Bounded(1_048_576)  # why: ~100 B each
