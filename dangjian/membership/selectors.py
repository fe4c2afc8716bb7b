"""Reads for membership: every queryset starts at the scoping layer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.core import rules
from dangjian.core.scoping import get_for_user, prefixes, scoped, unscoped_queryset
from dangjian.meetings.models import Meeting, Motion
from dangjian.meetings.models import Status as MeetingStatus
from dangjian.membership import development, dues
from dangjian.membership.models import (
    DevelopmentPlan,
    Dossier,
    DossierStatus,
    DuesBase,
    Election,
    FlowingMember,
    Payment,
    PaymentKind,
    Step,
    Transfer,
    TransferKind,
    TransferStatus,
    add_months,
    month_start,
)
from dangjian.orgs.models import MEMBER_STAGES, Org, OrgKind, Person, Stage

VIEW = "membership.view"


def branches(user, capability: str = VIEW) -> QuerySet[Org]:
    return scoped(user, Org, capability).filter(kind=OrgKind.BRANCH, is_active=True).order_by("path")


def branch_for(user, org_id, capability: str = VIEW) -> Org:
    return get_for_user(user, Org, org_id, queryset=branches(user, capability))


def org_for(user, org_id) -> Org:
    """Any org the user sees with membership.view (a school's committee sums its branches' dues)."""
    return get_for_user(user, Org, org_id, queryset=scoped(user, Org, VIEW))


def default_branch(user) -> Org | None:
    return branches(user).first()


def people(user, org: Org) -> QuerySet[Person]:
    return (
        scoped(user, Person, VIEW)
        .filter(org__path__startswith=org.path, is_active=True)
        .select_related("membership", "org")
        .order_by("name")
    )


def members(user, org: Org) -> QuerySet[Person]:
    return people(user, org).filter(membership__stage__in=MEMBER_STAGES)


# --- 发展党员 ----------------------------------------------------------------------------------------


def dossiers(user, *, org: Org | None = None, status: str = "") -> QuerySet[Dossier]:
    qs = scoped(user, Dossier).select_related("person", "org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    return qs


def dossier_steps(dossier: Dossier) -> list[Step]:
    return list(dossier.steps.select_related("meeting", "motion").prefetch_related("people"))


@dataclass
class Progress:
    dossier: Dossier
    steps: list[Step]
    last: Step | None
    findings: list = field(default_factory=list)


def progress(
    user, *, org: Org | None = None, today: dt.date | None = None, only_problems: bool = False
) -> list[Progress]:
    today = today or timezone.localdate()
    qs = dossiers(user, org=org).prefetch_related("steps")
    found = []
    for d in qs:
        steps = sorted(d.steps.all(), key=lambda s: (s.done_on, s.pk))
        row = Progress(d, steps, steps[-1] if steps else None, development.findings(d, steps, today))
        if not only_problems or row.findings:
            found.append(row)
    return found


def plan_vs_actual(user, year: int) -> list[dict]:
    """Per branch the user sees: the year's 发展计划 and the members actually admitted (支部大会 in that year)."""
    orgs = list(branches(user))
    plans = {p.org_id: p.planned for p in scoped(user, DevelopmentPlan).filter(year=year)}
    admitted: dict[int, int] = defaultdict(int)
    pipeline: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for step in scoped(user, Step).filter(code="admission_meeting", done_on__year=year).select_related("dossier"):
        admitted[step.dossier.org_id] += 1
    for d in dossiers(user, status=DossierStatus.OPEN).select_related("person__membership"):
        stage = getattr(getattr(d.person, "membership", None), "stage", "") or "applicant"
        pipeline[d.org_id][stage] += 1
    return [
        {"org": o, "planned": plans.get(o.pk), "admitted": admitted.get(o.pk, 0), "pipeline": dict(pipeline[o.pk])}
        for o in orgs
    ]


# --- 党费 -------------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    person: Person
    base: DuesBase | None
    paid: Payment | None
    standing: dues.Standing

    @property
    def due(self) -> Decimal | None:
        return self.base.monthly if self.base else None


def ledger(user, org: Org, month: dt.date) -> list[LedgerRow]:
    """The branch's monthly ledger: each member, the month's amount, whether it is paid, and arrears over the last
    twelve months (the 6-consecutive-months rule surfaces as a flag, never as an action)."""
    month = month_start(month)
    people_list = list(members(user, org))
    ids = [p.pk for p in people_list]
    bases: dict[int, DuesBase] = {}
    base_years: dict[int, set[int]] = defaultdict(set)
    for b in scoped(user, DuesBase).filter(person_id__in=ids, year__gte=month.year - 1, year__lte=month.year):
        base_years[b.person_id].add(b.year)
        if b.year == month.year:
            bases[b.person_id] = b
    payments: dict[int, list[Payment]] = defaultdict(list)
    for p in scoped(user, Payment).filter(person_id__in=ids):
        payments[p.person_id].append(p)
    values = dues.dues_rules(on=month, org_path=org.path)
    rows = []
    for person in people_list:
        mine = payments.get(person.pk, [])
        covering = next((p for p in mine if p.first_month <= month <= p.last_month), None)
        admitted = person.membership.probationary_on
        start = max(add_months(month, -11), month_start(admitted) if admitted else add_months(month, -11))
        rows.append(
            LedgerRow(
                person,
                bases.get(person.pk),
                covering,
                dues.standing(
                    owed_from=start,
                    through=month,
                    payments=mine,
                    lapse_months=int(values["lapse_months"]),
                    years=base_years.get(person.pk, set()),
                ),
            )
        )
    return rows


