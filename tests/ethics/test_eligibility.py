"""The one eligibility check. Periods are [starts_on, ends_on): on ends_on the teacher is eligible again."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.ethics.eligibility import PURPOSES, Restriction, add_months, compute, eligible, eligible_many
from tests.ethics.factories import SanctionFactory
from tests.factories import PersonFactory

D = dt.date
ALL = frozenset({"award", "promotion", "title"})


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 3, 15), 6, D(2026, 9, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 11, 30), 24, D(2028, 11, 30)),
        (D(2026, 12, 1), 1, D(2027, 1, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_warning_ends_on_the_day_its_six_months_are_up():
    warning = Restriction("warning", D(2026, 3, 15), add_months(D(2026, 3, 15), 6), ALL)
    assert compute([warning], on=D(2026, 3, 14), purpose="award").ok
    last_day = compute([warning], on=D(2026, 9, 14), purpose="award")
    assert not last_day.ok
    assert last_day.eligible_from == D(2026, 9, 15)
    assert last_day.reasons[0].ends_on == D(2026, 9, 15)
    assert compute([warning], on=D(2026, 9, 15), purpose="award").ok


def test_overlapping_sanctions_end_with_the_last_one():
    warning = Restriction("warning", D(2026, 1, 1), D(2026, 7, 1), ALL)
    demerit = Restriction("demerit", D(2026, 3, 1), D(2027, 3, 1), ALL)
    result = compute([warning, demerit], on=D(2026, 2, 1), purpose="promotion")
    assert not result.ok
    assert [r.kind for r in result.reasons] == ["warning"]  # the demerit had not started on 1 February
    assert result.eligible_from == D(2027, 3, 1)  # but it follows on without a gap
    assert not compute([warning, demerit], on=D(2027, 2, 28), purpose="promotion").ok
    assert compute([warning, demerit], on=D(2027, 3, 1), purpose="promotion").ok


def test_touching_periods_chain_but_a_gap_does_not():
    first = Restriction("warning", D(2026, 1, 1), D(2026, 7, 1), ALL)
    touching = Restriction("demerit", D(2026, 7, 1), D(2027, 7, 1), ALL)
    later = Restriction("demerit", D(2026, 7, 2), D(2027, 7, 2), ALL)
    assert compute([first, touching], on=D(2026, 3, 1), purpose="award").eligible_from == D(2027, 7, 1)
    assert compute([first, later], on=D(2026, 3, 1), purpose="award").eligible_from == D(2026, 7, 1)
    assert compute([first, later], on=D(2026, 7, 1), purpose="award").ok


def test_disqualification_touches_only_its_purposes():
    title_only = Restriction("disqualification", D(2026, 1, 1), D(2028, 1, 1), frozenset({"title"}))
    assert compute([title_only], on=D(2026, 6, 1), purpose="award").ok
    assert not compute([title_only], on=D(2026, 6, 1), purpose="title").ok


def test_dismissal_has_no_end():
    dismissal = Restriction("dismissal", D(2026, 1, 1), None, ALL)
    result = compute([dismissal], on=D(2040, 1, 1), purpose="award")
    assert not result.ok
    assert result.eligible_from is None
    assert result.summary() == "不符合条件"


def test_unknown_purpose_is_refused():
    with pytest.raises(ValueError):
        compute([], on=D(2026, 1, 1), purpose="popularity")


restriction = st.builds(
    lambda offset, months, purposes, kind: Restriction(
        kind,
        D(2025, 1, 1) + dt.timedelta(days=offset),
        None if months is None else add_months(D(2025, 1, 1) + dt.timedelta(days=offset), months),
        frozenset(purposes),
    ),
    st.integers(0, 900),
    st.one_of(st.sampled_from([6, 12, 24]), st.integers(24, 40), st.none()),
    st.sets(st.sampled_from(PURPOSES), min_size=1, max_size=3),
    st.sampled_from(["warning", "demerit", "demotion", "disqualification", "veto"]),
)


def _covered(history, day, purpose):
    """The day-by-day reading of a history, written independently of compute()."""
    return any(purpose in r.purposes and r.starts_on <= day and (r.ends_on is None or day < r.ends_on) for r in history)


@settings(max_examples=150, deadline=None)
@given(
    history=st.lists(restriction, max_size=6),
    offset=st.integers(0, 2000),
    purpose=st.sampled_from(PURPOSES),
)
def test_eligibility_over_generated_histories(history, offset, purpose):
    """Against a day-by-day reading of the history: ineligible exactly on covered days, and when not, every
    day until `eligible_from` is covered and `eligible_from` itself is not (eligible again that day)."""
    day = D(2025, 1, 1) + dt.timedelta(days=offset)
    result = compute(history, on=day, purpose=purpose)
    assert result.ok == (not _covered(history, day, purpose))
    if result.ok:
        assert result.eligible_from == day and result.reasons == ()
        return
    assert all(r.starts_on <= day and (r.ends_on is None or day < r.ends_on) for r in result.reasons)
    if result.eligible_from is None:
        # never eligible again: some period without end is reached without a gap
        permanent = min(r.starts_on for r in history if r.ends_on is None and purpose in r.purposes)
        step = day
        while step <= permanent:
            assert _covered(history, step, purpose), step
            step += dt.timedelta(days=1)
        return
    again = result.eligible_from
    assert again > day
    assert not _covered(history, again, purpose)
    assert compute(history, on=again, purpose=purpose).ok
    step = day
    while step < again:
        assert _covered(history, step, purpose), step
        step += dt.timedelta(days=1)
    # eligible again on the day the last period of the chain ends
    assert again in {r.ends_on for r in history}


@settings(max_examples=60, deadline=None)
@given(history=st.lists(restriction, min_size=1, max_size=5), purpose=st.sampled_from(PURPOSES))
def test_eligible_again_on_the_day_the_last_period_ends(history, purpose):
    ends = [r.ends_on for r in history if purpose in r.purposes]
    if not ends or None in ends:
        return
    last = max(ends)
    assert compute(history, on=last, purpose=purpose).ok
    assert not compute(history, on=last - dt.timedelta(days=1), purpose=purpose).ok


def test_eligible_reads_sanctions_and_honours_revocation(db):
    person = PersonFactory()
    SanctionFactory(person=person, kind="demerit", starts_on=D(2026, 1, 10), ends_on=D(2027, 1, 10))
    SanctionFactory(
        person=person, kind="warning", starts_on=D(2026, 2, 1), ends_on=D(2026, 8, 1), revoked_on=D(2026, 2, 1)
    )
    assert not eligible(person, on=D(2026, 6, 1), purpose="award").ok
    assert eligible(person, on=D(2027, 1, 10), purpose="award").ok
    assert eligible(person, on=D(2026, 6, 1), purpose="salary").ok
    overturned = PersonFactory()
    SanctionFactory(person=overturned, starts_on=D(2026, 1, 1), ends_on=D(2026, 7, 1), revoked_on=D(2026, 3, 1))
    assert not eligible(overturned, on=D(2026, 2, 28), purpose="award").ok
    assert eligible(overturned, on=D(2026, 3, 1), purpose="award").ok


def test_eligible_many_is_one_query(db, django_assert_num_queries):
    people = [PersonFactory() for _ in range(30)]
    for p in people[::3]:
        SanctionFactory(person=p)
    with django_assert_num_queries(1):
        results = eligible_many([p.pk for p in people], on=D(2026, 5, 1), purpose="award")
    assert [results[p.pk].ok for p in people[:3]] == [False, True, True]
