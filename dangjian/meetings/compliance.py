"""Compliance, derived rather than declared: for every org, kind and period, held versus required.

`derive` is a pure function over plain records (tested against a brute-force count with hypothesis).
`refresh` runs the same derivation over the database for some orgs and keeps the small `ComplianceCell` table
that pages, the county figures and the indicators read; it runs for the meeting's org inside every meeting write
(meetings.services), and in full from the periodic duty `meetings.refresh_compliance` (nightly, a safety recount).

Both go through `cells`, which works on counts, not meetings: the held meetings of an org and kind in one
month (a `Tally`), and for per-member kinds (谈心谈话) the number of members covered in a period. Every period
kind (month, quarter, year, 学年, 学期) is a run of whole months, so monthly counts add up to any period exactly.
At province scale (600,000 meetings, 8.4 million attendance rows, 368,000 cells a year) the database does the
counting, Python only maps counts onto periods and rules, and only the cells that changed are written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone

from dangjian.core import periods
from dangjian.core.bulk import insert_rows
from dangjian.core.models import LocalRule
from dangjian.core.scoping import unscoped
from dangjian.meetings.logic import kind_rules
from dangjian.meetings.models import ATTENDED, Attendance, ComplianceCell, Meeting, Status
from dangjian.orgs.models import COMMITTEE_POSTS, MEMBER_STAGES, Membership, Org, Position

MET, DUE, OVERDUE = "met", "due", "overdue"


@dataclass(frozen=True)
class OrgFact:
    org_id: int
    org_kind: str  # branch | group | …
    has_committee: bool = False
    member_ids: frozenset[int] = frozenset()
    path: str = ""
    dissolved_on: dt.date | None = None  # a dissolved org owes nothing that falls due after this day


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
    n: int = 1  # meetings this fact stands for
    complete: bool = True  # recorded with minutes or resolutions (False: 记录不全)


class Cell(NamedTuple):
    """One org, kind and period: the row the table stores for it (every field but the last, named as the
    model's fields), then the period itself."""

    org_id: int
    kind: str
    period_key: str
    required: int
    held: int
    recorded: int
    incomplete: int
    quorum_met: bool | None
    attendance_rate: float | None
    status: str
    period: periods.Period


class Tally(NamedTuple):
    """The held meetings of one org and kind in one month, as counts."""

    recorded: int  # held, with or without quorum
    counted: int  # held and quorum not missed: these count toward compliance
    short: int  # held without a recorded quorum (quorum_met false or unknown)
    expected: int
    attended: int
    incomplete: int  # of those counted: recorded without minutes or resolutions (记录不全)


NONE_HELD = Tally(0, 0, 0, 0, 0, 0)


class Span(NamedTuple):
    """A period with its key and its first and last month as month numbers (see `month_of`)."""

    period: periods.Period
    key: str
    first: int
    last: int


# (org, kind, span) -> how many of the org's members took part in a counted meeting of that kind in the span
Covered = Callable[[OrgFact, str, Span], int]


def month_of(day: dt.date) -> int:
    """Months as consecutive integers, so that a period is a range of them."""
    return day.year * 12 + day.month - 1


@cache
def spans(kind: str, start: dt.date, end: dt.date) -> tuple[Span, ...]:
    """The periods of `kind` that overlap [start, end] (computed once per kind, not once per org)."""
    return tuple(Span(p, p.key, month_of(p.start), month_of(p.end)) for p in periods.periods_between(kind, start, end))


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


def _total(months: dict[int, Tally], span: Span) -> Tally:
    if span.first == span.last:  # monthly kinds: no adding up
        return months.get(span.first, NONE_HELD)
    found = [months[m] for m in range(span.first, span.last + 1) if m in months]
    if len(found) <= 1:
        return found[0] if found else NONE_HELD
    return Tally(*map(sum, zip(*found, strict=True)))


def cells(
    *,
    orgs: Iterable[OrgFact],
    tallies: dict[tuple[int, str], dict[int, Tally]],
    covered: Covered,
    rules_for: Callable[[OrgFact, dt.date], dict[str, dict]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> Iterator[Cell]:
    """Every (org, kind, period) cell for periods that overlap [start, end] and have begun by `today`, from
    monthly tallies keyed by (org id, kind) then month."""
    for org in orgs:
        for kind, rule in rules_for(org, start).items():
            if not applies(rule, org):
                continue
            months = tallies.get((org.org_id, kind), {})
            per_member, has_quorum, count = rule.get("per_member"), rule.get("quorum"), rule["count"]
            for span in spans(rule["period"], start, end):
                period = span.period
                if period.start > today:
                    break
                if org.dissolved_on is not None and period.end > org.dissolved_on:
                    break  # it existed for whole periods only up to its dissolution: nothing falls due after it
                tally = _total(months, span)
                if per_member:
                    required = len(org.member_ids) * count
                    held = covered(org, kind, span)
                else:
                    # Whether a record without minutes or resolutions counts is rule data (it is flagged either way).
                    required = count
                    held = tally.counted - (0 if rule.get("incomplete_counts", True) else tally.incomplete)
                quorum = tally.short == 0 if has_quorum and tally.recorded else None
                rate = tally.attended / tally.expected if tally.expected else None
                if held >= required:
                    status = MET
                elif period.end < today:
                    status = OVERDUE
                else:
                    status = DUE
                yield Cell(
                    org.org_id,
                    kind,
                    span.key,
                    required,
                    held,
                    tally.recorded,
                    tally.incomplete,
                    quorum,
                    rate,
                    status,
                    period,
                )


def derive(
    *,
    orgs: Iterable[OrgFact],
    meetings: Iterable[MeetingFact],
    rules_for: Callable[[OrgFact, dt.date], dict[str, dict]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[Cell]:
    """`cells` over plain meeting records: they are tallied by month here (the database does it in `refresh`)."""
    tallies: dict[tuple[int, str], dict[int, Tally]] = defaultdict(dict)
    attendees: dict[tuple[int, str], dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for m in meetings:
        if not m.held:
            continue
        month = month_of(m.day)
        by_month = tallies[(m.org_id, m.kind)]
        t = by_month.get(month, NONE_HELD)
        by_month[month] = Tally(
            t.recorded + m.n,
            t.counted + (m.n if counts(m) else 0),
            t.short + (m.n if m.quorum_met is not True else 0),
            t.expected + m.expected,
            t.attended + m.attended,
            t.incomplete + (m.n if counts(m) and not m.complete else 0),
        )
        if counts(m):
            attendees[(m.org_id, m.kind)][month] |= m.attendee_ids

    def covered(org: OrgFact, kind: str, span: Span) -> int:
        months = attendees.get((org.org_id, kind), {})
        people = set().union(*(months.get(m, ()) for m in range(span.first, span.last + 1)))
        return len(people & org.member_ids)

    return list(
        cells(orgs=orgs, tallies=tallies, covered=covered, rules_for=rules_for, start=start, end=end, today=today)
    )


# --- over the database ------------------------------------------------------------------------


def _rules_cache() -> Callable[[OrgFact, dt.date], dict[str, dict]]:
    cache: dict[tuple[str, dt.date], dict] = {}
    # Without any county override, one read of the rule file serves every org (province scale).
    local = LocalRule.objects.filter(rule="meetings/meetings").exists()

    def rules_for(org: OrgFact, day: dt.date) -> dict[str, dict]:
        key = (org.path if local else "", day)
        if key not in cache:
            cache[key] = kind_rules(on=day, org_path=key[0])
        return cache[key]

    return rules_for


def live_member(membership: str = "", person: str = "person__") -> Q:
    """Who counts as a member, as a filter through the given paths to Membership and to its Person: probationary
    and full members in office. A member belongs to their person's org and to their 党小组."""

    return Q(**{f"{membership}stage__in": MEMBER_STAGES, f"{person}is_active": True})


def org_facts(org_ids: Iterable[int] | None = None) -> list[OrgFact]:
    """Branches and groups with their members and whether they have a committee: three queries."""

    with unscoped("compliance: org facts"):
        # Dissolved orgs too: their cells count for the periods they existed (`cells` stops at dissolved_on).
        orgs = Org.objects.filter(_derived_orgs(""), kind__in=["branch", "group"])
        if org_ids is not None:
            orgs = orgs.filter(pk__in=list(org_ids))
        orgs = list(orgs.values_list("pk", "kind", "path", "dissolved_on"))
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
        live = Membership.objects.filter(live_member())
        fields = ("person_id", "person__org_id", "group_id")
        if org_ids is None:
            parts = [_rows(live.values_list(*fields))]
        else:
            parts = [
                _rows(live.filter(person__org_id__in=ids).values_list(*fields)),
                _rows(live.filter(group_id__in=ids).values_list(*fields)),
            ]
        for rows in parts:
            for person_id, org_id, group_id in rows:
                if org_ids is None or org_id in members_of:
                    members[org_id].add(person_id)
                if group_id and (org_ids is None or group_id in members_of):
                    members[group_id].add(person_id)
    return [
        OrgFact(pk, kind, committees.get(pk, 0) >= 3, frozenset(members.get(pk, ())), path, dissolved_on)
        for pk, kind, path, dissolved_on in orgs
    ]


def _derived_orgs(prefix: str) -> Q:
    """Orgs whose cells are derived (through `prefix` to Org): active ones, and dissolved ones (up to the day)."""
    return Q(**{f"{prefix}is_active": True}) | Q(**{f"{prefix}dissolved_on__isnull": False})


def _rows(queryset) -> list[tuple]:
    """A values_list queryset's rows as the driver gives them. Django would pass every value through a converter
    (int() on each count): over 400,000 rows of six counts that alone took a second."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `org_id IN ()`: a refresh of orgs that are no branches or groups
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.max)),
    )


def held(org_ids: list[int] | None, start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Held meetings between two local days of some orgs (all orgs when None), as a filter on Meeting (or through
    `prefix` to it). Planned and cancelled meetings count toward nothing."""

    begin, finish = _bounds(start, end)
    q = Q(**{f"{prefix}starts_at__range": (begin, finish), f"{prefix}status": Status.HELD})
    if org_ids is None:
        return q  # every org's: cells are derived for branches and groups only (active or dissolved), the rest is not looked up
    return q & Q(**{f"{prefix}org_id__in": org_ids})


def tallies(org_ids: list[int] | None, start: dt.date, end: dt.date) -> dict[tuple[int, str], dict[int, Tally]]:
    """The held meetings per org, kind and local month, counted by the database in one grouped query."""

    tz = timezone.get_current_timezone()
    month = Cast(ExtractYear("starts_at", tzinfo=tz) * 12 + ExtractMonth("starts_at", tzinfo=tz) - 1, IntegerField())
    with unscoped("compliance: tallies"):
        rows = _rows(
            Meeting.objects.filter(held(org_ids, start, end))
            .annotate(month=month)
            .values("org_id", "kind", "month")
            .annotate(
                recorded=Count("id"),
                counted=Count("id", filter=~Q(quorum_met=False)),
                short=Count("id", filter=~Q(quorum_met=True)),
                expected=Sum("expected_count"),
                attended=Sum("attended_count"),
                incomplete=Count("id", filter=~Q(quorum_met=False) & Q(minutes="", resolutions="")),
            )
            .order_by()
            .values_list(
                "org_id", "kind", "month", "recorded", "counted", "short", "expected", "attended", "incomplete"
            )
        )
    result: dict[tuple[int, str], dict[int, Tally]] = defaultdict(dict)
    for row in rows:
        result[row[0], row[1]][row[2]] = Tally._make(row[3:])
    return result


def members_covered(org_ids: list[int] | None, kind: str, start: dt.date, end: dt.date) -> dict[int, int]:
    """Per org: how many of its members attended a counted meeting of `kind` between two days (one grouped
    query; 谈心谈话 covers members, not meetings)."""

    with unscoped("compliance: members covered"):
        return dict(
            _rows(
                Attendance.objects.filter(
                    held(org_ids, start, end, "meeting__"),
                    ~Q(meeting__quorum_met=False),
                    live_member("person__membership__", "person__"),
                    Q(person__org_id=F("meeting__org_id")) | Q(person__membership__group_id=F("meeting__org_id")),
                    meeting__kind=kind,
                    status__in=ATTENDED,
                )
                .values("meeting__org_id")
                .annotate(n=Count("person_id", distinct=True))
                .order_by()
                .values_list("meeting__org_id", "n")
            )
        )


def coverage(org_ids: list[int] | None, start: dt.date, end: dt.date) -> Covered:
    """`covered` for `cells` over the database: one query per per-member kind and period, on first use."""
    loaded: dict[tuple[str, periods.Period], dict[int, int]] = {}

    def covered(org: OrgFact, kind: str, span: Span) -> int:
        key = (kind, span.period)
        if key not in loaded:
            # Only the records between start and end are read, as for the tallies.
            loaded[key] = members_covered(org_ids, kind, max(span.period.start, start), min(span.period.end, end))
        return loaded[key].get(org.org_id, 0)

    return covered


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
    "incomplete",
    "quorum_met",
    "attendance_rate",
    "status",
    "refreshed_at",
]
STORED = Cell._fields[:-1]  # the model's fields, named as in Cell


class Changes(NamedTuple):
    """What a refresh did: cells derived, and how many were added, rewritten because a figure changed, removed."""

    cells: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0

    def __add__(self, other: Changes) -> Changes:  # type: ignore[override]
        return Changes(*map(sum, zip(self, other, strict=True)))


def _write(org_ids: list[int] | None, ids: list[int], start: dt.date, end: dt.date, derived: Iterable[Cell]) -> Changes:
    """Make the stored cells of the orgs whose periods overlap [start, end] equal to `derived`, writing only the
    difference: unchanged cells are not touched (a nightly recompute over unchanged records writes nothing)."""

    with unscoped("compliance: write cells"):
        stored_cells = ComplianceCell.objects.filter(period_start__lte=end, period_end__gte=start)
        if org_ids is None:
            stored_cells = stored_cells.filter(_derived_orgs("org__"), org__kind__in=["branch", "group"])
        else:
            stored_cells = stored_cells.filter(org_id__in=ids)
        # Whole rows as keys: a cell whose row is stored as it is needs no write, and the comparison of
        # 368,000 cells is one dictionary look-up each.
        stored = {row[1:]: row[0] for row in _rows(stored_cells.order_by().values_list("pk", *STORED))}
        everything = list(derived)
        fresh = [cell for cell in everything if stored.pop(cell[:-1], None) is None]  # new or changed
        drop = list(stored.values())  # stored rows not derived as they are: changed, or no longer derived
        before = {row[:3] for row in stored}  # (org, kind, period) of those
        changed = sum(1 for cell in fresh if cell[:3] in before)
        added = len(fresh) - changed
        if len(drop) > len(everything) // 2:
            # Most cells go (a rule changed, or the first run): one set-based delete instead of index look-ups.
            stored_cells.delete()
            fresh = everything
        else:
            # Changed cells are deleted and inserted again: with COPY that beats row-by-row updates. (Nothing
            # refers to a cell and no signal listens, so Django deletes each batch in one statement.)
            for i in range(0, len(drop), 5000):
                ComplianceCell.objects.filter(pk__in=drop[i : i + 5000]).delete()
        now = timezone.now()
        insert_rows(
            ComplianceCell,
            CELL_FIELDS,
            ((*c[:3], c.period.start, c.period.end, *c[3:-1], now) for c in fresh),
        )
    return Changes(len(everything), added, changed, len(drop) - changed)


@transaction.atomic
def refresh_changes(
    *, org_ids: Iterable[int] | None = None, years: Iterable[int], today: dt.date | None = None
) -> Changes:
    """Recompute the cells of the given orgs (all branches and groups when None) for whole years, and store
    those that changed."""
    today = today or timezone.localdate()
    facts = org_facts(org_ids)
    ids = [f.org_id for f in facts]
    scope = None if org_ids is None else ids
    rules_for = _rules_cache()
    done = Changes()
    for year in sorted(set(years)):
        start, end = year_range(year)
        derived = cells(
            orgs=facts,
            tallies=tallies(scope, start, end),
            covered=coverage(scope, start, end),
            rules_for=rules_for,
            start=start,
            end=end,
            today=today,
        )
        done += _write(scope, ids, start, end, derived)
    return done


def refresh(*, org_ids: Iterable[int] | None = None, years: Iterable[int], today: dt.date | None = None) -> int:
    """`refresh_changes`, returning the number of cells derived (what the stored table now holds for them)."""
    return refresh_changes(org_ids=org_ids, years=years, today=today).cells


def refresh_statuses(today: dt.date | None = None) -> int:
    """Cells still due whose period has closed become overdue (the nightly job; no recount needed)."""

    today = today or timezone.localdate()
    with unscoped("compliance: overdue"):
        return ComplianceCell.objects.filter(status=DUE, period_end__lt=today).update(status=OVERDUE)
