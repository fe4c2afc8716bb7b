"""Reads of assessment. Querysets start at the scoping layer; county-wide figures that every school of a
round may see (the average, the median and the best points on each indicator) are aggregates read through
`unscoped_queryset`, and name no school."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from dangjian.core import indicators, rules
from dangjian.core.scoping import get_for_user, has_capability, scoped, unscoped, unscoped_queryset
from dangjian.orgs.models import Org, School

from . import scoring
from .models import (
    COUNTED,
    Indicator,
    IndicatorSystem,
    Kind,
    ObservationScore,
    ObservationSheet,
    ObservationVisit,
    Observer,
    ObserverGroup,
    Problem,
    Rectification,
    Result,
    ResultLine,
    Round,
    VisitStop,
)


def systems(user) -> QuerySet[IndicatorSystem]:
    return scoped(user, IndicatorSystem).order_by("-year", "-id")


def rounds(user) -> QuerySet[Round]:
    return scoped(user, Round).select_related("system").order_by("-end", "-id")


def visits(user) -> QuerySet[ObservationVisit]:
    return scoped(user, ObservationVisit).order_by("-visit_on", "-id")


def visit_summaries(user) -> list[dict]:
    """The visits with their routes, groups and counts, in four queries whatever the number of visits."""
    qs = (
        visits(user)
        .prefetch_related("stops__school", "groups")
        .annotate(n_observers=Count("observers", distinct=True), n_sheets=Count("sheets", distinct=True))
    )
    return [
        {
            "id": v.pk,
            "org_id": v.org_id,
            "title": v.title,
            "visit_on": v.visit_on,
            "ends_on": v.ends_on,
            "status": v.status,
            "system_id": v.system_id,
            "items": v.items,
            "stops": [
                {"school_id": s.school_id, "school_name": s.school.name, "order": s.order, "arrive_at": s.arrive_at}
                for s in v.stops.all()
            ],
            "groups": [g.name for g in v.groups.all()],
            "observers": v.n_observers,
            "sheets": v.n_sheets,
        }
        for v in qs
    ]


def my_results(user) -> QuerySet[Result]:
    return scoped(user, Result).select_related("round", "school").order_by("-round__end", "school__name")


def round_results(user, round: Round) -> QuerySet[Result]:
    return (
        scoped(user, Result)
        .filter(round=round)
        .select_related("school")
        .order_by(F("rank").asc(nulls_last=True), "school__name")
    )


def result_for(user, pk) -> Result:
    """One school's result (404 when missing or not the user's), with what its pages read alongside."""
    return get_for_user(user, Result, pk, queryset=scoped(user, Result).select_related("school__org", "round"))


def result_lines(user, result: Result) -> list[ResultLine]:
    """The result's lines, each with `evidence_link`: the evidence page when the user may open it, else "" (the
    figure and how it was computed still show; a link that would answer 403 or 404 does not)."""
    lines = list(scoped(user, ResultLine).filter(result=result).select_related("indicator", "indicator__parent"))
    school_path = result.school.org.path
    for line in lines:
        followable = line.evidence_url and indicators.may_follow(user, line.indicator.formula, school_path)
        line.evidence_link = line.evidence_url if followable else ""
    return lines


@dataclass
class Node:
    indicator: Indicator
    children: list[Indicator] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.children), Decimal(0))


def tree(user, system: IndicatorSystem) -> list[Node]:
    nodes: dict[int, Node] = {}
    leaves = []
    for ind in scoped(user, Indicator).filter(system=system).order_by("order", "code"):
        if ind.kind == Kind.GROUP:
            nodes[ind.pk] = Node(ind)
        else:
            leaves.append(ind)
    for leaf in leaves:
        if leaf.parent_id in nodes:
            nodes[leaf.parent_id].children.append(leaf)
    return list(nodes.values())


@dataclass
class RoundSummary:
    schools: int
    average: Decimal | None
    grades: list[tuple[str, int]]
    median: Decimal | None


def round_summary(round: Round) -> RoundSummary:
    """County-wide figures of a round (no school named): what every school of the round may see."""
    qs = unscoped_queryset(Result, "county average: a public aggregate of the round").filter(round=round)
    scores = list(qs.exclude(score__isnull=True).values_list("score", "grade"))
    counts = Counter(grade for _s, grade in scores)
    thresholds = rules.rule_values("assessment", "grades", on=round.end, org_path=round.system.org.path)["thresholds"]
    order = [t["grade"] for t in thresholds]
    return RoundSummary(
        schools=qs.count(),
        average=scoring.cents(sum(s for s, _g in scores) / len(scores)) if scores else None,
        grades=[(g, counts.get(g, 0)) for g in order],
        median=scoring.median(s for s, _g in scores),
    )


@dataclass
class IndicatorStats:
    average: Decimal | None
    median: Decimal | None
    best: Decimal | None


def indicator_stats(round: Round) -> dict[int, IndicatorStats]:
    """Average, median and best points of every indicator over the schools where it counted (one query)."""
    points: dict[int, list[Decimal]] = defaultdict(list)
    rows = (
        unscoped_queryset(ResultLine, "county figures per indicator: a public aggregate")
        .filter(result__round=round, status__in=COUNTED)
        .values_list("indicator_id", "points")
    )
    for indicator_id, p in rows:
        points[indicator_id].append(p)
    return {k: IndicatorStats(scoring.cents(sum(v) / len(v)), scoring.median(v), max(v)) for k, v in points.items()}


def public_ranking(round: Round) -> QuerySet[Result]:
    """The ranking of every school, for schools to see once the county has published it."""
    return (
        unscoped_queryset(Result, "published ranking")
        .filter(round=round)
        .select_related("school")
        .order_by(F("rank").asc(nulls_last=True), "school__name")
    )


def may_see_ranking(user, round: Round) -> bool:
    return round.published or has_capability(user, "assessment.view_county", round.system.org.path)


@dataclass
class GapRow:
    line: ResultLine
    stats: IndicatorStats | None

    @property
    def lost(self) -> Decimal:
        return (self.line.max_points - self.line.points) if self.line.points is not None else Decimal(0)

    @property
    def to_median(self) -> Decimal | None:
        if self.line.points is None or not self.stats or self.stats.median is None:
            return None
        return self.line.points - self.stats.median

    @property
    def to_best(self) -> Decimal | None:
        if self.line.points is None or not self.stats or self.stats.best is None:
            return None
        return self.line.points - self.stats.best


def gap_report(user, result: Result) -> tuple[list[GapRow], list[GapRow]]:
    """Each indicator against the county median and the best school; next steps from the indicators where
    the school lost the most points."""
    stats = indicator_stats(result.round)
    rows = [GapRow(line, stats.get(line.indicator_id)) for line in result_lines(user, result)]
    steps = sorted((r for r in rows if r.line.counted and r.lost > 0), key=lambda r: -r.lost)[:3]
    return rows, steps


@dataclass
class SheetRow:
    school_id: int
    school_name: str
    items: dict[str, Decimal | None]
    total: Decimal | None
    observers: int
    strengths: list[str]
    rank: int | None = None
    cells: list = field(default_factory=list)  # the item averages in the rubric's order


def observation_sheet(user, visit: ObservationVisit, strength_share: float) -> list[SheetRow]:
    """The comparison sheet: each school's average per item over its observers, total, strengths, rank."""
    averages: dict[int, dict[str, Decimal]] = defaultdict(dict)
    observers: dict[int, int] = {}
    rows = (
        scoped(user, ObservationScore)
        .filter(visit=visit)
        .values("school_id", "item")
        .annotate(
            avg=Avg("points"),
            n=Count("by", distinct=True) + Count("observer", distinct=True, filter=Q(by__isnull=True)),
        )
    )
    for row in rows:
        averages[row["school_id"]][row["item"]] = scoring.cents(row["avg"])
        observers[row["school_id"]] = max(observers.get(row["school_id"], 0), row["n"])
    sheet = []
    for school in visit.schools.all().order_by("name"):
        items = {item["key"]: averages[school.pk].get(item["key"]) for item in visit.items}
        scored = [v for v in items.values() if v is not None]
        strengths = [
            item["name"]
            for item in visit.items
            if items[item["key"]] is not None
            and items[item["key"]] >= Decimal(str(item["max"])) * Decimal(str(strength_share))
        ]
        total = sum(scored, Decimal(0)) if len(scored) == len(items) else None
        row = SheetRow(school.pk, school.name, items, total, observers.get(school.pk, 0), strengths)
        row.cells = [items[item["key"]] for item in visit.items]
        sheet.append(row)
    ranks = scoring.competition_ranks({r.school_id: r.total for r in sheet})
    for r in sheet:
        r.rank = ranks[r.school_id]
    # Best item among the visited schools is a strength too: comparison is how gaps are found.
    for item in visit.items:
        best = max((r.items[item["key"]] for r in sheet if r.items[item["key"]] is not None), default=None)
        if best is None:
            continue
        for r in sheet:
            if r.items[item["key"]] == best and item["name"] not in r.strengths and len(sheet) > 1:
                r.strengths.append(item["name"])
    return sorted(sheet, key=lambda r: (r.rank is None, r.rank or 0, r.school_name))


