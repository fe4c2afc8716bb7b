"""Signed-in pages served from the cache for as long as the rows they read are unchanged.

A view marked `@cached_page` is rendered once per session, address and language, and stored with the set of
tables its queries read. Every write that reaches a table (INSERT, UPDATE or DELETE through Django's cursors, COPY
through `core.bulk`) stamps that table with the time of its commit. A stored page is served only while none of
its tables has been stamped since its render began, so a cached page never shows older data than a fresh render
would; a short time-to-live (PAGE_CACHE_SECONDS) bounds what changes by the clock alone, such as a deadline
passing. Nothing is declared by hand: the dependencies are the queries themselves.

The cache must be shared by every web process (Redis, the distributed mode), otherwise one process would not see
another's stamps: settings turn the page cache on only when REDIS_URL is set.

What is never cached: anything but a signed-in GET answered with 200, a request with messages waiting to be shown,
and a render that wrote to the database (an audited reveal, for example).
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import re
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

STAMP_PREFIX = "pc:t:"
PAGE_PREFIX = "pc:p:"
# Stamps are numbers from one counter in the shared cache, not clock readings: web nodes' clocks may differ.
SEQUENCE_KEY = "pc:seq"

_TABLE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "TRUNCA")
# Sessions are not a page's data: the hit path loads the session itself. Signing in only moves last_login, which no
# page shows; without this, every sign-in in the province would expire every cached page.
_UNWATCHED = {"django_session"}
_LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"?core_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.IGNORECASE)


class _Recording:
    __slots__ = ("tables", "wrote")

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.wrote = False


_recording: contextvars.ContextVar[_Recording | None] = contextvars.ContextVar("dangjian_pagecache", default=None)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


# --- stamping writes -------------------------------------------------------------------------------------------


def tables_in(sql: str) -> set[str]:
    return set(_TABLE.findall(sql))


def depends_on(*tables: str) -> None:
    """Record that the page being rendered depends on these tables although it read them from a cache (rules)."""
    recording = _recording.get()
    if recording is not None:
        recording.tables.update(tables)


def _next() -> int:
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:
        # The counter is missing (first use, or the cache was emptied): start it from the clock, so that it stays
        # above every value handed out before.
        cache.add(SEQUENCE_KEY, time.time_ns(), timeout=None)
        return cache.incr(SEQUENCE_KEY)


def now() -> int:
    """The counter's current value: a stamp at or below it was made before this call."""
    value = cache.get(SEQUENCE_KEY)
    return value if value is not None else _next()


def stamp(tables: set[str] | frozenset[str]) -> None:
    """Mark these tables as changed: cached pages that read them are stale."""
    if tables and enabled():
        value = _next()
        cache.set_many({STAMP_PREFIX + table: value for table in tables}, timeout=None)


def written(tables: set[str], using: str = "default") -> None:
    """Stamp `tables` now, and again when the current transaction commits.

    The commit stamp is the one that matters: a page rendered between the write and the commit read the old rows
    and is stamped out by it. The first stamp covers reads inside the same transaction (and tests, whose
    transaction never commits)."""
    recording = _recording.get()
    if recording is not None:
        recording.wrote = True
    if not enabled() or not tables:
        return
    from django.db import connections

    stamp(tables)
    connection = connections[using]
    if not connection.in_atomic_block:
        return
    # One commit callback per transaction, however many statements it runs: it is dropped on rollback, and the
    # next write after that registers a new one.
    pending = connection.__dict__.get("_dangjian_stamps")
    if pending is None or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _Pending()
        connection.__dict__["_dangjian_stamps"] = pending
        transaction.on_commit(pending, using=using)
    pending.tables.update(tables)


class _Pending:
    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self) -> None:
        stamp(self.tables)


