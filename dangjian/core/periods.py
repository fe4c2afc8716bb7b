"""Periods the work is counted in: month, quarter, year, academic year (学年) and term (学期).

A 学年 runs from 1 September to 31 August; its first term to the end of January, its second from
1 February. Every period is a closed date range [start, end] with a stable key and a Chinese label.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

KINDS = ("month", "quarter", "year", "academic_year", "term")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str

    @property
    def key(self) -> str:
        s = self.start
        match self.kind:
            case "month":
                return f"{s.year}-{s.month:02d}"
            case "quarter":
                return f"{s.year}Q{(s.month - 1) // 3 + 1}"
            case "year":
                return str(s.year)
            case "academic_year":
                return f"{s.year}-{s.year + 1}"
            case "term":
                first = s.month >= 9
                start_year = s.year if first else s.year - 1
                return f"{start_year}-{start_year + 1}T{1 if first else 2}"
        raise ValueError(self.kind)

    @property
    def label(self) -> str:
        s = self.start
        match self.kind:
            case "month":
                return _("%(y)d年%(m)d月") % {"y": s.year, "m": s.month}
            case "quarter":
                return _("%(y)d年第%(q)d季度") % {"y": s.year, "q": (s.month - 1) // 3 + 1}
            case "year":
                return _("%(y)d年") % {"y": s.year}
            case "academic_year":
                return _("%(a)d—%(b)d学年") % {"a": s.year, "b": s.year + 1}
            case "term":
                first = s.month >= 9
                start_year = s.year if first else s.year - 1
                return _("%(a)d—%(b)d学年第%(t)s学期") % {
                    "a": start_year,
                    "b": start_year + 1,
                    "t": _("一") if first else _("二"),
                }
        raise ValueError(self.kind)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return containing(self.kind, self.end + dt.timedelta(days=1))

    def previous(self) -> Period:
        return containing(self.kind, self.start - dt.timedelta(days=1))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def containing(kind: str, day: dt.date) -> Period:
    """The period of `kind` that contains `day`."""
    y, m = day.year, day.month
    match kind:
        case "month":
            return Period(dt.date(y, m, 1), _month_end(y, m), kind)
        case "quarter":
            first = 3 * ((m - 1) // 3) + 1
            return Period(dt.date(y, first, 1), _month_end(y, first + 2), kind)
        case "year":
            return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), kind)
        case "academic_year":
            start_year = y if m >= 9 else y - 1
            return Period(dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31), kind)
        case "term":
            if m >= 9:
                return Period(dt.date(y, 9, 1), _month_end(y + 1, 1), kind)
            if m == 1:
                return Period(dt.date(y - 1, 9, 1), _month_end(y, 1), kind)
            return Period(dt.date(y, 2, 1), dt.date(y, 8, 31), kind)
    raise ValueError(f"unknown period kind {kind!r}; one of {KINDS}")


def periods_between(kind: str, start: dt.date, end: dt.date) -> Iterator[Period]:
    """Every period of `kind` that overlaps [start, end], in order."""
    period = containing(kind, start)
    while period.start <= end:
        yield period
        period = period.next()


def from_key(key: str) -> Period:
    """Inverse of Period.key, for URLs."""
    try:
        if "T" in key:
            start_year, term = key.split("-")[0], key[-1]
            return containing(
                "term", dt.date(int(start_year), 9, 1) if term == "1" else dt.date(int(start_year) + 1, 3, 1)
            )
        if "Q" in key:
            year, quarter = key.split("Q")
            return containing("quarter", dt.date(int(year), 3 * int(quarter) - 2, 1))
        if key.count("-") == 1 and len(key) == 9:
            return containing("academic_year", dt.date(int(key[:4]), 9, 1))
        if key.count("-") == 1:
            year, month = key.split("-")
            return containing("month", dt.date(int(year), int(month), 1))
        return containing("year", dt.date(int(key), 1, 1))
    except (ValueError, IndexError, OverflowError) as exc:
        raise ValueError(f"not a period key: {key!r}") from exc


def months_ending(day: dt.date, n: int) -> list[Period]:
    """The `n` calendar months up to and including the one holding `day`, oldest first."""
    last = containing("month", day)
    found = [last]
    while len(found) < n:
        found.insert(0, found[0].previous())
    return found
