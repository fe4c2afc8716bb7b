"""Reads for the organization tree. Every queryset starts at the scoping layer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import capabilities, rules
from dangjian.core.scoping import has_capability, path_q, prefixes, scoped
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    MEMBER_STAGES,
    Gender,
    Grant,
    Membership,
    Org,
    OrgKind,
    Person,
    Position,
    School,
    SchoolStage,
    Stage,
)
from dangjian.orgs.services import TREE_CAPABILITY, tree_rules


def orgs_in(user, org: Org) -> QuerySet[Org]:
    """The org and everything under it that the user may see."""
    return scoped(user, Org).filter(path__startswith=org.path)


def roster(user, org: Org) -> QuerySet[Person]:
    """People of the org's subtree, with what the roster shows, in one query per page."""
    return (
        scoped(user, Person)
        .filter(org__path__startswith=org.path, is_active=True)
        .select_related("org", "school", "membership", "membership__group")
        .order_by("org__path", "name")
    )


def show_roster(people) -> list[Person]:
    """A page of the roster with what each line shows worked out once here (link, gender, stage or 群众, where, the
    masked phone), not by the template line by line; a non-member's missing membership is looked up once, not by
    each tag that asks for it."""
    rows = list(people)
    genders, stages = dict(Gender.choices), dict(Stage.choices)
    for p in rows:
        membership = getattr(p, "membership", None)
        p.href = reverse("orgs:person", args=[p.pk])
        p.gender_label = genders.get(p.gender, p.gender)  # as get_gender_display: an unknown value shows as itself
        p.stage_label = stages.get(membership.stage, membership.stage) if membership else _("群众")
        group = membership.group if membership else None
        p.where = " · ".join(part for part in (p.org.name, group.name if group else "", p.phone_masked) if part)
    return rows


def search_people(user, query: str) -> QuerySet[Person]:
    """Name, pinyin initials or the last digits of a phone number, as Chinese users look people up."""
    qs = scoped(user, Person).filter(is_active=True).select_related("org", "school")
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(initials__startswith=query.lower()))
    return qs.order_by("name")


def current_positions(user, org: Org) -> QuerySet[Position]:
    return scoped(user, Position).filter(org=org, ended_on__isnull=True).select_related("person").order_by("post")


def schools_for_import(user, org: Org) -> QuerySet[School]:
    """Schools an org's roster may name: those it covers, and the school it sits in."""
    return scoped(user, School).filter(path_q("org__path", [org.path]) | Q(org__path__in=org.ancestor_paths()))


# --- branch warnings (domain-rules.md §1.1) ----------------------------------------------------


@dataclass
class BranchStats:
    full: int = 0
    probationary: int = 0
    committee: int = 0

    @property
    def members(self) -> int:
        return self.full + self.probationary


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass
class OrgSummary:
    org: Org
    stats: BranchStats
    warnings: list[Warning] = field(default_factory=list)


