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


def test_school_owners_and_few_prefixes_at_province_scale():
    from dangjian.meetings.indicators import _owners, _roots

    # 75 counties × 120 schools under one province: a few prefixes for the database, exact owners in Python.
    paths = {c * 1000 + s: f"1.{c}.{c * 1000 + s}." for c in range(2, 77) for s in range(120)}
    paths[999_999] = "1.2.2000."  # a joint branch: two schools share one organization
    assert _roots(paths) == ["1."]
    county = {pk: p for pk, p in paths.items() if p.startswith("1.2.")}
    assert _roots(county) == ["1.2."]
    assert _roots({1: "1.2.3.", 2: "1.2.4."}) == ["1.2.3.", "1.2.4."]
    owners = _owners(paths)
    assert sorted(owners("1.2.2000.55.")) == [2000, 999_999]
    assert owners("1.3.3005.") == [3005]
    assert owners("1.3.") == [] and owners("1.3.99999.") == []


def test_worst_case_recompute_rewrites_every_cell_and_leaves_the_figures_as_they_were(world):
    from dangjian.meetings import compliance

    year = timezone.localdate().year
    held(world, day=max(timezone.localdate() - dt.timedelta(days=3), dt.date(year, 1, 1)))
    compliance.refresh(years=[year])
    fields = ["org_id", "kind", "period_key", "required", "held", "recorded", "quorum_met", "attendance_rate"]
    with unscoped("test"):
        before = sorted(ComplianceCell.objects.values_list(*fields))
    seconds, changes = meetings_bench.rewrite_all(year)
    assert seconds > 0 and changes.changed == changes.cells == len(before) > 0
    with unscoped("test"):
        assert sorted(ComplianceCell.objects.values_list(*fields)) == before
