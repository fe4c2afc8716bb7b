"""The roster page's counts (issue 15): members and committee of an org and its children in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.orgs import selectors
from dangjian.orgs.models import Stage
from tests.factories import MembershipFactory, OrgFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_branch_stats_counts_members_and_committee_in_one_query(world):
    group = world.group_a
    for i in range(2):
        MembershipFactory(
            person=PersonFactory(org=group, school=world.school_a), stage=Stage.PROBATIONARY, full_on=None
        )
    PositionFactory(org=world.branch_a, person=world.members_a[1], post="organization")
    empty = OrgFactory(kind="branch", name="空支部", parent=world.county)
    user = world.users["county_admin"]
    orgs = [world.branch_a, group, world.branch_b, empty]
    selectors.branch_stats(user, orgs)  # the user's grants and subtree, read once per user object
    with CaptureQueriesContext(connection) as captured:
        stats = selectors.branch_stats(user, orgs)
    assert len(captured.captured_queries) == 1
    a = stats[world.branch_a.id]
    assert (a.full, a.probationary, a.committee) == (len(world.members_a), 0, 2)
    assert (stats[group.id].full, stats[group.id].probationary, stats[group.id].committee) == (0, 2, 0)
    assert (stats[world.branch_b.id].full, stats[world.branch_b.id].committee) == (len(world.members_b), 1)
    assert (stats[empty.id].full, stats[empty.id].probationary, stats[empty.id].committee) == (0, 0, 0)


def test_branch_stats_are_scoped(world):
    # A branch secretary of school A does not count school B's members.
    stats = selectors.branch_stats(world.users["secretary"], [world.branch_a, world.branch_b])
    assert stats[world.branch_a.id].full == len(world.members_a)
    assert stats[world.branch_b.id].full == 0 and stats[world.branch_b.id].committee == 0


def test_roster_page_queries_do_not_grow_with_people(world, login):
    client = login(world.users["secretary"])
    url = f"/orgs/{world.branch_a.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        MembershipFactory(person=PersonFactory(org=world.branch_a, school=world.school_a, name=f"新党员{i}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
