import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core import hours
from dangjian.core.hours import HourItem

TEST_SOURCE_HOURS: dict[int, list[tuple[dt.date, Decimal]]] = {}


@pytest.fixture
def test_hour_source():
    """Register a test-only hours source for both ledgers, to prove the ledger sums every registered source.
    Returns the dict to fill: person id → [(day, hours)]."""
    TEST_SOURCE_HOURS.clear()

    def source(*, person_ids, start, end):
        return {
            pid: [
                HourItem(day, h, "测试来源", "外部记录")
                for day, h in TEST_SOURCE_HOURS.get(pid, [])
                if start <= day <= end
            ]
            for pid in person_ids
            if pid in TEST_SOURCE_HOURS
        }

    hours.source("tests.party", ledger="party_training", label="测试")(source)
    hours.source("tests.ce", ledger="teacher_ce", label="测试")(source)
    yield TEST_SOURCE_HOURS
    hours._sources.pop("tests.party", None)
    hours._sources.pop("tests.ce", None)
    TEST_SOURCE_HOURS.clear()
