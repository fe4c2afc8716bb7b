"""Query shapes of the daily meetings pages (issue 15): counts that do not grow with the rows, and no join that
makes PostgreSQL read every organization of the province to label one page of meetings."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.meetings import services
from tests.meetings.helpers import held, plan
from tests.meetings.test_pages import many_meetings


def test_meeting_list_reads_its_orgs_by_id_not_by_join(world, login):
    many_meetings(world, 30)
    client = login(world.users["secretary"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/meetings/")
    assert response.status_code == 200
    page_queries = [q["sql"] for q in captured if 'FROM "meetings_meeting"' in q["sql"] and "LIMIT" in q["sql"]]
    assert page_queries and all('JOIN "orgs_org"' not in sql for sql in page_queries)
    assert world.branch_a.name in response.content.decode()


def test_my_meetings_equals_upcoming_and_year_read_apart(world):
    from django.utils import timezone

    from dangjian.meetings import selectors
    from tests.meetings.helpers import held, plan

    user = world.users["member"]
    user.person = world.people["member"]
    for i in range(3):
        plan(world, topic=f"计划{i}", day=timezone.localdate() + dt.timedelta(days=2 + i))
        held(world, topic=f"已开{i}", day=timezone.localdate() - dt.timedelta(days=1 + i))
    year = timezone.localdate().year
    upcoming, summary = selectors.my_meetings(user, year, upcoming=2, recent=2)
    assert [a.pk for a in upcoming] == [a.pk for a in selectors.my_upcoming(user)[:2]]
    apart = selectors.my_year(user, year, recent=2)
    assert (summary.attended, summary.leave, summary.absent, summary.hours) == (
        apart.attended,
        apart.leave,
        apart.absent,
        apart.hours,
    )
    assert [a.pk for a in summary.recent] == [a.pk for a in apart.recent]


def test_my_page_queries_do_not_grow_with_meetings(world, login):
    from django.urls import reverse
    from django.utils import timezone

    from tests.meetings.helpers import held, plan

    client = login(world.users["member"])
    client.get(reverse("core:me"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:me"))
    for i in range(4):
        plan(world, topic=f"计划{i}", day=timezone.localdate() + dt.timedelta(days=2 + i))
        held(world, kind="party_lecture", topic=f"党课{i}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("core:me"))
    assert "计划3" in response.content.decode() and "党课3" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    roster_reads = [q for q in after.captured_queries if 'FROM "meetings_attendance"' in q["sql"]]
    assert len(roster_reads) == 1  # upcoming, the year and its meeting hours in one read


def test_compliance_cells_show_link_title_and_text_as_the_template_did(world, login):
    from dangjian.meetings.models import ComplianceCell
    from tests.meetings.helpers import held

    meeting = held(world, kind="theme_day")
    cell = ComplianceCell.all_objects.get(
        org=world.branch_a, kind="theme_day", period_start__lte=meeting.day, period_end__gte=meeting.day
    )
    client = login(world.users["secretary"])
    with CaptureQueriesContext(connection) as first:
        html = client.get(f"/meetings/compliance/{world.branch_a.pk}/").content.decode()
    link = (
        f"/meetings/?org={world.branch_a.pk}&kind=theme_day"
        f"&start={cell.period_start:%Y-%m-%d}&end={cell.period_end:%Y-%m-%d}"
    )
    rate = f" · 出席率{round(cell.attendance_rate * 100)}%" if cell.attendance_rate is not None else ""
    title = f"{cell.period_key} {cell.get_status_display()}{rate}"
    text = f"{cell.held}/{cell.required}{'!' if cell.quorum_met is False else ''}"
    assert f'<a class="cell {cell.status}" href="{link}" title="{title}">{text}' in html
    for i in range(3):
        held(world, kind="party_lecture", topic=f"党课{i}")
    with CaptureQueriesContext(connection) as again:
        client.get(f"/meetings/compliance/{world.branch_a.pk}/")
    assert len(again.captured_queries) == len(first.captured_queries)


def test_my_page_shows_the_same_meeting_hours_as_the_hours_source(world, login):
    from django.urls import reverse
    from django.utils import timezone

    from dangjian.learning import selectors as learning_selectors
    from tests.meetings.helpers import held

    for i in range(3):
        held(world, kind="party_lecture", topic=f"党课{i}", day=timezone.localdate() - dt.timedelta(days=1 + i))
    held(world, kind="theme_day", topic="主题党日")
    user = world.users["member"]
    user.person = world.people["member"]
    # outside 我的: read by the hours source itself
    [party, *_rest] = learning_selectors.my_hours(user, timezone.localdate())
    meeting_hours = sum(i.hours for i in party.items if i.url.startswith("/meetings/"))
    assert meeting_hours > 0
    html = login(user).get(reverse("core:me")).content.decode()
    assert f"党课、主题党日计 {meeting_hours} 学时" in html


def test_meeting_page_reads_own_row_only_before_and_grades_only_for_a_review(world, login):
    """A held 主题党日 does not read the viewer's own row (asking for leave is over) nor review grades; a planned one
    shows the member their leave form."""
    client = login(world.users["member"])
    done = held(world, topic="已开的主题党日")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/meetings/{done.pk}/").content.decode()
    sql = [q["sql"] for q in captured]
    assert "已开的主题党日" in page and "我的出席" not in page
    assert not any('FROM "meetings_reviewgrade"' in s for s in sql)
    ahead = plan(world, topic="下周的主题党日")
    page = client.get(f"/meetings/{ahead.pk}/").content.decode()
    assert "我的出席" in page and 'name="reason"' in page


def test_a_review_meeting_page_still_shows_its_grades(world, login):
    review = held(world, kind="member_review", topic="年度民主评议")
    excellent = world.members_a[0]
    services.set_review_grades(actor=world.users["secretary"], meeting=review, grades={excellent.pk: "excellent"})
    page = login(world.users["member"]).get(f"/meetings/{review.pk}/").content.decode()
    assert f"{excellent.name}：优秀" in page
