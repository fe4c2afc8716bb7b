"""Derived indicators this app offers to assessment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import Measure, formula
from dangjian.core.scoping import unscoped_queryset
from dangjian.learning import ledger
from dangjian.orgs.models import MEMBER_STAGES, Person


@formula(
    "learning.training_hours_rate",
    label=gettext_lazy("党员教育培训学时达标率"),
    unit="rate",
    evidence_capability="learning.progress",  # the school's hours progress page
)
def training_hours_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    """Share of a school's members whose Party training hours in [start, end] reach the target for that
    span (the yearly target, scaled when the span is shorter). A fixed number of queries."""
    schools = list(schools)
    people = list(
        unscoped_queryset(Person, "indicator: every member of the schools being assessed")
        .filter(school__in=schools, is_active=True, membership__stage__in=MEMBER_STAGES)
        .select_related("org")
    )
    by_school: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        by_school[person.school_id].append(person)
    statuses = ledger.statuses("party_training", people=people, today=end, start=start, end=end) if people else {}
    found = {}
    for school in schools:
        members = by_school.get(school.id, [])
        reached = sum(1 for p in members if statuses[p.id].done)
        value = reached / len(members) if members else 0.0
        found[school.id] = Measure(
            value,
            _("党员%(n)d人，学时达标%(k)d人") % {"n": len(members), "k": reached},
            reverse("learning:progress", kwargs={"pk": school.org_id}) + "?ledger=party_training",
        )
    return found
