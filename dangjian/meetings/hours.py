"""Party training hours from meetings (domain-rules.md §7): party lectures and theme days attended, present or
online, count toward a member's yearly hours in the learning app's `party_training` ledger. Hours per kind
come from the rule data (meetings.yaml `hours`), which a county may override."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import hours
from dangjian.core.scoping import unscoped
from dangjian.meetings import logic
from dangjian.meetings.models import ATTENDED, Attendance, Kind, Status

COUNTED_KINDS = ("party_lecture", "theme_day")


@hours.source("meetings", ledger="party_training", label=_("党课、主题党日"))
def attended_hours(*, person_ids, start: dt.date, end: dt.date) -> dict[int, list[hours.HourItem]]:
    """Trusted code: one query for any number of people; rules read once per (org, year)."""

    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    finish = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    with unscoped("meetings: training hours"):
        rows = list(
            Attendance.objects.filter(
                person_id__in=list(person_ids),
                status__in=ATTENDED,
                meeting__status=Status.HELD,
                meeting__kind__in=COUNTED_KINDS,
                meeting__starts_at__range=(begin, finish),
            )
            .values_list(
                "person_id", "meeting_id", "meeting__kind", "meeting__topic", "meeting__starts_at", "meeting__org__path"
            )
            .order_by("meeting__starts_at")
        )
    return hour_items(rows)


def hour_items(rows) -> dict[int, list[hours.HourItem]]:
    """(person_id, meeting_id, kind, topic, starts_at, org path) of attended meetings, oldest first, as hour items."""
    cache: dict[tuple[str, int], dict] = {}
    found: dict[int, list[hours.HourItem]] = {}
    for person_id, meeting_id, kind, topic, starts_at, path in rows:
        day = timezone.localtime(starts_at).date()
        key = (path, day.year)
        if key not in cache:
            cache[key] = logic.kind_rules(on=dt.date(day.year, 1, 1), org_path=path)
        value = Decimal(str(cache[key].get(kind, {}).get("hours", 0)))
        if value <= 0:
            continue
        found.setdefault(person_id, []).append(
            hours.HourItem(
                day=day,
                hours=value,
                category=str(Kind(kind).label),
                title=topic,
                url=reverse("meetings:detail", args=[meeting_id]),
            )
        )
    return found
