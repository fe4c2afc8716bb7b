"""Misconduct cases: the steps in order, each with its day, time and actor; the guards that protect the
teacher (no decision before their statement or a recorded waiver; a hearing where the rules give one)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEntry, LocalRule, Notification
from dangjian.core.scoping import unscoped
from dangjian.ethics import services
from dangjian.ethics.eligibility import add_months, eligible
from dangjian.ethics.models import CaseEvent, MisconductCase, Sanction
from tests.ethics.factories import CaseFactory, EvidenceFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _case(pk):
    with unscoped("test"):
        return MisconductCase.objects.get(pk=pk)


def test_a_case_runs_end_to_end_through_the_pages(world, officers, login):
    officer, county = login(officers["ethics_a"]), login(officers["discipline"])
    teacher_user = world.users["teacher"]
    teacher = world.people["teacher"]
    me = login(teacher_user)

    # 1. report
    response = officer.post(
        reverse("ethics:case_new"),
        {
            "person": teacher.pk,
            "source": "complaint",
            "reported_on": days_ago(40),
            "summary": "家长反映该教师组织有偿补课",
            "standards": ["10"],
            "source_detail": "家长王某来电（不向当事人展示）",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])

    def step(client, name, data, expect=302):
        r = client.post(reverse("ethics:case_step", kwargs={"pk": pk, "step": name}), data)
        assert r.status_code == expect, (name, r.content.decode()[:3000])
        return r

    # before notice the teacher cannot see the case at all
    assert me.get(reverse("ethics:case", kwargs={"pk": pk})).status_code == 404
    # 2. investigation with evidence
    step(officer, "investigate", {"on": days_ago(39), "note": "成立调查组"})
    step(officer, "evidence", {"description": "收费收据照片", "file": SimpleUploadedFile("receipt.pdf", PDF)})
    # 3. notice, statement, hearing
    step(officer, "notify", {"on": days_ago(30), "findings": "查实组织有偿补课8次", "proposed": "demotion"})
    assert Notification.objects.filter(user=teacher_user, url=f"/ethics/cases/{pk}/").exists()
    page = me.get(reverse("ethics:case", kwargs={"pk": pk}))
    assert page.status_code == 200
    assert "家长王某" not in page.content.decode()  # the source is never shown to the teacher
    assert "查实组织有偿补课8次" in page.content.decode()
    # a decision cannot be recorded before the statement step is complete
    response = step(officer, "decide", {"on": days_ago(29), "decision": "demotion", "reason": "依规"}, expect=200)
    assert "陈述申辩尚未完成" in response.content.decode()
    step(me, "statement", {"on": days_ago(29), "statement": "本人承认部分事实，但收费系家长自愿"})
    step(me, "hearing_request", {"on": days_ago(29)})
    response = step(officer, "decide", {"on": days_ago(25), "decision": "demotion", "reason": "依规"}, expect=200)
    assert "须先组织听证" in response.content.decode()
    step(officer, "hearing", {"on": days_ago(20), "record": "听证会记录：当事教师到场陈述"})
    # 4. decision, with a disqualification
    step(
        officer,
        "decide",
        {
            "on": days_ago(10),
            "decision": "demotion",
            "reason": "依据处理办法第四条",
            "disqualify": ["title"],
            "disqualify_months": "24",
        },
    )
    # 5. appeal and review (by someone other than the decider)
    step(me, "appeal", {"on": days_ago(5), "text": "处理过重，请求复核"})
    step(county, "review", {"on": days_ago(1), "outcome": "upheld", "reason": "事实清楚，维持原决定"})

    case = _case(pk)
    assert case.status == "reviewed"
    with unscoped("test"):
        events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert [e.step for e in events] == [
        "report",
        "investigate",
        "evidence",
        "notify",
        "statement",
        "hearing_request",
        "hearing",
        "decide",
        "appeal",
        "review",
    ]
    actors = [e.actor_name for e in events]
    assert actors == ["ethics_a"] * 4 + ["teacher", "teacher", "ethics_a", "ethics_a", "teacher", "discipline"]
    assert all(e.at is not None and e.actor_id is not None for e in events)
    assert [e.on for e in events if e.step in ("report", "notify", "decide", "review")] == [
        days_ago(40),
        days_ago(30),
        days_ago(10),
        days_ago(1),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    # the effects: demotion 24 months from the decision day, title also disqualified 24 months
    with unscoped("test"):
        kinds = {s.kind: s for s in Sanction.objects.filter(case=case)}
    assert kinds["demotion"].ends_on == add_months(days_ago(10), 24)
    assert kinds["disqualification"].purposes == ["title"]
    assert not eligible(teacher, on=days_ago(0), purpose="award").ok
    back = eligible(teacher, on=days_ago(0), purpose="title")
    assert back.eligible_from == add_months(days_ago(10), 24)
    assert eligible(teacher, on=add_months(days_ago(10), 24), purpose="title").ok


@pytest.fixture
def notified(world, officers):
    """A case about the teacher, investigated with evidence, at the notice step (proposed: warning)."""
    officer = officers["ethics_a"]
    case = services.report_case(
        actor=officer,
        person=world.people["teacher"],
        source="inspection",
        summary="督导发现擅自兼职",
        reported_on=days_ago(30),
        standards=[4],
    )
    services.start_investigation(actor=officer, case=case, on=days_ago(29))
    services.add_evidence(actor=officer, case=case, description="兼职单位出具的证明", on=days_ago(28))
    services.notify_teacher(actor=officer, case=case, on=days_ago(20), findings="擅自兼职属实", proposed="warning")
    return case


def test_decision_requires_statement_or_a_recorded_waiver(notified, officers):
    officer = officers["ethics_a"]
    with pytest.raises(ValidationError, match="陈述申辩尚未完成"):
        services.decide(actor=officer, case=notified, on=days_ago(5), decision="warning", reason="依规")
    with pytest.raises(ValidationError, match="未陈述申辩的原因"):
        services.waive_statement(actor=officer, case=notified, on=days_ago(10), reason="  ")
    services.waive_statement(actor=officer, case=notified, on=days_ago(10), reason="逾期未提交陈述申辩")
    services.decide(actor=officer, case=notified, on=days_ago(5), decision="warning", reason="依规")
    assert notified.status == "decided"
    with unscoped("test"):
        warning = Sanction.objects.get(case=notified)
    assert (warning.starts_on, warning.ends_on) == (days_ago(5), add_months(days_ago(5), 6))


def test_hearing_right_follows_the_proposed_handling(notified, officers, world):
    officer = officers["ethics_a"]
    assert notified.hearing_right is False
    with pytest.raises(ValidationError, match="不适用听证"):
        services.request_hearing(actor=world.users["teacher"], case=notified, on=days_ago(19))
    services.record_statement(actor=world.users["teacher"], case=notified, on=days_ago(18), statement="说明情况")
    # a heavier sanction than the teacher was told of, with a hearing right they never had: refused
    with pytest.raises(ValidationError, match="重新告知"):
        services.decide(actor=officer, case=notified, on=days_ago(5), decision="removal", reason="依规")


def test_hearing_must_be_asked_for_in_time(world, officers):
    officer = officers["ethics_a"]
    case = CaseFactory(person=world.people["teacher"], reported_on=days_ago(60))
    EvidenceFactory(case=case)
    services.start_investigation(actor=officer, case=case, on=days_ago(59))
    services.notify_teacher(actor=officer, case=case, on=days_ago(50), findings="属实", proposed="demotion")
    with pytest.raises(ValidationError, match="超过申请听证的期限"):
        services.request_hearing(actor=world.users["teacher"], case=case, on=days_ago(30))


def test_notice_needs_evidence_and_no_one_handles_their_own_case(world, officers):
    officer = officers["ethics_a"]
    case = services.report_case(
        actor=officer, person=world.people["teacher"], source="concern", summary="诉求转办", reported_on=days_ago(9)
    )
    services.start_investigation(actor=officer, case=case, on=days_ago(8))
    with pytest.raises(ValidationError, match="尚无调查证据"):
        services.notify_teacher(actor=officer, case=case, on=days_ago(7), findings="x", proposed="warning")
    with unscoped("test"):
        own = officer.person
    with pytest.raises(ValidationError, match="涉及本人"):
        services.report_case(actor=officer, person=own, source="concern", summary="x", reported_on=days_ago(1))
    with pytest.raises(ValidationError, match="晚于今天"):
        services.close_unfounded(actor=officer, case=case, on=days_ago(-3), reason="x")
    services.close_unfounded(actor=officer, case=case, on=days_ago(1), reason="经核实，反映不属实")
    assert case.status == "closed"


def test_review_by_another_officer_can_change_the_sanction(notified, officers, world):
    officer, county = officers["ethics_a"], officers["discipline"]
    services.record_statement(actor=world.users["teacher"], case=notified, on=days_ago(19), statement="说明")
    services.decide(
        actor=officer,
        case=notified,
        on=days_ago(15),
        decision="warning",
        reason="依规",
        disqualify=["award"],
        disqualify_months=24,
    )
    services.appeal_case(actor=world.users["teacher"], case=notified, on=days_ago(10), text="请求复核")
    with pytest.raises(ValidationError, match="原处理决定经办人以外"):
        services.review_case(actor=officer, case=notified, on=days_ago(5), outcome="revoked", reason="x")
    with pytest.raises(ValidationError, match="不得少于24个月"):
        services.review_case(
            actor=county,
            case=notified,
            on=days_ago(5),
            outcome="changed",
            reason="改为批评教育并取消评优一年",
            decision="criticism",
            disqualify=["award"],
            disqualify_months=12,
        )
    services.review_case(
        actor=county, case=notified, on=days_ago(5), outcome="changed", reason="改为批评教育", decision="criticism"
    )
    teacher = world.people["teacher"]
    assert not eligible(teacher, on=days_ago(6), purpose="award").ok  # the warning stood until the review
    assert eligible(teacher, on=days_ago(5), purpose="award").ok  # criticism carries no period


def test_appeal_window_is_rule_data(notified, officers, world):
    services.waive_statement(actor=officers["ethics_a"], case=notified, on=days_ago(19), reason="本人书面放弃")
    services.decide(actor=officers["ethics_a"], case=notified, on=days_ago(19), decision="warning", reason="依规")
    # 30 days by default; the county shortens it to 10, and an appeal 14 days after the decision is late
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="ethics/cases",
        key="deadlines.appeal_days",
        value=10,
        effective=dt.date(2018, 1, 1),
    )
    with pytest.raises(ValidationError, match="超过申请复核的期限"):
        services.appeal_case(actor=world.users["teacher"], case=notified, on=days_ago(5), text="请求复核")


def test_every_read_is_logged(notified, officers, login, api_client):
    before = AuditEntry.objects.filter(action="read", object_id=str(notified.pk)).count()
    assert login(officers["discipline"]).get(reverse("ethics:case", kwargs={"pk": notified.pk})).status_code == 200
    assert api_client(officers["ethics_a"]).get(f"/api/v1/ethics/cases/{notified.pk}").status_code == 200
    reads = AuditEntry.objects.filter(action="read", object_id=str(notified.pk)).order_by("id")
    assert reads.count() == before + 2
    assert [e.actor_name for e in reads][-2:] == ["discipline", "ethics_a"]
    login(officers["ethics_a"]).get(reverse("ethics:cases"))
    listed = AuditEntry.objects.filter(action="read", model="ethics.MisconductCase", object_id="").order_by("id").last()
    assert listed.changes == {"ids": [notified.pk]}
    assert api_client(officers["discipline"]).get("/api/v1/ethics/cases").json()["count"] == 1
    listed = AuditEntry.objects.filter(action="read", model="ethics.MisconductCase", object_id="").order_by("id").last()
    assert (listed.actor_name, listed.changes) == ("discipline", {"ids": [notified.pk]})


def test_evidence_file_only_for_handlers(world, officers, login):
    officer = officers["ethics_a"]
    case = services.report_case(
        actor=officer, person=world.people["teacher"], source="complaint", summary="x", reported_on=days_ago(5)
    )
    services.start_investigation(actor=officer, case=case, on=days_ago(4))
    evidence = services.add_evidence(
        actor=officer, case=case, description="收据", file=SimpleUploadedFile("r.pdf", PDF), on=days_ago(3)
    )
    url = reverse("ethics:evidence_file", kwargs={"case_pk": case.pk, "pk": evidence.pk})
    response = login(officer).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    services.notify_teacher(actor=officer, case=case, on=days_ago(2), findings="x", proposed="warning")
    assert login(world.users["teacher"]).get(url).status_code == 403
    assert login(officers["ethics_b"]).get(url).status_code == 404


def test_evidence_upload_is_checked(world, officers, login):
    officer = officers["ethics_a"]
    case = services.report_case(
        actor=officer, person=world.people["teacher"], source="complaint", summary="x", reported_on=days_ago(5)
    )
    services.start_investigation(actor=officer, case=case, on=days_ago(4))
    response = login(officer).post(
        reverse("ethics:case_step", kwargs={"pk": case.pk, "step": "evidence"}),
        {"description": "x", "file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary")},
    )
    assert response.status_code == 200
    assert "已拒绝" in response.content.decode()
    assert not case.evidence.exists()


def test_case_step_over_the_api(notified, officers, api_client, world):
    client = api_client(world.users["teacher"])
    response = client.post(
        f"/api/v1/ethics/cases/{notified.pk}/steps/statement",
        data={"on": str(days_ago(19)), "statement": "书面陈述"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "heard"
    assert body["source_detail"] is None
    assert [e["step"] for e in body["events"]][-1] == "statement"
    response = client.post(
        f"/api/v1/ethics/cases/{notified.pk}/steps/decide",
        data={"on": str(days_ago(1)), "decision": "warning", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = api_client(officers["ethics_a"]).post(
        f"/api/v1/ethics/cases/{notified.pk}/steps/decide",
        data={"on": str(days_ago(1)), "decision": "nonsense", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
