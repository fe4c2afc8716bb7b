"""The two hour ledgers kept apart (domain-rules.md §7):

- party_training (党员教育培训): members, per calendar year, 32 hours; secretaries and committee members 56.
- teacher_ce (教师继续教育): every teacher, per five-year cycle, 240 hours (counties often set 360).

A person's hours are their own training records plus every registered `core.hours` source for the ledger
(plan items completed, party lectures attended…): recorded once, never typed twice, never time on screen.
Targets are rule data (rules/training.yaml) a county may override.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.core import hours as core_hours
from dangjian.core import periods, rules
from dangjian.core.hours import HourItem
from dangjian.core.scoping import unscoped_queryset
from dangjian.learning import hours as plan_hours
from dangjian.learning.models import TrainingRecord
from dangjian.orgs.models import COMMITTEE_POSTS, Position


def training_rules(on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("learning", "training", on=on, org_path=org_path)


def cycle_bounds(day: dt.date, *, start_year: int, years: int) -> tuple[dt.date, dt.date]:
    """The continuing-education cycle containing `day` (cycles of `years` years from `start_year`)."""
    first = start_year + ((day.year - start_year) // years) * years
    return dt.date(first, 1, 1), dt.date(first + years - 1, 12, 31)


def period_for(ledger: str, day: dt.date, values: dict) -> tuple[dt.date, dt.date, str]:
    if ledger == "party_training":
        year = periods.containing("year", day)
        return year.start, year.end, year.label
    ce = values["teacher_ce"]
    start, end = cycle_bounds(day, start_year=int(ce["cycle_start_year"]), years=int(ce["cycle_years"]))
    return start, end, _("%(a)d—%(b)d年培训周期") % {"a": start.year, "b": end.year}


def elapsed_share(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    """How much of the period has passed: what share of the target a person on track has reached."""
    if today >= end:
        return Decimal(1)
    if today < start:
        return Decimal(0)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


@dataclass
class Status:
    person_id: int
    ledger: str
    period_label: str
    start: dt.date
    end: dt.date
    target: Decimal
    total: Decimal = Decimal(0)
    items: list[HourItem] = field(default_factory=list)
    expected: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.total, Decimal(0))

    @property
    def on_track(self) -> bool:
        return self.total >= self.expected

    @property
    def done(self) -> bool:
        return self.total >= self.target

    @property
    def percent(self) -> int:
        return min(int(self.total * 100 / self.target), 100) if self.target else 100


def own_records(ledger: str, *, person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[HourItem]]:
    """Training records kept in this app, as hour items (one query)."""
    return own_records_many({ledger: (start, end)}, person_ids=person_ids)[ledger]


def own_records_many(periods: dict[str, tuple[dt.date, dt.date]], *, person_ids: list[int]) -> dict[str, dict]:
    """Training records by ledger and person, for each ledger's own period: one query for all the ledgers."""
    found: dict[str, dict[int, list[HourItem]]] = {ledger: defaultdict(list) for ledger in periods}
    wanted = Q()
    for ledger, (start, end) in periods.items():
        wanted |= Q(ledger=ledger, day__gte=start, day__lte=end)
    rows = (
        unscoped_queryset(TrainingRecord, "ledger: people already chosen through the scoping layer")
        .filter(wanted, person_id__in=person_ids)
        .values_list("ledger", "person_id", "day", "hours", "category", "title")
        .order_by("day", "id")
    )
    for ledger, person_id, day, hours, category, title in rows:
        found[ledger][person_id].append(HourItem(day, hours, category, title))
    return found


def leaders(person_ids: list[int], on: dt.date) -> set[int]:
    """People holding a committee post (书记、委员…) on the day: their yearly target is higher."""
    rows = (
        unscoped_queryset(Position, "ledger: posts of people already chosen through the scoping layer")
        .filter(person_id__in=person_ids, post__in=COMMITTEE_POSTS, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .values_list("person_id", flat=True)
    )
    return set(rows)


def statuses(
    ledger: str,
    *,
    people: list,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    own: dict[int, list[HourItem]] | None = None,
) -> dict[int, Status]:
    """Each person's hours against the target for the period containing `today` (or [start, end]): a fixed
    number of queries whatever the number of people. `people` are Person rows (with org loaded); `own`, their
    training records for the period when the caller has read them already (own_records_many)."""
    if not people:
        return {}
    org_path = people[0].org.path if hasattr(people[0], "org") else ""
    values = training_rules(today, org_path)
    p_start, p_end, label = period_for(ledger, today, values)
    start, end = start or p_start, end or p_end
    ids = [p.id for p in people]
    if ledger == "party_training":
        lead = leaders(ids, min(today, end))
        base = Decimal(str(values["party_training"]["hours_per_year"]))
        high = Decimal(str(values["party_training"]["hours_per_year_leaders"]))
        target_of = {pid: (high if pid in lead else base) for pid in ids}
    else:
        cycle = Decimal(str(values["teacher_ce"]["cycle_hours"]))
        target_of = dict.fromkeys(ids, cycle)
    # A period other than the rule's own (an assessment year inside a cycle) scales the target.
    share = Decimal((end - start).days + 1) / Decimal((p_end - p_start).days + 1)
    share = min(share, Decimal(1))
    expected_share = elapsed_share(start, end, today)
    found = {
        pid: Status(pid, ledger, label, start, end, (target_of[pid] * share).quantize(Decimal("0.1"))) for pid in ids
    }
    items = (
        {pid: list(rows) for pid, rows in own.items()}
        if own is not None
        else own_records(ledger, person_ids=ids, start=start, end=end)
    )
    for pid, extra in core_hours.collect(ledger, person_ids=ids, start=start, end=end).items():
        if pid in found:
            items.setdefault(pid, []).extend(extra)
    for pid, status in found.items():
        status.items = sorted(items.get(pid, []), key=lambda i: i.day)
        status.total = sum((Decimal(i.hours) for i in status.items), Decimal(0))
        status.expected = (status.target * expected_share).quantize(Decimal("0.1"))
    return found


def own_statuses(person, ledgers: list[str], *, today: dt.date) -> list[Status]:
    """One person's ledgers (我的, the hours page), each as `statuses` gives it, with the training records and the
    plan completions of all the ledgers read in one query each instead of one per ledger."""
    values = training_rules(today, person.org.path)
    periods = {name: period_for(name, today, values)[:2] for name in ledgers}
    own = own_records_many(periods, person_ids=[person.id])
    with core_hours.shared():
        plan_hours.prime_plans(periods, person_ids=[person.id])
        return [statuses(name, people=[person], today=today, own=own[name])[person.id] for name in ledgers]
