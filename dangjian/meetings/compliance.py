"""Compliance, derived rather than declared: for every org, kind and period, held versus required.

`derive` is a pure function over plain records (tested against a brute-force count with hypothesis).
`refresh` runs it over the database for some orgs and writes the small `ComplianceCell` table that pages,
the county view and the indicators read; it runs in a job after every meeting write and in full from
`manage.py refresh_compliance`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dangjian.core import periods
from dangjian.core.bulk import insert_rows
from dangjian.core.scoping import unscoped

MET, DUE, OVERDUE = "met", "due", "overdue"


@dataclass(frozen=True)
class OrgFact:
    org_id: int
    org_kind: str  # branch | group | …
    has_committee: bool = False
    member_ids: frozenset[int] = frozenset()
    path: str = ""


@dataclass(frozen=True)
class MeetingFact:
    org_id: int
    kind: str
    day: dt.date
    held: bool
    quorum_met: bool | None = None
    expected: int = 0
    attended: int = 0
    attendee_ids: frozenset[int] = frozenset()  # people who attended (for per-member kinds: 谈心谈话)
    meeting_id: int = 0
    n: int = 1  # meetings this fact stands for: the database groups alike meetings of one org, kind and day


@dataclass
class Cell:
    org_id: int
    kind: str
    period: periods.Period
    required: int
    held: int
    recorded: int
    quorum_met: bool | None
    attendance_rate: float | None
    status: str
    meeting_ids: list[int] = field(default_factory=list)


def applies(rule: dict, org: OrgFact) -> bool:
    match rule["applies_to"]:
        case "branch":
            return org.org_kind == "branch"
        case "committee":
            return org.org_kind == "branch" and org.has_committee
        case "group":
            return org.org_kind == "group"
    return False


def counts(fact: MeetingFact) -> bool:
    """A meeting counts toward compliance when it was held and, where the kind has a quorum, reached it."""
    return fact.held and fact.quorum_met is not False


def derive(
    *,
    orgs: Iterable[OrgFact],
    meetings: Iterable[MeetingFact],
    rules_for: Callable[[OrgFact, dt.date], dict[str, dict]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Cell]:
    """Every (org, kind, period) cell for periods that overlap [start, end] and have begun by `today`."""
    by_org_kind: dict[tuple[int, str], list[MeetingFact]] = defaultdict(list)
    for m in meetings:
        by_org_kind[(m.org_id, m.kind)].append(m)
    cells: list[Cell] = []
    for org in orgs:
        kinds = rules_for(org, start)
        for kind, rule in kinds.items():
            if not applies(rule, org):
                continue
            for period in periods.periods_between(rule["period"], start, end):
                if period.start > today:
                    break
                inside = [m for m in by_org_kind.get((org.org_id, kind), ()) if m.day in period]
                held_facts = [m for m in inside if m.held]
                counted = [m for m in held_facts if counts(m)]
                if rule.get("per_member"):
                    required = len(org.member_ids) * rule["count"]
                    covered = set().union(*(m.attendee_ids for m in counted)) & org.member_ids if counted else set()
                    held = len(covered)
                else:
                    required = rule["count"]
                    held = sum(m.n for m in counted)
                quorum = None
                if rule.get("quorum") and held_facts:
                    quorum = all(m.quorum_met for m in held_facts)
                expected = sum(m.expected for m in held_facts)
                rate = sum(m.attended for m in held_facts) / expected if expected else None
                if held >= required:
                    status = MET
                elif period.end < today:
                    status = OVERDUE
                else:
                    status = DUE
                cells.append(
                    Cell(
                        org.org_id,
                        kind,
                        period,
                        required,
                        held,
                        sum(m.n for m in held_facts),
                        quorum,
                        rate,
                        status,
                        [m.meeting_id for m in inside if m.meeting_id],
                    )
                )
    return cells


# --- over the database ------------------------------------------------------------------------


def _rules_cache() -> Callable[[OrgFact, dt.date], dict[str, dict]]:
    from dangjian.core.models import LocalRule
    from dangjian.meetings.logic import kind_rules

    cache: dict[tuple[str, dt.date], dict] = {}
    # Without any county override, one read of the rule file serves every org (province scale).
    local = LocalRule.objects.filter(rule="meetings/meetings").exists()

    def rules_for(org: OrgFact, day: dt.date) -> dict[str, dict]:
        key = (org.path if local else "", day)
        if key not in cache:
            cache[key] = kind_rules(on=day, org_path=key[0])
        return cache[key]

    return rules_for


def org_facts(org_ids: Iterable[int] | None = None) -> list[OrgFact]:
    """Branches and groups with their members and whether they have a committee: three queries."""
    from dangjian.orgs.models import COMMITTEE_POSTS, MEMBER_STAGES, Membership, Org, Position

    with unscoped("compliance: org facts"):
        orgs = Org.objects.filter(kind__in=["branch", "group"], is_active=True)
        if org_ids is not None:
            orgs = orgs.filter(pk__in=list(org_ids))
        orgs = list(orgs.values_list("pk", "kind", "path", "parent_id"))
        ids = [o[0] for o in orgs]
        members_of = set(ids)
        committees = dict(
            Position.objects.filter(org_id__in=ids, ended_on__isnull=True, post__in=COMMITTEE_POSTS)
            .values("org_id")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("org_id", "n")
        )
        members: dict[int, set[int]] = defaultdict(set)
        # Two indexed queries rather than one with OR across the join, which scans every membership (at
        # province scale 0.3 s for a single branch's refresh). The full refresh reads them all once.
        live = Membership.objects.filter(stage__in=MEMBER_STAGES, person__is_active=True)
        fields = ("person_id", "person__org_id", "group_id")
        if org_ids is None:
            parts = [live.values_list(*fields)]
        else:
            parts = [
                live.filter(person__org_id__in=ids).values_list(*fields),
                live.filter(group_id__in=ids).values_list(*fields),
            ]
        for rows in parts:
            for person_id, org_id, group_id in rows:
                if org_ids is None or org_id in members_of:
                    members[org_id].add(person_id)
                if group_id and (org_ids is None or group_id in members_of):
                    members[group_id].add(person_id)
    return [
        OrgFact(pk, kind, committees.get(pk, 0) >= 3, frozenset(members.get(pk, ())), path)
        for pk, kind, path, _parent in orgs
    ]


def meeting_facts(org_ids: list[int] | None, start: dt.date, end: dt.date) -> list[MeetingFact]:
    """The meetings of some orgs (all active branches and groups when None) between two days, as facts.

    The database does the counting: one fact per org, kind, local day, status and quorum outcome, with the
    number of meetings and the attendance sums (at province scale 600,000 meetings become far fewer rows and
    no per-row time-zone work in Python). 谈心谈话 covers members, so its facts carry who attended."""
    from dangjian.meetings.models import ATTENDED, Attendance, Kind, Meeting, Status

    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    finish = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    with unscoped("compliance: meeting facts"):
        meetings = Meeting.objects.filter(starts_at__range=(begin, finish)).exclude(status=Status.CANCELLED)
        if org_ids is None:
            meetings = meetings.filter(org__kind__in=["branch", "group"], org__is_active=True)
        else:
            meetings = meetings.filter(org_id__in=org_ids)
        rows = list(
            meetings.annotate(day=TruncDate("starts_at", tzinfo=tz))
            .values("org_id", "kind", "day", "status", "quorum_met")
            .annotate(n=Count("id"), expected=Sum("expected_count"), attended=Sum("attended_count"))
            .order_by()
            .values_list("org_id", "kind", "day", "status", "quorum_met", "n", "expected", "attended")
        )
        attendees: dict[tuple, set[int]] = defaultdict(set)
        for org_id, day, quorum, person_id in (
            Attendance.objects.filter(
                meeting__in=meetings.filter(kind=Kind.HEART_TALK, status=Status.HELD), status__in=ATTENDED
            )
            .annotate(day=TruncDate("meeting__starts_at", tzinfo=tz))
            .values_list("meeting__org_id", "day", "meeting__quorum_met", "person_id")
        ):
            attendees[(org_id, day, quorum)].add(person_id)
    return [
        MeetingFact(
            org_id,
            kind,
            day,
            status == Status.HELD,
            quorum,
            expected or 0,
            attended or 0,
            frozenset(attendees.get((org_id, day, quorum), ()))
            if kind == Kind.HEART_TALK and status == Status.HELD
            else frozenset(),
            0,
            n,
        )
        for org_id, kind, day, status, quorum, n, expected, attended in rows
    ]


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


CELL_FIELDS = [
    "org_id",
    "kind",
    "period_key",
    "period_start",
    "period_end",
    "required",
    "held",
    "recorded",
    "quorum_met",
    "attendance_rate",
    "status",
    "refreshed_at",
]


@transaction.atomic
def refresh(*, org_ids: Iterable[int] | None = None, years: Iterable[int], today: dt.date | None = None) -> int:
    """Recompute and store the cells of the given orgs (all branches and groups when None) for whole years."""
    from dangjian.meetings.models import ComplianceCell

    today = today or timezone.localdate()
    facts = org_facts(org_ids)
    ids = [f.org_id for f in facts]
    rules_for = _rules_cache()
    written = 0
    now = timezone.now()
    for year in sorted(set(years)):
        start, end = year_range(year)
        cells = derive(
            orgs=facts,
            meetings=meeting_facts(None if org_ids is None else ids, start, end),
            rules_for=rules_for,
            start=start,
            end=end,
            today=today,
        )
        with unscoped("compliance: write cells"):
            ComplianceCell.objects.filter(org_id__in=ids, period_start__gte=start, period_start__lte=end).delete()
            # Plain rows (COPY on PostgreSQL): a full refresh at province scale writes ~400,000 cells.
            insert_rows(
                ComplianceCell,
                CELL_FIELDS,
                (
                    (
                        c.org_id,
                        c.kind,
                        c.period.key,
                        c.period.start,
                        c.period.end,
                        c.required,
                        c.held,
                        c.recorded,
                        c.quorum_met,
                        c.attendance_rate,
                        c.status,
                        now,
                    )
                    for c in cells
                ),
            )
        written += len(cells)
    return written


def refresh_statuses(today: dt.date | None = None) -> int:
    """Cells still due whose period has closed become overdue (the nightly job; no recount needed)."""
    from dangjian.meetings.models import ComplianceCell

    today = today or timezone.localdate()
    with unscoped("compliance: overdue"):
        return ComplianceCell.objects.filter(status=DUE, period_end__lt=today).update(status=OVERDUE)
