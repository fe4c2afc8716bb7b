"""待办 of the voice app: concerns waiting for acceptance or an answer from the user (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.scoping import scoped
from dangjian.core.todo import Item
from dangjian.voice.models import Concern, Status


def items(user, today: dt.date) -> list[Item]:
    open_ones = (
        scoped(user, Concern, "voice.handle", own=False, extra=Q(assignee=user))
        .filter(status__in=[Status.SUBMITTED, Status.ACKNOWLEDGED])
        .order_by("answer_due")[:20]
    )
    found = []
    for c in open_ones:
        submitted = c.status == Status.SUBMITTED
        due = c.acknowledge_due if submitted else c.current_answer_due
        found.append(
            Item(
                _("受理诉求") if submitted else _("答复诉求"),
                c.title,
                reverse("voice:detail", args=[c.pk]),
                timezone.localtime(due).date(),
            )
        )
    return found
