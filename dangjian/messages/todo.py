"""待办 of the messages app: official documents (正式文件) the user's orgs have not signed for yet (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.scoping import scoped
from dangjian.core.todo import Item

from .models import NoticeRecipient


def items(user, today: dt.date) -> list[Item]:
    rows = (
        scoped(user, NoticeRecipient, "inbox.acknowledge", own=False)
        .filter(notice__official=True, acknowledged_at__isnull=True)
        .select_related("notice", "org")
        .order_by("-notice__sent_at")[:20]
    )
    return [
        Item(
            _("签收文件"),
            f"{r.notice.title} · {r.org.name}",
            reverse("messages:notice", args=[r.notice_id]),
            r.notice.due_on,
        )
        for r in rows
    ]
