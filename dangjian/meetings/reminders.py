"""Reminders before a due date, in the app (core.Notification); the messages app carries them to each person's
chosen channels (e-mail, 企业微信, 钉钉, SMS), outside quiet hours. Deduplicated by dedupe_key, so
the job can run as often as wanted. They inform; they never ask for a reply, a read receipt or a check-in."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.meetings import logic
from dangjian.meetings.models import Attendance, CellStatus, ComplianceCell, Kind, Presence, Status
from dangjian.orgs.models import Grant


def _due_reminders(today: dt.date) -> list[tuple[object, str, str, str, str]]:
    days = logic.reminder_rules(on=today)["days_before_due"]
    with unscoped("reminders: due cells"):
        cells = list(
            ComplianceCell.objects.filter(
                status=CellStatus.DUE, period_end__gte=today, period_end__lte=today + dt.timedelta(days=days)
            ).select_related("org")
        )
        org_ids = {c.org_id for c in cells}
        grants = Grant.objects.filter(org_id__in=org_ids, role="secretary", revoked_at__isnull=True).select_related(
            "user"
        )
        secretaries: dict[int, list] = {}
        for g in grants:
            secretaries.setdefault(g.org_id, []).append(g.user)
    found = []
    for cell in cells:
        for user in secretaries.get(cell.org_id, []):
            title = _("%(org)s：%(kind)s将于%(d)s到期") % {
                "org": cell.org.name,
                "kind": Kind(cell.kind).label,
                "d": cell.period_end.isoformat(),
            }
            body = _("本期应开%(r)d次，已记录%(h)d次。请在方便时安排；本提醒无需回复。") % {
                "r": cell.required,
                "h": cell.held,
            }
            url = reverse("meetings:compliance") + f"?org={cell.org_id}&year={cell.period_start.year}"
            found.append((user, title, body, url, f"meetings:due:{cell.org_id}:{cell.kind}:{cell.period_key}"))
    return found


def _meeting_reminders(now: dt.datetime) -> list[tuple[object, str, str, str, str]]:
    days = logic.reminder_rules(on=timezone.localdate())["meeting_days_before"]
    with unscoped("reminders: upcoming meetings"):
        rows = list(
            Attendance.objects.filter(
                meeting__status=Status.PLANNED,
                meeting__starts_at__gte=now,
                meeting__starts_at__lte=now + dt.timedelta(days=days),
                person__user__isnull=False,
            )
            .exclude(status=Presence.LEAVE)
            .select_related("meeting", "person__user")
        )
    found = []
    for row in rows:
        m = row.meeting
        when = timezone.localtime(m.starts_at)
        title = _("会议提醒：%(t)s") % {"t": m.topic}
        body = _("%(when)s，%(place)s。如不能参加，可在会议页面请假；本提醒无需回复。") % {
            "when": when.strftime("%Y-%m-%d %H:%M"),
            "place": m.place or m.online_url or _("地点待定"),
        }
        found.append(
            (row.person.user, title, body, reverse("meetings:detail", args=[m.pk]), f"meetings:meeting:{m.pk}:reminder")
        )
    return found


def send(now: dt.datetime | None = None) -> int:
    """Send what is due and not sent yet; returns the number of notifications created."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    candidates = _due_reminders(today) + _meeting_reminders(now)
    if not candidates:
        return 0
    keys = {c[4] for c in candidates}
    sent = set(Notification.objects.filter(dedupe_key__in=keys).values_list("user_id", "dedupe_key"))
    new = []
    for user, title, body, url, key in candidates:
        if (user.pk, key) in sent:
            continue
        sent.add((user.pk, key))
        new.append(Notification(user=user, title=title, body=body, url=url, dedupe_key=key))
    Notification.objects.bulk_create(new)
    return len(new)
