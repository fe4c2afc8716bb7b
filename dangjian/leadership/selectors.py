"""Reads of the leadership system. Every queryset a user reaches starts at the scoping layer; personnel items are
filtered once more here (`items`): only the school's two bodies' members and the county's organization staff
(leadership.view_personnel) read them. Everyone else who sees the school's agenda sees only the fact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import rules
from dangjian.core.scoping import get_for_user, has_capability, path_q, prefixes, require, scoped, unscoped
from dangjian.leadership import logic
from dangjian.leadership.models import (
    BODY_OF_KIND,
    AgendaItem,
    Body,
    BodyMember,
    DecisionRules,
    ExecutionReport,
    Outcome,
    RulesStatus,
)
from dangjian.meetings.models import ATTENDED, Attendance, Meeting, Status
from dangjian.orgs.models import Person, School

KINDS = tuple(BODY_OF_KIND)


def current_seats(school: School, *, body: str | None = None, on: dt.date | None = None) -> list[BodyMember]:
    """The seats of a school's bodies on a day (trusted: services and pages showing a visible school)."""
    day = on or timezone.localdate()
    with unscoped("leadership: current seats"):
        qs = BodyMember.objects.filter(school=school, started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )
        if body:
            qs = qs.filter(body=body)
        return list(qs.select_related("person").order_by("body", "role", "person__name"))


def school_people(school: School) -> QuerySet[Person]:
    """The school's staff in office, for the pickers of a page whose school the user manages."""
    with unscoped("leadership: staff of a managed school"):
        return Person.objects.filter(school=school, is_active=True).order_by("name")


def body_people(school: School, day: dt.date) -> QuerySet[Person]:
    """The bodies' members on a day: who may propose and fix agenda items."""
    ids = [s.person_id for s in current_seats(school, on=day)]
    with unscoped("leadership: body members of a managed school"):
        return Person.objects.filter(pk__in=ids).order_by("name")


def _seat_school_ids(user) -> list[int]:
    """Schools on whose bodies the user currently sits (one small query, cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = user.__dict__.get("_leadership_seats")
    if cached is None:
        today = timezone.localdate()
        with unscoped("leadership: the user's own seats"):
            cached = sorted(
                set(
                    BodyMember.objects.filter(person__user=user, started_on__lte=today)
                    .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
                    .values_list("school_id", flat=True)
                )
            )
        user.__dict__["_leadership_seats"] = cached
    return cached


def sits_on(user, school: School) -> bool:
    return school.pk in _seat_school_ids(user)


def schools(user) -> QuerySet[School]:
    """Schools whose leadership pages the user may open: under a leadership.view grant, or one they sit on the
    bodies of (a 校长 who is not a Party member holds no Party role)."""
    extra = Q(pk__in=_seat_school_ids(user))
    return scoped(user, School, "leadership.view", extra=extra).select_related("org").order_by("name")


def school_for(user, pk) -> School:
    return get_for_user(user, School, pk, queryset=schools(user))


def may_manage(user, school: School) -> bool:
    """Who keeps a school's bodies, meetings and agenda: leadership.manage over its organization (the branch
    secretary, the school's administrator) or the school's own 书记 or 校长."""
    if has_capability(user, "leadership.manage", school.org.path):
        return True
    today = timezone.localdate()
    with unscoped("leadership: convenor of the school"):
        return (
            BodyMember.objects.filter(school=school, person__user=user, role__in=["secretary", "principal"])
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .exists()
        )


def sees_personnel(user, school: School) -> bool:
    return sits_on(user, school) or has_capability(user, "leadership.view_personnel", school.org.path)


def _personnel_q(user) -> Q:
    """Items the user may read in full: every non-personnel item, and personnel items of schools whose bodies they
    sit on or which lie under their leadership.view_personnel grants."""
    allowed = ~Q(category__in=logic.personnel_categories()) | Q(school_id__in=_seat_school_ids(user))
    roots = prefixes(user, "leadership.view_personnel")
    if roots:
        allowed |= path_q("school__org__path", roots)
    return allowed


def _all_items(user) -> QuerySet[AgendaItem]:
    """Every item of the schools the user reaches, personnel ones included (for the facts of decisions only)."""
    return scoped(user, AgendaItem, extra=Q(school_id__in=_seat_school_ids(user)))


def items(user) -> QuerySet[AgendaItem]:
    """Items the user may read in full."""
    return _all_items(user).filter(_personnel_q(user))


def item_for(user, pk) -> AgendaItem:
    """An item to read: a personnel item of another body, like a foreign one, answers 404."""
    qs = items(user).select_related("school__org", "meeting__org", "proposer", "fixed_by", "party_decision__meeting")
    return get_for_user(user, AgendaItem, pk, queryset=qs)


def item_to_change(user, pk) -> AgendaItem:
    item = item_for(user, pk)
    if not may_manage(user, item.school):
        raise PermissionDenied
    return item


@dataclass
class Row:
    """One agenda line as a list shows it: a personnel item the reader may not read is a fact, nothing more."""

    item: AgendaItem
    hidden: bool
    category_label: str = ""

    @property
    def title(self) -> str:
        return "" if self.hidden else self.item.title


def agenda(user, school: School, *, year: int | None = None, kind: str = "") -> list[Row]:
    """The school's agenda, newest meeting first: the fact of every decision, the content only where allowed."""
    qs = _all_items(user).filter(school=school).select_related("meeting")
    if year:
        qs = qs.filter(meeting__starts_at__year=year)
    if kind in KINDS:
        qs = qs.filter(meeting__kind=kind)
    readable = set(items(user).filter(school=school).values_list("pk", flat=True))
    labels = category_labels()
    return [
        Row(item, item.pk not in readable, labels.get(item.category, item.category))
        for item in qs.order_by("-meeting__starts_at", "order", "id")
    ]


