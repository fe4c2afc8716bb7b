"""党员档案: one page per member gathered from each record where it is kept (orgs for the dates of joining, this
app for the dossier, transfers and dues, meetings for the 民主评议 grades, core.hours for training hours, the
eligibility gateway for whether a sanction is running). Nothing is copied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from dangjian.core import eligibility, hours
from dangjian.core.scoping import unscoped_queryset
from dangjian.meetings.models import ReviewGrade
from dangjian.membership import development
from dangjian.membership.models import Dossier, Payment, Transfer
from dangjian.orgs.models import Person


@dataclass
class Record:
    person: Person
    own: bool
    membership: object | None
    steps: list = field(default_factory=list)
    transfers: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    hours_by_year: list = field(default_factory=list)
    eligible: eligibility.Verdict | None = None


def gather(user, person: Person, *, own: bool = False, today: dt.date | None = None) -> Record:
    """The caller has fetched `person` through the scoping layer (the branch's records) or as the user's own."""
    today = today or timezone.localdate()
    why = "党员档案: one person's records, the person reached through the scoping layer"
    dossier = unscoped_queryset(Dossier, why).filter(person=person).order_by("-created_at").first()
    steps = []
    if dossier is not None:
        steps = [(development.step_label(s.code, s.done_on), s) for s in dossier.steps.all()]
    transfers = list(
        unscoped_queryset(Transfer, why)
        .filter(person=person)
        .select_related("from_org", "to_org")
        .order_by("requested_on")
    )
    payments = list(unscoped_queryset(Payment, why).filter(person=person).select_related("org")[:60])
    reviews = list(
        unscoped_queryset(ReviewGrade, why)
        .filter(person=person)
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:10]
    )
    items = hours.collect("party_training", person_ids=[person.pk], start=dt.date(today.year - 2, 1, 1), end=today)
    by_year: dict[int, Decimal] = {}
    for item in items.get(person.pk, []):
        by_year[item.day.year] = by_year.get(item.day.year, Decimal("0")) + item.hours
    return Record(
        person=person,
        own=own,
        membership=getattr(person, "membership", None),
        steps=steps,
        transfers=transfers,
        payments=payments,
        reviews=reviews,
        hours_by_year=sorted(by_year.items(), reverse=True),
        eligible=eligibility.eligible(person, on=today, purpose="award"),
    )
