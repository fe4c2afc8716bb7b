import datetime as dt

import pytest

from dangjian.care import review


@pytest.mark.parametrize(
    ("identified", "today", "expected"),
    [
        (None, dt.date(2026, 11, 25), ""),
        (dt.date(2026, 10, 13), dt.date(2026, 11, 25), ""),  # this term
        (dt.date(2026, 10, 13), dt.date(2027, 3, 1), review.ADJUST),  # second term of the same 学年
        (dt.date(2026, 8, 31), dt.date(2026, 9, 1), review.REVIEW),  # a new 学年 began
        (dt.date(2025, 10, 15), dt.date(2026, 11, 25), review.REVIEW),
    ],
)
def test_review_status(identified, today, expected):
    assert review.status(identified, today) == expected
