"""The session engine of the distributed mode: Django's cache sessions, plus `adopt()`, so that the page cache
(core.pagecache) can read a session in the same round trip to Redis as the page it serves."""

from __future__ import annotations

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore


class SessionStore(CacheSessionStore):
    def adopt(self, data: dict | None) -> bool:
        """Take the stored data of this session, read elsewhere under `self.cache_key`. False if there was none
        (then the session loads, and starts empty, as usual)."""
        if not isinstance(data, dict):
            return False
        self._session_cache = data
        return True