def category_labels() -> dict[str, str]:
    return {k: c["label"] for k, c in logic.categories(on=timezone.localdate()).items()}


def school_meetings(user, school: School, *, year: int | None = None) -> QuerySet[Meeting]:
    """The school's leadership meetings. The meeting row shows only its date, kind, topic and attendance."""
    if sits_on(user, school) and not has_capability(user, "leadership.view", school.org.path):
        with unscoped("leadership: meetings of a body member's school"):
            qs = Meeting.objects.filter(org=school.org)
    else:
        qs = scoped(user, Meeting, "leadership.view").filter(org=school.org)
    # The body members on the roster name the school (a 联合党支部's meetings belong to several schools).
    qs = qs.filter(
        kind__in=KINDS,
        pk__in=Attendance.all_objects.filter(is_committee=True, person__school=school).values("meeting_id"),
    )
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.annotate(item_count=Count("agenda_items", distinct=True)).order_by("-starts_at", "-id")


def meeting_for(user, school: School, pk) -> Meeting:
    return get_for_user(user, Meeting, pk, queryset=school_meetings(user, school))


def attendance(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("person").order_by("-is_committee", "person__name"))


def reports(item: AgendaItem) -> list[ExecutionReport]:
    return list(item.reports.select_related("reporter").order_by("reported_on", "id"))


def party_decisions(school: School, *, before: dt.date | None = None) -> list[AgendaItem]:
    """The school's 党组织会议 decisions a 校长办公会议 item may carry out (trusted: for a school the user manages)."""
    with unscoped("leadership: party decisions of a school"):
        qs = AgendaItem.objects.filter(
            school=school, meeting__kind="party_org_meeting", outcome=Outcome.DECIDED
        ).select_related("meeting")
        if before:
            qs = qs.filter(meeting__starts_at__date__lte=before)
        return list(qs.order_by("-meeting__starts_at", "order")[:200])


@dataclass
class Bodies:
    school: School
    party: list[BodyMember]
    admin: list[BodyMember]
    one_person_expected: bool
    one_person: bool | None  # None: 书记 or 校长 not registered

    @property
    def arrangement_matches(self) -> bool:
        return self.one_person is None or self.one_person == self.one_person_expected


