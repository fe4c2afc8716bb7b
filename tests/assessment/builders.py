"""Assessment set-up for tests and route samples: a system from the default template, a round, results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dangjian.assessment import services
from dangjian.assessment.models import Indicator, Kind, ObservationScore, Result
from dangjian.core.scoping import unscoped


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
        result_a = Result.objects.get(round=round_, school=world.school_a)
        leaf = Indicator.objects.filter(system=system).exclude(kind=Kind.GROUP).last()
        group = Indicator.objects.filter(system=system, kind=Kind.GROUP).first()
    cached = {
        "system": system,
        "round": round_,
        "result_a": result_a,
        "visit": visit,
        "indicator": first,
        "leaf": leaf,
        "group": group,
    }
    world.__dict__["_assessment_routes"] = cached
    return cached
