"""待办 of the meetings app: meetings held but not yet recorded, and leave requests to decide (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.scoping import scoped
from dangjian.core.todo import Item
from dangjian.meetings import selectors
from dangjian.meetings.models import Attendance, LeaveState, Meeting, Status


def items(user, today: dt.date) -> list[Item]:
    orgs = list(selectors.recordable_orgs(user).values_list("pk", flat=True))
    if not orgs:
        return []
    found = []
    to_record = (
        scoped(user, Meeting, "meetings.record")
        .filter(org_id__in=orgs, status=Status.PLANNED, starts_at__lt=timezone.now())
        .order_by("starts_at")[:20]
    )
    for m in to_record:
        found.append(
            Item(
                _("记录会议"), m.topic, reverse("meetings:detail", args=[m.pk]), timezone.localtime(m.starts_at).date()
            )
        )
    leave = (
        scoped(user, Attendance, "meetings.record", own=False)
        .filter(meeting__org_id__in=orgs, meeting__status=Status.PLANNED, leave_state=LeaveState.REQUESTED)
        .select_related("meeting", "person")
        .order_by("meeting__starts_at")[:20]
    )
    for a in leave:
        found.append(
            Item(
                _("审批请假"),
                f"{a.meeting.topic} · {a.person.name}",
                reverse("meetings:detail", args=[a.meeting_id]),
                timezone.localtime(a.meeting.starts_at).date(),
            )
        )
    return found
