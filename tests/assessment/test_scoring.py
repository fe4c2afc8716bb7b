from decimal import Decimal

from dangjian.assessment import scoring

THRESHOLDS = [
    {"grade": "好", "min": 90},
    {"grade": "较好", "min": 80},
    {"grade": "一般", "min": 60},
    {"grade": "差", "min": 0},
]


def test_derived_points_are_proportional_and_capped():
    assert scoring.derived_points(0.5, max_points=Decimal(10), target=1.0) == Decimal("5.00")
    assert scoring.derived_points(0.9, max_points=Decimal(7), target=0.9) == Decimal("7.00")
    assert scoring.derived_points(1.4, max_points=Decimal(7), target=1.0) == Decimal("7.00")
    assert scoring.derived_points(-1, max_points=Decimal(7), target=1.0) == Decimal("0.00")
    assert scoring.derived_points(2 / 3, max_points=Decimal(15), target=1.0) == Decimal("10.00")


def test_scaled_score_and_grades():
    assert scoring.scaled(Decimal(45), Decimal(50)) == Decimal("90.00")
    assert scoring.scaled(Decimal(0), Decimal(0)) is None
    assert scoring.grade_for(Decimal("90.00"), THRESHOLDS) == "好"
    assert scoring.grade_for(Decimal("89.99"), THRESHOLDS) == "较好"
    assert scoring.grade_for(Decimal("59.99"), THRESHOLDS) == "差"
    assert scoring.grade_for(None, THRESHOLDS) == ""


def test_competition_ranking_shares_equal_scores():
    ranks = scoring.competition_ranks({1: Decimal(90), 2: Decimal(95), 3: Decimal(90), 4: None, 5: Decimal(80)})
    assert ranks == {2: 1, 1: 2, 3: 2, 5: 4, 4: None}


def test_median():
    assert scoring.median([Decimal(1), Decimal(3), Decimal(2)]) == Decimal("2.00")
    assert scoring.median([Decimal(1), Decimal(2)]) == Decimal("1.50")
    assert scoring.median([]) is None
