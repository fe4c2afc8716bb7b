"""The county lag view's cells: what each shows is worked out by the selector (text, state, link)."""

from __future__ import annotations

from django.utils import timezone

from dangjian.meetings import compliance, selectors
from tests.meetings.helpers import held


def test_a_cell_shows_met_over_started_and_links_to_that_kinds_meetings(world, login):
    held(world, kind="theme_day")
    year = timezone.localdate().year
    compliance.refresh(years=[year])
    user = world.users["county_admin"]
    [row] = selectors.county_rows(user, [world.branch_a], year)
    cell = row.by_kind["theme_day"]
    assert cell["text"] == f"{cell['met']}/{cell['cells']}" and cell["met"] >= 1
    assert cell["css"] == ("overdue" if cell["overdue"] else "met" if cell["met"] == cell["cells"] else "due")
    link = f"/meetings/?org={world.branch_a.pk}&kind=theme_day&start={year}-01-01&end={year}-12-31"
    assert cell["href"] == link
    page = login(user).get("/meetings/county/").content.decode()
    assert f'href="{link.replace("&", "&amp;")}">{cell["text"]}</a>' in page


def test_the_heart_talk_cell_shows_people_talked_with_over_members(world):
    year = timezone.localdate().year
    compliance.refresh(years=[year])
    [row] = selectors.county_rows(world.users["county_admin"], [world.branch_a], year)
    talk = row.by_kind.get("heart_talk")
    assert talk is not None and talk["text"] == f"{talk['held']}/{talk['required']}"
