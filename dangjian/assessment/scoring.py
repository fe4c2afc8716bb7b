"""The arithmetic of assessment, as plain functions (unit-tested on their own)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from dangjian.core.indicators import FORBIDDEN_KINDS

CENT = Decimal("0.01")


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def derived_points(value: float, *, max_points: Decimal, target: float) -> Decimal:
    """Points for a measured figure: in proportion to the target, capped at the maximum."""
    if target <= 0:
        return cents(max_points)
    # Decimal throughout: 0.81 / 0.9 is 0.9 exactly, so a half-point boundary rounds as written, not as floats fall.
    share = max(Decimal(0), min(Decimal(str(value)) / Decimal(str(target)), Decimal(1)))
    return cents(share * Decimal(max_points))


def scaled(total: Decimal, max_total: Decimal) -> Decimal | None:
    """折算分: points earned out of the points that could be counted, on 100."""
    if not max_total:
        return None
    return cents(Decimal(total) * 100 / Decimal(max_total))


def grade_for(score: Decimal | None, thresholds: list[dict]) -> str:
    if score is None:
        return ""
    for step in sorted(thresholds, key=lambda s: s["min"], reverse=True):
        if score >= Decimal(str(step["min"])):
            return step["grade"]
    return thresholds[-1]["grade"] if thresholds else ""


def competition_ranks(scores: dict[int, Decimal | None]) -> dict[int, int | None]:
    """1, 2, 2, 4: equal scores share a rank; schools without a score get none."""
    ordered = sorted(((s, k) for k, s in scores.items() if s is not None), key=lambda p: -p[0])
    ranks: dict[int, int | None] = {k: None for k, s in scores.items() if s is None}
    previous, rank = None, 0
    for position, (score, key) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def median(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    return cents(statistics.median(values)) if values else None


def forbidden_metrics(template: dict) -> list[str]:
    """Codes of template indicators that would measure clicks, minutes, photos or check-ins (§9)."""
    bad = []
    for part in template.get("parts", []):
        for leaf in part.get("children", []):
            if leaf.get("metric", "substance") in FORBIDDEN_KINDS:
                bad.append(leaf["code"])
    return bad
