"""Writes of the leadership system: bodies, meetings, agenda items, decisions, execution reports."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEntry, Notification
from dangjian.core.scoping import unscoped
from dangjian.leadership import selectors, services
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import ComplianceCell, Meeting
from tests.factories import PersonFactory, SchoolFactory
from tests.leadership.builders import (
    PERSONNEL_DISCUSSION,
    PERSONNEL_TITLE,
    days_ago,
    held,
    item,
    leadership_a,
    seat_school_a,
)

pytestmark = pytest.mark.django_db


def test_bodies_and_the_one_person_rule_of_a_branch_school(world):
    seat_school_a(world)
    found = selectors.bodies(world.school_a)
    assert sorted(s.role for s in found.party) == ["deputy_secretary", "member", "secretary"]
    assert sorted(s.role for s in found.admin) == ["principal", "vice_principal"]
    assert found.one_person_expected is True  # a 党支部 school: 书记 and 校长 one person (rule data)
    assert found.one_person is True and found.arrangement_matches


def test_a_general_branch_school_expects_two_people(world):
    world.branch_a.kind = "general_branch"
    with unscoped("test"):
        world.branch_a.save()
    seat_school_a(world)
    found = selectors.bodies(world.school_a)
    assert found.one_person_expected is False
    assert not found.arrangement_matches  # 甲书记 is both: shown as a note on the page


def test_appoint_refusals(world):
    seat_school_a(world)
    actor = world.users["secretary"]
    with pytest.raises(ValidationError, match="党组织班子成员须为中共党员"):
        services.appoint(
            actor=actor, school=world.school_a, body="party", person=world.people["teacher"], role="member"
        )
    with pytest.raises(ValidationError, match="本校已有书记"):
        services.appoint(
            actor=actor, school=world.school_a, body="party", person=world.people["member"], role="secretary"
        )
    with pytest.raises(ValidationError, match="不属于"):
        services.appoint(
            actor=actor, school=world.school_a, body="party", person=world.people["member"], role="principal"
        )
    with pytest.raises(ValidationError, match="本校在职人员"):
        services.appoint(
            actor=actor, school=world.school_a, body="admin", person=world.people["outsider"], role="member"
        )


def test_a_meeting_needs_a_body_and_takes_it_as_its_roster(world):
    with pytest.raises(ValidationError, match="登记党组织班子成员"):
        services.plan_meeting(
            actor=world.users["secretary"], school=world.school_a, kind="party_org_meeting", starts_at=days_ago(1)
        )
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(1), absent=1)
    assert (meeting.expected_count, meeting.attended_count, meeting.quorum_met) == (3, 2, True)
    assert meeting.host == world.people["secretary"]
    assert meeting.org == world.branch_a
    office = held(world, "principal_office_meeting", days_ago(1), absent=1)
    assert (office.expected_count, office.attended_count, office.quorum_met) == (2, 1, False)  # half is not enough


def test_the_meetings_pages_and_compliance_leave_the_two_kinds_alone(world):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(1))
    with pytest.raises(ValidationError, match="议事决策"):
        meeting_services.update_meeting(actor=world.users["secretary"], meeting=meeting, topic="改")
    with pytest.raises(ValidationError, match="议事决策"):
        meeting_services.delete_meeting(actor=world.users["secretary"], meeting=meeting)
    with unscoped("test"):
        assert not ComplianceCell.objects.filter(kind__in=["party_org_meeting", "principal_office_meeting"]).exists()


def test_items_are_fixed_by_the_convenor_and_major_ones_need_prior_communication(world):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(3))
    actor = world.users["secretary"]
    with pytest.raises(ValidationError, match="由书记确定"):
        services.add_item(actor=actor, meeting=meeting, title="t", category="teaching", fixed_by=world.members_a[2])
    with pytest.raises(ValidationError, match="会前充分沟通"):
        services.add_item(
            actor=actor,
            meeting=meeting,
            title="新建实验楼",
            category="major_project",
            fixed_by=world.people["secretary"],
        )
    with pytest.raises(ValidationError, match="请选择议题类别"):
        services.add_item(actor=actor, meeting=meeting, title="t", category="nope", fixed_by=world.people["secretary"])
    found = item(world, meeting, "major_project", title="新建实验楼", decide="")
    assert found.fixed_by_role == "secretary" and found.outcome == "pending"


def test_a_decision_gets_a_report_deadline_and_the_principal_reports(world):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(3))
    found = item(world, meeting, "large_funds", title="采购多媒体设备")
    assert found.report_due_on == meeting.day + dt.timedelta(days=60)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.report_execution(
            actor=world.users["secretary"],
            item=found,
            reported_on=timezone.localdate() + dt.timedelta(days=1),
            text="x",
        )
    report = services.report_execution(
        actor=world.users["secretary"], item=found, reported_on=timezone.localdate(), text="已完成采购", completed=True
    )
    assert report.reporter == world.people["secretary"]  # the 校长 (one person with the 书记 here)


def test_a_decision_needs_a_held_meeting(world):
    seat_school_a(world)
    planned = services.plan_meeting(
        actor=world.users["secretary"], school=world.school_a, kind="party_org_meeting", starts_at=days_ago(-3)
    )
    pending = services.add_item(
        actor=world.users["secretary"],
        meeting=planned,
        title="t",
        category="teaching",
        fixed_by=world.people["secretary"],
    )
    with pytest.raises(ValidationError, match="会议召开"):
        services.decide_item(actor=world.users["secretary"], item=pending, outcome="decided", decision="同意")


def test_the_audit_log_never_holds_a_personnel_discussion(world):
    leadership_a(world)
    with unscoped("test"):
        texts = [f"{e.object_repr} {e.changes}" for e in AuditEntry.objects.filter(model="leadership.AgendaItem")]
    assert texts and not any(PERSONNEL_TITLE in t or PERSONNEL_DISCUSSION in t for t in texts)


def test_the_meetings_pages_show_a_leadership_meeting_as_a_fact(world, login):
    """Ordinary members see in 组织生活 that a 党组织会议 was held (its kind, date, attendance), never an agenda."""
    found = leadership_a(world)
    for user in ("member", "secretary"):
        client = login(world.users[user])
        listing = client.get(reverse("meetings:index"))
        detail = client.get(reverse("meetings:detail", args=[found.meeting.pk]))
        assert listing.status_code == 200 and detail.status_code == 200
        assert PERSONNEL_TITLE not in detail.content.decode() and PERSONNEL_TITLE not in listing.content.decode()
        assert "在“议事决策”中记录" in detail.content.decode()
        assert reverse("meetings:record", args=[found.meeting.pk]) not in detail.content.decode()
    refused = login(world.users["secretary"]).post(reverse("meetings:delete", args=[found.meeting.pk]))
    assert refused.status_code in (302, 400)
    with unscoped("test"):
        assert Meeting.objects.filter(pk=found.meeting.pk).exists()


def test_the_principal_is_reminded_of_a_report_once(world):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(3))
    soon = timezone.localdate() + dt.timedelta(days=3)
    item(world, meeting, "cadre", title=PERSONNEL_TITLE, report_due_on=soon)
    item(world, meeting, "teaching", title="教研安排", report_due_on=soon + dt.timedelta(days=30))
    assert services.remind_reports() == 1
    assert services.remind_reports() == 0
    with unscoped("test"):
        note = Notification.objects.get(user=world.users["secretary"], dedupe_key__endswith="report_due")
    assert PERSONNEL_TITLE not in note.body and "人事事项" in note.body
    assert services.remind_reports(today=soon + dt.timedelta(days=1)) == 1  # overdue: once more


def test_a_joint_branch_keeps_each_schools_meetings_apart(world):
    """A 联合党支部 covers several schools: a meeting belongs to the school whose body is its roster."""
    seat_school_a(world)
    other = SchoolFactory(name="丙校", org=world.branch_a)
    principal = PersonFactory(name="丙校长", school=other, org=world.branch_a)
    services.appoint(
        actor=world.users["secretary"],
        school=other,
        body="admin",
        person=principal,
        role="principal",
        started_on=dt.date(2022, 9, 1),
    )
    mine = held(world, "principal_office_meeting", days_ago(2))
    theirs = services.plan_meeting(
        actor=world.users["secretary"], school=other, kind="principal_office_meeting", starts_at=days_ago(1)
    )
    user = world.users["secretary"]
    assert [m.pk for m in selectors.school_meetings(user, world.school_a)] == [mine.pk]
    assert [m.pk for m in selectors.school_meetings(user, other)] == [theirs.pk]
    with pytest.raises(ValidationError, match="不属于本校"):
        services.add_item(
            actor=user, school=world.school_a, meeting=theirs, title="t", category="teaching", fixed_by=principal
        )
    found = services.add_item(actor=user, meeting=theirs, title="t", category="teaching", fixed_by=principal)
    assert found.school == other
