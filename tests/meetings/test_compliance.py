"""Compliance is derived from the records: the derivation must equal a brute-force count.

hypothesis generates meeting histories for a year; a second test checks the stored table for the whole
generated demo county (示范县) against a count made straight from the meeting rows."""

import calendar
import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance, logic
from dangjian.meetings.compliance import MeetingFact, OrgFact
from dangjian.meetings.models import Attendance, ComplianceCell, Meeting

YEAR = 2026
RULES = logic.kind_rules(on=dt.date(YEAR, 1, 1))  # no org path: the file's values, no database needed
KINDS = list(RULES)


def spans(period_kind: str, year: int) -> list[tuple[dt.date, dt.date]]:
    """Periods of a year, written out by hand (independently of core.periods)."""
    if period_kind == "month":
        return [(dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, 13)]
    if period_kind == "quarter":
        return [
            (dt.date(year, 3 * q - 2, 1), dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]))
            for q in range(1, 5)
        ]
    return [(dt.date(year, 1, 1), dt.date(year, 12, 31))]


def brute_force(orgs, meetings, rules, year, today):
    result = {}
    for org in orgs:
        for kind, rule in rules.items():
            target = rule["applies_to"]
            if target not in ("branch", "committee", "group"):  # school leadership meetings: no branch owes them
                continue
            if target == "branch" and org.org_kind != "branch":
                continue
            if target == "committee" and not (org.org_kind == "branch" and org.has_committee):
                continue
            if target == "group" and org.org_kind != "group":
                continue
            for start, end in spans(rule["period"], year):
                if start > today:
                    continue
                counted = [
                    m
                    for m in meetings
                    if m.org_id == org.org_id
                    and m.kind == kind
                    and start <= m.day <= end
                    and m.held
                    and m.quorum_met is not False
                ]
                if rule.get("per_member"):
                    required = rule["count"] * len(org.member_ids)
                    held = len({p for m in counted for p in m.attendee_ids if p in org.member_ids})
                else:
                    required, held = rule["count"], len(counted)
                status = "met" if held >= required else ("overdue" if end < today else "due")
                result[(org.org_id, kind, start)] = (required, held, status)
    return result


def derived(orgs, meetings, rules, year, today):
    cells = compliance.derive(
        orgs=orgs,
        meetings=meetings,
        rules_for=lambda org, day: rules,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        today=today,
    )
    return {(c.org_id, c.kind, c.period.start): (c.required, c.held, c.status) for c in cells}


people = st.frozensets(st.integers(1, 12), max_size=8)
orgs_strategy = st.lists(
    st.builds(
        OrgFact,
        org_id=st.integers(1, 6),
        org_kind=st.sampled_from(["branch", "group"]),
        has_committee=st.booleans(),
        member_ids=people,
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda o: o.org_id,
)
days = st.dates(min_value=dt.date(YEAR, 1, 1), max_value=dt.date(YEAR, 12, 31))
meeting_strategy = st.builds(
    MeetingFact,
    org_id=st.integers(1, 6),
    kind=st.sampled_from(KINDS),
    day=days,
    held=st.booleans(),
    quorum_met=st.sampled_from([None, True, False]),
    expected=st.integers(0, 20),
    attended=st.integers(0, 20),
    attendee_ids=people,
)


@settings(max_examples=300, deadline=None)
@given(orgs=orgs_strategy, meetings=st.lists(meeting_strategy, max_size=80), today=days)
def test_derivation_equals_brute_force(orgs, meetings, today):
    assert derived(orgs, meetings, RULES, YEAR, today) == brute_force(orgs, meetings, RULES, YEAR, today)


@settings(max_examples=100, deadline=None)
@given(orgs=orgs_strategy, meetings=st.lists(meeting_strategy, max_size=40), today=days)
def test_attendance_rate_and_quorum_per_cell(orgs, meetings, today):
    for cell in compliance.derive(
        orgs=orgs,
        meetings=meetings,
        rules_for=lambda org, day: RULES,
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 12, 31),
        today=today,
    ):
        inside = [
            m
            for m in meetings
            if m.org_id == cell.org_id
            and m.kind == cell.kind
            and m.held
            and cell.period.start <= m.day <= cell.period.end
        ]
        expected = sum(m.expected for m in inside)
        assert cell.attendance_rate == (sum(m.attended for m in inside) / expected if expected else None)
        assert cell.recorded == len(inside)
        if RULES[cell.kind].get("quorum") and inside:
            assert cell.quorum_met == all(m.quorum_met for m in inside)
        else:
            assert cell.quorum_met is None


@pytest.mark.django_db
def test_demo_county_table_matches_an_independent_count():
    """Every branch and group of the generated 示范县: the stored table equals a count from the raw rows."""
    today = dt.date(YEAR, 11, 25)
    call_command("generate", profile="county", seed=3, today=today, only="meetings", stdout=io.StringIO())
    facts = compliance.org_facts()
    with unscoped("test: raw rows"):
        talks = {}
        for meeting_id, person_id in Attendance.objects.filter(
            meeting__kind="heart_talk", status__in=["present", "online"]
        ).values_list("meeting_id", "person_id"):
            talks.setdefault(meeting_id, set()).add(person_id)
        meetings = [
            MeetingFact(
                org_id=m.org_id,
                kind=m.kind,
                day=m.day,
                held=m.status == "held",
                quorum_met=m.quorum_met,
                attendee_ids=frozenset(talks.get(m.pk, ())),
            )
            for m in Meeting.objects.exclude(status="cancelled")
        ]
        stored = {
            (c.org_id, c.kind, c.period_start): (c.required, c.held, c.status) for c in ComplianceCell.objects.all()
        }
    expected = brute_force(facts, meetings, RULES, YEAR, today)
    assert len(expected) > 1000
    assert stored == expected
    statuses = {v[2] for v in stored.values()}
    assert {"met", "overdue", "due"} <= statuses  # some branches lag: the county sees real gaps
