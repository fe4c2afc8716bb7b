"""The two hour ledgers: own records plus every registered source, against targets that are rule data."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core import indicators
from dangjian.core.models import LocalRule
from dangjian.learning import ledger, selectors, services
from dangjian.learning.models import ItemKind
from tests.factories import MembershipFactory, PersonFactory
from tests.learning.helpers import make_item, make_plan, make_record


def test_cycle_bounds():
    assert ledger.cycle_bounds(dt.date(2026, 11, 25), start_year=2024, years=5) == (
        dt.date(2024, 1, 1),
        dt.date(2028, 12, 31),
    )
    assert ledger.cycle_bounds(dt.date(2023, 12, 31), start_year=2024, years=5) == (
        dt.date(2019, 1, 1),
        dt.date(2023, 12, 31),
    )
    assert ledger.cycle_bounds(dt.date(2029, 1, 1), start_year=2024, years=5)[0] == dt.date(2029, 1, 1)


def test_a_teacher_s_five_year_total_matches_an_independent_sum(world, test_hour_source):
    teacher = world.people["teacher"]
    today = timezone.localdate()
    start, end = ledger.cycle_bounds(today, start_year=2024, years=5)
    rng = random.Random(5)
    expected = Decimal(0)
    for _ in range(40):
        day = start + dt.timedelta(days=rng.randrange((min(end, today) - start).days + 1))
        hours = Decimal(rng.randrange(1, 40)) / 2
        make_record(teacher, hours=str(hours), ledger="teacher_ce", day=day)
        expected += hours
    # Outside the cycle, in the other ledger, or someone else's: not counted.
    make_record(teacher, hours="50", ledger="teacher_ce", day=start - dt.timedelta(days=1))
    make_record(teacher, hours="9", ledger="party_training", day=today)
    make_record(world.people["member"], hours="11", ledger="teacher_ce", day=today)
    # Another app's records, registered as a source, count without re-typing.
    test_hour_source[teacher.id] = [(today, Decimal("7.5")), (start - dt.timedelta(days=3), Decimal(100))]
    expected += Decimal("7.5")
    # A plan item completed by the teacher counts with the plan's hours.
    plan = make_plan(world.branch_a, audience="all", ledger="teacher_ce")
    item = make_item(plan, hours="3")
    services.complete_item(actor=world.teacher, item=item)
    expected += 3

    status = ledger.statuses("teacher_ce", people=[teacher], today=today)[teacher.id]
    assert status.total == expected
    assert status.target == Decimal(240)
    assert status.remaining == max(Decimal(240) - expected, Decimal(0))
    assert (status.start, status.end) == (start, end)


def test_the_teacher_sees_what_remains(world, login):
    teacher = world.people["teacher"]
    make_record(teacher, hours="40", ledger="teacher_ce")
    page = login(world.teacher).get(reverse("learning:hours")).content.decode()
    assert "还差 200.0 学时" in page
    assert "教师继续教育" in page
    assert "党员教育培训明细" not in page  # not a member: only the continuing-education ledger


def test_the_county_can_override_the_targets(world):
    member = world.people["member"]
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="learning/training",
        key="teacher_ce.cycle_hours",
        value=360,
        effective=dt.date(2024, 1, 1),
    )
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="learning/training",
        key="party_training.hours_per_year",
        value=40,
        effective=dt.date(2024, 1, 1),
    )
    today = timezone.localdate()
    assert ledger.statuses("teacher_ce", people=[member], today=today)[member.id].target == 360
    assert ledger.statuses("party_training", people=[member], today=today)[member.id].target == 40


def test_secretaries_have_the_higher_party_target(world):
    today = timezone.localdate()
    found = ledger.statuses("party_training", people=[world.people["secretary"], world.people["member"]], today=today)
    assert found[world.people["secretary"].id].target == 56
    assert found[world.people["member"].id].target == 32


def test_the_school_sees_who_is_behind(world, login, django_assert_max_num_queries):
    today = timezone.localdate()
    make_record(world.people["member"], hours="40", ledger="party_training", day=today)
    client = login(world.secretary)
    url = reverse("learning:progress", args=[world.branch_a.pk]) + "?ledger=party_training&behind=1"
    page = client.get(url).content.decode()
    assert "甲党员" not in page  # 40 ≥ 32: done
    assert "甲书记" in page and "进度落后" in page  # nothing recorded yet: behind from the year's first day
    with django_assert_max_num_queries(14):
        assert client.get(url.replace("&behind=1", "") + "&per_page=100").status_code == 200


def test_progress_queries_do_not_grow_with_people(world, login, django_assert_max_num_queries):
    for i in range(25):
        person = PersonFactory(name=f"新党员{i}", school=world.school_a, org=world.branch_a)
        MembershipFactory(person=person)
        make_record(person, hours="2", ledger="party_training")
    client = login(world.secretary)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("learning:progress", args=[world.branch_a.pk]) + "?per_page=100")
    assert response.status_code == 200 and "新党员24" in response.content.decode()


def test_records_are_checked(world):
    with pytest.raises(ValidationError, match="培训类型应为"):
        services.add_training_record(
            actor=world.teacher,
            person=world.people["teacher"],
            ledger="teacher_ce",
            category="刷课",
            title="x",
            day=timezone.localdate(),
            hours=Decimal(2),
        )
    with pytest.raises(ValidationError, match="只能登记本人"):
        services.add_training_record(
            actor=world.member,
            person=world.people["teacher"],
            ledger="teacher_ce",
            category="县级培训",
            title="x",
            day=timezone.localdate(),
            hours=Decimal(2),
        )
    record = services.add_training_record(
        actor=world.secretary,
        person=world.people["teacher"],
        ledger="teacher_ce",
        category="县级培训",
        title="暑期全员培训",
        day=timezone.localdate(),
        hours=Decimal(12),
    )
    assert record.recorded_by == world.secretary


def test_training_hours_rate_indicator(world):
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    for person in world.members_a[:3]:  # secretary (56), member (32), one more (32)
        make_record(person, hours="40", ledger="party_training", day=today)
    found = indicators.compute(
        "learning.training_hours_rate", schools=[world.school_a, world.school_b], start=start, end=end
    )
    # Of 5 members in A: the secretary has 40 < 56; the member and one more reach 32.
    assert found[world.school_a.id].value == pytest.approx(2 / 5)
    assert "党员5人" in found[world.school_a.id].detail
    assert found[world.school_b.id].value == 0


def test_the_indicator_uses_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    today = timezone.localdate()
    for person in world.members_a + world.members_b:
        make_record(person, hours="33", ledger="party_training", day=today)
    with django_assert_max_num_queries(6):
        indicators.compute(
            "learning.training_hours_rate",
            schools=[world.school_a, world.school_b],
            start=dt.date(today.year, 1, 1),
            end=dt.date(today.year, 12, 31),
        )


def test_session_attendance_from_the_roster_counts_hours(world):
    plan = make_plan(world.branch_a)
    session = make_item(plan, ItemKind.SESSION, hours="4", title="集中学习党章")
    roster = list(selectors.session_roster(world.secretary, session))
    assert world.people["teacher"] not in roster  # members-only plan
    services.record_session(actor=world.secretary, item=session, held_on=timezone.localdate(), people=roster[:2])
    member_status = ledger.statuses("party_training", people=roster[:2], today=timezone.localdate())
    assert all(s.total == 4 for s in member_status.values())
    with pytest.raises(ValidationError, match="不在学习对象中"):
        services.record_session(
            actor=world.secretary, item=session, held_on=timezone.localdate(), people=[world.people["teacher"]]
        )
