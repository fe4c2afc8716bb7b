"""Writes: plan, leave, record, edit, delete, votes, org life, review; compliance follows every write and the
audit log shows who did it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.meetings import services
from dangjian.meetings.models import ComplianceCell, Grade, Kind, Presence, ReviewGrade, Status
from dangjian.orgs.models import Stage
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.helpers import at, committed, committee, held, plan

pytestmark = pytest.mark.django_db


def cell(org, kind, day):
    with unscoped("test"):
        return ComplianceCell.objects.get(org=org, kind=kind, period_start__lte=day, period_end__gte=day)


def test_plan_defaults_attendees_to_the_right_roster(world):
    members = plan(world, kind="general_assembly")
    assert members.expected_count == len(world.members_a)
    people = committee(world, 3)
    com = plan(world, kind="committee_meeting")
    assert {a.person_id for a in com.attendances.all()} == {p.pk for p in people}
    assert all(a.is_committee for a in com.attendances.all())
    assert AuditEntry.objects.filter(model="meetings.Meeting", object_id=str(com.pk), action="create").exists()


def test_group_meeting_roster_is_the_group(world):
    with unscoped("test"):
        m = world.members_a[2].membership
        m.group = world.group_a
        m.save()
    meeting = plan(world, kind="group_meeting", org=world.group_a)
    assert [a.person_id for a in meeting.attendances.all()] == [world.members_a[2].pk]


def test_member_asks_for_leave_and_record_keeps_it(world):
    meeting = plan(world, kind="theme_day", day=timezone.localdate())
    services.request_leave(actor=world.users["member"], meeting=meeting, reason="外出培训")
    with pytest.raises(ValidationError):
        services.request_leave(actor=world.users["teacher"], meeting=meeting, reason="x")  # not expected
    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    services.record_meeting(actor=world.users["secretary"], meeting=meeting, statuses={}, minutes="记录")
    row = meeting.attendances.get(person=world.people["member"])
    assert row.status == Presence.LEAVE and row.reason == "外出培训"
    assert meeting.attended_count == len(world.members_a) - 1


def test_leave_needs_a_reason(world):
    meeting = held(world, kind="theme_day")
    with pytest.raises(ValidationError, match="请假事由"):
        services.record_meeting(
            actor=world.users["secretary"], meeting=meeting, statuses={world.people["member"].pk: ("leave", "")}
        )


def test_recording_changes_compliance_from_due_to_met(world):
    committee(world, 3)
    today = timezone.localdate()
    plan(world, kind="theme_day", day=today)  # any write refreshes the branch's cells
    assert cell(world.branch_a, "committee_meeting", today).status == "due"
    held(world, kind="committee_meeting", day=today)
    assert cell(world.branch_a, "committee_meeting", today).status == "met"


def test_the_cells_are_derived_inside_the_write_before_any_commit_or_job(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    starts_at = min(at(today, 9), timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_new_meeting(
            actor=world.users["secretary"],
            org=world.branch_a,
            kind="theme_day",
            topic="本月主题党日",
            starts_at=starts_at,
            roster=None,
            statuses={},
        )
        # Nothing has committed and no job has run: the cell is already met.
        found = cell(world.branch_a, "theme_day", timezone.localtime(starts_at).date())
        assert (found.held, found.status) == (1, "met")
    assert callbacks == []  # no recount left for later


def test_no_photo_is_required(world):
    meeting = held(world, kind="party_lecture", minutes="")
    assert meeting.status == Status.HELD  # the record alone is enough


def test_edit_and_delete_update_compliance_and_audit(world):
    today = timezone.localdate()
    day = today.replace(day=1) if today.day > 1 else today
    meeting = held(world, kind="theme_day", day=day)
    assert cell(world.branch_a, "theme_day", day).held == 1
    previous = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    with committed():
        services.update_meeting(actor=world.users["county_admin"], meeting=meeting, starts_at=at(previous))
    assert cell(world.branch_a, "theme_day", day).held == 0
    if previous.year == day.year:
        assert cell(world.branch_a, "theme_day", previous).held == 1
    entry = AuditEntry.objects.filter(model="meetings.Meeting", object_id=str(meeting.pk), action="update").get()
    assert entry.actor_name == "county_admin" and "starts_at" in entry.changes
    pk = meeting.pk
    with committed():
        services.delete_meeting(actor=world.users["secretary"], meeting=meeting)
    if previous.year == day.year:
        assert cell(world.branch_a, "theme_day", previous).held == 0
    deleted = AuditEntry.objects.get(model="meetings.Meeting", object_id=str(pk), action="delete")
    assert deleted.actor_name == "secretary" and deleted.org_path == world.branch_a.path


def test_vote_below_quorum_is_recorded_as_not_valid(world):
    absent = {p.pk: ("absent", "") for p in world.members_a[:3]}  # 2 of 5 voting members present
    meeting = held(world, kind="general_assembly", statuses=absent)
    assert meeting.quorum_met is False
    motion = services.add_motion(
        actor=world.users["secretary"], meeting=meeting, title="接收预备党员", yes=2, no=0, abstain=0
    )
    assert motion.valid is False and motion.passed is False
    assert AuditEntry.objects.filter(action="vote", object_id=str(motion.pk)).exists()
    # A general assembly without quorum does not count toward compliance
    assert cell(world.branch_a, "general_assembly", meeting.day).held == 0


def test_vote_with_quorum_passes_on_more_than_half_of_entitled(world):
    prob = PersonFactory(name="预备党员甲", org=world.branch_a, school=world.school_a)
    MembershipFactory(person=prob, stage=Stage.PROBATIONARY, full_on=None)
    meeting = held(world, kind="general_assembly", statuses={world.members_a[4].pk: ("absent", "")})
    assert meeting.quorum_met is True
    motion = services.add_motion(actor=world.users["secretary"], meeting=meeting, title="决议", yes=3, no=1, abstain=0)
    assert motion.entitled == 5 and motion.present_voting == 4 and motion.passed  # 3 > 5/2
    with pytest.raises(ValidationError, match="超过了到会有表决权党员"):
        services.add_motion(actor=world.users["secretary"], meeting=meeting, title="多票", yes=5, no=0, abstain=0)


def test_more_than_a_third_excellent_is_refused(world):
    meeting = held(world, kind="member_review")
    ids = [p.pk for p in world.members_a]
    with pytest.raises(ValidationError, match="超过了参加评议党员5人的1/3"):
        services.set_review_grades(
            actor=world.users["secretary"],
            meeting=meeting,
            grades={ids[0]: Grade.EXCELLENT, ids[1]: Grade.EXCELLENT, **{i: Grade.QUALIFIED for i in ids[2:]}},
        )
    services.set_review_grades(
        actor=world.users["secretary"],
        meeting=meeting,
        grades={ids[0]: Grade.EXCELLENT, **{i: Grade.QUALIFIED for i in ids[1:]}},
    )
    with unscoped("test"):
        assert ReviewGrade.objects.filter(meeting=meeting, grade=Grade.EXCELLENT).count() == 1


def test_probationary_members_take_part_but_are_not_graded(world):
    prob = PersonFactory(name="预备党员乙", org=world.branch_a, school=world.school_a)
    MembershipFactory(person=prob, stage=Stage.PROBATIONARY, full_on=None)
    meeting = held(world, kind="member_review")
    with pytest.raises(ValidationError, match="不评定等次"):
        services.set_review_grades(actor=world.users["secretary"], meeting=meeting, grades={prob.pk: Grade.QUALIFIED})
    grades = services.set_review_grades(
        actor=world.users["secretary"], meeting=meeting, grades={world.members_a[0].pk: Grade.QUALIFIED}
    )
    mine = next(g for g in grades if g.person_id == prob.pk)
    assert mine.is_probationary and mine.grade == ""


def test_org_life_meeting_criticism_and_rectification(world):
    meeting = held(world, kind="org_life_meeting")
    member = world.people["member"]
    services.save_org_life(
        actor=world.users["secretary"],
        meeting=meeting,
        entries={member.pk: ("学习不够深入", "联系群众不够")},
        prep_talks="会前谈心谈话5人次",
        prep_opinions="征求意见8条",
    )
    entry = meeting.life_entries.get()
    assert entry.self_criticism == "学习不够深入" and entry.criticism_received == "联系群众不够"
    rect = services.add_rectification(
        actor=world.users["secretary"],
        meeting=meeting,
        item="加强理论学习",
        owner=member,
        deadline=dt.date(2027, 1, 31),
    )
    services.complete_rectification(actor=world.users["secretary"], rectification=rect)
    rect.refresh_from_db()
    assert rect.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.add_rectification(
            actor=world.users["secretary"],
            meeting=meeting,
            item="x",
            owner=world.people["outsider"],
            deadline=dt.date(2027, 1, 1),
        )


def test_heart_talk_compliance_counts_members_covered(world):
    talk = held(
        world, kind="heart_talk", roster="members", statuses={p.pk: ("absent", "") for p in world.members_a[2:]}
    )
    c = cell(world.branch_a, "heart_talk", talk.day)
    assert (c.held, c.required) == (2, len(world.members_a))


def test_group_meeting_only_by_groups_or_branches(world):
    with pytest.raises(ValidationError, match="党小组只能召开党小组会"):
        plan(world, kind="theme_day", org=world.group_a)
    assert Kind.GROUP_MEETING in Kind.values
