"""What other apps rely on: indicators, training hours, linkable public fields, reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.core import hours, indicators, linkable
from dangjian.core.models import Notification
from dangjian.meetings import compliance, reminders
from dangjian.messages import delivery
from dangjian.messages.models import Delivery
from dangjian.orgs.models import School
from tests.factories import OrgFactory, SchoolFactory
from tests.meetings.helpers import committed, held, plan

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # a whole past year: every date below is in the past


def test_indicators_are_registered_and_run_in_fixed_queries(world, django_assert_max_num_queries):
    held(world, kind="theme_day", day=dt.date(YEAR, 1, 10))
    held(world, kind="org_life_meeting", day=dt.date(YEAR, 1, 12), statuses={world.members_a[0].pk: ("absent", "")})
    compliance.refresh(years=[YEAR], today=dt.date(YEAR, 12, 31))
    for i in range(15):
        SchoolFactory(name=f"多校{i}", org=OrgFactory(kind="branch", parent=world.county))
    schools = list(School.all_objects.all())
    names = [
        "meetings.compliance_rate",
        "meetings.org_life_meeting_held",
        "meetings.member_review_done",
        "meetings.attendance_rate",
    ]
    found = {}
    for name in names:
        with django_assert_max_num_queries(4):
            found[name] = indicators.compute(
                name, schools=schools, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
            )
    a = world.school_a.pk
    assert found["meetings.org_life_meeting_held"][a].value == 1.0
    assert found["meetings.member_review_done"][a].value == 0.0
    assert found["meetings.attendance_rate"][a].value == pytest.approx((1.0 + 0.8) / 2)
    rate = found["meetings.compliance_rate"][a]
    assert 0 < rate.value < 1 and "应开" in rate.detail and f"org={world.branch_a.pk}" in rate.evidence_url
    assert found["meetings.compliance_rate"][world.school_b.pk].value == 0.0


def test_party_training_hours_from_lectures_and_theme_days(world):
    held(world, kind="party_lecture", day=dt.date(YEAR, 3, 1), topic="党课一")
    held(world, kind="theme_day", day=dt.date(YEAR, 3, 2), topic="主题党日一")
    held(world, kind="committee_meeting", day=dt.date(YEAR, 3, 3))  # not training
    held(world, kind="theme_day", day=dt.date(YEAR, 3, 4), statuses={world.people["member"].pk: ("leave", "病假")})
    held(world, kind="theme_day", day=dt.date(YEAR, 3, 5), statuses={world.people["member"].pk: ("online", "")})
    assert "meetings" in {s.name for s in hours.sources("party_training")}
    items = hours.collect(
        "party_training", person_ids=[world.people["member"].pk], start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )[world.people["member"].pk]
    assert sum(i.hours for i in items) == Decimal(6)  # lecture 2 + theme day 2 + online theme day 2; leave not counted
    assert {i.category for i in items} == {"党课", "主题党日"}


def test_linkable_public_fields_are_only_date_kind_topic(world):
    meeting = held(world, kind="theme_day", topic="志愿服务进社区", minutes="内部记录")
    item = linkable.linkables()["meetings.Meeting"]
    fields = item.public_fields(meeting)
    assert set(fields) == {"日期", "类型", "主题"}
    assert "内部记录" not in str(fields) and world.people["member"].name not in str(fields)
    assert list(item.candidates(world.users["secretary"])) == [meeting]
    assert list(item.candidates(world.users["outsider"])) == []


def test_reminders_before_due_are_sent_once_and_ask_for_no_reply(world, settings):
    world.users["secretary"].email = "sec@example.org"
    world.users["secretary"].save()
    today = timezone.localdate()
    month_end = today.replace(day=28)
    with committed():
        compliance.refresh(org_ids=[world.branch_a.pk], years=[today.year], today=month_end)
    sent = reminders.send(now=timezone.make_aware(dt.datetime.combine(month_end, dt.time(9))))
    assert sent >= 1
    notes = Notification.objects.filter(user=world.users["secretary"], dedupe_key__startswith="meetings:due:")
    assert notes.exists() and all("无需回复" in n.body for n in notes)
    delivery.dispatch(now=timezone.make_aware(dt.datetime.combine(month_end, dt.time(9))))  # the messages app
    assert Delivery.all_objects.filter(user=world.users["secretary"], channel="email").exists()
    assert reminders.send(now=timezone.make_aware(dt.datetime.combine(month_end, dt.time(9)))) == 0  # deduplicated


def test_attendee_reminder_for_tomorrows_meeting(world):
    meeting = plan(world, kind="party_lecture", topic="明日党课")
    meeting.starts_at = timezone.now() + dt.timedelta(hours=20)
    Meeting = type(meeting)
    Meeting.all_objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at)
    reminders.send()
    note = Notification.objects.get(user=world.users["member"], dedupe_key=f"meetings:meeting:{meeting.pk}:reminder")
    assert "明日党课" in note.title and "无需回复" in note.body


def test_compliance_rate_gives_no_data_when_nothing_was_due(world):
    """A school whose branches had nothing due yet gets no measure (无数据), never 0 %."""

    today = dt.date.today()
    measures = indicators.compute("meetings.compliance_rate", schools=[world.school_a], start=today, end=today)
    assert world.school_a.pk not in measures
