"""我的 and the hours page read a person's ledgers together (issue 15): the same statuses as one ledger at a time,
with the training records and the plan completions of both ledgers read in one query each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core import hours
from dangjian.learning import ledger
from dangjian.learning.models import Completion, HoursCategory
from tests.learning.helpers import make_item, make_plan, make_record
from tests.meetings.helpers import held

pytestmark = pytest.mark.django_db


def _records(world, n: int) -> None:
    person = world.people["member"]
    today = timezone.localdate()
    for i in range(n):
        make_record(person, ledger="teacher_ce", hours="3", day=today - dt.timedelta(days=400 + i))
        make_record(person, ledger="party_training", hours="2", day=dt.date(today.year, 1, 1) + dt.timedelta(days=i))
        for plan_ledger in (HoursCategory.PARTY_TRAINING, HoursCategory.TEACHER_CE):
            item = make_item(make_plan(world.branch_a, ledger=plan_ledger), hours="1.5", title=f"学习{i}")
            Completion.all_objects.create(item=item, person=person, done_on=dt.date(today.year, 1, 1))
    held(world, kind="party_lecture", topic="党课")


def _as_tuple(status: ledger.Status) -> tuple:
    return (
        status.ledger,
        status.period_label,
        status.start,
        status.end,
        status.target,
        status.total,
        status.expected,
        status.items,
    )


def test_both_ledgers_together_equal_each_ledger_alone(world):
    _records(world, 3)
    person = world.people["member"]
    today = timezone.localdate()
    alone = [
        ledger.statuses(name, people=[person], today=today)[person.id] for name in ("party_training", "teacher_ce")
    ]
    together = ledger.own_statuses(person, ["party_training", "teacher_ce"], today=today)
    assert [_as_tuple(s) for s in together] == [_as_tuple(s) for s in alone]
    assert together[0].total > 0 and together[1].total > 0


def _count(person, today) -> int:
    with CaptureQueriesContext(connection) as captured, hours.shared():
        ledger.own_statuses(person, ["party_training", "teacher_ce"], today=today)
    return len(captured.captured_queries)


def test_both_ledgers_read_in_a_fixed_number_of_queries(world):
    person = world.people["member"]
    today = timezone.localdate()
    _records(world, 1)
    _count(person, today)  # warms what is read once per process (the rule files)
    few = _count(person, today)
    _records(world, 5)
    assert _count(person, today) == few
    # training records (one query for both ledgers), plan completions (one), posts, meeting hours
    assert few <= 4
