"""The school's 议事规则 (generated from the county template, edited, approved; outdated when the template changes),
and the pages and API of the school's meetings, as a secretary uses them."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core import rules as core_rules
from dangjian.core.rules import RuleVersion
from dangjian.core.scoping import unscoped
from dangjian.leadership import selectors, services
from dangjian.leadership.models import AgendaItem, DecisionRules
from tests.leadership.builders import days_ago, held, item, seat_school_a

pytestmark = pytest.mark.django_db


def test_rules_from_the_county_template_edited_submitted_approved(world, login):
    secretary, admin = world.users["secretary"], world.users["county_admin"]
    assert selectors.rules_states([world.school_a.pk])[world.school_a.pk][1] == "none"
    client = login(secretary)
    response = client.post(reverse("leadership:rules_new", args=[world.school_a.pk]))
    with unscoped("test"):
        rules = DecisionRules.objects.get(school=world.school_a)
    assert response.url == reverse("leadership:rules_detail", args=[rules.pk])
    assert "甲校党组织会议和校长办公会议" in rules.text and rules.version == 1
    text = rules.text + "\n\n七、附则\n大额资金标准为5万元以上。<script>alert(1)</script>"
    assert client.post(reverse("leadership:rules_detail", args=[rules.pk]), {"text": text}).status_code == 302
    assert client.post(reverse("leadership:rules_detail", args=[rules.pk]), {"text": " "}).status_code == 400
    client.post(reverse("leadership:rules_submit", args=[rules.pk]))
    assert selectors.rules_states([world.school_a.pk])[world.school_a.pk][1] == "submitted"
    # The member may read it (escaped), not approve it; the county approves.
    page = login(world.users["member"]).get(reverse("leadership:rules_detail", args=[rules.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert login(world.users["member"]).post(reverse("leadership:rules_approve", args=[rules.pk])).status_code == 403
    county = login(admin)
    assert "甲校" in county.get(reverse("leadership:county")).content.decode()
    county.post(reverse("leadership:rules_approve", args=[rules.pk]))
    rules.refresh_from_db()
    assert rules.status == "approved" and rules.decided_by == admin
    with pytest.raises(ValidationError):
        services.edit_rules(actor=secretary, rules=rules, text="改")


def test_rules_through_the_api_drafted_edited_submitted_returned_and_approved(world, api_client):
    school = api_client(world.users["secretary"])
    drafted = school.post(f"/api/v1/leadership/schools/{world.school_a.pk}/rules", {}, content_type="application/json")
    assert drafted.status_code == 201 and drafted.json()["status"] == "draft"
    url = f"/api/v1/leadership/rules/{drafted.json()['id']}"
    empty = school.patch(url, {"text": "  "}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["detail"] == ["议事规则不能为空。"]
    edited = school.patch(url, {"text": "一、总则\n大额资金标准为5万元以上。"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["text"].endswith("5万元以上。")
    member = api_client(world.users["member"])
    assert member.get(url).status_code == 200  # a member of the school reads it
    assert member.post(f"{url}/submit").status_code == 403  # and may not submit it
    assert school.post(f"{url}/submit").json()["status"] == "submitted"
    assert school.post(f"{url}/approve").status_code == 403  # the school does not approve its own rules
    county = api_client(world.users["county_admin"])
    assert county.post(f"{url}/return", {"reason": " "}, content_type="application/json").status_code == 422
    returned = county.post(f"{url}/return", {"reason": "补充大额资金审批流程"}, content_type="application/json")
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "补充大额资金审批流程"
    assert school.post(f"{url}/submit").json()["status"] == "submitted"
    assert county.post(f"{url}/approve").json()["status"] == "approved"
    assert school.patch(url, {"text": "改"}, content_type="application/json").status_code == 422
    assert selectors.rules_states([world.school_a.pk])[world.school_a.pk][1] == "approved"


def test_rules_approved_on_an_older_template_are_outdated(world, monkeypatch):
    load = core_rules.load
    rules = services.draft_rules(actor=world.users["secretary"], school=world.school_a)
    services.submit_rules(actor=world.users["secretary"], rules=rules)
    services.approve_rules(actor=world.users["county_admin"], rules=rules)
    assert selectors.rules_states([world.school_a.pk])[world.school_a.pk][1] == "approved"
    ruleset = core_rules.load("leadership", "decision_rules")
    newer = RuleVersion(timezone.localdate() - dt.timedelta(days=1), "新示范文本", ruleset.versions[0].values)
    changed = dataclasses.replace(ruleset, versions=(newer, *ruleset.versions))
    monkeypatch.setattr(core_rules, "load", lambda app, name: changed if name == "decision_rules" else load(app, name))
    assert selectors.rules_states([world.school_a.pk])[world.school_a.pk][1] == "outdated"


def test_returning_needs_a_reason(world):
    rules = services.submit_rules(
        actor=world.users["secretary"],
        rules=services.draft_rules(actor=world.users["secretary"], school=world.school_a),
    )
    with pytest.raises(ValidationError, match="原因"):
        services.return_rules(actor=world.users["county_admin"], rules=rules, reason=" ")
    services.return_rules(actor=world.users["county_admin"], rules=rules, reason="请写明大额资金标准")
    services.edit_rules(actor=world.users["secretary"], rules=rules, text="修改后的规则")
    assert services.submit_rules(actor=world.users["secretary"], rules=rules).status == "submitted"


def test_a_secretary_seats_plans_records_and_decides_on_the_pages(world, login):
    client = login(world.users["secretary"])
    school = world.school_a
    seat = client.post(
        reverse("leadership:appoint", args=[school.pk]),
        {"body": "party", "person": world.people["secretary"].pk, "role": "secretary", "started_on": "2022-09-01"},
    )
    assert seat.status_code == 302
    client.post(
        reverse("leadership:appoint", args=[school.pk]),
        {"body": "admin", "person": world.people["secretary"].pk, "role": "principal", "started_on": "2022-09-01"},
    )
    when = timezone.localtime(days_ago(2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("leadership:plan", args=[school.pk]), {"kind": "party_org_meeting", "starts_at": when}
    )
    meeting_url = response.url
    assert client.get(meeting_url).status_code == 200
    meeting_pk = int(meeting_url.rstrip("/").rsplit("/", 1)[1])
    client.post(
        reverse("leadership:record", args=[school.pk, meeting_pk]),
        {f"status_{world.people['secretary'].pk}": "present"},
    )
    added = client.post(
        reverse("leadership:add_item", args=[school.pk, meeting_pk]),
        {"title": "运动会安排", "category": "teaching", "fixed_by": world.people["secretary"].pk},
    )
    assert added.status_code == 302
    with unscoped("test"):
        found = AgendaItem.objects.get(title="运动会安排")
    client.post(reverse("leadership:decide", args=[found.pk]), {"outcome": "decided", "decision": "同意"})
    found.refresh_from_db()
    assert found.outcome == "decided" and found.report_due_on is not None
    page = client.get(reverse("leadership:item", args=[found.pk])).content.decode()
    assert "执行情况报告" in page


def test_bad_input_gets_a_chinese_message_and_changes_nothing(world, login):
    seat_school_a(world)
    meeting = held(world, "party_org_meeting", days_ago(3))
    client = login(world.users["secretary"])
    response = client.post(
        reverse("leadership:add_item", args=[world.school_a.pk, meeting.pk]),
        {"title": "新建实验楼", "category": "major_project", "fixed_by": world.people["secretary"].pk},
        follow=True,
    )
    assert "会前充分沟通" in response.content.decode()
    response = client.post(reverse("leadership:plan", args=[world.school_a.pk]), {"kind": "x"}, follow=True)
    assert "请选择会议类型" in response.content.decode()
    with unscoped("test"):
        assert not AgendaItem.objects.filter(title="新建实验楼").exists()


def test_the_api_plans_records_adds_decides_and_reports(world, api_client):
    seat_school_a(world)
    api = api_client(world.users["secretary"])
    base = f"/api/v1/leadership/schools/{world.school_a.pk}"
    planned = api.post(
        f"{base}/meetings",
        {"kind": "principal_office_meeting", "starts_at": days_ago(3).isoformat()},
        content_type="application/json",
    )
    assert planned.status_code == 201
    mid = planned.json()["id"]
    recorded = api.post(f"{base}/meetings/{mid}/record", {"attendance": []}, content_type="application/json")
    assert recorded.json()["quorum_met"] is True
    bad = api.post(
        f"{base}/meetings/{mid}/items",
        {"title": "t", "category": "teaching", "fixed_by_id": world.members_a[2].pk},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "校长确定" in bad.json()["detail"][0]
    ok = api.post(
        f"{base}/meetings/{mid}/items",
        {"title": "采购校车", "category": "large_funds", "fixed_by_id": world.people["secretary"].pk},
        content_type="application/json",
    )
    assert ok.status_code == 201
    decided = api.post(
        f"/api/v1/leadership/items/{ok.json()['id']}/decision",
        {"outcome": "decided", "decision": "同意"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    county = api_client(world.users["county_admin"]).get("/api/v1/leadership/county").json()
    row = next(r for r in county["items"] if r["school_id"] == world.school_a.pk)
    assert [f["code"] for f in row["flags"]] == ["major_without_party"]
    party = held(world, "party_org_meeting", days_ago(2))
    decision = item(world, party, "teaching", title="教研")
    reported = api.post(
        f"/api/v1/leadership/items/{decision.pk}/reports",
        {"reported_on": timezone.localdate().isoformat(), "text": "已落实"},
        content_type="application/json",
    )
    assert reported.status_code == 201
