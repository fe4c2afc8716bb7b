"""Training that fulfils assigned work (core.fulfilment): a 集中学习 session an org held under its study plan
completes a county assignment naming `learning.session`, with the plan as evidence."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangjian.core import fulfilment
from dangjian.core.scoping import unscoped
from dangjian.learning.models import ItemKind, PlanItem


@fulfilment.source("learning.session")
def sessions(*, org_ids: list[int], since: dt.date) -> dict[int, fulfilment.Evidence]:
    found: dict[int, fulfilment.Evidence] = {}
    with unscoped("learning: fulfilling records"):
        held = PlanItem.objects.filter(
            plan__org_id__in=org_ids, kind=ItemKind.SESSION, held_on__isnull=False, held_on__gte=since
        )
        for item in held.select_related("plan").order_by("held_on", "pk"):
            if item.plan.org_id not in found:
                found[item.plan.org_id] = fulfilment.Evidence(
                    item.held_on, item.title, reverse("learning:plan", args=[item.plan_id])
                )
    return found
