from tests.messages.builders import failed_delivery, message, notice
from tests.routes import Route


def routes(world):
    # The member's own message: they open and mark it; anyone else gets 404.
    mine = message(world.users["member"], url="/me/")
    k = {"pk": mine.pk}
    official = notice(world, official=True, public=True)
    nk = {"pk": official.pk}
    fk = {"pk": official.pk, "file_pk": official.attachments.first().pk}
    failed = failed_delivery(world)
    return [
        Route("messages:inbox", object_route=False),
        Route("messages:open", k),
        Route("messages:read", k, method="POST"),
        Route("messages:read_all", method="POST", object_route=False),
        Route("messages:todo", object_route=False),
        Route("messages:settings", object_route=False),
        Route("messages:failures", object_route=False, member_forbidden=True),
        Route("messages:retry", {"pk": failed.pk}, method="POST", write=True, member_hidden=True),
        Route("messages:robots", object_route=False, member_forbidden=True),
        Route("messages:notices", object_route=False),
        Route("messages:notice_new", object_route=False, member_forbidden=True),
        Route("messages:notice", nk),
        Route("messages:notice_file", fk),
        Route("messages:acknowledge", nk, method="POST", write=True),
        Route("messages:public_notices", public=True),
        Route("messages:public_notice", nk, public=True),
        Route("messages:public_file", fk, public=True),
        Route("GET /api/v1/me/notifications", api=True, object_route=False),
        Route(
            "POST /api/v1/me/notifications/{notification_id}/read",
            {"notification_id": mine.pk},
            method="POST",
            api=True,
        ),
        Route("GET /api/v1/me/todo", api=True, object_route=False),
    ]