def upper_summary(user, org: Org, year: int) -> list[dict]:
    """上缴 summary for the upper committee: per branch and month, the money received (not carried months)."""
    orgs = list(branches(user).filter(path__startswith=org.path))
    ids = [o.pk for o in orgs]
    received: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    # Received money is counted by the branch that received it, also for members who have since moved.
    for p in scoped(user, Payment, extra=Q(org_id__in=ids)).filter(
        org_id__in=ids, kind=PaymentKind.PAID, paid_on__year=year
    ):
        received[(p.org_id, p.paid_on.month)] += p.amount
    return [
        {
            "org": o,
            "months": [received.get((o.pk, m), Decimal("0")) for m in range(1, 13)],
            "total": sum((received.get((o.pk, m), Decimal("0")) for m in range(1, 13)), Decimal("0")),
        }
        for o in orgs
    ]


def payments_of(user, person: Person) -> QuerySet[Payment]:
    return scoped(user, Payment).filter(person=person).select_related("org")


# --- 组织关系转接 -----------------------------------------------------------------------------------


def transfers(user) -> QuerySet[Transfer]:
    """Transfers the user's orgs send or receive."""
    roots = prefixes(user, VIEW)
    receiving = Q(to_org__path__startswith=roots[0]) if roots else None
    for root in roots[1:]:
        receiving |= Q(to_org__path__startswith=root)
    return scoped(user, Transfer, extra=receiving).select_related("from_org", "to_org", "person")


def transfer_for(user, pk) -> Transfer:
    return get_for_user(user, Transfer, pk, queryset=transfers(user))


def overdue_transfers(user, today: dt.date | None = None) -> dict[str, int]:
    """Counted for the county: in-county requests not accepted in time, letters whose 回执 is late."""
    today = today or timezone.localdate()
    values = rules.rule_values("membership", "transfers", on=today)
    waiting = transfers(user).filter(
        kind=TransferKind.IN_COUNTY,
        status=TransferStatus.REQUESTED,
        requested_on__lt=today - dt.timedelta(days=int(values["accept_within_days"])),
    )
    late_receipts = transfers(user).filter(
        kind=TransferKind.OUTGOING, status=TransferStatus.REQUESTED, receipt_due__lt=today
    )
    return {"waiting": waiting.count(), "receipts": late_receipts.count()}


def flowing(user, org: Org | None = None) -> QuerySet[FlowingMember]:
    qs = scoped(user, FlowingMember).select_related("person", "person__org")
    return qs.filter(person__org__path__startswith=org.path) if org else qs


# --- 换届 --------------------------------------------------------------------------------------------


@dataclass
class TermRow:
    org: Org
    ends_on: dt.date | None
    state: str  # "ok" | "due" | "overdue" | "unknown"


def term_state(org: Org, today: dt.date) -> TermRow:
    values = rules.rule_values("orgs", "branch", on=today, org_path=org.path)
    if not org.term_started_on:
        return TermRow(org, None, "unknown")
    start = org.term_started_on
    years = int(values["term_years_school"])
    ends = add_months(start, 12 * years)
    if today > ends:
        return TermRow(org, ends, "overdue")
    if today >= add_months(ends, -int(values["term_reminder_months"])):
        return TermRow(org, ends, "due")
    return TermRow(org, ends, "ok")


def terms(user, today: dt.date | None = None) -> list[TermRow]:
    today = today or timezone.localdate()
    return [term_state(o, today) for o in branches(user)]


def elections(user, org: Org | None = None, *, with_candidates: bool = False) -> QuerySet[Election]:
    """The elections the user sees; with_candidates reads every listed election's candidates and their people in
    one more query each, whatever the number of elections."""
    qs = scoped(user, Election).select_related("org", "meeting")
    if with_candidates:
        qs = qs.prefetch_related("candidates__person")
    return qs.filter(org__path__startswith=org.path) if org else qs


def election_for(user, pk, *, with_candidates: bool = False) -> Election:
    return get_for_user(user, Election, pk, queryset=elections(user, with_candidates=with_candidates))


def own_person(user) -> Person:
    person = scoped(user, Person, VIEW).filter(user=user).select_related("membership", "org", "school").first()
    if person is None:
        raise Http404
    return person


def branch_meetings(user, org: Org, kind: str) -> QuerySet[Meeting]:
    return scoped(user, Meeting, VIEW).filter(org=org, kind=kind, status=MeetingStatus.HELD).order_by("-starts_at")


def branch_motions(user, org: Org) -> QuerySet[Motion]:
    return (
        scoped(user, Motion, VIEW)
        .filter(meeting__org=org, meeting__status=MeetingStatus.HELD, passed=True)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def full_members(user, org: Org) -> QuerySet[Person]:
    return people(user, org).filter(membership__stage=Stage.FULL)


def non_members(user, org: Org) -> QuerySet[Person]:
    return people(user, org).exclude(membership__stage__in=MEMBER_STAGES)


def transfer_targets(user, org: Org) -> QuerySet[Org]:
    """Any active branch of the county may receive: the sending side need not see into it."""
    return (
        unscoped_queryset(Org, "membership: receiving branches of the county")
        .filter(kind=OrgKind.BRANCH, is_active=True)
        .exclude(pk=org.pk)
        .order_by("path")
    )


STAGE_COLUMNS = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY]


def lapse_article(on: dt.date) -> str:
    return dues.dues_rules(on=on)["lapse_article"]


def people_for_records(user) -> QuerySet[Person]:
    return scoped(user, Person, "membership.view_records", own=True).select_related("membership", "org", "school")


def paid_until(user, person: Person) -> dt.date | None:
    """The last month the person's dues are paid to (their own payments, through the scoping layer)."""
    last = None
    for p in payments_of(user, person):
        if last is None or p.last_month > last:
            last = p.last_month
    return last
