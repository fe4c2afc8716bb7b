"""With the distributed mode's cache sessions, a cached page is served after one read of the cache: the session,
the page and its tables' stamps together."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from dangjian.core import sessions

pytestmark = pytest.mark.django_db


def test_a_hit_reads_the_session_the_page_and_the_stamps_at_once(world, login, settings, monkeypatch):
    settings.SESSION_ENGINE = "dangjian.core.sessions"
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    client.get(url)
    assert client.get(url).headers["X-Page-Cache"] == "miss"

    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, **kw: reads.append(list(keys)) or get_many(keys, **kw))

    def no_second_read(self):
        raise AssertionError("the session was read again")

    monkeypatch.setattr(sessions.SessionStore, "load", no_second_read)
    response = client.get(url)
    assert response.headers["X-Page-Cache"] == "hit"
    assert len(reads) == 1
    assert any(key.startswith("pc:p:") for key in reads[0])
    assert any(key.startswith("pc:t:") for key in reads[0])
    assert any(key.startswith("django.contrib.sessions.cache") for key in reads[0])


def test_a_session_gone_from_the_cache_is_signed_out(world, login, settings):
    settings.SESSION_ENGINE = "dangjian.core.sessions"
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    client.get(url)
    client.get(url)
    cache.delete(sessions.SessionStore(client.cookies["sessionid"].value).cache_key)
    response = client.get(url)
    assert response.status_code == 302 and "X-Page-Cache" not in response.headers
