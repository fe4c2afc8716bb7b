"""The one eligibility check: may this teacher be put forward for an award, a promotion, a title… on a day?

Every award, assessment and title list asks `eligible(person, on=..., purpose=...)` (or `eligible_many` for a
page of people: one query, whatever the number). The answer comes from one table, `Sanction`, which holds
every restriction with its dates fixed when it was imposed:

- a 处分: 警告 6 months, 记过 12, 降低岗位等级或撤职 24 (处理办法第三条), 开除 with no end;
- a 取消资格 for the purposes the decision names, at least 24 months;
- the 一票否决 of an appraisal graded below the veto line, for the purposes and months of appraisal.yaml.

Dates. A period runs from `starts_on` (the day the decision or grade takes effect) for N calendar months, and
`ends_on = add_months(starts_on, N)` is the first day the teacher is eligible again: the period is the
half-open range [starts_on, ends_on). When a month has no such day, the period ends on the month's last day
(31 August + 6 months → 28/29 February). Periods that overlap or touch chain: eligibility returns on the
day the last of them ends. A restriction overturned on review stops on its `revoked_on` day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core import rules
from dangjian.core.scoping import unscoped_queryset
from dangjian.ethics.models import Sanction

PURPOSES = ("award", "promotion", "title", "appointment", "salary", "talent")


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` calendar months after `day`; the month's last day when the day does not exist there."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Restriction:
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None  # first day eligible again; None: no end (开除)
    purposes: frozenset[str]

    def covers(self, day: dt.date, purpose: str) -> bool:
        return purpose in self.purposes and self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True)
class Reason:
    kind: str
    label: str
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reasons: tuple[Reason, ...] = ()
    # The first day the teacher is eligible again (== `on` when ok; None when never: 开除).
    eligible_from: dt.date | None = None

    def summary(self) -> str:
        """What a list of candidates may show to people outside the handling roles: no case details."""
        if self.ok:
            return _("符合条件")
        if self.eligible_from is None:
            return _("不符合条件")
        return _("不符合条件（%(d)s起恢复）") % {"d": self.eligible_from.isoformat()}


def kind_label(kind: str, on: dt.date | None = None) -> str:
    if kind == "disqualification":
        return _("取消资格")
    if kind == "veto":
        return _("师德考核一票否决")
    kinds = rules.rule_values("ethics", "sanctions", on=on)["kinds"]
    return kinds.get(kind, {}).get("label", kind)


def compute(restrictions: Iterable[Restriction], *, on: dt.date, purpose: str) -> Eligibility:
    """The pure rule: eligible unless a restriction for `purpose` covers `on`; if not, when again."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}; one of {PURPOSES}")
    relevant = [r for r in restrictions if purpose in r.purposes]
    active = [r for r in relevant if r.covers(on, purpose)]
    if not active:
        return Eligibility(True, (), on)
    day: dt.date | None = on
    while day is not None:
        covering = [r for r in relevant if r.covers(day, purpose)]
        if not covering:
            break
        ends = [r.ends_on for r in covering]
        day = None if None in ends else max(ends)
    reasons = tuple(
        Reason(r.kind, kind_label(r.kind, r.starts_on), r.starts_on, r.ends_on)
        for r in sorted(active, key=lambda r: (r.starts_on, r.kind))
    )
    return Eligibility(False, reasons, day)


def _restrictions(person_ids: list[int]) -> dict[int, list[Restriction]]:
    # Trusted read: the answer leaves this module as ok/not-ok with dates, never as the case itself.
    rows = (
        unscoped_queryset(Sanction, "ethics.eligibility")
        .filter(person_id__in=person_ids)
        .values_list("person_id", "kind", "starts_on", "ends_on", "revoked_on", "purposes")
    )
    found: dict[int, list[Restriction]] = defaultdict(list)
    for person_id, kind, starts_on, ends_on, revoked_on, purposes in rows:
        if revoked_on is not None and (ends_on is None or revoked_on < ends_on):
            ends_on = revoked_on
        if ends_on is not None and ends_on <= starts_on:
            continue  # overturned before it took effect
        found[person_id].append(Restriction(kind, starts_on, ends_on, frozenset(purposes)))
    return found


def eligible_many(person_ids: Iterable[int], *, on: dt.date, purpose: str) -> dict[int, Eligibility]:
    """Eligibility of many people at once (one query): for award, assessment and title lists."""
    ids = list(person_ids)
    found = _restrictions(ids)
    return {pk: compute(found.get(pk, ()), on=on, purpose=purpose) for pk in ids}


def eligible(person, *, on: dt.date, purpose: str) -> Eligibility:
    """Whether `person` (a Person or its id) may be put forward for `purpose` on the day `on`."""
    pk = getattr(person, "pk", person)
    return eligible_many([pk], on=on, purpose=purpose)[pk]