def observer_row(visit: ObservationVisit, user) -> Observer | None:
    with unscoped("assessment: the signed-in observer's own row"):
        return Observer.objects.filter(visit=visit, user=user).first()


def marks_of(observer: Observer, school_id: int) -> dict[str, ObservationScore]:
    """The observer's own marks for a school (trusted: the observer was resolved from a login or a signed link)."""
    with unscoped("assessment: the observer's own sheet"):
        return {s.item: s for s in ObservationScore.objects.filter(by=observer, school_id=school_id)}


def problems_of(observer: Observer, school_id: int) -> list[Problem]:
    with unscoped("assessment: the observer's own problems"):
        return list(Problem.objects.filter(by=observer, school_id=school_id).order_by("id"))


def stops(visit: ObservationVisit) -> list[VisitStop]:
    """The route (trusted: the visit was fetched through the scoping layer or a signed link)."""
    with unscoped("assessment: the route of a visit"):
        return list(VisitStop.objects.filter(visit=visit).select_related("school__org").order_by("order", "id"))


def observers(visit: ObservationVisit) -> list[Observer]:
    with unscoped("assessment: the observers of a visit"):
        return list(
            Observer.objects.filter(visit=visit)
            .select_related("group", "user")
            .order_by("group_id", "-is_leader", "id")
        )


