"""Derived indicators of the leadership system, for assessment (core.indicators): the same derived checks the
county page lists, per school and period. Trusted code over the agenda items: four queries for any number of
schools. Each figure says how it was computed and links to the county page that lists the flags."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from dangjian.core.indicators import Measure, formula
from dangjian.core.scoping import unscoped
from dangjian.leadership import selectors
from dangjian.leadership.models import AgendaItem

EVIDENCE = "leadership.view_county"


def _ids(schools) -> list[int]:
    return [s.pk if hasattr(s, "pk") else int(s) for s in schools]


def _figures(schools, start: dt.date, end: dt.date) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """(school ids, {school: items of its meetings in the period}, {school: items failing a check})."""
    ids = _ids(schools)
    with unscoped("indicators: leadership items"):
        items = dict(
            AgendaItem.objects.filter(
                school_id__in=ids, meeting__starts_at__date__gte=start, meeting__starts_at__date__lte=end
            )
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
    flagged: dict[int, set[int]] = {}
    for flag in selectors.flags(ids, start, end):
        flagged.setdefault(flag.school_id, set()).add(flag.item_id)
    return ids, items, {k: len(v) for k, v in flagged.items()}


def _url(start: dt.date) -> str:
    return f"{reverse('leadership:county')}?{urlencode({'year': start.year})}"


@formula(
    "leadership.decision_rules_rate",
    label="议事决策合规率（前置研究、干部任免到会、执行报告）",
    unit="rate",
    evidence_capability=EVIDENCE,
)
def decision_rules_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    ids, items, flagged = _figures(schools, start, end)
    url = _url(start)
    found = {}
    for sid in ids:
        n, bad = items.get(sid, 0), flagged.get(sid, 0)
        detail = f"议题{n}项，发现问题{bad}项" if n else "期内无议题记录"
        found[sid] = Measure(1 - bad / n if n else 1.0, detail, url)
    return found


@formula("leadership.flags", label="议事决策问题数", unit="count", evidence_capability=EVIDENCE)
def flags(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    ids = _ids(schools)
    counted = Counter(f.school_id for f in selectors.flags(ids, start, end))
    url = _url(start)
    return {sid: Measure(counted.get(sid, 0), f"发现问题{counted.get(sid, 0)}处", url) for sid in ids}
