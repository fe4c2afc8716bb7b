import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Attachment, Audience, Rectification
from tests.meetings.helpers import held, plan
from tests.routes import Route


def routes(world):
    a = world.branch_a
    upcoming = plan(world, kind="party_lecture", audience=Audience.COUNTY, online_url="https://live.example.org/x")
    done = held(world, kind="general_assembly")
    life = held(world, kind="org_life_meeting")
    review = held(world, kind="member_review")
    with unscoped("route samples"):
        rect = Rectification.all_objects.create(
            meeting=life, item="整改", owner=world.people["member"], deadline=timezone.localdate() + dt.timedelta(30)
        )
        attachment = Attachment(meeting=done, name="议程.pdf", kind="pdf", size=10)
        attachment.file.save("agenda.pdf", ContentFile(b"%PDF-1.4 agenda"), save=False)
        attachment.save()
        row = upcoming.attendances.get(person=world.people["member"])
    m = upcoming.pk
    return [
        Route("meetings:index", object_route=False),
        Route("meetings:plan", {"pk": a.pk}, member_forbidden=True),
        Route(
            "meetings:plan",
            {"pk": a.pk},
            method="POST",
            data={"kind": "theme_day", "topic": "主题党日", "starts_at": "2030-01-01T15:00", "roster": "members"},
            write=True,
        ),
        Route("meetings:record_new", {"pk": a.pk}, member_forbidden=True),
        Route("meetings:record_new", {"pk": a.pk}, method="POST", data={"topic": "x"}, write=True),
        Route("meetings:record_on_behalf", {"pk": a.pk}, member_forbidden=True),
        Route("meetings:record_on_behalf", {"pk": a.pk}, method="POST", data={"topic": "x"}, write=True),
        Route("meetings:decide_leave", {"pk": row.pk}, method="POST", data={"decision": "approve"}, write=True),
        Route(
            "POST /api/v1/meetings/meetings/{meeting_id}/leave/{person_id}/decision",
            {"meeting_id": m, "person_id": world.people["member"].pk},
            method="POST",
            data={"approve": True},
            api=True,
            write=True,
        ),
        Route("meetings:compliance", object_route=False),
        Route("meetings:compliance_org", {"pk": a.pk}),
        Route("meetings:county", object_route=False, member_forbidden=True),
        Route("meetings:public", public=True, object_route=False),
        Route("meetings:public_ics", {"pk": m}, public=True),
        Route("meetings:detail", {"pk": m}),
        Route("meetings:edit", {"pk": m}, member_forbidden=True),
        Route("meetings:edit", {"pk": m}, method="POST", data={"topic": "改"}, write=True),
        Route("meetings:delete", {"pk": done.pk}, method="POST", write=True),
        Route("meetings:record", {"pk": m}, member_forbidden=True),
        Route("meetings:record", {"pk": m}, method="POST", data={}, write=True),
        Route("meetings:leave", {"pk": m}, method="POST", data={"reason": "外出培训"}),
        Route("meetings:invitation", {"pk": m}),
        Route("meetings:add_attachment", {"pk": done.pk}, method="POST", write=True),
        Route("meetings:attachment", {"pk": attachment.pk}),
        Route("meetings:add_motion", {"pk": done.pk}, method="POST", data={"title": "t", "yes": 1}, write=True),
        Route("meetings:org_life", {"pk": life.pk}, member_forbidden=True),
        Route("meetings:org_life", {"pk": life.pk}, method="POST", data={}, write=True),
        Route("meetings:add_rectification", {"pk": life.pk}, method="POST", data={"item": "x"}, write=True),
        Route("meetings:complete_rectification", {"pk": rect.pk}, method="POST", write=True),
        Route("meetings:review", {"pk": review.pk}, member_forbidden=True),
        Route("meetings:review", {"pk": review.pk}, method="POST", data={}, write=True),
        Route("GET /api/v1/meetings/meetings", api=True, object_route=False),
        Route(
            "POST /api/v1/meetings/meetings",
            method="POST",
            data={"org_id": a.pk, "kind": "theme_day", "topic": "t", "starts_at": "2030-01-01T15:00:00+08:00"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/meetings/meetings/{meeting_id}", {"meeting_id": m}, api=True),
        Route(
            "DELETE /api/v1/meetings/meetings/{meeting_id}",
            {"meeting_id": done.pk},
            method="DELETE",
            api=True,
            write=True,
        ),
        Route("GET /api/v1/meetings/meetings/{meeting_id}/attendance", {"meeting_id": m}, api=True),
        Route("GET /api/v1/meetings/meetings/{meeting_id}/motions", {"meeting_id": m}, api=True),
        Route(
            "POST /api/v1/meetings/meetings/{meeting_id}/record",
            {"meeting_id": done.pk},
            method="POST",
            data={"attendance": []},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/meetings/meetings/{meeting_id}/leave",
            {"meeting_id": m},
            method="POST",
            data={"reason": "外出"},
            api=True,
        ),
        Route("GET /api/v1/meetings/compliance", api=True, object_route=False),
    ]
