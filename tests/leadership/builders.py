"""Set-up helpers of the leadership tests: school A's two bodies, held meetings and decided items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dangjian.leadership import services
from dangjian.leadership.models import AgendaItem
from dangjian.meetings.models import Meeting

PERSONNEL_TITLE = "拟任甲校教务处主任人选"  # only the bodies and the county's organization staff may read it
PERSONNEL_DISCUSSION = "对人选甲、乙的讨论意见"


@dataclass
class Leadership:
    meeting: Meeting  # a held 党组织会议 of school A
    ordinary: AgendaItem  # a decided 教育教学 item on it
    personnel: AgendaItem  # a decided 干部任免 item on it


def days_ago(n: int, hour: int = 15) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=n)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seat_school_a(world) -> None:
    """School A (a 党支部 school: 书记 and 校长 one person): 甲书记 is 书记 and 校长; two more on each body."""
    actor = world.users["secretary"]
    sec = world.people["secretary"]
    others = world.members_a[2:]
    since = dt.date(2022, 9, 1)
    services.appoint(actor=actor, school=world.school_a, body="party", person=sec, role="secretary", started_on=since)
    services.appoint(
        actor=actor, school=world.school_a, body="party", person=others[0], role="deputy_secretary", started_on=since
    )
    services.appoint(
        actor=actor, school=world.school_a, body="party", person=others[1], role="member", started_on=since
    )
    services.appoint(actor=actor, school=world.school_a, body="admin", person=sec, role="principal", started_on=since)
    services.appoint(
        actor=actor, school=world.school_a, body="admin", person=others[2], role="vice_principal", started_on=since
    )


def held(world, kind: str, when: dt.datetime, *, absent: int = 0) -> Meeting:
    """A held meeting of school A with the last `absent` body members absent."""
    actor = world.users["secretary"]
    meeting = services.plan_meeting(actor=actor, school=world.school_a, kind=kind, starts_at=when)
    rows = list(meeting.attendances.order_by("person__name"))
    statuses = {r.person_id: ("absent", "") for r in rows[len(rows) - absent :]} if absent else {}
    return services.record_meeting(actor=actor, meeting=meeting, statuses=statuses)


def item(world, meeting: Meeting, category: str, *, title: str = "议题", decide: str = "decided", **kw) -> AgendaItem:
    actor = world.users["secretary"]
    day = meeting.day
    found = services.add_item(
        actor=actor,
        meeting=meeting,
        title=title,
        category=category,
        fixed_by=world.people["secretary"],
        communicated_on=kw.pop("communicated_on", day - dt.timedelta(days=3)),
        communication=kw.pop("communication", "书记与校长会前沟通，无重大分歧。"),
        **{k: v for k, v in kw.items() if k == "party_decision"},
    )
    if decide:
        found = services.decide_item(
            actor=actor,
            item=found,
            outcome=decide,
            decision="同意",
            discussion=kw.get("discussion", ""),
            report_due_on=kw.get("report_due_on"),
        )
    return found


def leadership_a(world) -> Leadership:
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(10))
    ordinary = item(world, meeting, "teaching", title="本学期课后服务安排")
    personnel = item(world, meeting, "cadre", title=PERSONNEL_TITLE, discussion=PERSONNEL_DISCUSSION)
    return Leadership(meeting, ordinary, personnel)