def bodies(school: School, *, on: dt.date | None = None) -> Bodies:
    day = on or timezone.localdate()
    seats = current_seats(school, on=day)
    party = [s for s in seats if s.body == Body.PARTY]
    admin = [s for s in seats if s.body == Body.ADMIN]
    secretary = next((s.person_id for s in party if s.role == "secretary"), None)
    principal = next((s.person_id for s in admin if s.role == "principal"), None)
    values = logic.values(on=max(day, dt.date(2022, 1, 1)), org_path=school.org.path)
    return Bodies(
        school,
        party,
        admin,
        logic.one_person(values, school.org.kind),
        None if secretary is None or principal is None else secretary == principal,
    )


# --- derived checks ------------------------------------------------------------------------------


FLAG_LABELS = {
    logic.MAJOR_WITHOUT_PARTY: _("重大事项未经党组织会议决定，由校长办公会议作出决定"),
    logic.CADRE_WITHOUT_TWO_THIRDS: _("党组织会议讨论干部任免，到会班子成员不足三分之二"),
    logic.REPORT_OVERDUE: _("党组织会议决定已过报告时限，校长未报告执行情况"),
}


@dataclass(frozen=True)
class Flag:
    code: str
    school_id: int
    item_id: int
    meeting_id: int
    day: dt.date
    category: str
    personnel: bool

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])


def _facts(school_ids: list[int], start: dt.date, end: dt.date) -> list[logic.ItemFact]:
    """Every agenda item of the schools' meetings in [start, end] as plain facts: four queries."""
    with unscoped("leadership: derived checks"):
        rows = list(
            AgendaItem.objects.filter(
                school_id__in=school_ids, meeting__starts_at__date__gte=start, meeting__starts_at__date__lte=end
            ).values(
                "pk",
                "school_id",
                "meeting_id",
                "meeting__kind",
                "meeting__starts_at",
                "meeting__status",
                "category",
                "outcome",
                "party_decision__outcome",
                "party_decision__meeting__starts_at",
                "report_due_on",
            )
        )
        meeting_ids = {r["meeting_id"] for r in rows}
        present: dict[int, int] = defaultdict(int)
        expected: dict[int, int] = defaultdict(int)
        for meeting_id, status in Attendance.objects.filter(meeting_id__in=meeting_ids, is_committee=True).values_list(
            "meeting_id", "status"
        ):
            expected[meeting_id] += 1
            present[meeting_id] += status in ATTENDED
        reported = set(
            ExecutionReport.objects.filter(item_id__in=[r["pk"] for r in rows]).values_list("item_id", flat=True)
        )
    return [_fact(r, present, expected, reported) for r in rows]


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _fact(r: dict, present: dict, expected: dict, reported: set) -> logic.ItemFact:
    party_day = _day(r["party_decision__meeting__starts_at"]) if r["party_decision__outcome"] == "decided" else None
    return logic.ItemFact(
        item_id=r["pk"],
        school_id=r["school_id"],
        meeting_id=r["meeting_id"],
        kind=r["meeting__kind"],
        day=_day(r["meeting__starts_at"]),
        held=r["meeting__status"] == Status.HELD,
        category=r["category"],
        outcome=r["outcome"],
        body_expected=expected[r["meeting_id"]],
        body_present=present[r["meeting_id"]],
        party_decision_day=party_day,
        report_due_on=r["report_due_on"],
        reported=r["pk"] in reported,
    )


