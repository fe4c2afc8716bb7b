"""Reads of organizational life. Every queryset a user reaches starts at the scoping layer; the compliance
views read the precomputed ComplianceCell table."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dangjian.core import hours, periods
from dangjian.core.scoping import get_for_user, has_capability, prefixes, scoped, unscoped, unscoped_queryset
from dangjian.meetings import logic
from dangjian.meetings.hours import COUNTED_KINDS, attended_hours, hour_items
from dangjian.meetings.models import (
    ATTENDED,
    Attachment,
    Attendance,
    CellStatus,
    ComplianceCell,
    Kind,
    Meeting,
    Presence,
    Status,
)
from dangjian.orgs.models import COMMITTEE_POSTS, MEMBER_STAGES, Membership, Org, OrgKind, Person, Position, Stage


def meetings(
    user, *, org: Org | None = None, kind: str = "", start=None, end=None, status: str = ""
) -> QuerySet[Meeting]:
    # The orgs are read by id after the page's rows (prefetch): joining them into the page's query made
    # PostgreSQL hash every organization of the province (14,000 rows, 8 to 18 ms) to show 20 meetings.
    qs = scoped(user, Meeting).prefetch_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(starts_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        qs = qs.filter(starts_at__lte=timezone.make_aware(dt.datetime.combine(end, dt.time.max)))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def recordable_orgs(user) -> QuerySet[Org]:
    """Branches and groups where the user may plan and record meetings (dissolved ones no longer hold any)."""
    return (
        scoped(user, Org, "meetings.record")
        .filter(kind__in=[OrgKind.BRANCH, OrgKind.GROUP], dissolved_on__isnull=True)
        .order_by("path")
    )


def home_org(user) -> Org | None:
    roots = prefixes(user, "meetings.view")
    if not roots:
        return None
    return scoped(user, Org, "meetings.view").filter(path=roots[0]).first()


def _my_roster_meetings(user) -> QuerySet:
    """Ids of the meetings whose roster names the signed-in person (invited, attended, on leave or absent)."""
    return scoped(user, Attendance).filter(person__user=user).values("meeting_id")


def _readable(user, model, pk, on_my_roster: Q, related: tuple[str, ...] = ()) -> Any:
    """get_for_user, and only when the grants do not reach the row, the same with `on_my_roster` as well: the
    roster condition is not added to every fetch, whose subtree is thousands of org ids for a county account.
    `related`: what the page reads of the row, loaded in the same query."""
    try:
        return get_for_user(user, model, pk, queryset=scoped(user, model).select_related(*related))
    except Http404:
        queryset = scoped(user, model, extra=on_my_roster).select_related(*related)
        return get_for_user(user, model, pk, queryset=queryset)


def meeting_for(user, pk) -> Meeting:
    """A meeting to read: one under the user's grants (meetings.view), or one they are on the roster of. A
    person may always open a meeting they were asked to, whatever role their account carries (a member whose
    account holds only an officer's grant, an activist invited to a 党课 on a teacher's account); it opens that
    meeting only, never the branch's list. Changing it still needs meetings.record (get_for_user(write=True))."""
    return _readable(user, Meeting, pk, Q(pk__in=_my_roster_meetings(user)), ("org", "host", "recorder"))


def attachment_for(user, pk) -> Attachment:
    """An attachment of a meeting the user may read (meeting_for's rule)."""
    return _readable(user, Attachment, pk, Q(meeting__in=_my_roster_meetings(user)))


