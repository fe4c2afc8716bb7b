"""台账 that fulfil assigned work (core.fulfilment): an org's generated ledger completes a county assignment naming
`ledgers.ledger` (e.g. "报送年度党建工作台账"), with the ledger as evidence; nobody uploads it again."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import fulfilment
from dangjian.core.scoping import unscoped
from dangjian.ledgers.models import Ledger, LedgerStatus


@fulfilment.source("ledgers.ledger")
def ledgers(*, org_ids: list[int], since: dt.date) -> dict[int, fulfilment.Evidence]:
    begin = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    found: dict[int, fulfilment.Evidence] = {}
    with unscoped("ledgers: fulfilling records"):
        done = Ledger.objects.filter(org_id__in=org_ids, status=LedgerStatus.DONE, finished_at__gte=begin)
        for ledger in done.order_by("finished_at", "pk"):
            if ledger.org_id not in found:
                found[ledger.org_id] = fulfilment.Evidence(
                    timezone.localtime(ledger.finished_at).date(),
                    _("%(year)d年党建工作台账") % {"year": ledger.year},
                    reverse("ledgers:detail", args=[ledger.pk]),
                )
    return found
