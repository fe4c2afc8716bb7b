"""Drawing papers by rules, shuffling options and grading: plain functions, checked with hypothesis."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.learning import papers
from dangjian.learning.papers import Q

TOPICS = ["党章", "条例", "师德"]


@st.composite
def banks_and_rules(draw):
    questions = []
    n = draw(st.integers(min_value=1, max_value=60))
    for i in range(n):
        kind = draw(st.sampled_from(papers.KINDS))
        questions.append(Q(i + 1, kind, draw(st.sampled_from(TOPICS)), "A", 4 if kind in ("single", "multiple") else 0))
    rules = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        rules.append(
            {
                "kind": draw(st.sampled_from(papers.KINDS)),
                "topic": draw(st.sampled_from(["", *TOPICS])),
                "count": draw(st.integers(min_value=1, max_value=8)),
            }
        )
    return questions, rules


def _required(rules):
    specific, general = Counter(), Counter()
    for r in rules:
        if r["topic"]:
            specific[(r["kind"], r["topic"])] += r["count"]
        else:
            general[r["kind"]] += r["count"]
    return specific, general


@settings(max_examples=300, deadline=None)
@given(banks_and_rules(), st.integers(min_value=0, max_value=2**32))
def test_a_drawn_paper_respects_the_rules(case, seed):
    questions, rules = case
    specific, general = _required(rules)
    by_kind_topic = Counter((q.kind, q.topic) for q in questions)
    by_kind = Counter(q.kind for q in questions)
    feasible = all(by_kind_topic[k] >= n for k, n in specific.items()) and all(
        by_kind[kind] - sum(n for (k, _t), n in specific.items() if k == kind) >= n for kind, n in general.items()
    )
    assert (papers.check_rules(rules, questions) == []) == feasible
    if not feasible:
        with pytest.raises(ValueError):
            papers.draw(rules, questions, random.Random(seed))
        return
    paper = papers.draw(rules, questions, random.Random(seed))
    ids = [q.id for q in paper]
    assert len(ids) == len(set(ids)), "no question twice"
    assert set(ids) <= {q.id for q in questions}
    assert len(paper) == sum(r["count"] for r in rules)
    got_kind = Counter(q.kind for q in paper)
    for kind in papers.KINDS:
        assert got_kind[kind] == sum(n for (k, _t), n in specific.items() if k == kind) + general[kind]
    got_kind_topic = Counter((q.kind, q.topic) for q in paper)
    for key, n in specific.items():
        assert got_kind_topic[key] >= n, "each topic rule gets at least its count"
    order = [papers.KINDS.index(q.kind) for q in paper]
    assert order == sorted(order), "questions grouped by kind, as exams are"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=6), st.integers(min_value=0, max_value=2**32), st.data())
def test_shuffled_letters_map_back_to_the_question_s_own(option_count, seed, data):
    order = papers.shuffled_order(option_count, random.Random(seed))
    assert sorted(order) == list(range(option_count))
    original = data.draw(st.sets(st.integers(min_value=0, max_value=option_count - 1), min_size=1))
    # The person sees option `orig` at display position order.index(orig).
    displayed = "".join(papers.LETTERS[order.index(i)] for i in original)
    assert papers.to_original(displayed, order) == "".join(sorted(papers.LETTERS[i] for i in original))


MULTI = Q(1, "multiple", "党章", "ACD", 5)


@pytest.mark.parametrize(
    ("given", "partial", "points"),
    [
        ("ACD", False, Decimal(2)),
        ("DCA", False, Decimal(2)),
        ("AC", False, Decimal(0)),  # all-or-nothing by default
        ("ABCD", False, Decimal(0)),
        ("", False, Decimal(0)),
        ("AC", True, Decimal("1.0")),  # partial: some right, none wrong
        ("AB", True, Decimal(0)),  # a wrong choice earns nothing
        ("ACDE", True, Decimal(0)),
        ("ACD", True, Decimal(2)),
    ],
)
def test_multiple_choice_grading(given, partial, points):
    assert papers.grade(MULTI, given, 2, partial=partial, partial_share=0.5) == points


def test_single_true_false_and_fill_in():
    assert papers.grade(Q(1, "single", "", "B", 4), "B", 2) == 2
    assert papers.grade(Q(1, "single", "", "B", 4), "BC", 2) == 0
    assert papers.grade(Q(1, "true_false", "", "T"), "对", 2) == 2
    assert papers.grade(Q(1, "true_false", "", "T"), "F", 2) == 0
    fill = Q(1, "fill", "", "服务|为人民服务")
    assert papers.grade(fill, " 为人民 服务 ", 2) == 2
    assert papers.grade(fill, "ＳＥＲＶＥ", 2) == 0
    assert papers.grade(Q(1, "fill", "", "CPC"), "ｃｐｃ", 2) == 2  # full-width and case folded


def test_rules_that_cannot_be_met_are_explained_in_chinese():
    questions = [Q(1, "single", "党章", "A", 4), Q(2, "single", "条例", "A", 4)]
    problems = papers.check_rules([{"kind": "single", "topic": "党章", "count": 2}], questions)
    assert problems and "党章" in problems[0]
    assert papers.check_rules([], questions) == ["至少需要一条抽题规则。"]
