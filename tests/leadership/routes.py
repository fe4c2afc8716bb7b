from dangjian.leadership import services
from tests.leadership.builders import days_ago, leadership_a
from tests.routes import Route


def routes(world):
    found = leadership_a(world)
    school = world.school_a
    meeting = found.meeting
    office = services.plan_meeting(
        actor=world.users["secretary"], school=school, kind="principal_office_meeting", starts_at=days_ago(5)
    )
    rules = services.draft_rules(actor=world.users["secretary"], school=school)
    submitted = services.submit_rules(
        actor=world.users["secretary"], rules=services.draft_rules(actor=world.users["secretary"], school=school)
    )
    seat = services.appoint(
        actor=world.users["secretary"],
        school=school,
        body="admin",
        person=world.people["teacher"],
        role="member",
    )
    s = {"pk": school.pk}
    m = {"pk": school.pk, "meeting": meeting.pk}
    om = {"pk": school.pk, "meeting": office.pk}
    i = {"pk": found.ordinary.pk}
    p = {"pk": found.personnel.pk}
    r = {"pk": rules.pk}
    sr = {"pk": submitted.pk}
    api_s = {"school_id": school.pk}
    api_m = {"school_id": school.pk, "meeting_id": office.pk}
    return [
        Route("leadership:index", object_route=False),
        Route("leadership:county", object_route=False, member_forbidden=True),
        Route("leadership:school", s),
        Route("leadership:appoint", s, method="POST", data={"body": "admin", "role": "member"}, write=True),
        Route("leadership:plan", s, method="POST", data={"kind": "party_org_meeting"}, write=True),
        Route("leadership:meeting", m),
        Route("leadership:record", om, method="POST", data={}, write=True),
        Route("leadership:add_item", om, method="POST", data={"title": "t"}, write=True),
        Route("leadership:rules", s),
        Route("leadership:rules_new", s, method="POST", write=True),
        Route("leadership:end_seat", {"pk": seat.pk}, method="POST", write=True),
        Route("leadership:item", i),
        # A personnel item: an ordinary member of the same school gets 404, as an outsider does.
        Route("leadership:item", p, member_hidden=True),
        Route("leadership:decide", i, method="POST", data={"outcome": "decided"}, write=True),
        Route("leadership:decide", p, method="POST", data={"outcome": "decided"}, member_hidden=True),
        Route("leadership:report", i, method="POST", data={"text": "x"}, write=True),
        Route("leadership:rules_detail", r),
        Route("leadership:rules_detail", r, method="POST", data={"text": "改"}, write=True),
        Route("leadership:rules_submit", r, method="POST", write=True),
        Route("leadership:rules_approve", sr, method="POST", write=True),
        Route("leadership:rules_return", sr, method="POST", data={"reason": "r"}, write=True),
        Route("GET /api/v1/leadership/schools", api=True, object_route=False),
        Route("GET /api/v1/leadership/schools/{school_id}/bodies", api_s, api=True),
        Route(
            "POST /api/v1/leadership/schools/{school_id}/seats",
            api_s,
            method="POST",
            data={"body": "admin", "person_id": world.members_a[1].pk, "role": "member"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/leadership/schools/{school_id}/meetings", api_s, api=True),
        Route(
            "POST /api/v1/leadership/schools/{school_id}/meetings",
            api_s,
            method="POST",
            data={"kind": "principal_office_meeting", "starts_at": "2026-06-01T15:00:00+08:00"},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/leadership/schools/{school_id}/meetings/{meeting_id}/record",
            api_m,
            method="POST",
            data={"attendance": []},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/leadership/schools/{school_id}/agenda", api_s, api=True),
        Route(
            "POST /api/v1/leadership/schools/{school_id}/meetings/{meeting_id}/items",
            api_m,
            method="POST",
            data={"title": "t", "category": "teaching", "fixed_by_id": world.people["secretary"].pk},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/leadership/items/{item_id}", {"item_id": found.ordinary.pk}, api=True),
        Route("GET /api/v1/leadership/items/{item_id}", {"item_id": found.personnel.pk}, api=True, member_hidden=True),
        Route(
            "POST /api/v1/leadership/items/{item_id}/decision",
            {"item_id": found.ordinary.pk},
            method="POST",
            data={"outcome": "decided", "decision": "同意"},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/leadership/items/{item_id}/reports",
            {"item_id": found.ordinary.pk},
            method="POST",
            data={"reported_on": "2026-01-05", "text": "已落实"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/leadership/county", api=True, object_route=False, member_forbidden=True),
        Route("GET /api/v1/leadership/schools/{school_id}/rules", api_s, api=True),
        Route("POST /api/v1/leadership/schools/{school_id}/rules", api_s, method="POST", data={}, api=True, write=True),
        Route("GET /api/v1/leadership/rules/{rules_id}", {"rules_id": rules.pk}, api=True),
        Route(
            "PATCH /api/v1/leadership/rules/{rules_id}",
            {"rules_id": rules.pk},
            method="PATCH",
            data={"text": "改"},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/leadership/rules/{rules_id}/submit",
            {"rules_id": rules.pk},
            method="POST",
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/leadership/rules/{rules_id}/approve",
            {"rules_id": submitted.pk},
            method="POST",
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/leadership/rules/{rules_id}/return",
            {"rules_id": submitted.pk},
            method="POST",
            data={"reason": "r"},
            api=True,
            write=True,
        ),
    ]
