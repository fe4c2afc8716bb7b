"""What keeps the ledger PDF fast (issue 8): a fixed number of queries to gather a branch-year, one font
configuration per worker thread."""

import datetime as dt
import threading

import pytest

from dangjian.ledgers import content, render
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Grade
from tests.meetings.helpers import at, committee

pytestmark = pytest.mark.django_db
YEAR = 2026


def record(world, month: int, statuses: dict) -> None:
    meeting_services.record_new_meeting(
        actor=world.users["secretary"],
        org=world.branch_a,
        kind="theme_day",
        topic=f"{month}月主题党日",
        starts_at=at(dt.date(YEAR, month, 10)),
        roster=None,
        statuses=statuses,
        minutes="会议记录",
    )


def test_gathering_takes_the_same_queries_for_one_meeting_or_many(world, django_assert_num_queries):
    committee(world, 3)
    record(world, 1, {})
    with django_assert_num_queries(10):
        one = content.gather(world.branch_a, YEAR)
    for month in range(2, 12):
        record(world, month, {world.people["member"].pk: ("leave", "外出培训")})
    with django_assert_num_queries(10):
        many = content.gather(world.branch_a, YEAR)
    assert len(one.meetings) == 1 and len(many.meetings) == 11


def test_attendance_by_status_in_name_order_without_leave_reasons(world):
    """The whole branch reads the ledger; a leave reason is for the secretary and the member only (issue 17)."""
    member, secretary = world.people["member"], world.people["secretary"]
    record(world, 3, {member.pk: ("leave", "外出培训"), secretary.pk: ("absent", "")})
    [meeting] = content.gather(world.branch_a, YEAR).meetings
    present = [name for name, label in meeting.attendance if label == "出席"]
    assert present == sorted(present) and "甲校党员0" in present
    assert meeting.by_status["请假"] == ["甲党员"]
    assert meeting.by_status["缺席"] == ["甲书记"]
    assert ("甲党员", "请假") in meeting.attendance
    assert sum(len(names) for names in meeting.by_status.values()) == len(meeting.attendance)


def test_review_grades_in_name_order_with_counts(world):
    review = meeting_services.record_new_meeting(
        actor=world.users["secretary"],
        org=world.branch_a,
        kind="member_review",
        topic="民主评议党员",
        starts_at=at(dt.date(YEAR, 11, 20)),
        roster=None,
        statuses={},
        minutes="评议",
    )
    voting = sorted(
        (a for a in review.attendances.select_related("person") if a.is_voting), key=lambda a: a.person.name
    )
    grades = {a.person_id: Grade.QUALIFIED for a in voting}
    grades[voting[0].person_id] = Grade.EXCELLENT
    meeting_services.set_review_grades(actor=world.users["secretary"], meeting=review, grades=grades)
    data = content.gather(world.branch_a, YEAR)
    assert [name for name, _grade in data.review] == sorted(a.person.name for a in voting)
    assert data.review[0][1] == "优秀"
    counts = dict(data.review_counts)
    assert counts["优秀"] == 1 and counts["合格"] == len(voting) - 1


def test_render_makes_a_pdf(world):
    assert render.pdf(content.gather(world.branch_a, YEAR)).startswith(b"%PDF")


def test_one_font_configuration_per_thread():
    first = render._font_config()
    assert render._font_config() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(render._font_config()))
    thread.start()
    thread.join()
    assert other[0] is not first
