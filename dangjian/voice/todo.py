"""待办 of the voice app: concerns waiting for acceptance or an answer from the user (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.scoping import prefixes, scoped
from dangjian.core.todo import Item
from dangjian.voice.models import Concern, Level, Status


def items(user, today: dt.date) -> list[Item]:
    # One's own: the school's concerns for those who handle at the school, those raised to the county for those who
    # handle above the school, and those transferred to oneself (not every school's concerns for a county).
    roots = prefixes(user, "voice.handle")
    mine = (
        Q(assignee=user)
        | Q(level=Level.SCHOOL, org__path__in=roots)
        | (Q(level=Level.COUNTY) & ~Q(org__path__in=roots))
    )
    open_ones = (
        scoped(user, Concern, "voice.handle", own=False, extra=Q(assignee=user))
        .filter(mine, status__in=[Status.SUBMITTED, Status.ACKNOWLEDGED])
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
