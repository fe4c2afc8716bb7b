"""The page cache (core.pagecache): signed-in pages served from the cache only while the rows they read are
unchanged, never across sessions or users, never with messages waiting or after a render that wrote."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from dangjian.core import bulk, pagecache
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Org, Person
from tests.conftest import SECRET_NAME_A

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["django.contrib.sessions.backends.db", "dangjian.core.sessions"])
def session_engine(request, settings):
    """Every test with database sessions (the embedded mode) and with the distributed mode's cache sessions,
    which the page cache reads in the same round trip as the page."""
    settings.SESSION_ENGINE = request.param
    return request.param


def _get(client, url):
    response = client.get(url)
    return response, response.headers.get("X-Page-Cache")


@pytest.fixture
def warm_roster(world, login):
    """school A's secretary with the roster page stored in the cache: (client, url)."""
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    _warm(client, url)
    return client, url


def _warm(client, url):
    """The first visit sets the CSRF cookie (pages are cached only for a browser that has it); the second
    renders and stores; from the third on the page comes from the cache."""
    client.get(url)
    response, state = _get(client, url)
    assert state == "miss"
    return response


def test_second_visit_is_served_from_the_cache_without_touching_the_database(world, login):
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    first = _warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        again, state = _get(client, url)
    assert state == "hit"
    assert again.content == first.content
    # Nothing but the session is read from the database (nothing at all with cache sessions).
    assert [q["sql"] for q in queries.captured_queries if "django_session" not in q["sql"]] == []
    assert "private" in again.headers["Cache-Control"]


def test_a_write_to_a_table_the_page_read_serves_the_new_data(world, warm_roster):
    client, url = warm_roster
    with unscoped("test: rename"):
        Org.objects.filter(pk=world.branch_a.pk).update(name="改名后的党支部")  # an UPDATE, no signals
    response, state = _get(client, url)
    assert state == "miss"
    assert "改名后的党支部" in response.content.decode()


def test_a_copy_through_core_bulk_stamps_its_table(world, warm_roster):
    client, url = warm_roster
    fields = ("name", "initials", "id_number", "phone", "job", "title", "school_id", "org_id", "gender", "is_active")
    row = ("新来的老师", "", "110101199003070000", "", "", "", world.school_a.pk, world.branch_a.pk, "F", True)
    bulk.insert_rows(Person, fields, [row])
    response, state = _get(client, url)
    assert state == "miss"
    assert "新来的老师" in response.content.decode()


def test_a_write_to_a_table_the_page_did_not_read_keeps_the_page(world, warm_roster):
    client, url = warm_roster
    from dangjian.core.audit import record

    record(actor=world.secretary, action="test.unrelated", obj=world.branch_a)  # the roster never reads the log
    assert _get(client, url)[1] == "hit"


def test_another_user_never_gets_a_cached_page(world, login):
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    _warm(login(world.secretary), url)
    outsider = login(world.outsider)
    outsider.get(url)
    response, state = _get(outsider, url)
    assert response.status_code == 404 and state is None
    assert SECRET_NAME_A not in response.content.decode()


def test_a_signed_out_session_is_not_served(world, warm_roster):
    client, url = warm_roster
    client.post(reverse("core:logout"))
    response, state = _get(client, url)
    assert response.status_code == 302 and state is None


def test_messages_waiting_are_shown_not_a_cached_page(world, login, rf):
    client = login(world.member)
    _warm(client, "/")
    storage, carrier = CookieStorage(rf.get("/")), HttpResponse()
    storage.add(messages.SUCCESS, "已保存的提示")
    storage.update(carrier)  # what a redirect after a saved form would set
    client.cookies["messages"] = carrier.cookies["messages"].value
    response, state = _get(client, "/")
    assert state is None
    assert "已保存的提示" in response.content.decode()


def test_language_and_htmx_requests_are_cached_apart(world, warm_roster):
    client, url = warm_roster
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.headers.get("X-Page-Cache") == "miss"  # the roster fragment, not the whole page


def test_rolled_back_writes_keep_their_first_stamp_and_commits_stamp_again(world):
    table = Org._meta.db_table
    with unscoped("test: writes"):
        _rollback_then_commit(world, table)


def _rollback_then_commit(world, table):
    before = pagecache.now()
    with pytest.raises(RuntimeError), transaction.atomic():
        Org.objects.filter(pk=world.branch_a.pk).update(name="不算数")
        stamped = pagecache.now()
        assert stamped > before
        raise RuntimeError
    # Nothing more is stamped by the rolled-back transaction.
    assert pagecache.now() == stamped
    with transaction.atomic():
        Org.objects.filter(pk=world.branch_a.pk).update(name="算数")
        Org.objects.filter(pk=world.branch_b.pk).update(name="也算数")
        inside = pagecache.now()
        stamps = [c for c in connection.run_on_commit if isinstance(c[1], pagecache._Pending)]
        assert len(stamps) == 1  # one per real transaction (here the test's own), however many writes
        assert table in stamps[0][1].tables
    assert table in pagecache.tables_in('UPDATE "orgs_org" SET "name" = %s')
    assert inside > stamped


@override_settings(PAGE_CACHE_SECONDS=0)
def test_switched_off_renders_every_time(world, login):
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    client.get(url)
    client.get(url)
    assert _get(client, url)[1] is None


def test_signing_in_does_not_expire_pages(world, warm_roster):
    client, url = warm_roster
    from django.contrib.auth.models import update_last_login

    update_last_login(None, world.member)
    assert _get(client, url)[1] == "hit"


def test_a_password_change_or_deactivation_expires_pages(world, warm_roster):
    client, url = warm_roster
    world.secretary.is_active = False
    world.secretary.save()
    response, state = _get(client, url)
    assert state is None and response.status_code == 302  # signed out: the user no longer exists as active


def test_a_wrong_guess_of_the_tables_still_checks_the_right_stamps(world, login):
    """Another web process may have stored the page after reading other tables than this process remembers."""
    client = login(world.secretary)
    url = reverse("orgs:detail", args=[world.branch_a.pk])
    _warm(client, url)
    for key in pagecache._known_tables:
        pagecache._known_tables[key] = ("core_auditentry",)  # a table the page never read
    with unscoped("test: rename"):
        Org.objects.filter(pk=world.branch_a.pk).update(name="另一个进程之后改的名")
    response, state = _get(client, url)
    assert state == "miss"
    assert "另一个进程之后改的名" in response.content.decode()
