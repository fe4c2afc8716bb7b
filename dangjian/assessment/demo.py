"""A complete demo assessment round (and a half-year round before it), assessor scores for a sample of
schools, and an on-site observation visit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dangjian.core.scoping import unscoped

from . import services
from .models import Indicator, Kind, Rectification, Score, VisitStop

COMMENTS = (
    "对照名册与会议记录核实，基本符合要求。",
    "支委分工明确，制度执行较好。",
    "述职内容具体，整改措施可检验。",
    "党员教师在教学中作用明显，有成效记录。",
    "实事项目来自诉求，进度公开。",
)


def generate(ctx):
    rng, today = ctx.rng, ctx.today
    built = ctx.built["orgs"]
    # At city and province scale the demo rounds are the first county's (the dashboard's county); a county
    # profile has one county, the root.
    root = built.counties[0] if built.counties else built.root
    assessor = built.users.get("assessor1")
    county = built.users.get("county")
    year = today.year
    with unscoped("assessment demo"):
        system = services.create_system(actor=None, org=root, year=year)
        half = services.create_round(
            actor=None,
            system=system,
            name=f"{year}年上半年党建工作考核",
            kind="half_year",
            start=dt.date(year, 1, 1),
            end=dt.date(year, 6, 30),
        )
        annual = services.create_round(
            actor=None,
            system=system,
            name=f"{year}年度学校党建工作考核",
            kind="annual",
            start=dt.date(year, 1, 1),
            end=min(today, dt.date(year, 12, 31)),
        )
        scored = list(Indicator.objects.filter(system=system, kind=Kind.SCORED).order_by("order"))
        schools = sorted((s for s in built.schools if s.org.path.startswith(root.path)), key=lambda s: s.pk)
        first = next((s for s in schools if "实验小学" in s.name), schools[0])
        sample = [first] + [s for s in schools if s is not first and rng.random() < 0.4]
        scores = []
        for round_ in (half, annual):
            for school in sample:
                skill = rng.uniform(0.55, 1.0)
                for ind in scored:
                    share = min(1.0, max(0.0, rng.gauss(skill, 0.08)))
                    points = (Decimal(str(round(share * float(ind.max_points) * 2) / 2))).quantize(Decimal("0.01"))
                    scores.append(
                        Score(
                            round=round_,
                            indicator=ind,
                            school=school,
                            points=points,
                            comment=rng.choice(COMMENTS),
                            evidence="查阅本年度会议记录与名册",
                            assessor=assessor,
                        )
                    )
        Score.objects.bulk_create(scores, batch_size=2000)
        services.compute_round(actor=None, round=half)
        services.set_published(actor=None, round=half, published=True)
        services.compute_round(actor=None, round=annual)

        visit = _observation_event(ctx, root, first, schools, assessor, county)
    return {"system": system, "rounds": [half, annual], "visit": visit}


PROBLEMS = (
    "支部议事规则未公开，党员对决策程序不清楚",
    "三会一课记录中党员发言记载简单",
    "党员先锋岗作用发挥缺少具体事例",
    "主题党日与教育教学结合不紧",
    "谈心谈话覆盖面不全",
)


def _observation_event(ctx, root, first, schools, assessor, county):
    """A past 观摩会, closed: two observer groups (one observer without an account), every sheet sent, the
    problems raised now rectification items on the schools (one already reported done)."""
    rng, today = ctx.rng, ctx.today
    visited = [first, *rng.sample([s for s in schools if s is not first], min(4, len(schools) - 1))]
    visit_on = today - dt.timedelta(days=10)
    visit = services.create_visit(
        actor=None, org=root, title=f"{visit_on.year}年秋季学校党建工作现场观摩", visit_on=visit_on, schools=visited
    )
    with unscoped("assessment demo"):
        stops = list(VisitStop.objects.filter(visit=visit).order_by("order"))
    start = dt.datetime.combine(visit_on, dt.time(8, 30), tzinfo=timezone.get_current_timezone())
    services.set_route(
        actor=None,
        visit=visit,
        stops=[(s.pk, s.order, start + dt.timedelta(minutes=90 * i)) for i, s in enumerate(stops)],
    )
    groups = [services.add_group(actor=None, visit=visit, name=name) for name in ("第一观摩组", "第二观摩组")]
    observers = [
        services.add_observer(actor=None, visit=visit, name="", user=user, group=group, leader=True)
        for user, group in zip((assessor, county), groups, strict=True)
        if user is not None
    ]
    observers.append(
        services.add_observer(actor=None, visit=visit, name="邻县教育党工委观摩员", unit="邻县", group=groups[0])
    )
    for observer in observers:
        for school in visited:
            skill = rng.uniform(0.6, 1.0)
            marks = {
                item["key"]: (round(min(1.0, max(0.0, rng.gauss(skill, 0.1))) * item["max"] * 2) / 2, "")
                for item in visit.items
            }
            problems = [(rng.choice(visit.items)["key"], rng.choice(PROBLEMS))] if rng.random() < 0.4 else []
            services.submit_sheet(observer=observer, school=school, marks=marks, problems=problems, today=visit_on)
    services.close_visit(actor=None, visit=visit, due_on=today + dt.timedelta(days=20), today=today)
    with unscoped("assessment demo"):
        done = Rectification.objects.filter(problem__visit=visit).order_by("id").first()
    if done is not None:
        services.complete_rectification(
            actor=None, rectification=done, report="已对照问题制定整改措施并落实，相关制度已公开。"
        )
    return visit
