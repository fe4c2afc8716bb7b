"""When a student's identification needs looking at again (domain-rules.md §8.1): identified once per 学年,
adjusted each 学期. Plain functions over core.periods and the rule data."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from dangjian.core import periods, rules

REVIEW = "review"  # identified before the current 学年: a new yearly identification is due
ADJUST = "adjust"  # identified this 学年 but before the current 学期: check whether to adjust
LABELS = {REVIEW: _("待学年复核"), ADJUST: _("待学期调整")}


def status(identified_on: dt.date | None, today: dt.date, org_path: str = "") -> str:
    """'' when the identification is current; otherwise REVIEW or ADJUST."""
    if identified_on is None:
        return ""
    values = rules.rule_values("care", "care", on=today, org_path=org_path)
    if identified_on < periods.containing(values["identify_cycle"], today).start:
        return REVIEW
    if identified_on < periods.containing(values["adjust_cycle"], today).start:
        return ADJUST
    return ""