def groups(visit: ObservationVisit) -> list[ObserverGroup]:
    with unscoped("assessment: the groups of a visit"):
        return list(ObserverGroup.objects.filter(visit=visit).order_by("id"))


@dataclass
class Arrival:
    observer: Observer
    cells: list  # per stop: the sheet's submitted_at, or None


def arrivals(visit: ObservationVisit) -> tuple[list[VisitStop], list[Arrival], int]:
    """Which observer has sent which school's sheet, for the organizer watching them come in."""
    route = stops(visit)
    with unscoped("assessment: sheets of a visit"):
        sent = {(s.observer_id, s.school_id): s.submitted_at for s in ObservationSheet.objects.filter(visit=visit)}
    rows = [Arrival(o, [sent.get((o.pk, stop.school_id)) for stop in route]) for o in observers(visit)]
    return route, rows, len(sent)


@dataclass
class Evidence:
    label: str
    detail: str
    url: str = ""


def evidence(visit: ObservationVisit, school: School, user=None) -> dict[str, list[Evidence]]:
    """Per item of the sheet: the school's own records over the twelve months before the event (the formulas the
    item names, computed as assessment computes them), each with its page when the viewer may open it (an
    observer without an account sees the figures only)."""
    end = visit.visit_on
    start = end - dt.timedelta(days=365)
    available = indicators.registered()
    measured: dict[str, Evidence | None] = {}
    for item in visit.items:
        for name in item.get("formulas", []):
            if name in measured or name not in available:
                continue
            found = indicators.compute(name, schools=[school], start=start, end=end).get(school.pk)
            if found is None:
                measured[name] = Evidence(str(available[name].label), str(_("本期无数据")))
                continue
            followable = (
                user is not None
                and getattr(user, "is_authenticated", False)
                and found.evidence_url
                and indicators.may_follow(user, name, school.org.path)
            )
            measured[name] = Evidence(
                str(available[name].label), found.detail, found.evidence_url if followable else ""
            )
    return {item["key"]: [measured[n] for n in item.get("formulas", []) if measured.get(n)] for item in visit.items}


