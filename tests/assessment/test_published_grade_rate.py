"""The public site's assessment figure reads published annual rounds only, and only as a county mean."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Result
from dangjian.core import indicators
from dangjian.core.scoping import unscoped
from tests.assessment.builders import system_and_round

LABEL = "年度考核“好”等次学校占比"


def _round(world, *, year, grades, published, kind="annual"):
    end = timezone.localdate() - dt.timedelta(days=10)
    _system, round_ = system_and_round(world, year=year, start=end - dt.timedelta(days=300), end=end)
    with unscoped("test set-up"):
        round_.kind = kind
        round_.save()
        for school, (grade, score) in grades.items():
            Result.objects.create(
                round=round_, school=school, total=score, max_total=100, score=score, grade=grade, rank=1
            )
    if published:
        services.set_published(actor=world.county_admin, round=round_, published=True)
    return round_


def test_the_formula_reads_published_annual_rounds_only(world):
    a, b = world.school_a, world.school_b
    _round(world, year=2025, grades={a: ("好", Decimal(95)), b: ("一般", Decimal(70))}, published=True)
    start, end = timezone.localdate() - dt.timedelta(days=360), timezone.localdate()
    measured = indicators.compute("assessment.published_grade_rate", schools=[a, b], start=start, end=end)
    assert {k: m.value for k, m in measured.items()} == {a.pk: 1.0, b.pk: 0.0}
    assert measured[b.pk].detail == "2025年度考核：一般"
    # a later round the county has not published changes nothing; neither does a published half-year round
    _round(world, year=2026, grades={a: ("差", Decimal(10)), b: ("好", Decimal(99))}, published=False)
    _round(world, year=2027, grades={b: ("好", Decimal(99))}, published=True, kind="half_year")
    again = indicators.compute("assessment.published_grade_rate", schools=[a, b], start=start, end=end)
    assert {k: m.value for k, m in again.items()} == {a.pk: 1.0, b.pk: 0.0}


@pytest.mark.parametrize("published", [False, True])
def test_unpublished_results_never_reach_the_public_site(world, client, published):
    _round(
        world,
        year=2025,
        grades={world.school_a: ("好", Decimal(95)), world.school_b: ("一般", Decimal(70))},
        published=published,
    )
    html = client.get(reverse("publishing:home")).content.decode()
    if published:
        assert f'<span class="pub-value">50%</span><span>{LABEL}</span>' in html
    else:
        assert LABEL not in html
    for private in ("一般", "2025年度考核", "95.00", "70.00"):
        assert private not in html  # never a school's grade, score or the round's page
