"""换届: terms from rule data, reminders six months ahead (deduplicated), the election at a recorded 支部党员大会
with the 4/5 quorum and 差额, and the new committee taking office from the record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.meetings import services as meeting_services
from dangjian.membership import reminders, selectors, services
from dangjian.orgs.models import Position
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.helpers import at, committed


def test_term_states_and_deduplicated_reminders(world):
    world.branch_a.term_started_on = dt.date(2024, 3, 1)
    world.branch_a.save()
    world.branch_b.term_started_on = dt.date(2022, 3, 1)
    world.branch_b.save()
    today = dt.date(2026, 10, 1)
    states = {r.org.pk: r for r in selectors.terms(world.county_admin, today)}
    assert states[world.branch_a.pk].state == "due" and states[world.branch_a.pk].ends_on == dt.date(2027, 3, 1)
    assert states[world.branch_b.pk].state == "overdue"
    assert selectors.term_state(world.branch_a, dt.date(2026, 8, 31)).state == "ok"
    assert selectors.term_state(world.branch_a, dt.date(2026, 9, 1)).state == "due"
    sent = reminders.send(today)
    assert sent == reminders.send(today) + sent  # the second run sends nothing
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert {"secretary", "outsider", "county_admin"} <= users and "member" not in users


def _assembly(world, day, absent=0):
    voters = [p for p in world.members_a]
    statuses = {p.pk: ("absent", "") for p in voters[:absent]}
    with committed():
        return meeting_services.record_new_meeting(
            actor=world.secretary,
            org=world.branch_a,
            kind="general_assembly",
            topic="换届选举大会",
            starts_at=at(day),
            roster=None,
            statuses=statuses,
            minutes="选举",
        )


def test_election_needs_four_fifths_present_and_competitive_candidates(world):
    for i in range(5):
        MembershipFactory(
            person=PersonFactory(name=f"补充党员{i}", org=world.branch_a, school=world.school_a), stage="full"
        )
    meeting = _assembly(world, dt.date(2026, 9, 1), absent=2)  # 8 of 10 present: not more than 4/5
    names = {p.name: p.pk for p in selectors.full_members(world.secretary, world.branch_a)}
    votes = {names["甲书记"]: 8, names["甲党员"]: 7, names["甲校党员0"]: 6, names["甲校党员1"]: 2}
    with pytest.raises(ValidationError, match="差额"):
        services.record_election(actor=world.secretary, meeting=meeting, seats=3, votes=dict(list(votes.items())[:3]))
    election = services.record_election(actor=world.secretary, meeting=meeting, seats=3, votes=votes)
    assert (election.entitled, election.present, election.valid) == (10, 8, False)
    with pytest.raises(ValidationError, match="五分之四"):
        services.apply_election(actor=world.secretary, election=election)

    meeting = _assembly(world, dt.date(2026, 9, 20), absent=1)  # 9 of 10
    election = services.record_election(
        actor=world.secretary,
        meeting=meeting,
        seats=3,
        votes={**votes, names["甲校党员0"]: 4},
        posts={names["甲书记"]: "secretary", names["甲党员"]: "organization"},
    )
    assert election.valid
    elected = sorted(c.person.name for c in election.candidates.all() if c.elected)
    assert elected == ["甲书记", "甲党员"]  # 4 of 9 is not more than half
    services.apply_election(actor=world.secretary, election=election)
    world.branch_a.refresh_from_db()
    assert world.branch_a.term_started_on == dt.date(2026, 9, 20)
    with unscoped("test"):
        current = {(p.person.name, p.post) for p in Position.objects.filter(org=world.branch_a, ended_on__isnull=True)}
    assert current == {("甲书记", "secretary"), ("甲党员", "organization")}
    with pytest.raises(ValidationError, match="已生效"):
        services.apply_election(actor=world.secretary, election=election)


def test_terms_page(world, login):
    assert login(world.county_admin).get("/membership/terms/").status_code == 200
    assert login(world.member).get("/membership/terms/").status_code == 403
