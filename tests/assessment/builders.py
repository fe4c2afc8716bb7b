"""Assessment set-up for tests and route samples: a system from the default template, a round, results."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml
from django.utils import timezone

import dangjian.assessment
from dangjian.assessment import services
from dangjian.assessment.models import Indicator, Kind, ObservationScore, Rectification, Result
from dangjian.core.scoping import unscoped

TODAY = timezone.localdate()
START, END = TODAY - dt.timedelta(days=300), TODAY + dt.timedelta(days=30)
TEMPLATE = Path(dangjian.assessment.__file__).parent / "rules" / "template_default.yaml"
OTHER_FORMULAS = (
    "meetings.compliance_rate",
    "meetings.org_life_meeting_held",
    "meetings.member_review_done",
    "meetings.attendance_rate",
    "learning.training_hours_rate",
    "voice.reply_on_time_rate",
    "voice.satisfaction_rate",
    "leadership.decision_rules_rate",
)


def template_leaves(year: int = TODAY.year):
    """The leaves of the template version a system of `year` is built from (the one in force on 31 December)."""
    versions = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))["versions"]
    values = max((v for v in versions if v["effective"] <= dt.date(year, 12, 31)), key=lambda v: v["effective"])
    return [leaf for part in values["values"]["parts"] for leaf in part["children"]]


def independent(measured: dict, scores: dict) -> tuple[float, float, float]:
    """The total, the countable maximum and the score on 100, worked out from the rule file by hand."""
    total = maximum = 0.0
    for leaf in template_leaves():
        if leaf["kind"] == "derived":
            if leaf["formula"] not in measured:
                continue
            # Exact fractions, then half-up to the cent: no float rounding on either side of the comparison.
            share = max(
                Fraction(0),
                min(Fraction(str(measured[leaf["formula"]])) / Fraction(str(leaf.get("target", 1.0))), Fraction(1)),
            )
            points = math.floor(share * leaf["max_points"] * 100 + Fraction(1, 2)) / 100  # half-up to the cent
        else:
            if leaf["code"] not in scores:
                continue
            points = scores[leaf["code"]]
        total += points
        maximum += leaf["max_points"]
    # The score on 100, half-up to the cent from the exact total (Python's round() is banker's rounding on floats).
    exact = Fraction(str(round(total, 2))) / Fraction(str(maximum)) * 100 if maximum else Fraction(0)
    return total, maximum, math.floor(exact * 100 + Fraction(1, 2)) / 100


def setup_round(world):
    system = services.create_system(actor=world.county_admin, org=world.county, year=TODAY.year)
    round_ = services.create_round(
        actor=world.county_admin, system=system, name="年度考核", kind="annual", start=START, end=END
    )
    return system, round_


def score_all(world, system, round_, school, points: dict):
    for ind in scored(system):
        if ind.code in points:
            services.record_score(
                actor=world.assessor,
                round=round_,
                indicator=ind,
                school=school,
                points=points[ind.code],
                comment="依据会议记录",
            )


def result_of(round_, school) -> Result:
    with unscoped("test"):
        return Result.objects.get(round=round_, school=school)


def system_and_round(world, *, year: int = 2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), actor=None):
    system = services.create_system(actor=actor, org=world.county, year=year)
    round_ = services.create_round(
        actor=actor, system=system, name=f"{year}年度考核", kind="annual", start=start, end=end
    )
    return system, round_


def computed_round(world, *, start: dt.date, end: dt.date):
    """A round of the default template for the county, computed by the county administrator."""
    _system, round_ = system_and_round(world, year=end.year, start=start, end=end, actor=world.county_admin)
    services.compute_round(actor=world.county_admin, round=round_)
    return round_


def scored(system):
    with unscoped("test set-up"):
        return list(Indicator.objects.filter(system=system, kind=Kind.SCORED).order_by("order"))


def route_objects(world) -> dict:
    cached = world.__dict__.get("_assessment_routes")
    if cached:
        return cached
    system, round_ = system_and_round(world)
    first = scored(system)[0]
    services.record_score(
        actor=world.users["assessor"], round=round_, indicator=first, school=world.school_a, points=8, comment="好"
    )
    services.compute_round(actor=None, round=round_)
    visit = services.create_visit(
        actor=None,
        org=world.county,
        title="观摩",
        visit_on=dt.date(2026, 11, 1),
        schools=[world.school_a, world.school_b],
    )
    with unscoped("test set-up"):
        ObservationScore.objects.create(
            visit=visit, school=world.school_a, observer=world.users["assessor"], item="leadership", points=Decimal(18)
        )
    group = services.add_group(actor=None, visit=visit, name="第一组")
    guest = services.add_observer(actor=None, visit=visit, name="外校书记", group=group, leader=True)
    member = services.add_observer(
        actor=None, visit=visit, name="县考核专家", group=group, user=world.users["assessor"]
    )
    # An earlier event, closed, whose problem at school A became a rectification item.
    earlier = services.create_visit(
        actor=None, org=world.county, title="春季观摩", visit_on=dt.date(2026, 4, 1), schools=[world.school_a]
    )
    earlier_guest = services.add_observer(actor=None, visit=earlier, name="观摩员")
    services.submit_sheet(
        observer=earlier_guest,
        school=world.school_a,
        marks={"leadership": (15, "")},
        problems=[("leadership", "议事规则未上墙公开")],
        today=dt.date(2026, 4, 1),
    )
    services.close_visit(actor=None, visit=earlier, due_on=timezone.localdate() + dt.timedelta(days=30))
    with unscoped("test set-up"):
        rectification = Rectification.objects.get(problem__visit=earlier)
        result_a = Result.objects.get(round=round_, school=world.school_a)
        leaf = Indicator.objects.filter(system=system).exclude(kind=Kind.GROUP).last()
        group = Indicator.objects.filter(system=system, kind=Kind.GROUP).first()
    cached = {
        "system": system,
        "round": round_,
        "result_a": result_a,
        "visit": visit,
        "guest": guest,
        "member_observer": member,
        "rectification": rectification,
        "indicator": first,
        "leaf": leaf,
        "group": group,
    }
    world.__dict__["_assessment_routes"] = cached
    return cached
