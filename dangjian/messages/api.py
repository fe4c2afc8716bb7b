"""The caller's own messages and open items: mounted at /api/v1/me/ (MOUNT), not under the app's label."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from dangjian.messages import selectors, services
from dangjian.messages.delivery import kind_label

MOUNT = "me"
router = Router(tags=["messages"])


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


class MessagesOut(Schema):
    unread: int
    unread_by_kind: dict[str, int]
    items: list[MessageOut]


class TodoOut(Schema):
    kind: str
    title: str
    url: str
    due: dt.date | None
    overdue: bool


def _out(n) -> dict:
    kind = n.kind_name
    return {
        "id": n.pk,
        "kind": kind,
        "kind_label": kind_label(kind),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


@router.get("/notifications", response=MessagesOut)
def notifications(request, kind: str = "", limit: int = 50, offset: int = 0):
    """The caller's messages, newest first (at most 200 a page), with the unread counts. Reading is the reader's
    own marker: it is never reported to anyone."""
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    items = list(selectors.my_messages(request.user, kind[:60])[offset : offset + limit])
    by_kind: dict[str, int] = {}
    for n in selectors.my_messages(request.user).filter(read_at__isnull=True).only("kind", "dedupe_key")[:1000]:
        by_kind[n.kind_name] = by_kind.get(n.kind_name, 0) + 1
    return {
        "unread": selectors.unread_count(request.user, fresh=True),
        "unread_by_kind": by_kind,
        "items": [_out(n) for n in items],
    }


@router.post("/notifications/{notification_id}/read", response=MessageOut)
def read(request, notification_id: int):
    """Mark one of the caller's messages read (another person's: 404)."""
    message = selectors.message_for(request.user, notification_id)
    return _out(services.mark_read(user=request.user, message=message))


@router.get("/todo", response=list[TodoOut])
def todo(request):
    """The caller's own open items (meetings to record, leave to decide, concerns to answer, targets to report,
    essays to judge, official documents to sign for), soonest due date first."""
    today = timezone.localdate()
    return [
        {"kind": i.kind, "title": i.title, "url": i.url, "due": i.due, "overdue": i.overdue(today)}
        for i in selectors.my_todo(request.user, today)
    ]
