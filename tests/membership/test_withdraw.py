"""撤销最近一步: a step recorded by mistake is taken back with its reason and recorded again; what it set (the
person's stage and its date, the probation's extension) goes back to what the remaining steps say."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.membership import development
from dangjian.membership.models import DossierStatus, Step
from dangjian.orgs.models import Membership
from tests.membership.helpers import assembly_vote, run_dossier


def _stage(person):
    with unscoped("test"):
        return Membership.all_objects.filter(person=person).first()


def _codes(dossier):
    with unscoped("test"):
        return list(Step.all_objects.filter(dossier=dossier).order_by("pk").values_list("code", flat=True))


def test_a_wrong_candidate_step_is_withdrawn_and_recorded_again(world):
    dossier = run_dossier(world, until="candidate")
    person = dossier.person
    assert _stage(person).stage == "candidate" and _stage(person).candidate_on == dt.date(2025, 3, 5)
    development.withdraw_last_step(actor=world.secretary, dossier=dossier, reason="日期录错，应为3月6日")
    membership = _stage(person)
    assert membership.stage == "activist" and membership.candidate_on is None
    assert membership.activist_on == dt.date(2024, 3, 1)
    assert _codes(dossier)[-1] == "activist_review"
    entry = AuditEntry.objects.filter(action="dossier_step_withdraw").get()
    assert entry.changes["reason"] == [None, "日期录错，应为3月6日"] and entry.changes["done_on"][0] == "2025-03-05"
    development.record_step(actor=world.secretary, dossier=dossier, code="candidate", done_on=dt.date(2025, 3, 6))
    assert _stage(person).stage == "candidate" and _stage(person).candidate_on == dt.date(2025, 3, 6)


def test_withdrawing_the_application_leaves_no_stage(world):
    dossier = run_dossier(world, until="application")
    development.withdraw_last_step(actor=world.secretary, dossier=dossier, reason="误录")
    assert _stage(dossier.person) is None and _codes(dossier) == []


def test_withdrawing_an_extension_restores_the_probation(world):
    dossier = run_dossier(world, until="conversion_application")
    motion = assembly_vote(world, dt.date(2026, 5, 12), "讨论转正")
    development.record_step(
        actor=world.secretary,
        dossier=dossier,
        code="conversion_meeting",
        motion=motion,
        outcome="extend",
        extension_months=6,
    )
    dossier.refresh_from_db()
    assert dossier.probation_extended_months == 6
    development.withdraw_last_step(actor=world.secretary, dossier=dossier, reason="表决结果录错")
    dossier.refresh_from_db()
    assert dossier.probation_extended_months == 0 and _stage(dossier.person).stage == "probationary"


def test_refusals_change_nothing(world):
    dossier = run_dossier(world, until="activist")
    before = _codes(dossier)
    with pytest.raises(ValidationError, match="撤销原因"):
        development.withdraw_last_step(actor=world.secretary, dossier=dossier, reason="  ")
    with pytest.raises(PermissionDenied):  # another school's secretary has no say here
        development.withdraw_last_step(actor=world.users["outsider"], dossier=dossier, reason="x")
    development.close_dossier(actor=world.secretary, dossier=dossier, reason="本人放弃")
    with pytest.raises(ValidationError, match="已结束"):
        development.withdraw_last_step(actor=world.secretary, dossier=dossier, reason="x")
    assert _codes(dossier) == before and _stage(dossier.person).stage == "activist"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CLOSED


def test_on_the_page_and_through_the_api(world, login, api_client):
    dossier = run_dossier(world, until="first_talk")
    client = login(world.secretary)
    page = client.get(reverse("membership:dossier", args=[dossier.pk])).content.decode()
    assert "撤销最近一步" in page
    url = reverse("membership:dossier_withdraw", args=[dossier.pk])
    refused = client.post(url, {"withdraw-reason": ""}, follow=True).content.decode()
    assert "请写明撤销原因" in refused and _codes(dossier) == ["application", "first_talk"]
    client.post(url, {"withdraw-reason": "谈话日期有误"})
    assert _codes(dossier) == ["application"]
    api = api_client(world.secretary)
    path = f"/api/v1/membership/dossiers/{dossier.pk}/withdraw-last-step"
    assert api.post(path, {"reason": ""}, content_type="application/json").status_code == 422
    done = api.post(path, {"reason": "申请日期有误"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["id"] == dossier.pk and _codes(dossier) == []
    assert api_client(world.users["member"]).post(
        path, {"reason": "x"}, content_type="application/json"
    ).status_code in (403, 404)