def branch_stats(user, orgs: list[Org]) -> dict[int, BranchStats]:
    """Member and committee counts for the given orgs: one query (two grouped counts, UNION ALL), whatever their
    number. A membership row carries committee -1, a committee row full and probationary -1."""
    ids = [o.id for o in orgs]
    stats: dict[int, BranchStats] = defaultdict(BranchStats)
    members = (
        scoped(user, Membership)
        .filter(person__org_id__in=ids, person__is_active=True, stage__in=MEMBER_STAGES)
        .values_list("person__org_id")
        .annotate(
            full=Count("id", filter=Q(stage=Stage.FULL)),
            prob=Count("id", filter=Q(stage=Stage.PROBATIONARY)),
            committee=Value(-1),
        )
        .order_by()
    )
    committees = (
        scoped(user, Position)
        .filter(org_id__in=ids, ended_on__isnull=True, post__in=COMMITTEE_POSTS)
        .values_list("org_id")
        .annotate(full=Value(-1), prob=Value(-1), committee=Count("person_id", distinct=True))
        .order_by()
    )
    for org_id, full, prob, committee in members.union(committees, all=True):
        if committee < 0:
            stats[org_id].full, stats[org_id].probationary = full, prob
        else:
            stats[org_id].committee = committee
    return stats


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def branch_warnings(org: Org, stats: BranchStats, today: dt.date | None = None) -> list[Warning]:
    """The §1.1 warnings for a branch, from the rule data in force today."""
    if org.kind != OrgKind.BRANCH:
        return []
    today = today or timezone.localdate()
    r = rules.rule_values("orgs", "branch", on=today, org_path=org.path)
    found = []
    if stats.full < r["min_full_members"]:
        found.append(
            Warning(
                "few_full",
                _("正式党员不足%(min)d人（现有%(n)d人），可考虑成立联合党支部")
                % {"min": r["min_full_members"], "n": stats.full},
            )
        )
    if stats.members > r["max_members"]:
        found.append(
            Warning(
                "too_many",
                _("党员超过%(max)d人（现有%(n)d人），一般应分设党支部") % {"max": r["max_members"], "n": stats.members},
            )
        )
    if stats.full >= r["committee_threshold_full_members"] and stats.committee < r["committee_min_size"]:
        found.append(
            Warning(
                "no_committee",
                _("正式党员%(n)d人，已达%(t)d人以上，应设立支部委员会")
                % {"n": stats.full, "t": r["committee_threshold_full_members"]},
            )
        )
    ends = org.term_ends_on
    if ends and ends < today:
        found.append(Warning("term_over", _("本届任期已于%(d)s届满，应及时换届") % {"d": ends.isoformat()}))
    elif ends and ends <= _add_months(today, r["term_reminder_months"]):
        found.append(Warning("term_ending", _("本届任期将于%(d)s届满，请做好换届准备") % {"d": ends.isoformat()}))
    return found


def summaries(user, orgs: list[Org], today: dt.date | None = None) -> list[OrgSummary]:
    stats = branch_stats(user, orgs)
    return [OrgSummary(o, stats[o.id], branch_warnings(o, stats[o.id], today)) for o in orgs]


@dataclass
class SchoolRow:
    school: School
    orgs: list[OrgSummary]

    @property
    def warnings(self) -> list[Warning]:
        return [w for s in self.orgs for w in s.warnings]


def in_county_order(qs: QuerySet, via: str = "") -> QuerySet:
    """Schools, or rows reached through `via` (e.g. "school__"), in the county's own order: township, stage (in
    the order of SchoolStage, not alphabetical), name."""
    stage = Case(
        *[When(**{f"{via}stage": value}, then=Value(rank)) for rank, value in enumerate(SchoolStage.values)],
        default=Value(len(SchoolStage.values)),
    )
    return qs.order_by(f"{via}township", stage, f"{via}name")


def county_schools(user, *, q: str = "", township: str = "", stage: str = "") -> QuerySet[School]:
    """Schools the user oversees, for the county page (paginate, then call school_rows on the page)."""
    qs = scoped(user, School).select_related("org")
    if q:
        qs = qs.filter(name__contains=q.strip())
    if township:
        qs = qs.filter(township=township)
    if stage:
        qs = qs.filter(stage=stage)
    return in_county_order(qs)


def townships(user) -> list[str]:
    return list(scoped(user, School).order_by("township").values_list("township", flat=True).distinct())


def school_rows(user, schools: list[School], today: dt.date | None = None) -> list[SchoolRow]:
    """Each school with the orgs under its organization and their warnings: a fixed number of queries."""
    if not schools:
        return []
    roots = sorted({s.org.path for s in schools})
    under = list(scoped(user, Org).filter(path_q("path", roots)).exclude(kind=OrgKind.GROUP).order_by("path"))
    by_summary = {s.org.id: s for s in summaries(user, under, today)}
    rows = []
    for school in schools:
        rows.append(SchoolRow(school, [by_summary[o.id] for o in under if o.path.startswith(school.org.path)]))
    return rows


