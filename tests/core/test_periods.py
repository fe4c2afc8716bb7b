import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from dangjian.core import periods
from dangjian.core.periods import containing, from_key, periods_between

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def test_academic_year_runs_september_to_august():
    year = containing("academic_year", dt.date(2026, 3, 1))
    assert (year.start, year.end, year.key) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31), "2025-2026")
    assert year.label == "2025—2026学年"


def test_terms_split_at_february():
    first = containing("term", dt.date(2026, 1, 20))
    second = containing("term", dt.date(2026, 2, 1))
    assert (first.start, first.end) == (dt.date(2025, 9, 1), dt.date(2026, 1, 31))
    assert (second.start, second.end) == (dt.date(2026, 2, 1), dt.date(2026, 8, 31))
    assert first.label == "2025—2026学年第一学期" and second.label == "2025—2026学年第二学期"


def test_quarter_and_month_labels():
    assert containing("quarter", dt.date(2026, 11, 25)).label == "2026年第4季度"
    assert containing("month", dt.date(2026, 2, 10)).end == dt.date(2026, 2, 28)


@given(days, st.sampled_from(periods.KINDS))
def test_every_day_lies_in_exactly_one_period_and_keys_round_trip(day, kind):
    period = containing(kind, day)
    assert day in period
    assert period.next().start == period.end + dt.timedelta(days=1)
    assert period.previous().end == period.start - dt.timedelta(days=1)
    assert from_key(period.key) == period


@given(days, st.integers(min_value=0, max_value=800), st.sampled_from(periods.KINDS))
def test_periods_between_tile_the_range(start, span, kind):
    end = start + dt.timedelta(days=span)
    found = list(periods_between(kind, start, end))
    assert found[0].start <= start and found[-1].end >= end
    for a, b in itertools.pairwise(found):
        assert b.start == a.end + dt.timedelta(days=1)