def attendance(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("person").order_by("-is_committee", "person__name", "person_id")


def attendance_for_viewer(user, meeting: Meeting, queryset=None):
    """The attendance as `user` may read it: `visible_reason` is the leave reason for those who record the meeting
    and for the person themself, and empty for everyone else in the branch."""
    qs = attendance(meeting) if queryset is None else queryset
    if can_record(user, meeting):
        return qs.annotate(visible_reason=F("reason"))
    return qs.annotate(visible_reason=Case(When(person__user=user, then=F("reason")), default=Value("")))


def can_record(user, meeting_or_org) -> bool:
    return has_capability(user, "meetings.record", meeting_or_org.scope_path())


def can_record_on_behalf(user, org: Org) -> bool:
    """代录: only for a branch or group the user cannot record for in their own right (a county administrator)."""
    return (
        org.kind in (OrgKind.BRANCH, OrgKind.GROUP)
        and org.dissolved_on is None
        and not can_record(user, org)
        and has_capability(user, "meetings.record_on_behalf", org.scope_path())
    )


def my_attendance(user, meeting: Meeting) -> Attendance | None:
    person = getattr(user, "person", None)
    if person is None:
        return None
    return meeting.attendances.filter(person=person).first()


# --- a member's own record (issue item 6; also the 我的 page) --------------------------------


def my_upcoming(user, today: dt.date | None = None) -> QuerySet[Attendance]:
    """Planned meetings the signed-in person is expected at, soonest first."""
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (
        scoped(user, Attendance, own=True)
        .filter(person__user=user, meeting__status=Status.PLANNED, meeting__starts_at__gte=now)
        .select_related("meeting", "meeting__org")
        .order_by("meeting__starts_at")
    )


def my_history(user, year: int) -> QuerySet[Attendance]:
    return (
        scoped(user, Attendance, own=True)
        .filter(person__user=user, meeting__status=Status.HELD, meeting__starts_at__year=year)
        .select_related("meeting", "meeting__org")
        .order_by("-meeting__starts_at")
    )


@dataclass
class MyYear:
    year: int
    attended: int = 0
    leave: int = 0
    absent: int = 0
    hours: Decimal = Decimal(0)
    required_hours: int = 32
    recent: list[Attendance] = field(default_factory=list)


def my_year(user, year: int, *, recent: int = 10) -> MyYear:
    """The year's held meetings on the person's roster, counted by presence, the latest `recent` of them, and
    the training hours they gave: one read of the year's rows (a member's year is a few dozen meetings)."""
    rows = list(
        my_history(user, year)
        .select_related(None)
        .select_related("meeting")
        .only("status", "meeting_id", "meeting__topic", "meeting__kind", "meeting__starts_at")
    )
    return _summary(user, year, rows, recent)


def _summary(user, year: int, rows: list[Attendance], recent: int) -> MyYear:
    """`rows`: the year's held meetings on the person's roster, newest first."""
    summary = MyYear(year)
    for row in rows:
        if row.status in ATTENDED:
            summary.attended += 1
        elif row.status == Presence.LEAVE:
            summary.leave += 1
        else:
            summary.absent += 1
    summary.recent = rows[:recent]
    person = getattr(user, "person", None)
    if person is not None:
        items = attended_hours(person_ids=[person.pk], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        summary.hours = sum((i.hours for i in items.get(person.pk, [])), Decimal(0))
    return summary


# A meeting's long texts, which lists of meetings do not show.
LONG_TEXT = ("minutes", "resolutions", "prep_talks", "prep_opinions", "on_behalf_reason")


def my_meetings(user, year: int, *, upcoming: int = 10, recent: int = 10) -> tuple[list[Attendance], MyYear]:
    """我的: `my_upcoming(user)[:upcoming]` and `my_year(user, year)` from one read of the person's roster rows
    (planned meetings ahead, and the year's held meetings): one round trip instead of two."""
    now = timezone.now()
    rows = list(
        scoped(user, Attendance, own=True)
        .filter(person__user=user)
        .filter(
            Q(meeting__status=Status.PLANNED, meeting__starts_at__gte=now)
            | Q(meeting__status=Status.HELD, meeting__starts_at__year=year)
        )
        .select_related("meeting", "meeting__org")
        # The lines show topic, time, kind and organization: a year of minutes and resolutions is not read.
        .defer(*(f"meeting__{name}" for name in LONG_TEXT))
        .order_by("-meeting__starts_at", "-id")
    )
    ahead = [row for row in reversed(rows) if row.meeting.status == Status.PLANNED][:upcoming]
    held = [row for row in rows if row.meeting.status == Status.HELD]
    person = getattr(user, "person", None)
    if person is not None:  # the year's meeting hours are in these rows: the hours source need not read them again
        counted = [
            (person.pk, a.meeting_id, a.meeting.kind, a.meeting.topic, a.meeting.starts_at, a.meeting.org.path)
            for a in reversed(held)
            if a.status in ATTENDED and a.meeting.kind in COUNTED_KINDS
        ]
        hours.prime(
            "meetings",
            person_ids=[person.pk],
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            answer=hour_items(counted),
        )
    return ahead, _summary(user, year, held, recent)


# --- compliance (reads the precomputed table) -------------------------------------------------


KIND_ORDER = [k.value for k in Kind]


@dataclass
class GridRow:
    kind: str
    label: str
    cells: list[ComplianceCell | None]
    held: int = 0
    required: int = 0


@dataclass
class Grid:
    org: Org
    year: int
    months: list[periods.Period]
    rows: list[GridRow] = field(default_factory=list)


def compliance_cells(user, org: Org, start: dt.date, end: dt.date) -> QuerySet[ComplianceCell]:
    return scoped(user, ComplianceCell).filter(org=org, period_start__lte=end, period_end__gte=start)


def compliance_grid(user, org: Org, year: int) -> Grid:
    """One org's year: a row per kind, each cell placed under the month its period ends in."""
    months = list(periods.periods_between("month", dt.date(year, 1, 1), dt.date(year, 12, 31)))
    grid = Grid(org, year, months)
    by_kind: dict[str, list[ComplianceCell]] = defaultdict(list)
    for cell in compliance_cells(user, org, dt.date(year, 1, 1), dt.date(year, 12, 31)).order_by("period_start"):
        by_kind[cell.kind].append(cell)
    for kind in KIND_ORDER:
        cells = by_kind.get(kind)
        if not cells:
            continue
        slots: list[ComplianceCell | None] = [None] * 12
        for cell in cells:
            slots[cell.period_end.month - 1] = cell
        grid.rows.append(
            GridRow(kind, Kind(kind).label, slots, sum(c.held for c in cells), sum(c.required for c in cells))
        )
    index = reverse("meetings:index")
    for cells in by_kind.values():
        for cell in cells:
            _show_cell(cell, index, org.pk)
    return grid


def show_list(meetings) -> list[Meeting]:
    """A page of the meetings list with what each line shows worked out once here (its link, day, kind, status and
    attendance), not by the template's tags line by line: twenty lines are most of the list's render."""
    rows = list(meetings)
    kinds, statuses = dict(Kind.choices), dict(Status.choices)
    for m in rows:
        m.href = reverse("meetings:detail", args=[m.pk])
        m.day_text = f"{timezone.localtime(m.starts_at):%Y-%m-%d}"
        m.kind_label = kinds.get(m.kind, m.kind)  # as get_kind_display: an unknown value shows as itself
        m.status_label = statuses.get(m.status, m.status)
        m.attendance_text = (
            _("%(a)s/%(e)s人") % {"a": m.attended_count, "e": m.expected_count} if m.status == Status.HELD else ""
        )
    return rows


def _show_cell(cell: ComplianceCell, index: str, org_pk: int) -> None:
    """What the page shows of a cell, worked out here once rather than by the template cell by cell (a year is
    up to 96 cells): its link to the meetings it counts, its title and its text."""
    cell.href = mark_safe(  # the only text in it, the kind, is escaped
        f"{index}?org={org_pk}&kind={conditional_escape(cell.kind)}"
        f"&start={cell.period_start:%Y-%m-%d}&end={cell.period_end:%Y-%m-%d}"
    )
    title = f"{cell.period_key} {cell.get_status_display()}"
    if cell.attendance_rate is not None:
        title += f" · {_('出席率')}{round(float(cell.attendance_rate) * 100)}%"
    cell.title = title
    cell.text = f"{cell.held}/{cell.required}" + ("!" if cell.quorum_met is False else "")


def due_now(user, orgs: list[Org], today: dt.date | None = None) -> QuerySet[ComplianceCell]:
    """What is due in the current periods, and what is overdue this year, for the user's orgs."""
    today = today or timezone.localdate()
    return (
        scoped(user, ComplianceCell)
        .filter(org__in=orgs, period_start__year=today.year)
        .filter(Q(status=CellStatus.DUE, period_start__lte=today) | Q(status=CellStatus.OVERDUE))
        .select_related("org")
        .order_by("status", "period_end", "org__path", "kind")
    )


@dataclass
class CountyRow:
    org: Org
    by_kind: dict[str, dict] = field(default_factory=dict)
    cols: list[dict | None] = field(default_factory=list)
    overdue: int = 0
    held: int = 0
    required: int = 0
    incomplete: int = 0  # meetings counted but recorded without minutes or resolutions (记录不全)

    @property
    def rate(self) -> float | None:
        return self.held / self.required if self.required else None


def county_orgs(user, year: int) -> QuerySet[Org]:
    """Branches the user oversees at county level, most overdue first; paginate, then call county_rows."""
    return (
        scoped(user, Org, "meetings.view_county")
        .filter(kind=OrgKind.BRANCH)
        .annotate(
            overdue=Count(
                "compliance_cells",
                filter=Q(compliance_cells__status=CellStatus.OVERDUE, compliance_cells__period_start__year=year),
            )
        )
        .order_by("-overdue", "path")
    )


def county_rows(user, orgs: list[Org], year: int, today: dt.date | None = None) -> list[CountyRow]:
    """Held versus required per kind for each org of a page: one grouped query over the small table."""
    today = today or timezone.localdate()
    rows = {o.pk: CountyRow(o) for o in orgs}
    aggregates = (
        scoped(user, ComplianceCell, "meetings.view_county")
        .filter(org_id__in=list(rows), period_start__year=year)
        .values("org_id", "kind")
        .annotate(
            held=Sum("held"),
            required=Sum("required"),
            overdue=Count("id", filter=Q(status=CellStatus.OVERDUE)),
            met=Count("id", filter=Q(status=CellStatus.MET)),
            cells=Count("id"),
            incomplete=Sum("incomplete"),
        )
    )
    for a in aggregates:
        row = rows[a["org_id"]]
        row.by_kind[a["kind"]] = a
        row.overdue += a["overdue"]
        row.incomplete += a["incomplete"] or 0
        row.held += min(a["held"], a["required"]) if a["kind"] == Kind.HEART_TALK else a["met"]
        row.required += a["required"] if a["kind"] == Kind.HEART_TALK else a["cells"]
    # What each cell shows, worked out here once rather than by the template cell by cell (a page is 30 × 9 cells).
    index = reverse("meetings:index")
    for row in rows.values():
        for a in row.by_kind.values():
            a["css"] = "overdue" if a["overdue"] else "met" if a["met"] == a["cells"] else "due"
            a["text"] = f"{a['held']}/{a['required']}" if a["kind"] == Kind.HEART_TALK else f"{a['met']}/{a['cells']}"
            a["href"] = f"{index}?org={row.org.pk}&kind={a['kind']}&start={year}-01-01&end={year}-12-31"
        row.cols = [row.by_kind.get(k) for k in KIND_ORDER]
    return [rows[o.pk] for o in orgs]


def public_sessions(now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Upcoming public live sessions, shown to anyone: only date, kind, topic, org name and the link."""
    now = now or timezone.now()
    return (
        unscoped_queryset(Meeting, "public live sessions")
        .filter(audience__in=["school", "county"], status=Status.PLANNED, starts_at__gte=now - dt.timedelta(hours=3))
        # Internal meetings never, whatever their audience says (one set before the rule, or written by hand).
        .filter(kind__in=logic.public_kinds(on=timezone.localdate(now)))
        .exclude(online_url="")
        .select_related("org")
        .order_by("starts_at")
    )


def public_session(pk: int) -> Meeting | None:
    return public_sessions().filter(pk=pk).first()


def hours_for_kind(meeting: Meeting) -> Decimal:
    rule = logic.kind_rules(on=meeting.day, org_path=meeting.org.path).get(meeting.kind, {})
    return Decimal(str(rule.get("hours", 0)))


# --- who a meeting expects (read by the meeting form and by the services that record a meeting) ---

ROSTERS = ("members", "committee", "group", "pair")


@dataclass(frozen=True)
class Expected:
    person: Person
    is_voting: bool
    is_committee: bool


def default_roster(kind: str, org: Org) -> str:
    if org.kind == OrgKind.GROUP:
        return "group"
    rule = logic.kind_rules(on=timezone.localdate(), org_path=org.path).get(kind, {})
    roster = rule.get("roster", "members")
    return roster if roster in ROSTERS else "members"


def expected_roster(org: Org, roster: str, pair_ids: list[int] | None = None) -> list[Expected]:
    """Who is expected: all members of the org (members), its committee, a group's members, or the two
    members of a 谈心谈话 (pair, given by `pair_ids`).

    Probationary members attend but have no vote; the committee flag comes from current committee posts."""
    with unscoped("meetings: expected roster"):
        committee_ids = set(
            Position.all_objects.filter(org=org, ended_on__isnull=True, post__in=COMMITTEE_POSTS).values_list(
                "person_id", flat=True
            )
        )
        memberships = Membership.all_objects.filter(stage__in=MEMBER_STAGES, person__is_active=True).select_related(
            "person"
        )
        if org.kind == OrgKind.GROUP:
            memberships = memberships.filter(group=org)
        else:
            memberships = memberships.filter(person__org__path__startswith=org.path)
        if roster == "committee":
            memberships = memberships.filter(person_id__in=committee_ids)
        elif roster == "pair":
            memberships = memberships.filter(person_id__in=pair_ids or [])
        rows = sorted(memberships, key=lambda m: (m.person_id not in committee_ids, m.person.name, m.person_id))
    return [Expected(m.person, m.stage == Stage.FULL, m.person_id in committee_ids) for m in rows]