def live_grants(user, person: Person) -> QuerySet[Grant]:
    """The person's live grants that the user may see, by org."""
    if person.user_id is None:
        return Grant.all_objects.none()
    return (
        scoped(user, Grant)
        .filter(user_id=person.user_id, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        .select_related("org")
        .order_by("org__path", "role")
    )


def can_reveal(user, person: Person) -> bool:
    return has_capability(user, Person.CAPABILITIES["reveal"], person.scope_path())


# --- the tree and the county's set-up -------------------------------------------------------------


def live_orgs(user, capability: str | None = None) -> QuerySet[Org]:
    """Orgs not dissolved: what pickers and "expected" lists offer."""
    return scoped(user, Org, capability).filter(dissolved_on__isnull=True)


def tree_orgs(user, root: Org | None = None, *, dissolved: bool = False) -> QuerySet[Org]:
    """The part of the tree the user may change, in tree order (optionally one subtree, dissolved ones too)."""
    qs = scoped(user, Org, "orgs.manage_tree")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    if not dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs.order_by("path")


def move_targets(user, org: Org) -> QuerySet[Org]:
    """Where the org may be moved: live orgs of an allowed parent kind outside its own subtree."""
    return (
        live_orgs(user, TREE_CAPABILITY[org.kind])
        .filter(kind__in=tree_rules()["parents"][org.kind])
        .exclude(path__startswith=org.path)
        .order_by("path")
    )


def school_org_choices(user) -> QuerySet[Org]:
    """Orgs a school may be set up at: live orgs the user manages schools for (services checks the kind)."""
    return live_orgs(user, "orgs.manage_schools").exclude(kind=OrgKind.GROUP).order_by("path")


def setup_root(user) -> Org | None:
    """The top org where the user sets up schools (the county committee for a county administrator)."""
    roots = prefixes(user, "orgs.manage_schools")
    return scoped(user, Org).filter(path=roots[0]).first() if roots else None


# Officers every county needs at its root org: their work has no one to do it until someone holds the role.
COUNTY_ROLES = ("care_officer", "ethics_officer", "discipline_officer", "publicity", "assessor")
SETUP_SHOWN = 10


@dataclass
class Gap:
    count: int
    first: list  # up to SETUP_SHOWN of them, for the page to link to


@dataclass
class SetupGaps:
    root: Org
    schools: int
    orgs_without_branch: Gap
    empty_branches: Gap
    branches_without_secretary: Gap
    unheld_roles: list[tuple[str, str]]  # (role, label)
    people_without_login: Gap

    @property
    def missing(self) -> int:
        return (
            (self.schools == 0)
            + self.orgs_without_branch.count
            + self.empty_branches.count
            + self.branches_without_secretary.count
            + len(self.unheld_roles)
            + self.people_without_login.count
        )


def _gap(qs) -> Gap:
    return Gap(qs.count(), list(qs[:SETUP_SHOWN]))


def setup_gaps(user, root: Org) -> SetupGaps:
    """What a county still lacks before its work can run: a fixed number of counting queries."""
    orgs = live_orgs(user, "orgs.manage_schools").filter(path__startswith=root.path)
    # Branches are often named alike in every school ("第一党支部"): the list names each with its parent.
    branches = orgs.filter(kind=OrgKind.BRANCH).select_related("parent").order_by("path")
    # A school's 党委 or 党总支 with no 党支部 under it (a branch that is a school's org counts as itself): the
    # paths above some branch, one pass over the branches however many schools there are.
    above_a_branch = {
        path[: i + 1] for path in branches.values_list("path", flat=True) for i, c in enumerate(path) if c == "."
    }
    school_orgs = orgs.filter(schools__isnull=False).exclude(kind=OrgKind.BRANCH).distinct()
    lacking = [pk for pk, path in school_orgs.values_list("pk", "path") if path not in above_a_branch]
    members = Count(
        "people", filter=Q(people__is_active=True, people__membership__stage__in=MEMBER_STAGES), distinct=True
    )
    with_secretary = scoped(user, Position).filter(post="secretary", ended_on__isnull=True).values("org_id")
    today = timezone.localdate()
    held = set(
        scoped(user, Grant, "orgs.manage_grants")
        .filter(org=root, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("role", flat=True)
    )
    roles = capabilities.role_table()
    people = (
        scoped(user, Person, "orgs.manage_grants")
        .filter(org__path__startswith=root.path, is_active=True, user__isnull=True)
        .select_related("org")
        .order_by("org__path", "name")
    )
    return SetupGaps(
        root=root,
        schools=scoped(user, School, "orgs.manage_schools").filter(org__path__startswith=root.path).count(),
        orgs_without_branch=_gap(orgs.filter(pk__in=lacking).order_by("path")),
        empty_branches=_gap(branches.annotate(n=members).filter(n=0)),
        branches_without_secretary=_gap(branches.exclude(pk__in=with_secretary)),
        unheld_roles=[(r, capabilities.role_label(r)) for r in COUNTY_ROLES if r in roles and r not in held],
        people_without_login=_gap(people),
    )
