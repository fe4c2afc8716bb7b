"""Issue 17, "the first week of real use": what a secretary, a member and the county stumbled on in meetings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.models import AuditEntry, LocalRule, Notification
from dangjian.core.scoping import unscoped
from dangjian.ledgers import content as ledger_content
from dangjian.meetings import compliance, services
from dangjian.meetings.models import Attendance, ComplianceCell, Grade, LeaveState, Meeting, Presence, ReviewGrade
from dangjian.orgs.models import Org, OrgKind, Stage
from tests.factories import GrantFactory, MembershipFactory, OrgFactory, PersonFactory, UserFactory
from tests.meetings.helpers import held, plan

pytestmark = pytest.mark.django_db


def _probationary(world):
    prob = PersonFactory(name="预备党员丙", org=world.branch_a, school=world.school_a)
    MembershipFactory(person=prob, stage=Stage.PROBATIONARY, full_on=None)
    return prob


# --- 民主评议: every full member 合格 by default; the 1/3 base is rule data ----------------------


def test_review_defaults_every_full_member_to_qualified(world):
    prob = _probationary(world)
    meeting = held(world, kind="member_review")
    excellent = world.members_a[0]
    services.set_review_grades(actor=world.users["secretary"], meeting=meeting, grades={excellent.pk: "excellent"})
    with unscoped("test"):
        grades = dict(ReviewGrade.objects.filter(meeting=meeting).values_list("person_id", "grade"))
    assert grades.pop(excellent.pk) == Grade.EXCELLENT
    assert grades.pop(prob.pk) == ""  # probationary: takes part, no grade
    assert set(grades.values()) == {Grade.QUALIFIED} and len(grades) == len(world.members_a) - 1


def test_review_with_nobody_graded_is_refused(world):
    meeting = held(world, kind="member_review")
    with pytest.raises(ValidationError, match="没有评定任何党员的等次"):
        services.set_review_grades(
            actor=world.users["secretary"], meeting=meeting, grades={p.pk: "" for p in world.members_a}
        )
    with unscoped("test"):
        assert not ReviewGrade.objects.filter(meeting=meeting).exists()


def test_review_page_shows_qualified_preselected_and_refuses_an_empty_review(world, login):
    meeting = held(world, kind="member_review")
    client = login(world.users["secretary"])
    page = client.get(f"/meetings/{meeting.pk}/review/").content.decode()
    assert page.count('value="qualified" selected') == len(world.members_a)
    response = client.post(f"/meetings/{meeting.pk}/review/", {f"g_{p.pk}": "" for p in world.members_a})
    assert response.status_code == 400 and "没有评定任何党员的等次" in response.content.decode()


def test_excellent_cap_base_is_the_countys_choice(world):
    _probationary(world)  # 5 full members and 1 probationary take part
    meeting = held(world, kind="member_review")
    two = {p.pk: "excellent" for p in world.members_a[:2]}
    # Default (rule file): the base is everyone taking part, probationary included: 2 ≤ 6/3.
    services.set_review_grades(actor=world.users["secretary"], meeting=meeting, grades=two)
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="meetings/review",
        key="excellent_share_of",
        value="graded",
        effective=dt.date(2018, 10, 28),
    )
    # The county counts only those graded (5 full members): 2 > 5/3.
    with pytest.raises(ValidationError, match="超过了评定等次的党员5人的1/3"):
        services.set_review_grades(actor=world.users["secretary"], meeting=meeting, grades=two)


# --- an upcoming meeting shows no attendance; leave goes to the secretary ------------------------


def test_planned_meeting_shows_no_attendance_until_recorded(world, login, api_client):
    meeting = plan(world, kind="theme_day")
    page = login(world.users["member"]).get(f"/meetings/{meeting.pk}/").content.decode()
    client = api_client(world.users["member"])
    assert "实到" not in page and "出席</span>" not in page
    assert f"应到{meeting.expected_count}人" in page
    listing = login(world.users["secretary"]).get("/meetings/").content.decode()
    assert meeting.topic in listing and f"{meeting.expected_count}/{meeting.expected_count}人" not in listing
    invitation = login(world.users["member"]).get(f"/meetings/{meeting.pk}/invitation.ics").content.decode()
    assert "出席" not in invitation and "实到" not in invitation
    api = client.get(f"/api/v1/meetings/meetings/{meeting.pk}").json()
    assert api["attended_count"] is None and api["expected_count"] == len(world.members_a)
    rows = client.get(f"/api/v1/meetings/meetings/{meeting.pk}/attendance").json()["items"]
    assert {r["status"] for r in rows} == {""}


def test_leave_request_goes_to_the_secretary_who_decides(world, login):
    meeting = plan(world, kind="theme_day")
    member = world.people["member"]
    member_client = login(world.users["member"])
    member_client.post(f"/meetings/{meeting.pk}/leave/", {"reason": "家中老人住院"})
    with unscoped("test"):
        row = Attendance.objects.get(meeting=meeting, person=member)
        assert row.leave_state == LeaveState.REQUESTED
        assert Notification.objects.filter(user=world.users["secretary"], title__contains=member.name).exists()
    assert "请假待批准" in member_client.get(f"/meetings/{meeting.pk}/").content.decode()

    secretary = login(world.users["secretary"])
    page = secretary.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "家中老人住院" in page and f"/meetings/leave/{row.pk}/decision/" in page
    secretary.post(f"/meetings/leave/{row.pk}/decision/", {"decision": "decline"})
    row.refresh_from_db()
    assert row.leave_state == LeaveState.DECLINED and row.status == Presence.PRESENT
    assert "请假未准假" in member_client.get(f"/meetings/{meeting.pk}/").content.decode()
    with unscoped("test"):
        assert AuditEntry.objects.filter(action="leave_decision", object_id=str(meeting.pk)).exists()
    # A member cannot decide their own (or anyone's) leave.
    member_client.post(f"/meetings/{meeting.pk}/leave/", {"reason": "再次请假"})
    assert member_client.post(f"/meetings/leave/{row.pk}/decision/", {"decision": "approve"}).status_code == 403
    secretary.post(f"/meetings/leave/{row.pk}/decision/", {"decision": "approve"})
    row.refresh_from_db()
    assert row.leave_state == LeaveState.APPROVED and row.status == Presence.LEAVE


def test_leave_reason_is_seen_only_by_the_secretary_and_the_requester(world, login, api_client):
    meeting = plan(world, kind="theme_day")
    login(world.users["member"]).post(f"/meetings/{meeting.pk}/leave/", {"reason": "家中老人住院"})
    other = world.members_a[2]
    other.user = UserFactory(username="other-member")
    other.save()
    GrantFactory(user=other.user, org=world.branch_a, role="member")
    assert "家中老人住院" not in login(other.user).get(f"/meetings/{meeting.pk}/").content.decode()
    api_rows = api_client(other.user).get(f"/api/v1/meetings/meetings/{meeting.pk}/attendance").json()["items"]
    assert all(r["reason"] == "" for r in api_rows)
    mine = api_client(world.users["member"]).get(f"/api/v1/meetings/meetings/{meeting.pk}/attendance").json()["items"]
    assert "家中老人住院" in {r["reason"] for r in mine}
    secretary_rows = (
        api_client(world.users["secretary"]).get(f"/api/v1/meetings/meetings/{meeting.pk}/attendance").json()
    )
    assert "家中老人住院" in {r["reason"] for r in secretary_rows["items"]}


# --- 记录不全: counts as held (rule data), flagged in compliance, the ledger and the county view ----------


def _cell(org, kind, day):
    with unscoped("test"):
        return ComplianceCell.objects.get(org=org, kind=kind, period_start__lte=day, period_end__gte=day)


def test_meeting_without_minutes_counts_but_is_flagged(world, login, api_client):
    day = timezone.localdate() - dt.timedelta(days=1)
    meeting = held(world, kind="theme_day", day=day, minutes="", resolutions="")
    cell = _cell(world.branch_a, "theme_day", day)
    assert (cell.held, cell.incomplete, cell.status) == (1, 1, "met")
    grid = login(world.users["secretary"]).get(f"/meetings/compliance/{world.branch_a.pk}/").content.decode()
    assert "1次记录不全" in grid
    assert "记录不全" in login(world.users["secretary"]).get(f"/meetings/{meeting.pk}/").content.decode()
    county = login(world.users["county_admin"]).get(f"/meetings/county/?year={day.year}").content.decode()
    assert 'title="已召开但没有会议记录和决议的会议数">1<' in county
    rows = api_client(world.users["secretary"]).get(f"/api/v1/meetings/compliance?year={day.year}").json()["items"]
    assert any(r["kind"] == "theme_day" and r["incomplete"] == 1 for r in rows)
    # The ledger's meeting list carries the flag too.
    [record] = [r for r in ledger_content.gather(world.branch_a, day.year).meetings if r.meeting.pk == meeting.pk]
    assert record.meeting.is_incomplete
    # With minutes, the flag goes.
    services.update_meeting(actor=world.users["secretary"], meeting=meeting, minutes="补记：学习了文件")
    assert _cell(world.branch_a, "theme_day", day).incomplete == 0


def test_whether_an_incomplete_record_counts_is_rule_data(world):
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="meetings/meetings",
        key="kinds.theme_day.incomplete_counts",
        value=False,
        effective=dt.date(2018, 10, 28),
    )
    day = timezone.localdate() - dt.timedelta(days=1)
    held(world, kind="theme_day", day=day, minutes="", resolutions="")
    cell = _cell(world.branch_a, "theme_day", day)
    assert (cell.held, cell.incomplete, cell.recorded) == (0, 1, 1)


def test_derive_flags_incomplete_facts():
    org = compliance.OrgFact(1, "branch")
    rules = {"theme_day": {"applies_to": "branch", "period": "month", "count": 1, "incomplete_counts": True}}
    day = dt.date(2026, 3, 10)
    facts = [compliance.MeetingFact(1, "theme_day", day, True, complete=False)]
    [cell] = [
        c
        for c in compliance.derive(
            orgs=[org], meetings=facts, rules_for=lambda o, d: rules, start=day, end=day, today=dt.date(2026, 4, 1)
        )
        if c.period_key.endswith("03")
    ]
    assert (cell.held, cell.incomplete, cell.status) == (1, 1, "met")
    rules["theme_day"]["incomplete_counts"] = False
    [cell] = compliance.derive(
        orgs=[org], meetings=facts, rules_for=lambda o, d: rules, start=day, end=day, today=dt.date(2026, 4, 1)
    )
    assert (cell.held, cell.status) == (0, "overdue")


# --- issue 13 leftover: a dissolved org's compliance stops at its dissolution ---------------------


def test_dissolved_org_cells_count_up_to_its_dissolution_only(world):
    year = timezone.localdate().year - 1  # a whole past year: every period has closed
    gone = OrgFactory(kind=OrgKind.BRANCH, name="已撤销党支部", parent=world.county)
    Org.all_objects.filter(pk=gone.pk).update(dissolved_on=dt.date(year, 5, 20), is_active=False)
    compliance.refresh(org_ids=[gone.pk], years=[year], today=dt.date(year + 1, 1, 10))
    with unscoped("test"):
        cells = list(ComplianceCell.objects.filter(org=gone, kind="theme_day").order_by("period_start"))
        quarters = list(ComplianceCell.objects.filter(org=gone, kind="general_assembly"))
        yearly = ComplianceCell.objects.filter(org=gone, kind="org_life_meeting").exists()
    # January to April owed (all overdue: nothing held); May ends after the dissolution, so nothing falls due.
    assert [c.period_start.month for c in cells] == [1, 2, 3, 4]
    assert {c.status for c in cells} == {"overdue"}
    assert [c.period_start.month for c in quarters] == [1] and not yearly
    # The full (nightly) refresh derives the same and keeps them.
    compliance.refresh(years=[year], today=dt.date(year + 1, 1, 10))
    with unscoped("test"):
        assert ComplianceCell.objects.filter(org=gone, kind="theme_day").count() == 4


# --- county acting for branches: 代录 with a reason, otherwise read only -------------------------


def test_county_reads_branch_records_without_write_buttons(world, login):
    meeting = held(world, kind="theme_day")
    client = login(world.users["county_admin"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/record/" not in page and f"/meetings/{meeting.pk}/edit/" not in page
    assert client.get(f"/meetings/{meeting.pk}/record/").status_code == 403
    assert client.get(f"/meetings/orgs/{world.branch_a.pk}/record/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/edit/", {"topic": "改"}).status_code == 403
    grid = client.get(f"/meetings/compliance/{world.branch_a.pk}/").content.decode()
    assert f"/meetings/orgs/{world.branch_a.pk}/record-on-behalf/" in grid
    # The secretary records in their own right and is never offered 代录.
    secretary = login(world.users["secretary"])
    assert "record-on-behalf" not in secretary.get(f"/meetings/compliance/{world.branch_a.pk}/").content.decode()
    assert secretary.get(f"/meetings/orgs/{world.branch_a.pk}/record-on-behalf/").status_code == 403


def test_county_records_on_behalf_with_a_reason_shown_and_audited(world, login):
    client = login(world.users["county_admin"])
    url = f"/meetings/orgs/{world.branch_a.pk}/record-on-behalf/"
    assert "代录原因" in client.get(url).content.decode()
    data = {
        "kind": "theme_day",
        "topic": "重温入党誓词",
        "starts_at": (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "roster": "members",
        "minutes": "纸质记录录入",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "代录原因" in refused.content.decode()
    with unscoped("test"):
        assert not Meeting.objects.filter(topic="重温入党誓词").exists()
    response = client.post(url, {**data, "on_behalf_reason": "书记调离，新书记未到任"})
    assert response.status_code == 302
    with unscoped("test"):
        meeting = Meeting.objects.get(topic="重温入党誓词")
        entry = AuditEntry.objects.get(action="record_on_behalf", object_id=str(meeting.pk))
    assert meeting.recorded_on_behalf_by == world.users["county_admin"] and meeting.is_held
    assert entry.changes["on_behalf_reason"] == [None, "书记调离，新书记未到任"]
    page = login(world.users["member"]).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "县级代录" in page and "书记调离，新书记未到任" in page
