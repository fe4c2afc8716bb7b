"""The measures `make bench` takes (bench/derived.py, bench/ledger.py) run on any data and leave it as they
found it."""

import datetime as dt

from django.utils import timezone

from bench import derived, ledger
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings.models import ComplianceCell, Meeting
from tests.meetings.helpers import held


def test_incremental_refresh_is_measured_and_leaves_no_meeting_behind(world):
    year = timezone.localdate().year
    with unscoped("test"):
        before = Meeting.objects.count()
    write_ms, refresh_ms = derived.incremental(year, repeats=2)
    assert write_ms > 0 and refresh_ms > 0
    with unscoped("test"):
        assert Meeting.objects.count() == before
        assert ComplianceCell.objects.filter(org=world.branch_a, kind="theme_day").exists()


def test_ledger_pdf_is_measured_for_the_busiest_branch(world):
    today = timezone.localdate()
    held(world, day=max(today - dt.timedelta(days=3), dt.date(today.year, 1, 1)))
    [row] = ledger.measure()
    assert row["case"] == "ledger PDF, one branch-year"
    assert row["seconds"] > 0
    assert row["note"].startswith("1 meetings")


def test_worst_case_recompute_rewrites_every_cell_and_leaves_the_figures_as_they_were(world):
    year = timezone.localdate().year
    held(world, day=max(timezone.localdate() - dt.timedelta(days=3), dt.date(year, 1, 1)))
    compliance.refresh(years=[year])
    fields = ["org_id", "kind", "period_key", "required", "held", "recorded", "quorum_met", "attendance_rate"]
    with unscoped("test"):
        before = sorted(ComplianceCell.objects.values_list(*fields))
    seconds, changes = derived.rewrite_all(year)
    assert seconds > 0 and changes.changed == changes.cells == len(before) > 0
    with unscoped("test"):
        assert sorted(ComplianceCell.objects.values_list(*fields)) == before
