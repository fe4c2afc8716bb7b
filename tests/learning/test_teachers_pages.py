"""Issue 17 item 5: a non-member teacher's learning page and 我的 show only what applies to them."""

import pytest
from django.urls import reverse

from tests.learning.helpers import make_bank, make_contest, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(world):
    bank = make_bank(world.county)
    make_plan(world.branch_a, title="党员学习计划", audience="members")
    make_plan(world.branch_a, title="全体教职工学习计划", audience="all")
    make_contest(world.county, bank, title="党章知识竞赛", audience="members")
    make_contest(world.county, bank, title="师德知识竞赛", audience="all")


def titles(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("url", ["core:me", "learning:index"])
def test_a_teacher_sees_only_what_is_for_all_staff(world, login, offered, url):
    page = titles(login(world.teacher).get(reverse(url)))
    assert "全体教职工学习计划" in page and "师德知识竞赛" in page
    assert "党员学习计划" not in page and "党章知识竞赛" not in page


@pytest.mark.parametrize("url", ["core:me", "learning:index"])
def test_a_member_sees_the_party_study_too(world, login, offered, url):
    page = titles(login(world.member).get(reverse(url)))
    assert "党员学习计划" in page and "党章知识竞赛" in page


def test_an_organizer_still_sees_what_they_publish(world, login, offered):
    page = titles(login(world.county_admin).get(reverse("learning:index")))
    assert "党员学习计划" in page and "党章知识竞赛" in page
