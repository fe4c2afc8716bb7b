"""Plain functions for essay contests: aggregating judges' scores and awarding tiers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal


def aggregate(totals: Sequence[Decimal], *, drop_extremes_min_judges: int = 5) -> Decimal:
    """The essay's score from its judges' totals: the mean, after dropping one highest and one lowest total
    when there are at least `drop_extremes_min_judges` judges (rule data)."""
    if not totals:
        raise ValueError("no scores")
    values = sorted(Decimal(t) for t in totals)
    if len(values) >= drop_extremes_min_judges:
        values = values[1:-1]
    mean = sum(values) / len(values)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def award(scores: dict[int, Decimal], tiers: Sequence[dict], order_key: dict[int, str] | None = None) -> dict[int, str]:
    """Tier names by rank of score (highest first); equal scores are ordered by `order_key` (the blind code),
    so the result never depends on who the author is. Essays beyond the tiers get no award."""
    key = order_key or {}
    ranked = sorted(scores, key=lambda i: (-scores[i], key.get(i, ""), i))
    awards: dict[int, str] = {}
    position = 0
    for tier in tiers:
        for _n in range(int(tier["count"])):
            if position >= len(ranked):
                return awards
            awards[ranked[position]] = tier["name"]
            position += 1
    return awards
