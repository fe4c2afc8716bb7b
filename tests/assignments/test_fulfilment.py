"""Assignments that records complete (core.fulfilment): the branch records its 组织生活会 once, and the county's
assignment asking for it completes itself with the meeting as evidence."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.assignments import services
from dangjian.assignments.models import Status, Target
from dangjian.core import fulfilment, rules
from dangjian.core.scoping import unscoped
from dangjian.learning import selectors as learning_selectors
from dangjian.learning import services as learning_services
from dangjian.learning.models import ItemKind
from dangjian.ledgers import services as ledger_services
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Status as MeetingStatus
from dangjian.orgs.models import OrgKind
from tests.factories import OrgFactory
from tests.learning.helpers import make_item, make_plan
from tests.meetings.helpers import committed, held

TODAY = timezone.localdate()


def assigned(world, fulfilled_by: str = "meetings.org_life_meeting", receivers=None):
    return services.create_assignment(
        actor=world.county_admin,
        org=world.county,
        title="组织召开年度组织生活会",
        body="各支部按要求召开组织生活会。",
        expected="会议记录",
        due_on=TODAY + dt.timedelta(days=30),
        receivers=receivers or [world.branch_a, world.branch_b],
        fulfilled_by=fulfilled_by,
    )


def target(assignment, org) -> Target:
    with unscoped("test"):
        return Target.objects.get(assignment=assignment, org=org)


def test_recording_the_meeting_completes_the_target_with_a_link_to_it(world, login):
    assignment = assigned(world)
    assert target(assignment, world.branch_a).status == Status.PENDING
    meeting = held(world, kind="org_life_meeting", topic="年度组织生活会")
    done = target(assignment, world.branch_a)
    assert done.status == Status.DONE
    assert done.completed_on == meeting.day
    assert done.evidence_url == reverse("meetings:detail", args=[meeting.pk])
    page = login(world.users["secretary"]).get(reverse("assignments:target", args=[done.pk])).content.decode()
    assert "已完成" in page and f'href="{done.evidence_url}"' in page and "年度组织生活会" in page


def test_a_meeting_of_another_org_or_kind_does_not_complete_it(world):
    assignment = assigned(world)
    held(world, kind="org_life_meeting", org=world.branch_b, actor=world.users["outsider"])
    held(world, kind="theme_day")
    assert target(assignment, world.branch_a).status == Status.PENDING
    assert target(assignment, world.branch_b).status == Status.DONE


def test_deleting_or_cancelling_the_meeting_reverts_the_target(world):
    assignment = assigned(world)
    meeting = held(world, kind="org_life_meeting")
    assert target(assignment, world.branch_a).status == Status.DONE
    meeting_services.update_meeting(actor=world.users["secretary"], meeting=meeting, status=MeetingStatus.CANCELLED)
    reverted = target(assignment, world.branch_a)
    assert (reverted.status, reverted.completed_on, reverted.evidence_url) == (Status.PENDING, None, "")
    again = held(world, kind="org_life_meeting")
    assert target(assignment, world.branch_a).status == Status.DONE
    meeting_services.delete_meeting(actor=world.users["secretary"], meeting=again)
    assert target(assignment, world.branch_a).status == Status.PENDING


def test_a_meeting_recorded_before_the_assignment_completes_it_when_assigned(world):
    meeting = held(world, kind="org_life_meeting")
    assignment = assigned(world)
    assert target(assignment, world.branch_a).evidence_url == reverse("meetings:detail", args=[meeting.pk])


def test_a_target_reported_done_by_hand_stays_as_reported(world):
    assignment = assigned(world)
    by_hand = target(assignment, world.branch_a)
    services.report_progress(actor=world.users["secretary"], target=by_hand, text="已召开", done=True)
    held(world, kind="org_life_meeting")
    kept = target(assignment, world.branch_a)
    assert (kept.status, kept.completed_on, kept.evidence_url) == (Status.DONE, TODAY, "")


def test_only_record_kinds_from_the_rule_data_may_be_named(world):
    with pytest.raises(ValidationError, match="记录类型无效"):
        assigned(world, "meetings.nonsense")
    with unscoped("test"):
        assert not Target.objects.exists()  # nothing was created


def test_the_county_chooses_the_fulfilling_kind_on_the_page_and_over_the_api(world, login, api_client):
    client = login(world.county_admin)
    form = client.get(reverse("assignments:new", args=[world.county.pk])).content.decode()
    assert "meetings.org_life_meeting" in form and "召开组织生活会" in form
    response = client.post(
        reverse("assignments:new", args=[world.county.pk]),
        {
            "title": "开展民主评议党员",
            "body": "内容",
            "expected": "评议结果",
            "due_on": (TODAY + dt.timedelta(days=10)).isoformat(),
            "all_receivers": "on",
            "fulfilled_by": "meetings.member_review",
        },
    )
    assert response.status_code == 302
    api = api_client(world.county_admin)
    kinds = api.get(f"/api/v1/assignments/fulfilling-kinds?org_id={world.county.pk}").json()
    assert {"key": "meetings.org_life_meeting", "label": "召开组织生活会"} in kinds
    created = api.post(
        "/api/v1/assignments/assignments",
        {
            "org_id": world.county.pk,
            "title": "组织生活会",
            "body": "内容",
            "expected": "记录",
            "due_on": (TODAY + dt.timedelta(days=10)).isoformat(),
            "fulfilled_by": "meetings.org_life_meeting",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["fulfilled_by"] == "meetings.org_life_meeting"
    meeting = held(world, kind="org_life_meeting")
    targets = api.get(f"/api/v1/assignments/assignments/{created.json()['id']}/targets").json()["items"]
    mine = next(t for t in targets if t["org_id"] == world.branch_a.pk)
    assert mine["status"] == "done" and mine["evidence_url"] == reverse("meetings:detail", args=[meeting.pk])


def test_a_school_committee_completes_it_when_every_branch_below_has_held_one(world, login):
    committee = OrgFactory(kind=OrgKind.COMMITTEE, name="丙校党委", parent=world.county)
    first, second = (OrgFactory(kind=OrgKind.BRANCH, name=f"丙校第{n}党支部", parent=committee) for n in "一二")
    assignment = assigned(world, receivers=[committee])
    held(world, kind="org_life_meeting", org=first, actor=world.county_admin)
    assert target(assignment, committee).status == Status.PENDING  # one branch of two
    last = held(world, kind="org_life_meeting", org=second, actor=world.county_admin)
    done = target(assignment, committee)
    assert (done.status, done.completed_on) == (Status.DONE, last.day)
    assert done.evidence_title == "2个支部均已召开组织生活会"
    assert done.evidence_url.startswith(reverse("meetings:index")) and f"org={committee.pk}" in done.evidence_url
    listed = login(world.county_admin).get(done.evidence_url).content.decode()
    assert first.name in listed and second.name in listed


def test_every_record_kind_the_rule_data_lists_is_offered_by_an_app():
    listed = rules.rule_values("assignments", "assignments", on=TODAY)["fulfilled_by"]
    assert listed and {item["key"] for item in listed} <= set(fulfilment.sources())


def test_a_held_study_session_completes_a_training_assignment(world):
    assignment = assigned(world, "learning.session")
    session = make_item(make_plan(world.branch_a), ItemKind.SESSION, hours="4", title="集中学习党章")
    assert target(assignment, world.branch_a).status == Status.PENDING  # planned, not held
    roster = list(learning_selectors.session_roster(world.secretary, session))
    learning_services.record_session(actor=world.secretary, item=session, held_on=TODAY, people=roster[:2])
    done = target(assignment, world.branch_a)
    assert (done.status, done.evidence_title) == (Status.DONE, "集中学习党章")
    assert done.evidence_url == reverse("learning:plan", args=[session.plan_id])
    assert target(assignment, world.branch_b).status == Status.PENDING


def test_a_generated_ledger_completes_a_ledger_assignment(world):
    assignment = assigned(world, "ledgers.ledger")
    with committed():  # the ledger is built by its job after the commit
        ledger = ledger_services.request_ledger(actor=world.users["secretary"], org=world.branch_a, year=TODAY.year)
    done = target(assignment, world.branch_a)
    assert done.status == Status.DONE and done.evidence_url == reverse("ledgers:detail", args=[ledger.pk])
    assert target(assignment, world.branch_b).status == Status.PENDING
