"""Meetings that fulfil assigned work (core.fulfilment): a held meeting of a kind, e.g. the year's 组织生活会 or
民主评议党员, completes a county assignment that names that kind, with the meeting as its evidence.

A branch or 党小组 fulfils it with its own meeting. A school's 党委 or 党总支 fulfils it when every active branch
below it has held one: the work was to see it done in every branch (一级抓一级); the evidence is then the list of
those meetings."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import fulfilment
from dangjian.core.scoping import path_q, unscoped
from dangjian.meetings.indicators import _owners, _roots
from dangjian.meetings.models import Kind, Meeting, Status
from dangjian.orgs.models import Org, OrgKind

# The kinds a county may name (assignments/rules/assignments.yaml lists them with their labels).
FULFILLING = (Kind.ORG_LIFE_MEETING, Kind.MEMBER_REVIEW, Kind.PARTY_LECTURE, Kind.THEME_DAY, Kind.GENERAL_ASSEMBLY)
HOLDERS = (OrgKind.BRANCH, OrgKind.GROUP)  # orgs that hold meetings themselves


def _units(org_ids: list[int]) -> dict[int, list[int]]:
    """Per asked org, the orgs whose meetings it answers for: itself when it holds meetings, else the active
    branches below it (two queries, a few path prefixes whatever the number of orgs asked: see indicators)."""
    asked = list(Org.objects.filter(pk__in=org_ids).values_list("pk", "path", "kind"))
    units = {pk: [pk] for pk, _path, kind in asked if kind in HOLDERS}
    above = {pk: path for pk, path, kind in asked if kind not in HOLDERS}
    if above:
        owners = _owners(above)
        for pk in above:
            units[pk] = []
        branches = Org.objects.filter(path_q("path", _roots(above)), kind=OrgKind.BRANCH, is_active=True)
        for branch, path in branches.values_list("pk", "path"):
            for owner in owners(path):
                units[owner].append(branch)
    return units


def _finder(kind: str):
    def find(*, org_ids: list[int], since: dt.date) -> dict[int, fulfilment.Evidence]:
        begin = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        with unscoped("meetings: fulfilling records"):
            units = _units(org_ids)
            first: dict[int, Meeting] = {}  # each unit's earliest such meeting
            held = Meeting.objects.filter(
                org_id__in={u for found in units.values() for u in found},
                kind=kind,
                status=Status.HELD,
                starts_at__gte=begin,
            )
            for meeting in held.only("pk", "org_id", "topic", "starts_at").order_by("starts_at", "pk"):
                first.setdefault(meeting.org_id, meeting)
        found: dict[int, fulfilment.Evidence] = {}
        for pk, unit_ids in units.items():
            if not unit_ids or any(u not in first for u in unit_ids):
                continue
            if unit_ids == [pk]:
                meeting = first[pk]
                found[pk] = fulfilment.Evidence(
                    meeting.day, meeting.topic, reverse("meetings:detail", args=[meeting.pk])
                )
                continue
            last = max((first[u] for u in unit_ids), key=lambda m: m.starts_at)
            query = urlencode({"org": pk, "kind": kind, "status": Status.HELD, "start": since.isoformat()})
            found[pk] = fulfilment.Evidence(
                last.day,
                _("%(n)d个支部均已召开%(kind)s") % {"n": len(unit_ids), "kind": Kind(kind).label},
                f"{reverse('meetings:index')}?{query}",
            )
        return found

    return find


for _kind in FULFILLING:
    fulfilment.source(f"meetings.{_kind.value}")(_finder(_kind))
