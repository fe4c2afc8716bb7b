"""The rules as plain functions: quorum, votes, the 优秀 cap, all read from the rule data."""

import datetime as dt

import pytest

from dangjian.meetings import logic
from dangjian.meetings.logic import Row

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def kinds(db):
    return logic.kind_rules(on=DAY)


def rows(present: int, absent: int, *, probationary_present: int = 0, committee: bool = False):
    return (
        [Row("present", True, committee)] * present
        + [Row("absent", True, committee)] * absent
        + [Row("present", False, False)] * probationary_present
    )


def test_rule_data_cites_articles_and_frequencies(kinds):
    assert kinds["general_assembly"]["period"] == "quarter"
    assert kinds["committee_meeting"]["period"] == "month"
    assert kinds["group_meeting"]["period"] == "month"
    assert kinds["theme_day"]["period"] == "month"
    assert kinds["party_lecture"]["period"] == "quarter" and kinds["party_lecture"]["local_practice"]
    assert kinds["org_life_meeting"]["period"] == "year" and kinds["org_life_meeting"]["usual_quarter"] == 4
    assert kinds["member_review"]["period"] == "year"
    assert kinds["heart_talk"]["per_member"]
    for rule in kinds.values():
        assert "条" in rule["article"]


def test_general_assembly_quorum_is_more_than_half_of_voting_members(kinds):
    rule = kinds["general_assembly"]
    assert logic.quorum_met(rule, rows(3, 2)) is True
    assert logic.quorum_met(rule, rows(2, 2)) is False  # exactly half is not "半数以上"
    # probationary members attending do not make up the quorum
    assert logic.quorum_met(rule, rows(2, 3, probationary_present=5)) is False


def test_committee_quorum_counts_committee_members_only(kinds):
    rule = kinds["committee_meeting"]
    committee = [Row("present", True, True), Row("present", True, True), Row("leave", True, True)]
    assert logic.quorum_met(rule, committee + [Row("absent", True, False)] * 5) is True
    assert logic.quorum_met(rule, committee[:1] + [Row("absent", True, True)] * 2) is False
    assert logic.quorum_met(kinds["theme_day"], committee) is None


def test_motion_below_quorum_is_not_valid(kinds):
    outcome = logic.motion_outcome(kinds["general_assembly"], rows(2, 3), yes=2, no=0, abstain=0)
    assert not outcome.valid and not outcome.passed
    assert "无效" in outcome.message


def test_motion_passes_only_with_yes_over_half_of_entitled(kinds):
    rule = kinds["general_assembly"]
    # 10 voting members entitled, 6 present: 5 yes is not more than half of 10
    assert not logic.motion_outcome(rule, rows(6, 4), yes=5, no=1, abstain=0).passed
    passed = logic.motion_outcome(rule, rows(6, 4), yes=6, no=0, abstain=0)
    assert passed.valid and passed.passed and passed.entitled == 10 and passed.present_voting == 6


def test_probationary_members_have_no_vote(kinds):
    outcome = logic.motion_outcome(
        kinds["general_assembly"], rows(3, 2, probationary_present=4), yes=3, no=0, abstain=0
    )
    assert outcome.entitled == 5 and outcome.present_voting == 3 and outcome.passed
    assert logic.vote_problem(yes=4, no=0, abstain=0, present_voting=3)  # more votes than voters present


def test_excellent_cap_one_third(db):
    rule = logic.review_rules(on=DAY)
    assert logic.excellent_problem(rule, excellent=3, participants=9) is None
    message = logic.excellent_problem(rule, excellent=4, participants=9)
    assert message and "1/3" in message and "最多3人" in message