def flags(school_ids: list[int], start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[Flag]:
    """The derived checks of the schools' items of meetings in [start, end] (trusted: callers pass visible schools)."""
    today = today or timezone.localdate()
    values_cache: dict[dt.date, dict] = {}
    personnel = set(logic.personnel_categories())
    found = []
    for fact in _facts(school_ids, start, end):
        day = max(fact.day, dt.date(2022, 1, 1))
        values = values_cache.setdefault(day, logic.values(on=day))
        for code in logic.flags_for(fact, values, today=today):
            found.append(
                Flag(
                    code,
                    fact.school_id,
                    fact.item_id,
                    fact.meeting_id,
                    fact.day,
                    fact.category,
                    fact.category in personnel,
                )
            )
    return sorted(found, key=lambda f: (f.school_id, f.day, f.item_id, f.code))


@dataclass
class CountyRow:
    school: School
    flags: list[Flag] = field(default_factory=list)
    items: int = 0
    rules: DecisionRules | None = None
    rules_state: str = "none"  # none | draft | submitted | outdated | approved


def county_schools(user) -> QuerySet[School]:
    return scoped(user, School, "leadership.view_county").select_related("org").order_by("township", "name")


def county_rows(user, school_list: list[School], year: int, *, today: dt.date | None = None) -> list[CountyRow]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = [s.pk for s in school_list]
    by_school: dict[int, list[Flag]] = defaultdict(list)
    for f in flags(ids, start, end, today=today):
        by_school[f.school_id].append(f)
    with unscoped("leadership: county counts"):
        counts = dict(
            AgendaItem.objects.filter(school_id__in=ids, meeting__starts_at__year=year)
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
    states = rules_states(ids)
    rows = [
        CountyRow(s, by_school.get(s.pk, []), counts.get(s.pk, 0), *states.get(s.pk, (None, "none")))
        for s in school_list
    ]
    # Problems first, then schools whose 议事规则 is missing, waiting or outdated; the county order within each.
    return sorted(rows, key=lambda r: (-len(r.flags), r.rules_state == "approved"))


# --- 议事规则 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    effective: dt.date
    source: str
    text: str


def template_for(school: School, *, on: dt.date | None = None) -> Template:
    """The county's template in force, with the school's name filled in: sections as plain text."""
    day = on or timezone.localdate()
    version = rules.load("leadership", "decision_rules").version_on(day)
    sections = version.values["sections"]
    text = "\n\n".join(f"{s['title']}\n{s['text']}" for s in sections).replace("{school}", school.name)
    return Template(version.effective, version.source, text)


def current_template_effective(*, on: dt.date | None = None) -> dt.date:
    return rules.load("leadership", "decision_rules").version_on(on or timezone.localdate()).effective


def rules_states(school_ids: list[int]) -> dict[int, tuple[DecisionRules | None, str]]:
    """Each school's latest approved 议事规则 (or latest draft) and its state: none, draft, submitted, outdated
    (approved on an older county template), approved."""
    current = current_template_effective()
    with unscoped("leadership: rules states"):
        versions = list(DecisionRules.objects.filter(school_id__in=school_ids).order_by("school_id", "-version"))
    found: dict[int, tuple[DecisionRules | None, str]] = {}
    for school_id in school_ids:
        mine = [v for v in versions if v.school_id == school_id]
        approved = next((v for v in mine if v.status == RulesStatus.APPROVED), None)
        if approved is not None:
            found[school_id] = (approved, "outdated" if approved.template_effective < current else "approved")
        elif mine:
            found[school_id] = (mine[0], "submitted" if mine[0].status == RulesStatus.SUBMITTED else "draft")
        else:
            found[school_id] = (None, "none")
    return found


def school_rules(user, school: School) -> QuerySet[DecisionRules]:
    if sits_on(user, school) and not has_capability(user, "leadership.view", school.org.path):
        with unscoped("leadership: rules of a body member's school"):
            return DecisionRules.objects.filter(school=school).order_by("-version")
    return scoped(user, DecisionRules).filter(school=school).order_by("-version")


def rules_for(user, pk) -> DecisionRules:
    qs = scoped(user, DecisionRules, extra=Q(school_id__in=_seat_school_ids(user))).select_related("school__org")
    return get_for_user(user, DecisionRules, pk, queryset=qs)


def rules_to_act_on(user, pk, *, county: bool) -> DecisionRules:
    """A 议事规则 version the user may move on (pages and API alike): the school's keeper edits and submits it
    (may_manage), the county approves or returns it (leadership.approve_rules)."""
    found = rules_for(user, pk)
    if county:
        require(user, "leadership.approve_rules", found.school.org.path)
    elif not may_manage(user, found.school):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    return found


def pending_rules(user) -> QuerySet[DecisionRules]:
    return (
        scoped(user, DecisionRules, "leadership.approve_rules")
        .filter(status=RulesStatus.SUBMITTED)
        .select_related("school")
        .order_by("submitted_at")
    )
