"""The quorum rules of the two meetings, at the half and two-thirds boundaries, against an independent
computation with exact fractions (hypothesis)."""

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from dangjian.leadership import logic
from dangjian.meetings import logic as meeting_logic

DAY = dt.date(2026, 6, 1)
bodies = st.integers(min_value=1, max_value=60)


def rules():
    return logic.values(on=DAY)


def test_rule_data_cites_its_sources():
    values = rules()
    assert values["quorum"]["ordinary"] == {"more_than": [1, 2], "source": values["quorum"]["ordinary"]["source"]}
    assert "半数以上" in values["quorum"]["ordinary"]["source"]
    assert values["quorum"]["cadre"]["at_least"] == [2, 3]
    assert "三分之二以上" in values["quorum"]["cadre"]["source"]
    cats = values["categories"]
    assert {k for k, c in cats.items() if c["major"]} == {"major_decision", "cadre", "major_project", "large_funds"}
    assert [k for k, c in cats.items() if c["cadre"]] == ["cadre"]
    assert cats["teaching"]["label"] == "教育教学" and cats["administration"]["label"] == "日常行政"
    assert values["one_person"] == {"committee": False, "general_branch": False, "branch": True}


@given(base=bodies, data=st.data())
def test_ordinary_quorum_is_strictly_more_than_half(base, data):
    present = data.draw(st.integers(min_value=0, max_value=base))
    rule = logic.quorum_rule(rules(), "teaching")
    assert logic.meets(present, base, rule) == (Fraction(present, base) > Fraction(1, 2))


@given(base=bodies, data=st.data())
def test_cadre_quorum_is_at_least_two_thirds(base, data):
    present = data.draw(st.integers(min_value=0, max_value=base))
    rule = logic.quorum_rule(rules(), "cadre")
    assert logic.meets(present, base, rule) == (Fraction(present, base) >= Fraction(2, 3))


@given(half=st.integers(min_value=1, max_value=30))
def test_exactly_half_is_not_enough_and_one_more_is(half):
    rule = rules()["quorum"]["ordinary"]
    assert not logic.meets(half, 2 * half, rule)
    assert logic.meets(half + 1, 2 * half, rule)


@given(third=st.integers(min_value=1, max_value=20))
def test_exactly_two_thirds_is_enough_and_one_fewer_is_not(third):
    rule = rules()["quorum"]["cadre"]
    assert logic.meets(2 * third, 3 * third, rule)
    assert not logic.meets(2 * third - 1, 3 * third, rule)


def test_no_body_no_quorum():
    assert not logic.meets(0, 0, rules()["quorum"]["ordinary"])
    assert not logic.meets(0, 0, rules()["quorum"]["cadre"])


@given(base=bodies, data=st.data())
def test_the_meetings_app_reads_the_same_half_for_the_two_kinds(base, data):
    """A meeting's own quorum_met (meetings' machinery, rule data of the two kinds) agrees with the leadership rule."""
    present = data.draw(st.integers(min_value=0, max_value=base))
    rows = [meeting_logic.Row("present", True, True)] * present + [meeting_logic.Row("absent", True, True)] * (
        base - present
    )
    for kind in ("party_org_meeting", "principal_office_meeting"):
        rule = meeting_logic.kind_rules(on=DAY)[kind]
        assert meeting_logic.quorum_met(rule, rows) == logic.meets(present, base, rules()["quorum"]["ordinary"])
