"""Chinese working days: statutory holidays and 调休 make-up days come from `chinese-calendar`.

Time limits on concerns, reviews and 公示 are counted in working days. For a year the library does not know
yet (it is updated each November when the State Council publishes the next year's schedule), we fall back
to Monday–Friday and log it, rather than stop counting.
"""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

log = logging.getLogger(__name__)


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        log.warning("chinese-calendar has no data for %s; counting Monday to Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date that is `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def deadline(start: dt.datetime, days: int) -> dt.datetime:
    """A deadline `days` working days after a moment: the end of that working day, same time zone."""
    due = add_working_days(start.date(), days)
    return start.replace(year=due.year, month=due.month, day=due.day, hour=23, minute=59, second=59, microsecond=0)
