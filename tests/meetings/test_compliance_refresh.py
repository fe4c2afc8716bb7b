"""The stored compliance table is written by difference: a refresh over unchanged records writes nothing, and a
changed record rewrites exactly the cells it falls in."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings.compliance import Changes
from dangjian.meetings.models import ComplianceCell, Meeting
from dangjian.orgs.models import Position
from tests.meetings.helpers import at, committee, held

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # a whole past year
DEC_31 = dt.date(YEAR, 12, 31)
WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")
FIGURES = ["required", "held", "recorded", "quorum_met", "attendance_rate", "status"]


def stored() -> dict[tuple, tuple]:
    with unscoped("test: stored cells"):
        return {
            (org_id, kind, key): tuple(rest)
            for org_id, kind, key, *rest in ComplianceCell.objects.values_list(
                "org_id", "kind", "period_key", "pk", *FIGURES
            )
        }


def records(world) -> dict[str, Meeting]:
    committee(world)
    pair = [world.people["secretary"].pk, world.people["member"].pk]
    return {
        "theme_day": held(world, kind="theme_day", day=dt.date(YEAR, 3, 12)),
        "assembly": held(world, kind="general_assembly", day=dt.date(YEAR, 2, 5)),
        "committee": held(world, kind="committee_meeting", day=dt.date(YEAR, 4, 2)),
        "talk": held(world, kind="heart_talk", day=dt.date(YEAR, 6, 1), roster="pair", pair_ids=pair),
        "group": held(world, kind="group_meeting", org=world.group_a, day=dt.date(YEAR, 5, 9)),
        "theme_day_b": held(world, kind="theme_day", org=world.branch_b, day=dt.date(YEAR, 3, 20)),
    }


def test_second_full_refresh_over_unchanged_records_writes_nothing(world):
    records(world)
    first = compliance.refresh_changes(years=[YEAR], today=DEC_31)
    assert first.cells > 50 and first.removed == 0
    before = stored()
    assert len(before) == first.cells
    with CaptureQueriesContext(connection) as queries:
        second = compliance.refresh_changes(years=[YEAR], today=DEC_31)
    assert second == Changes(cells=first.cells, added=0, changed=0, removed=0)
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert stored() == before  # same rows, same ids


def test_a_changed_meeting_rewrites_exactly_its_cells(world):
    meetings = records(world)
    compliance.refresh_changes(years=[YEAR], today=DEC_31)
    before = stored()
    branch = world.branch_a.pk
    march = (branch, "theme_day", f"{YEAR}-03")
    assert before[march][1:3] == (1, 1)  # required 1, held 1

    # The March theme day really took place in May: March falls short, May is met.
    with unscoped("test: edit the record"):
        Meeting.objects.filter(pk=meetings["theme_day"].pk).update(starts_at=at(dt.date(YEAR, 5, 14)))
    changes = compliance.refresh_changes(years=[YEAR], today=DEC_31)
    after = stored()
    may = (branch, "theme_day", f"{YEAR}-05")
    assert changes == Changes(cells=len(before), added=0, changed=2, removed=0)
    assert {key for key in before if after[key] != before[key]} == {march, may}
    assert after[march][2:] == (0, 0, None, None, "overdue")  # held, recorded, quorum, rate, status
    assert after[may][2:4] == (1, 1) and after[may][-1] == "met"
    assert before[may][-1] == "overdue"

    # Attendance of the assembly changes: only its quarter's cell is rewritten.
    with unscoped("test: edit the record"):
        Meeting.objects.filter(pk=meetings["assembly"].pk).update(attended_count=2)
    assert compliance.refresh_changes(years=[YEAR], today=DEC_31).changed == 1
    q1 = (branch, "general_assembly", f"{YEAR}Q1")
    assert stored()[q1][5] == pytest.approx(2 / meetings["assembly"].expected_count)
    assert {key for key, value in stored().items() if value != after[key]} == {q1}


def test_cells_no_longer_derived_are_removed_and_others_kept(world):
    records(world)
    compliance.refresh_changes(years=[YEAR], today=DEC_31)
    before = stored()
    committee_cells = {key for key in before if key[1] == "committee_meeting"}
    assert len(committee_cells) == 12
    # The branch loses its committee (fewer than three committee posts): its 支委会 cells go, nothing else moves.
    with unscoped("test: posts end"):
        Position.objects.filter(org=world.branch_a).exclude(post="secretary").update(ended_on=dt.date(YEAR, 12, 1))
    changes = compliance.refresh_changes(years=[YEAR], today=DEC_31)
    assert changes == Changes(cells=len(before) - 12, added=0, changed=0, removed=12)
    assert stored() == {key: value for key, value in before.items() if key not in committee_cells}


def test_incremental_refresh_touches_only_its_org(world):
    records(world)
    compliance.refresh_changes(years=[YEAR], today=DEC_31)
    before = stored()
    with unscoped("test: edit the record"):
        Meeting.objects.filter(org=world.branch_b).delete()
        Meeting.objects.filter(org=world.branch_a, kind="theme_day").delete()
    changes = compliance.refresh_changes(org_ids=[world.branch_a.pk], years=[YEAR], today=DEC_31)
    assert changes.changed == 1 and changes.added == changes.removed == 0
    changed = {key for key, value in stored().items() if value != before[key]}
    assert changed == {(world.branch_a.pk, "theme_day", f"{YEAR}-03")}  # branch B waits for its own refresh


def test_when_most_cells_go_the_table_ends_as_a_fresh_write_would(world):
    records(world)
    compliance.refresh_changes(years=[YEAR], today=DEC_31)
    jan_15 = dt.date(YEAR, 1, 15)
    changes = compliance.refresh_changes(years=[YEAR], today=jan_15)  # most periods had not begun yet
    assert changes.removed > changes.cells > 0
    after = {key: value[1:] for key, value in stored().items()}  # figures, without ids
    with unscoped("test: empty table"):
        ComplianceCell.objects.all().delete()
    assert compliance.refresh_changes(years=[YEAR], today=jan_15).added == changes.cells
    assert {key: value[1:] for key, value in stored().items()} == after
    assert after[(world.branch_a.pk, "theme_day", f"{YEAR}-01")][-1] == "due"


def test_refreshing_an_org_that_is_no_branch_or_group_changes_nothing(world):
    records(world)
    compliance.refresh_changes(years=[YEAR], today=DEC_31)
    before = stored()
    assert compliance.refresh_changes(org_ids=[world.county.pk], years=[YEAR]) == Changes()
    assert compliance.refresh_changes(org_ids=[], years=[YEAR]) == Changes()
    assert stored() == before
