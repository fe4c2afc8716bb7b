"""A complete demo assessment round (and a half-year round before it), assessor scores for a sample of
schools, and an on-site observation visit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dangjian.core.scoping import unscoped

from . import services
from .models import Indicator, Kind, ObservationScore, Score

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

        visited = [first, *rng.sample([s for s in schools if s is not first], min(4, len(schools) - 1))]
        visit = services.create_visit(
            actor=None,
            org=root,
            title=f"{year}年秋季学校党建工作现场观摩",
            visit_on=today - dt.timedelta(days=10),
            schools=visited,
        )
        marks = []
        for observer in (u for u in (assessor, county) if u is not None):
            for school in visited:
                skill = rng.uniform(0.6, 1.0)
                for item in visit.items:
                    share = min(1.0, max(0.0, rng.gauss(skill, 0.1)))
                    marks.append(
                        ObservationScore(
                            visit=visit,
                            school=school,
                            observer=observer,
                            item=item["key"],
                            points=Decimal(str(round(share * item["max"] * 2) / 2)),
                        )
                    )
        ObservationScore.objects.bulk_create(marks, batch_size=2000)
    return {"system": system, "rounds": [half, annual], "visit": visit}
