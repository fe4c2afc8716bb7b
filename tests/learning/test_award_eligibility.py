"""Essay awards go only to authors the one eligibility gateway (core.eligibility) clears, and the organizer
learns only that an author does not qualify now, never the case behind it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import eligibility
from dangjian.learning import services
from dangjian.learning.models import Essay
from tests.ethics.factories import SanctionFactory
from tests.factories import GrantFactory, PersonFactory, UserFactory
from tests.learning.helpers import make_call

STARTS, ENDS = dt.date(2026, 3, 1), dt.date(2026, 9, 1)  # a 警告: six months, eligible again on ENDS


@pytest.fixture
def judge(world):
    user = UserFactory(username="judge_e")
    GrantFactory(user=user, org=world.county, role="assessor")
    return user


def _scored_call(world, judge, marks):
    """A closed, fully reviewed call: marks = {persona: total}."""
    call = make_call(world.county, [judge])
    essays = {}
    for persona, total in marks.items():
        essays[persona] = services.submit_essay(
            actor=getattr(world, persona), call=call, title=f"{persona}的作品", text="x", consent_public=True
        )
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    for persona, essay in essays.items():
        total = marks[persona]
        services.review_essay(actor=judge, essay=essay, scores={"思想性": min(total, 40), "文采": total - 40})
    return call, essays


def _sanction_teacher(world):
    SanctionFactory(
        person=world.people["teacher"], kind="warning", purposes=["award", "promotion"], starts_on=STARTS, ends_on=ENDS
    )


def test_the_gateway_combines_every_app_and_says_no_more_than_yes_or_no(world):
    _sanction_teacher(world)
    teacher, member = world.people["teacher"], world.people["member"]
    during = eligibility.eligible_many([teacher, member.pk], on=ENDS - dt.timedelta(days=1), purpose="award")
    assert during[teacher.pk] == eligibility.Verdict(False, ENDS)
    assert during[member.pk].ok
    assert eligibility.eligible(teacher, on=ENDS, purpose="award").ok  # the day the period ends
    assert eligibility.eligible(teacher, on=STARTS - dt.timedelta(days=1), purpose="award").ok
    assert eligibility.eligible(teacher, on=STARTS, purpose="title").ok  # not a purpose of this sanction
    assert not hasattr(during[teacher.pk], "reasons")
    assert {m.__name__ for m in eligibility.providers()} == {"dangjian.ethics.eligibility"}


def test_the_gateway_asks_with_constant_queries(world, django_assert_max_num_queries):
    people = [PersonFactory(org=world.branch_a) for _ in range(30)]
    for p in people[::3]:
        SanctionFactory(person=p, starts_on=STARTS, ends_on=ENDS)
    with django_assert_max_num_queries(2):
        got = eligibility.eligible_many(people, on=STARTS, purpose="award")
    assert sum(not v.ok for v in got.values()) == 10


@pytest.mark.parametrize(("day", "awarded"), [(ENDS - dt.timedelta(days=1), False), (ENDS, True)])
def test_a_sanctioned_teacher_is_not_awarded_until_the_day_the_period_ends(world, judge, day, awarded):
    _sanction_teacher(world)
    call, essays = _scored_call(world, judge, {"teacher": 95, "member": 80, "outsider": 70})
    call.tiers = [{"name": "一等奖", "count": 1}]
    call.save()
    done = services.finalize_call(actor=world.county_admin, call=call, on=day)
    got = {e.id: e for e in Essay.all_objects.filter(call=call)}
    teacher, member = got[essays["teacher"].id], got[essays["member"].id]
    if awarded:
        assert (teacher.award, teacher.award_withheld, member.award, done.withheld) == ("一等奖", False, "", 0)
    else:
        assert (teacher.award, teacher.award_withheld, done.withheld) == ("", True, 1)
        assert member.award == "一等奖"  # the place passes down
        assert teacher.final_score is not None  # the score stands
    assert not got[essays["outsider"].id].award_withheld  # outside the tiers: nothing withheld


def test_the_organizer_learns_no_case_detail(world, judge, login):
    _sanction_teacher(world)
    call, _essays = _scored_call(world, judge, {"teacher": 95, "member": 80})
    client = login(world.county_admin)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 1))
        response = client.post(reverse("learning:finalize", args=[call.pk]), follow=True)
    page = response.content.decode().split("<main", 1)[1]  # the page itself, not the navigation
    assert "当前不符合评奖条件" in page
    for detail in ("警告", "处分", "师德", STARTS.isoformat(), ENDS.isoformat(), "2026-09", "恢复"):
        assert detail not in page, detail
    winners = client.get(reverse("learning:winners", args=[call.pk])).content.decode()
    assert world.people["teacher"].name not in winners
