"""A secretary records a 换届选举 on a phone (375 px): one line per full member, votes and post, nothing wider
than the screen."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.scoping import unscoped
from dangjian.membership.models import Election
from tests.browser_support import fits, screenshot, signed_in
from tests.conftest import build_world
from tests.membership.test_terms import _assembly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_an_election_on_a_phone(live_server, phone):
    world = build_world()
    meeting = _assembly(world, dt.date(2026, 9, 20))
    names = {p.name: p.pk for p in world.members_a}
    signed_in(phone.context, world.secretary, live_server.url)
    phone.goto(live_server.url + reverse("membership:election_new", kwargs={"org_pk": world.branch_a.pk}))
    phone.select_option("#id_meeting", str(meeting.pk))
    phone.fill("#id_seats", "1")
    phone.fill(f"input[name=votes_{names['甲书记']}]", "5")
    phone.select_option(f"select[name=post_{names['甲书记']}]", "secretary")
    phone.fill(f"input[name=votes_{names['甲党员']}]", "1")
    assert fits(phone)
    screenshot(phone, "membership-election-new-375")
    # 大字模式 at 200 % text (a person with low vision): still no sideways scrolling
    phone.evaluate("document.documentElement.classList.add('large-text')")
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    assert fits(phone)
    screenshot(phone, "membership-election-new-375-large-200")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/membership/elections/*/")
    with unscoped("test"):
        election = Election.all_objects.get()
        assert {c.person.name: (c.votes, c.elected, c.post) for c in election.candidates.all()} == {
            "甲书记": (5, True, "secretary"),
            "甲党员": (1, False, ""),
        }
