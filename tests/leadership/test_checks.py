"""The derived checks: a major matter decided at a 校长办公会议 without a prior 党组织会议 decision, a cadre matter
at a 党组织会议 without two thirds of the body present, a decision without execution report after its due date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import indicators
from dangjian.core.scoping import unscoped
from dangjian.leadership import selectors, services
from tests.leadership.builders import PERSONNEL_TITLE, days_ago, held, item, seat_school_a

pytestmark = pytest.mark.django_db


def _codes(world):
    year = timezone.localdate().year
    start, end = dt.date(year - 1, 1, 1), dt.date(year, 12, 31)
    return [(f.code, f.item_id) for f in selectors.flags([world.school_a.pk], start, end)]


def _five_member_party_body(world):
    seat_school_a(world)
    for person in (world.members_a[4], world.people["member"]):
        services.appoint(
            actor=world.users["secretary"],
            school=world.school_a,
            body="party",
            person=person,
            role="member",
            started_on=dt.date(2022, 9, 1),
        )


def test_major_matter_decided_by_the_principal_office_alone_is_flagged(world):
    seat_school_a(world)
    office = held(world, "principal_office_meeting", days_ago(20))
    alone = item(world, office, "large_funds", title="采购校车")
    proposal = item(world, office, "major_project", title="操场改造方案", decide="proposed")
    routine = item(world, office, "administration", title="值班安排")
    party = held(world, "party_org_meeting", days_ago(15))
    decided = item(world, party, "major_project", title="操场改造")
    later = held(world, "principal_office_meeting", days_ago(10))
    carried_out = item(world, later, "major_project", title="部署操场改造", party_decision=decided)
    codes = _codes(world)
    assert ("major_without_party", alone.pk) in codes
    for ok in (proposal, routine, carried_out, decided):
        assert ("major_without_party", ok.pk) not in codes


def test_cadre_matter_needs_two_thirds_of_the_party_body(world):
    _five_member_party_body(world)
    three_of_five = held(world, "party_org_meeting", days_ago(30), absent=2)  # more than half, less than 2/3
    four_of_five = held(world, "party_org_meeting", days_ago(20), absent=1)
    assert three_of_five.quorum_met is True
    short = item(world, three_of_five, "cadre", title=PERSONNEL_TITLE)
    ordinary = item(world, three_of_five, "teaching", title="教研安排")
    enough = item(world, four_of_five, "cadre", title="另一人选")
    codes = _codes(world)
    assert ("cadre_without_two_thirds", short.pk) in codes
    assert ("cadre_without_two_thirds", ordinary.pk) not in codes
    assert ("cadre_without_two_thirds", enough.pk) not in codes


def test_decision_without_execution_report_after_its_due_date(world):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(40))
    overdue = item(
        world,
        meeting,
        "major_decision",
        title="课后服务方案",
        report_due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    reported = item(
        world, meeting, "major_decision", title="校服选用", report_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    not_yet = item(
        world, meeting, "major_decision", title="研学方案", report_due_on=timezone.localdate() + dt.timedelta(days=5)
    )
    services.report_execution(
        actor=world.users["secretary"], item=reported, reported_on=timezone.localdate(), text="已落实"
    )
    codes = _codes(world)
    assert ("report_overdue", overdue.pk) in codes
    assert ("report_overdue", reported.pk) not in codes
    assert ("report_overdue", not_yet.pk) not in codes


def test_county_page_lists_flags_without_personnel_content(world, login):
    _five_member_party_body(world)
    meeting = held(world, "party_org_meeting", days_ago(30), absent=2)
    item(world, meeting, "cadre", title=PERSONNEL_TITLE)
    response = login(world.users["county_admin"]).get(reverse("leadership:county"), {"year": meeting.day.year})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="cadre_without_two_thirds"' in body
    assert PERSONNEL_TITLE not in body


def test_indicators_feed_assessment(world):
    seat_school_a(world)
    office = held(world, "principal_office_meeting", days_ago(20))
    item(world, office, "large_funds", title="采购校车")
    item(world, office, "teaching", title="教研")
    year = office.day.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    measures = indicators.compute(
        "leadership.decision_rules_rate", schools=[world.school_a, world.school_b], start=start, end=end
    )
    assert measures[world.school_a.pk].value == pytest.approx(0.5)
    assert "2" in measures[world.school_a.pk].detail
    assert measures[world.school_b.pk].value == 1.0
    counts = indicators.compute("leadership.flags", schools=[world.school_a], start=start, end=end)
    assert counts[world.school_a.pk].value == 1


def test_the_default_assessment_system_scores_b4_from_the_records(world):
    """From the template's version of 2026-12-08, B4 党组织领导的校长负责制运行规范 is derived from these checks: a
    school with one flagged item of two gets half of B4's 4 points, a school without problems all of them."""
    from dangjian.assessment import services as assessment
    from dangjian.assessment.models import Indicator, ResultLine

    seat_school_a(world)
    office = held(world, "principal_office_meeting", days_ago(20))
    item(world, office, "large_funds", title="采购校车")
    item(world, office, "teaching", title="教研")
    year = office.day.year
    system = assessment.create_system(actor=world.county_admin, org=world.county, year=max(year, 2026))
    with unscoped("test"):
        b4 = Indicator.objects.get(system=system, code="B4")
        assert (b4.formula, b4.max_points) == ("leadership.decision_rules_rate", 4)
        assert Indicator.objects.get(system=system, code="B3").max_points == 6
    round_ = assessment.create_round(
        actor=world.county_admin,
        system=system,
        name="年度考核",
        kind="annual",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    assessment.compute_round(actor=world.county_admin, round=round_)
    with unscoped("test"):
        points = dict(
            ResultLine.objects.filter(result__round=round_, indicator=b4).values_list("result__school_id", "points")
        )
    assert points == {world.school_a.pk: 2, world.school_b.pk: 4}
