"""Time limits of concerns, in working days (statutory holidays and 调休 from chinese-calendar), from rule data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import rules, workdays
from dangjian.voice.models import Status


@dataclass(frozen=True)
class Limits:
    acknowledge_workdays: int
    answer_workdays: int
    reopen_answer_workdays: int


def limits(category: str, *, on: dt.date, org_path: str = "") -> Limits:
    values = rules.rule_values("voice", "sla", on=on, org_path=org_path)
    specific = (values.get("by_category") or {}).get(category, {})
    return Limits(
        acknowledge_workdays=specific.get("acknowledge_workdays", values["acknowledge_workdays"]),
        answer_workdays=specific.get("answer_workdays", values["answer_workdays"]),
        reopen_answer_workdays=values["reopen_answer_workdays"],
    )


def due_dates(submitted_at: dt.datetime, category: str, org_path: str = "") -> tuple[dt.datetime, dt.datetime]:
    """(acknowledge by, answer by): the end of the Nth working day after the day of submission."""
    local = timezone.localtime(submitted_at)
    lim = limits(category, on=local.date(), org_path=org_path)
    return workdays.deadline(local, lim.acknowledge_workdays), workdays.deadline(local, lim.answer_workdays)


def overdue_reason(concern, now: dt.datetime) -> str:
    """Why a concern is overdue right now, or "" if it is not."""

    if concern.status == Status.SUBMITTED and now > concern.acknowledge_due:
        return _("超过受理时限未受理")
    if concern.status in (Status.SUBMITTED, Status.ACKNOWLEDGED) and now > concern.current_answer_due:
        return _("超过答复时限未答复")
    return ""
