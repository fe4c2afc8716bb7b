"""Hours this app offers to the ledgers: study-plan items completed (self-study marked done, or present at a
集中学习 session) count with the hours the plan gives them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import hours
from dangjian.core.hours import HourItem
from dangjian.core.scoping import unscoped_queryset
from dangjian.learning.models import Completion


def _plan_hours(ledger: str, *, person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[HourItem]]:
    return plan_hours_many({ledger: (start, end)}, person_ids=person_ids)[ledger]


def plan_hours_many(periods: dict[str, tuple[dt.date, dt.date]], *, person_ids: list[int]) -> dict[str, dict]:
    """Completed plan items by ledger and person, for each ledger's own period: one query for all the ledgers."""
    found: dict[str, dict[int, list[HourItem]]] = {ledger: defaultdict(list) for ledger in periods}
    wanted = Q()
    for ledger, (start, end) in periods.items():
        wanted |= Q(item__plan__ledger=ledger, done_on__gte=start, done_on__lte=end)
    rows = (
        unscoped_queryset(Completion, "hour source: people chosen by the caller through the scoping layer")
        .filter(wanted, person_id__in=person_ids)
        .values_list(
            "item__plan__ledger", "person_id", "done_on", "item__hours", "item__kind", "item__title", "item__plan_id"
        )
        .order_by("done_on", "id")
    )
    labels = {"self_study": str(_("自学")), "session": str(_("集中学习"))}
    for ledger, person_id, day, item_hours, kind, title, plan_id in rows:
        found[ledger][person_id].append(
            HourItem(day, item_hours, labels.get(kind, kind), title, f"/learning/plans/{plan_id}/")
        )
    return found


def prime_plans(periods: dict[str, tuple[dt.date, dt.date]], *, person_ids: list[int]) -> None:
    """Inside core.hours.shared(): the plan sources of several ledgers answered from one query."""
    for ledger, answer in plan_hours_many(periods, person_ids=person_ids).items():
        start, end = periods[ledger]
        hours.prime(SOURCE_OF[ledger], person_ids=person_ids, start=start, end=end, answer=answer)


SOURCE_OF = {"party_training": "learning.plans.party", "teacher_ce": "learning.plans.ce"}


@hours.source("learning.plans.party", ledger="party_training", label=_("学习计划"))
def plan_party_hours(*, person_ids, start, end):
    return _plan_hours("party_training", person_ids=person_ids, start=start, end=end)


@hours.source("learning.plans.ce", ledger="teacher_ce", label=_("学习计划"))
def plan_ce_hours(*, person_ids, start, end):
    return _plan_hours("teacher_ce", person_ids=person_ids, start=start, end=end)
