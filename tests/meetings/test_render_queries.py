"""Query shapes of the daily meetings pages (issue 15): counts that do not grow with the rows, and no join that
makes PostgreSQL read every organization of the province to label one page of meetings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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
