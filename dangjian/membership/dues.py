"""党费 arithmetic from the rule data (rules/dues.yaml): the monthly amount from a base, the months a member owes,
which months are paid and the longest run of unpaid months. Pure functions over Decimals and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.core import rules
from dangjian.membership.models import DuesCategory, add_months, month_start

BRACKETED = (DuesCategory.EMPLOYED, DuesCategory.RETIRED)


def dues_rules(*, on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("membership", "dues", on=on, org_path=org_path)


def rule_effective(on: dt.date) -> dt.date:
    return rules.load("membership", "dues").version_on(on).effective


def rate_for(base: Decimal, brackets: list[dict]) -> Decimal:
    """The rate of the first bracket whose upper bound (inclusive) the base does not exceed."""
    for bracket in brackets:
        if bracket["up_to"] is None or base <= Decimal(bracket["up_to"]):
            return Decimal(bracket["rate"])
    raise ValueError("the last bracket must be open (up_to: null)")


def monthly_amount(*, category: str, base: Decimal, on: dt.date, org_path: str = "") -> Decimal:
    """The month's dues for a base under the rules in force on `on`: a flat rate of the whole base by bracket
    (在职, 离退休), or the fixed amount (第六条)."""
    if not isinstance(base, Decimal):
        raise TypeError("money is Decimal")
    if base < 0:
        raise ValidationError(_("计算基数不能为负数。"))
    values = dues_rules(on=on, org_path=org_path)
    unit = Decimal(str(values["round_to"]))
    if category in BRACKETED:
        rate = rate_for(base, values[category]["brackets"])
        return (base * rate).quantize(unit, rounding=ROUND_HALF_UP)
    fixed = values["fixed"]["amounts"].get(category)
    if fixed is None:
        raise ValidationError(_("未知的党费类别：%(c)s") % {"c": category})
    return Decimal(fixed)


def owing_from(*, year: int, probationary_on: dt.date | None, joined_branch: dt.date | None = None) -> dt.date:
    """The first month of `year` a member owes: January, or the month admission was passed (第八条: 预备党员从支部
    大会通过之日起交纳)."""
    start = dt.date(year, 1, 1)
    if probationary_on and probationary_on > start:
        start = month_start(probationary_on)
    return start


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Month starts from `first` to `last`, both included (empty when last is before first)."""
    found, day = [], month_start(first)
    while day <= last:
        found.append(day)
        day = add_months(day, 1)
    return found


def covered_months(payments: Iterable) -> set[dt.date]:
    """Month starts covered by the payments (each covers `months` months from `first_month`)."""
    covered: set[dt.date] = set()
    for p in payments:
        for i in range(p.months):
            covered.add(add_months(month_start(p.first_month), i))
    return covered


def longest_unpaid_run(owed: list[dt.date], covered: set[dt.date]) -> int:
    """The longest run of consecutive owed months not covered (党章第九条 counts consecutive months)."""
    best = run = 0
    for month in owed:
        run = 0 if month in covered else run + 1
        best = max(best, run)
    return best


@dataclass
class Standing:
    owed: list[dt.date]
    unpaid: list[dt.date]
    longest_run: int
    lapse_months: int

    @property
    def in_arrears(self) -> bool:
        return bool(self.unpaid)

    @property
    def lapse_flag(self) -> bool:
        """Only a flag for the secretary: 自行脱党 is decided by the 支部大会, never by the platform."""
        return self.longest_run >= self.lapse_months


def standing(
    *, owed_from: dt.date, through: dt.date, payments: Iterable, lapse_months: int, years: set[int] | None = None
) -> Standing:
    """Owed months from `owed_from` to `through`; with `years`, only months of years whose base was set (before a
    branch starts keeping its ledger here the platform knows nothing of what was paid)."""
    owed = [m for m in months_between(owed_from, through) if years is None or m.year in years]
    covered = covered_months(payments)
    unpaid = [m for m in owed if m not in covered]
    return Standing(owed, unpaid, longest_unpaid_run(owed, covered), lapse_months)
