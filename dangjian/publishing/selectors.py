"""Reads for work updates. Signed-in pages start at the scoping layer; the public site reads only posts that
are approved and due (models.public_q), through one trusted queryset, and shows only public fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import indicators, rules
from dangjian.core.linkable import linkables
from dangjian.core.scoping import prefixes, scoped, unscoped_queryset
from dangjian.orgs.models import Org, OrgKind, School
from dangjian.publishing.models import Attachment, Post, Status, public_q

# --- signed in --------------------------------------------------------------------------------


def manage_posts(user, *, status: str = "", q: str = "") -> QuerySet[Post]:
    qs = scoped(user, Post).select_related("org", "school", "author").order_by("-updated_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(body_text__icontains=q.strip()))
    return qs


@dataclass(frozen=True)
class Publisher:
    key: str  # "s<school id>" or "o<org id>"
    label: str
    org: Org
    school: School | None


def publishers(user) -> list[Publisher]:
    """Whom the user may write for: the schools under their drafting grants, and a committee at the top of a
    grant (the county's own posts)."""
    found = [
        Publisher(f"s{s.pk}", s.name, s.org, s)
        for s in scoped(user, School, "publishing.draft").select_related("org").order_by("name")[:500]
    ]
    roots = prefixes(user, "publishing.draft")
    if roots:
        for org in scoped(user, Org, "publishing.draft").filter(path__in=roots, kind=OrgKind.COMMITTEE):
            found.insert(0, Publisher(f"o{org.pk}", org.name, org, None))
    return found


@dataclass(frozen=True)
class LinkChoice:
    model_label: str
    label: str
    options: list[tuple[str, str]]  # (id, text)


def link_choices(user, limit: int = 30) -> list[LinkChoice]:
    """The records the user may link, per kind (core.linkable), newest first as each app orders them."""
    found = []
    for item in linkables().values():
        options = [(str(obj.pk), str(obj)) for obj in item.candidates(user)[:limit]]
        found.append(LinkChoice(item.model_label, str(item.label), options))
    return found


# --- public -----------------------------------------------------------------------------------


def public_posts() -> QuerySet[Post]:
    return (
        unscoped_queryset(Post, "public site: approved and due posts only")
        .filter(public_q())
        .select_related("org", "school")
        .order_by("-publish_at", "-id")
    )


def public_post(pk) -> Post | None:
    try:
        return public_posts().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def public_attachment(pk) -> Attachment | None:
    return (
        unscoped_queryset(Attachment, "public site: attachments of public posts")
        .filter(pk=pk, post__in=public_posts().values("pk"))
        .first()
    )


def public_school(pk) -> School | None:
    return unscoped_queryset(School, "public site: school name page").filter(pk=pk).select_related("org").first()


def public_root() -> Org | None:
    return unscoped_queryset(Org, "public site: the county").filter(parent__isnull=True).order_by("path").first()


def public_schools_with_posts() -> QuerySet:
    """(id, newest publish time) of each school with public posts, for the sitemap: one grouped query."""
    return (
        public_posts()
        .filter(school__isnull=False)
        .order_by()
        .values("school_id")
        .annotate(last=Max("publish_at"))
        .values_list("school_id", "last")
    )


def featured(limit: int) -> QuerySet[Post]:
    return public_posts().filter(featured=True)[:limit]


def latest_of_schools(limit: int) -> QuerySet[Post]:
    return public_posts().filter(school__isnull=False)[:limit]


# The public site's sections: 工作动态 gathers news and experience, 通知公告 the notices (county's and schools').
SECTIONS = {"news": ("news", "experience"), "notice": ("notice",)}


def section_posts(section: str) -> QuerySet[Post]:
    return public_posts().filter(category__in=SECTIONS[section])


def home_list(section: str, limit: int, featured_limit: int) -> list[Post]:
    """The newest `limit` posts of a section by date, the county's and the schools' alike. 推荐 only changes the
    order: the newest `featured_limit` featured posts go first (by date), then the rest by date."""
    featured = list(section_posts(section).filter(featured=True)[:featured_limit])
    ids = {post.pk for post in featured}
    newest = [post for post in section_posts(section)[:limit] if post.pk not in ids]
    return featured + newest[: max(0, limit - len(featured))]


def public_schools() -> QuerySet[School]:
    """Every school of the county, for the public list of school pages (names only)."""
    return unscoped_queryset(School, "public site: list of school pages").order_by("name")


def school_posts(school: School) -> QuerySet[Post]:
    return public_posts().filter(school=school)


def search(query: str) -> QuerySet[Post]:
    query = (query or "").strip()
    if not query:
        return public_posts().none()
    return public_posts().filter(Q(title__icontains=query) | Q(body_text__icontains=query))


def next_scheduled(now=None) -> dt.datetime | None:
    """When the next approved post falls due: the public home's cache must not outlive it."""
    now = now or timezone.now()
    return (
        unscoped_queryset(Post, "public site: next scheduled post")
        .filter(status=Status.APPROVED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str


def transparency_figures(root: Org | None, today: dt.date | None = None) -> list[Figure]:
    """County-wide aggregates for the public home, from registered indicator formulas only (never personal
    data). A formula that no app has registered yet is left out."""
    today = today or timezone.localdate()
    values = rules.rule_values("publishing", "publishing", on=today, org_path=root.path if root else "")
    registered = indicators.registered()
    start = today - dt.timedelta(days=30 * int(values["transparency_months"]))
    schools = unscoped_queryset(School, "public site: county aggregates")
    if root is not None:
        schools = schools.filter(org__path__startswith=root.path)
    figures = []
    for item in values.get("transparency") or []:
        spec = registered.get(item["formula"])
        if spec is None:
            continue
        value, measured = indicators.summary(spec.name, schools=schools, start=start, end=today)
        if value is None:
            continue
        shown = f"{value * 100:.0f}%" if spec.unit == "rate" else f"{value:.1f}"
        how = _("%(n)d所学校合计，统计区间 %(start)s 至 %(end)s") if spec.pooled else None
        detail = (how or _("%(n)d所学校的平均值，统计区间 %(start)s 至 %(end)s")) % {
            "n": measured,
            "start": start.isoformat(),
            "end": today.isoformat(),
        }
        figures.append(Figure(str(item.get("label") or spec.label), shown, detail))
    return figures
