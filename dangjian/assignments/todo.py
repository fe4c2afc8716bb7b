"""待办 of the responsibility system: open targets the user reports for (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.scoping import prefixes
from dangjian.core.todo import Item

from . import selectors
from .models import Status


def items(user, today: dt.date) -> list[Item]:
    roots = prefixes(user, "assignments.report")
    if not roots:
        return []
    open_work = selectors.received(user, today=today).filter(org__path__in=roots).exclude(status=Status.DONE)[:20]
    return [
        Item(_("报告任务"), t.assignment.title, reverse("assignments:target", args=[t.pk]), t.assignment.due_on)
        for t in open_work
    ]
