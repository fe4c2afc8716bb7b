"""Reads for the organization tree. Every queryset starts at the scoping layer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import rules
from dangjian.core.scoping import has_capability, path_q, prefixes, scoped
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    MEMBER_STAGES,
    Grant,
    Membership,
    Org,
    OrgKind,
    Person,
    Position,
    School,
    Stage,
)


def home_org(user) -> Org | None:
    """The org a user starts from: the top of their first grant that shows organizations."""
    roots = prefixes(user, "orgs.view")
    if not roots:
        return None
    return scoped(user, Org).filter(path=roots[0]).first()


def orgs_in(user, org: Org):
    """The org and everything under it that the user may see."""
    return scoped(user, Org).filter(path__startswith=org.path)


def roster(user, org: Org):
    """People of the org's subtree, with what the roster shows, in one query per page."""
    return (
        scoped(user, Person)
        .filter(org__path__startswith=org.path, is_active=True)
        .select_related("org", "school", "membership", "membership__group")
        .order_by("org__path", "name")
    )


def search_people(user, query: str):
    """Name, pinyin initials or the last digits of a phone number, as Chinese users look people up."""
    qs = scoped(user, Person).filter(is_active=True).select_related("org", "school")
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(initials__startswith=query.lower()))
    return qs.order_by("name")


def current_positions(user, org: Org):
    return scoped(user, Position).filter(org=org, ended_on__isnull=True).select_related("person").order_by("post")


def schools_for_import(user, org: Org):
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
    """Member and committee counts for the given orgs: two grouped queries, whatever their number."""
    ids = [o.id for o in orgs]
    stats: dict[int, BranchStats] = defaultdict(BranchStats)
    counts = (
        scoped(user, Membership)
        .filter(person__org_id__in=ids, person__is_active=True, stage__in=MEMBER_STAGES)
        .values("person__org_id")
        .annotate(full=Count("id", filter=Q(stage=Stage.FULL)), prob=Count("id", filter=Q(stage=Stage.PROBATIONARY)))
    )
    for row in counts:
        s = stats[row["person__org_id"]]
        s.full, s.probationary = row["full"], row["prob"]
    committees = (
        scoped(user, Position)
        .filter(org_id__in=ids, ended_on__isnull=True, post__in=COMMITTEE_POSTS)
        .values("org_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    for row in committees:
        stats[row["org_id"]].committee = row["n"]
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


def county_schools(user, *, q: str = "", township: str = "", stage: str = ""):
    """Schools the user oversees, for the county page (paginate, then call school_rows on the page)."""
    qs = scoped(user, School).select_related("org")
    if q:
        qs = qs.filter(name__contains=q.strip())
    if township:
        qs = qs.filter(township=township)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("township", "name")


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


def live_grants(user, person: Person):
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
