"""For any figures the records give and any scores assessors enter, the stored total equals the sum worked
out by hand from the rule file (hypothesis draws the figures)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.assessment import services
from dangjian.core.scoping import unscoped
from tests.assessment.builders import OTHER_FORMULAS, independent, result_of, scored, setup_round

figure = st.floats(min_value=0, max_value=1.5, allow_nan=False).map(lambda x: round(x, 3))
half_points = st.integers(min_value=0, max_value=20).map(lambda n: n / 2)
up_to_six = st.integers(min_value=0, max_value=12).map(lambda n: n / 2)  # B3 is worth 6 points


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    figures=st.fixed_dictionaries({name: figure for name in OTHER_FORMULAS}),
    missing=st.sets(st.sampled_from(OTHER_FORMULAS), max_size=3),
    points=st.fixed_dictionaries({"A6": half_points, "B2": half_points, "B3": up_to_six}),
)
def test_stored_total_equals_the_hand_sum(world, fake_formulas, figures, missing, points):
    for name in OTHER_FORMULAS:
        if name not in missing:  # a formula absent for this school: 无数据, left out of the sum
            fake_formulas(name, {world.school_a.pk: figures[name]})
        else:
            fake_formulas(name, {})
    system, round_ = setup_round(world)
    for ind in scored(system):
        if ind.code in points:
            services.record_score(
                actor=world.assessor,
                round=round_,
                indicator=ind,
                school=world.school_a,
                points=points[ind.code],
                comment="依据",
            )
    services.compute_round(actor=world.county_admin, round=round_)
    result = result_of(round_, world.school_a)
    measured = {name: figures[name] for name in OTHER_FORMULAS if name not in missing}
    total, maximum, score = independent(measured, points)
    assert result.total == Decimal(str(round(total, 2)))
    assert result.max_total == Decimal(str(maximum))
    assert abs(float(result.score) - score) <= 0.005 + 1e-9
    with unscoped("test"):
        system.rounds.all().delete()
        system.indicators.all().delete()
        system.delete()
