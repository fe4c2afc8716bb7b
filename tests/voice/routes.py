from django.core.files.base import ContentFile

from tests.routes import Route
from tests.voice.conftest import make_concern


def routes(world):
    # The member of school A submitted this concern: they see it (their own); the outsider does not.
    c = make_concern(world, submitter=world.users["member"])
    c.attachment.save("note.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    answered = make_concern(
        world, submitter=world.users["member"], status="answered", reply="已答复", first_answered_at=c.submitted_at
    )
    k = {"pk": c.pk}
    ak = {"pk": answered.pk}
    answered_api = make_concern(
        world, submitter=world.users["member"], status="answered", reply="已答复", first_answered_at=c.submitted_at
    )
    aak = {"concern_id": answered_api.pk}
    ck = {"concern_id": c.pk}
    return [
        Route("voice:list", object_route=False),
        Route("voice:submit", object_route=False),
        Route("voice:stats", object_route=False, member_forbidden=True),
        Route("voice:detail", k),
        Route("voice:acknowledge", k, method="POST", write=True),
        Route("voice:reply", k, method="POST", data={"text": "答复"}, write=True),
        Route("voice:transfer", k, method="POST", data={"org": world.branch_b.pk}, write=True),
        Route("voice:escalate", k, method="POST", write=True),
        Route("voice:rate", ak, method="POST", data={"rating": "satisfied"}),
        Route("voice:reopen", ak, method="POST", data={"reason": "没解决"}),
        Route("voice:attachment", k),
        Route("voice:public_submit", public=True),
        Route("voice:follow", public=True),
        Route("voice:public_stats", public=True),
        Route("GET /api/v1/voice/concerns", api=True, object_route=False),
        Route(
            "POST /api/v1/voice/concerns",
            method="POST",
            api=True,
            object_route=False,
            data={
                "school_id": world.school_a.pk,
                "category": "other",
                "submitter_kind": "teacher",
                "title": "t",
                "body": "b",
            },
        ),
        Route("GET /api/v1/voice/concerns/{concern_id}", ck, api=True),
        Route("GET /api/v1/voice/concerns/{concern_id}/attachment", ck, api=True),
        Route("POST /api/v1/voice/concerns/{concern_id}/acknowledge", ck, method="POST", api=True, write=True),
        Route(
            "POST /api/v1/voice/concerns/{concern_id}/reply",
            ck,
            method="POST",
            data={"text": "答"},
            api=True,
            write=True,
        ),
        Route("POST /api/v1/voice/concerns/{concern_id}/escalate", ck, method="POST", data={}, api=True, write=True),
        Route(
            "POST /api/v1/voice/concerns/{concern_id}/transfer",
            ck,
            method="POST",
            data={"org_id": world.branch_a.pk},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/voice/concerns/{concern_id}/rate",
            aak,
            method="POST",
            data={"rating": "satisfied"},
            api=True,
        ),
        Route(
            "POST /api/v1/voice/concerns/{concern_id}/reopen",
            aak,
            method="POST",
            data={"reason": "x"},
            api=True,
        ),
        Route("GET /api/v1/voice/stats", api=True, object_route=False, member_forbidden=True),
        Route("POST /api/v1/voice/public/concerns", method="POST", api=True, public=True),
        Route("POST /api/v1/voice/public/follow", method="POST", api=True, public=True),
        Route("POST /api/v1/voice/public/rate", method="POST", api=True, public=True),
        Route("POST /api/v1/voice/public/reopen", method="POST", api=True, public=True),
        Route("GET /api/v1/voice/public/stats", api=True, public=True),
    ]
