import datetime as dt
from zoneinfo import ZoneInfo

from dangjian.core.workdays import add_working_days, deadline, is_workday


def test_national_day_2026_and_its_make_up_saturday():
    # 2026: 1–7 October off; Saturday 10 October is a 调休 working day.
    assert not any(is_workday(dt.date(2026, 10, d)) for d in range(1, 8))
    assert is_workday(dt.date(2026, 10, 10))
    assert not is_workday(dt.date(2026, 10, 11))


def test_five_working_days_across_the_holiday():
    # Submitted Wednesday 30 September: 8, 9, 10 (Saturday, 调休), 12, 13 October.
    assert add_working_days(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 13)


def test_ordinary_week():
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Friday → Monday
    assert add_working_days(dt.date(2026, 11, 23), 0) == dt.date(2026, 11, 23)


def test_deadline_is_the_end_of_the_working_day():
    start = dt.datetime(2026, 9, 30, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    due = deadline(start, 1)
    assert (due.date(), due.hour, due.minute) == (dt.date(2026, 10, 8), 23, 59)


def test_unknown_year_falls_back_to_weekdays(caplog):
    # chinese-calendar has no schedule for 2101: count Monday to Friday and say so in the log.
    assert is_workday(dt.date(2101, 3, 7)) is True  # a Monday
    assert is_workday(dt.date(2101, 3, 12)) is False  # a Saturday
    assert "no data for 2101" in caplog.text
