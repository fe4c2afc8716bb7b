"""Working-day time limits across a real 2026 holiday: 国庆节 and 中秋节 (1–7 October off; Saturday 10 October is
a 调休 working day; 25–27 September is 中秋)."""

import datetime as dt

import pytest

from dangjian.core.models import LocalRule
from dangjian.voice import sla
from tests.voice.conftest import at


def test_limits_cross_national_day_and_count_the_make_up_saturday():
    ack, answer = sla.due_dates(at(2026, 9, 30, 10), "teaching")
    # Next working day after Wed 30 Sep is Thu 8 Oct (1–7 Oct are holidays).
    assert ack == at(2026, 10, 8, 23, 59, 59)
    # 8 Oct, 9 Oct, Sat 10 Oct (调休 working day), 12 Oct, 13 Oct: five working days.
    assert answer == at(2026, 10, 13, 23, 59, 59)


def test_limits_skip_mid_autumn_and_weekend():
    ack, answer = sla.due_dates(at(2026, 9, 24, 16), "teaching")
    # Thu 24 Sep: 25–27 Sep are 中秋 holidays, so acknowledge by Mon 28 Sep; answer 28, 29, 30, 8, 9 Oct.
    assert ack.date() == dt.date(2026, 9, 28)
    assert answer.date() == dt.date(2026, 10, 9)


def test_category_limit_from_rule_data():
    _ack, answer = sla.due_dates(at(2026, 11, 23, 9), "safety")  # Monday; safety: 3 working days
    assert answer.date() == dt.date(2026, 11, 26)


@pytest.mark.django_db
def test_county_may_override_the_answer_limit(world):
    LocalRule.objects.create(
        org_path=world.county.path, rule="voice/sla", key="answer_workdays", value=3, effective=dt.date(2026, 1, 1)
    )
    _ack, answer = sla.due_dates(at(2026, 11, 23, 9), "teaching", world.branch_a.path)
    assert answer.date() == dt.date(2026, 11, 26)
    _ack, answer = sla.due_dates(at(2026, 11, 23, 9), "teaching")  # no org: the rule file's own figure
    assert answer.date() == dt.date(2026, 11, 30)


def test_overdue_reason():
    class C:
        status = "submitted"
        acknowledge_due = at(2026, 10, 8, 23, 59, 59)
        current_answer_due = at(2026, 10, 13, 23, 59, 59)

    assert sla.overdue_reason(C, at(2026, 10, 8, 23)) == ""
    assert "受理" in sla.overdue_reason(C, at(2026, 10, 9, 0, 0, 1))
    C.status = "acknowledged"
    assert sla.overdue_reason(C, at(2026, 10, 13, 12)) == ""
    assert "答复" in sla.overdue_reason(C, at(2026, 10, 14, 0, 0, 1))
    C.status = "answered"
    assert sla.overdue_reason(C, at(2026, 12, 1)) == ""