def _watch(execute, sql, params, many, context):
    head = sql.lstrip()[:6].upper()
    if head in _WRITES or (head.startswith("WITH") and re.search(r"\b(INSERT|UPDATE|DELETE)\b", sql, re.I)):
        result = execute(sql, params, many, context)
        tables = tables_in(sql) - _UNWATCHED
        if tables and not _LAST_LOGIN.match(sql):
            written(tables, context["connection"].alias)
        return result
    recording = _recording.get()
    if recording is not None:
        recording.tables.update(tables_in(sql) - _UNWATCHED)
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def connect() -> None:
    """Watch every database connection (called from CoreConfig.ready)."""
    from django.db import connections

    connection_created.connect(_install, dispatch_uid="dangjian_pagecache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- serving pages ---------------------------------------------------------------------------------------------


def _page_key(request) -> str:
    parts = [
        request.session.session_key or "",  # one signed-in session: the entry also names its user
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.headers.get("HX-Request", ""),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),  # the page embeds a token made from it
        timezone.localdate().isoformat(),
    ]
    return PAGE_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _stamp_keys(tables: tuple[str, ...]) -> list[str]:
    return [STAMP_PREFIX + table for table in tables]


def _fresh(entry: dict, found: dict) -> bool:
    """Whether every table the entry read still carries a stamp no newer than its render's start. `found` holds
    the stamps already fetched with the entry; the others are fetched now."""
    keys = _stamp_keys(entry["tables"])
    missing = [key for key in keys if key not in found]
    stamps = {**found, **(cache.get_many(missing) if missing else {})}
    for key in keys:
        if key not in stamps:
            # Never stamped, or the stamp was evicted: from now on it counts as changed now.
            cache.add(key, _next(), timeout=None)
            return False
    return all(stamps[key] <= entry["started"] for key in keys)


# The tables each page read when this process last stored it: a hit then fetches the page and its stamps in one
# round trip. Only a guess, checked against the entry (another process may have stored a different one).
_known_tables: dict[str, tuple[str, ...]] = {}
_KNOWN_TABLES_MAX = 10_000


def _lookup(request, key: str) -> tuple[str | None, dict | None]:
    """The signed-in user's id, and the stored page if it is still fresh and theirs. The session, the page and
    the stamps of the tables it read come in one round trip where the session engine allows it."""
    session = request.session
    guess = _known_tables.get(key, ())
    keys = [key, *_stamp_keys(guess)]
    batched = hasattr(session, "adopt") and settings.SESSION_CACHE_ALIAS == "default"
    if batched:
        keys.append(session.cache_key)
    found = cache.get_many(keys)
    if batched:
        session.adopt(found.pop(session.cache_key, None))
    user_id = session.get(SESSION_KEY)  # a signed-out or expired session has none
    entry = found.pop(key, None)
    if entry is None or not user_id or entry["user"] != user_id:
        return user_id, None
    if entry["tables"] != guess:
        found = {}
    return user_id, entry if _fresh(entry, found) else None


def _remember(key: str, tables: tuple[str, ...]) -> None:
    if len(_known_tables) >= _KNOWN_TABLES_MAX:
        _known_tables.clear()
    _known_tables[key] = tables


def _private(response):
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def cached_page(view):
    """Serve this signed-in, read-only view from the page cache while its tables are unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method != "GET":
            return view(request, *args, **kwargs)
        # Without the CSRF cookie the page's forms would carry a token for a secret only the first response set.
        if settings.CSRF_COOKIE_NAME not in request.COOKIES or not request.session.session_key:
            return view(request, *args, **kwargs)
        key = _page_key(request)
        user_id, entry = _lookup(request, key)
        messages = getattr(request, "_messages", None)
        if not user_id or (messages is not None and len(messages)):
            return view(request, *args, **kwargs)
        if entry is not None:
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"]:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
            return _private(response)
        started = now()
        recording = _Recording()
        token = _recording.set(recording)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        finally:
            _recording.reset(token)
        if response.status_code == 200 and not response.streaming and not recording.wrote and recording.tables:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length")]
            entry = {"started": started, "tables": tuple(sorted(recording.tables)), "headers": headers, "user": user_id}
            entry["content"] = response.content
            # A table never written since the cache started has no stamp yet: it has not changed since `started`
            # either (add() leaves a stamp made meanwhile in place).
            keys = _stamp_keys(entry["tables"])
            for stamp_key in set(keys) - set(cache.get_many(keys)):
                cache.add(stamp_key, started, timeout=None)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            _remember(key, entry["tables"])
            response.headers["X-Page-Cache"] = "miss"
        return _private(response)

    return wrapper
