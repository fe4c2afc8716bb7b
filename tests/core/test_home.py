"""Issue 17 item 1: after signing in each person lands where their work is; the home page groups its tiles and
puts 记录会议 one tap from a secretary."""

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.orgs.models import OrgKind
from tests.factories import GrantFactory, OrgFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(username: str, **extra):
    return Client().post(
        reverse("core:login") + extra.get("query", ""), {"username": username, "password": "dangjian-test-pw"}
    )


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("county_admin", "insights:lag"),
        ("secretary", "meetings:index"),
        ("member", "core:me"),
        ("teacher", "core:me"),
    ],
)
def test_each_person_lands_where_their_work_is(world, who, lands_on):
    response = sign_in(who)
    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)


def test_a_next_parameter_still_wins(world):
    response = sign_in("secretary", query="?next=/me/")
    assert response["Location"] == "/me/"


def test_a_county_without_schools_lands_on_its_checklist(db):
    county = OrgFactory(kind=OrgKind.COMMITTEE, name="新县教育党工委", parent=None, term_started_on=None)
    GrantFactory(user=UserFactory(username="chief"), org=county, role="county_admin")
    assert sign_in("chief")["Location"] == reverse("orgs:setup")


def test_secretary_records_a_meeting_in_one_tap_from_home(world, login):
    page = login(world.secretary).get(reverse("core:home")).content.decode()
    assert reverse("meetings:record_new", args=[world.branch_a.pk]) in page
    assert "记录会议" in page


def test_county_home_groups_its_tiles(world, login):
    response = login(world.county_admin).get(reverse("core:home"))
    titles = [title for title, _tiles in response.context["groups"]]
    assert titles[0] == "日常工作"
    assert "督查与统计" in titles
    oversight = dict(response.context["groups"])["督查与统计"]
    assert reverse("insights:dashboard") in [tile["url"] for tile in oversight]
    assert "记录会议" not in response.content.decode()


def test_teacher_home_has_no_record_shortcut(world, login):
    response = login(world.teacher).get(reverse("core:home"))
    assert response.context["shortcuts"] == []
