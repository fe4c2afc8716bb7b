import datetime as dt

from tests.ethics.factories import AppraisalFactory, CaseFactory, EvidenceFactory
from tests.routes import Route


def _samples(world):
    """The member's own appraisal and own case (notified, so the member may see it): the member reaches
    them (200) or is refused the officers' steps (403); the outsider from school B gets 404."""
    cached = world.__dict__.get("_ethics_samples")
    if cached is None:
        member = world.people["member"]
        appraisal = AppraisalFactory(person=member)
        case = CaseFactory(person=member, status="notified", notified_on=dt.date(2026, 9, 10), proposed="warning")
        evidence = EvidenceFactory(case=case)
        cached = world.__dict__["_ethics_samples"] = (appraisal, case, evidence)
    return cached


def routes(world):
    appraisal, case, evidence = _samples(world)
    member = world.people["member"]
    a = world.branch_a
    return [
        Route("ethics:index", object_route=False),
        Route("ethics:cases", object_route=False),
        Route("ethics:case_new", object_route=False, member_forbidden=True),
        Route("ethics:case_new", method="POST", object_route=False, write=True),
        Route("ethics:case", {"pk": case.pk}),
        Route("ethics:case_step", {"pk": case.pk, "step": "decide"}, method="POST", write=True),
        Route("ethics:case_step", {"pk": case.pk, "step": "statement"}, method="POST"),
        Route("ethics:evidence_file", {"case_pk": case.pk, "pk": evidence.pk}, member_forbidden=True),
        Route("ethics:appraisals", object_route=False),
        Route("ethics:appraisal_open", {"org_pk": a.pk}, member_forbidden=True),
        Route("ethics:appraisal_open", {"org_pk": a.pk}, method="POST", write=True),
        Route("ethics:appraisal", {"pk": appraisal.pk}),
        Route("ethics:appraisal_action", {"pk": appraisal.pk, "action": "grade"}, method="POST", write=True),
        Route("ethics:appraisal_action", {"pk": appraisal.pk, "action": "self"}, method="POST"),
        Route("ethics:distribution", object_route=False, member_forbidden=True),
        Route("ethics:eligibility", object_route=False, member_forbidden=True),
        Route("GET /api/v1/ethics/standards", api=True, object_route=False),
        Route("GET /api/v1/ethics/cases", api=True, object_route=False),
        Route("GET /api/v1/ethics/cases/{case_id}", {"case_id": case.pk}, api=True),
        Route("GET /api/v1/ethics/cases/{case_id}/evidence", {"case_id": case.pk}, api=True, member_forbidden=True),
        Route(
            "GET /api/v1/ethics/cases/{case_id}/evidence/{evidence_id}/file",
            {"case_id": case.pk, "evidence_id": evidence.pk},
            api=True,
            member_forbidden=True,
        ),
        Route(
            "POST /api/v1/ethics/cases",
            method="POST",
            data={"person_id": member.pk, "source": "complaint", "summary": "x", "reported_on": "2026-09-01"},
            api=True,
            object_route=False,
            write=True,
        ),
        Route(
            "POST /api/v1/ethics/cases/{case_id}/steps/{step}",
            {"case_id": case.pk, "step": "decide"},
            method="POST",
            data={"on": "2026-09-20", "decision": "warning", "reason": "x"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/ethics/appraisals", api=True, object_route=False),
        Route("GET /api/v1/ethics/appraisals/{appraisal_id}", {"appraisal_id": appraisal.pk}, api=True),
        Route(
            "POST /api/v1/ethics/appraisals/{appraisal_id}/actions/{action}",
            {"appraisal_id": appraisal.pk, "action": "grade"},
            method="POST",
            data={"on": "2026-07-01", "grade": "qualified"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/ethics/distribution", api=True, object_route=False, member_forbidden=True),
        Route("GET /api/v1/ethics/eligibility/{person_id}", {"person_id": member.pk}, api=True),
    ]
