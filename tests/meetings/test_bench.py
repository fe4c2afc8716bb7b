"""The measures `make bench` takes (dangjian/meetings/bench.py, dangjian/ledgers/bench.py) run on any data and
leave it as they found it."""

import datetime as dt

from django.utils import timezone

from dangjian.core.scoping import unscoped
from dangjian.ledgers import bench as ledgers_bench
from dangjian.meetings import bench as meetings_bench
from dangjian.meetings.models import ComplianceCell, Meeting
from tests.meetings.helpers import held


def test_incremental_refresh_is_measured_and_leaves_no_meeting_behind(world):
    year = timezone.localdate().year
    with unscoped("test"):
        before = Meeting.objects.count()
    write_ms, refresh_ms = meetings_bench.incremental(year, repeats=2)
    assert write_ms > 0 and refresh_ms > 0
    with unscoped("test"):
        assert Meeting.objects.count() == before
        assert ComplianceCell.objects.filter(org=world.branch_a, kind="theme_day").exists()


def test_ledger_pdf_is_measured_for_the_busiest_branch(world):
    today = timezone.localdate()
    held(world, day=max(today - dt.timedelta(days=3), dt.date(today.year, 1, 1)))
    [row] = ledgers_bench.measure()
    assert row["case"] == "ledger PDF, one branch-year"
    assert row["seconds"] > 0
    assert row["note"].startswith("1 meetings")
