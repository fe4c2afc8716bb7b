"""Meetings that fulfil assigned work (core.fulfilment): a held meeting of a kind, e.g. the year's 组织生活会 or
民主评议党员, completes a county assignment that names that kind, with the meeting as its evidence."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dangjian.core import fulfilment
from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Kind, Meeting, Status

# The kinds a county may name (assignments/rules/assignments.yaml lists them with their labels).
FULFILLING = (Kind.ORG_LIFE_MEETING, Kind.MEMBER_REVIEW, Kind.PARTY_LECTURE, Kind.THEME_DAY, Kind.GENERAL_ASSEMBLY)


def _finder(kind: str):
    def find(*, org_ids: list[int], since: dt.date) -> dict[int, fulfilment.Evidence]:
        begin = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        found: dict[int, fulfilment.Evidence] = {}
        with unscoped("meetings: fulfilling records"):
            held = Meeting.objects.filter(org_id__in=org_ids, kind=kind, status=Status.HELD, starts_at__gte=begin)
            for meeting in held.order_by("starts_at", "pk"):
                if meeting.org_id not in found:
                    found[meeting.org_id] = fulfilment.Evidence(
                        meeting.day, meeting.topic, reverse("meetings:detail", args=[meeting.pk])
                    )
        return found

    return find


for _kind in FULFILLING:
    fulfilment.source(f"meetings.{_kind.value}")(_finder(_kind))