def earlier_rectifications(visit: ObservationVisit, school: School) -> list[Rectification]:
    """Problems raised at this school by earlier events and whether they were fixed: what the next event checks."""
    with unscoped("assessment: earlier rectifications of a visited school"):
        return list(
            Rectification.objects.filter(school=school, problem__visit__visit_on__lt=visit.visit_on)
            .exclude(problem__visit=visit)
            .select_related("problem__visit")
            .order_by("-problem__visit__visit_on", "id")[:20]
        )


def rectifications(user, *, school_id: int | None = None) -> QuerySet[Rectification]:
    qs = scoped(user, Rectification).select_related("school", "problem__visit").order_by("status", "due_on", "id")
    return qs.filter(school_id=school_id) if school_id else qs


@dataclass
class ReportLine:
    item: dict
    points: Decimal | None
    median: Decimal | None
    best: Decimal | None

    @property
    def to_median(self) -> Decimal | None:
        return None if self.points is None or self.median is None else self.points - self.median

    @property
    def to_best(self) -> Decimal | None:
        return None if self.points is None or self.best is None else self.points - self.best


@dataclass
class SchoolReport:
    row: SheetRow
    lines: list[ReportLine]
    problems: list[Problem]
    earlier: list[Rectification]


def visit_report(user, visit: ObservationVisit, strength_share: float) -> tuple[list[SheetRow], list[SchoolReport]]:
    """The comparison table and, per school, the scores by item against the median and the best of the visited
    schools, the problems raised and how the problems of earlier events were fixed. Schools are ranked; people
    never are (no observer's own marks are shown)."""
    sheet = observation_sheet(user, visit, strength_share)
    stats = {}
    for item in visit.items:
        values = [r.items[item["key"]] for r in sheet if r.items[item["key"]] is not None]
        stats[item["key"]] = (scoring.median(values), max(values) if values else None)
    problems: dict[int, list[Problem]] = defaultdict(list)
    for p in scoped(user, Problem, "assessment.view_county").filter(visit=visit).select_related("rectification"):
        problems[p.school_id].append(p)
    names = {item["key"]: item["name"] for item in visit.items}
    for found in problems.values():
        for p in found:
            p.item_name = names.get(p.item, "")
    reports = []
    schools = {s.pk: s for s in visit.schools.all()}
    for row in sheet:
        lines = [ReportLine(item, row.items[item["key"]], *stats[item["key"]]) for item in visit.items]
        earlier = earlier_rectifications(visit, schools[row.school_id]) if row.school_id in schools else []
        reports.append(SchoolReport(row, lines, problems.get(row.school_id, []), earlier))
    return sheet, reports


def schools_of(org: Org):
    """Every school under the org that set up the system (trusted: the round covers them all)."""
    with unscoped("assessment: schools of a round"):
        return list(School.objects.filter(org__path__startswith=org.path).select_related("org").order_by("name"))
