"""Knowledge contests: drawing, shuffling, server-side grading and timing, attempts, and results by school."""

import datetime as dt
import json
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.learning import papers, selectors, services
from dangjian.learning.models import Attempt, Question
from dangjian.orgs.models import Membership, Person
from tests.factories import OrgFactory, SchoolFactory, new_id_number
from tests.learning.helpers import make_bank, make_contest


@pytest.fixture
def contest(world):
    bank = make_bank(world.county, single=8, multiple=6, true_false=6, fill=4)
    return make_contest(world.county, bank)


def _correct_display(attempt):
    """The right answers as the person saw them (after the shuffle)."""
    questions = {q.id: q for q in Question.all_objects.filter(id__in=[e["q"] for e in attempt.paper])}
    answers = {}
    for entry in attempt.paper:
        q = questions[entry["q"]]
        if q.kind in ("single", "multiple"):
            answers[str(q.id)] = "".join(
                papers.LETTERS[entry["order"].index(papers.LETTERS.index(ch))] for ch in q.answer
            )
        elif q.kind == "true_false":
            answers[str(q.id)] = "对" if q.answer == "T" else "错"
        else:
            answers[str(q.id)] = q.answer.split("|")[0]
    return answers


def test_a_paper_follows_the_rules_and_stores_a_shuffled_order(world, contest):
    attempt = services.start_attempt(actor=world.member, contest=contest, rng=random.Random(7))
    questions = {q.id: q for q in Question.all_objects.filter(id__in=[e["q"] for e in attempt.paper])}
    kinds = [questions[e["q"]].kind for e in attempt.paper]
    assert kinds.count("single") == 4 and kinds.count("multiple") == 2 and kinds.count("fill") == 1
    assert (
        sum(1 for e in attempt.paper if questions[e["q"]].kind == "single" and questions[e["q"]].topic == "党章") >= 2
    )
    orders = [e["order"] for e in attempt.paper if e["order"]]
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders)
    assert any(o != [0, 1, 2, 3] for o in orders), "options are shuffled"
    assert attempt.max_score == contest.max_score == 18


def test_answers_in_displayed_letters_are_graded_against_the_original(world, contest):
    attempt = services.start_attempt(actor=world.member, contest=contest, rng=random.Random(3))
    graded = services.submit_attempt(actor=world.member, attempt=attempt, answers=_correct_display(attempt))
    assert graded.score == contest.max_score


def test_multiple_choice_is_all_or_nothing_unless_partial(world, contest):
    for partial, expected in ((False, Decimal(0)), (True, Decimal("1.0"))):
        contest.partial_credit = partial
        contest.save()
        Attempt.all_objects.filter(contest=contest).delete()
        attempt = services.start_attempt(actor=world.member, contest=contest, rng=random.Random(5))
        answers = {}
        questions = {q.id: q for q in Question.all_objects.filter(id__in=[e["q"] for e in attempt.paper])}
        multi = next(e for e in attempt.paper if questions[e["q"]].kind == "multiple")
        # One of the two right options (A of "AC"), as displayed.
        answers[str(multi["q"])] = papers.LETTERS[multi["order"].index(0)]
        graded = services.submit_attempt(actor=world.member, attempt=attempt, answers=answers)
        assert graded.score == expected


def test_answers_after_the_time_limit_are_refused(world, contest):
    contest.time_limit_minutes = 10
    contest.save()
    t0 = timezone.now()
    attempt = services.start_attempt(actor=world.member, contest=contest, now=t0)
    assert attempt.deadline == t0 + dt.timedelta(minutes=10)
    with pytest.raises(ValidationError, match="已超过作答时限"):
        services.submit_attempt(
            actor=world.member, attempt=attempt, answers={}, now=t0 + dt.timedelta(minutes=10, seconds=31)
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    # Within the limit (and the 30 s grace for the network) the answers are taken.
    late_but_in_grace = services.submit_attempt(
        actor=world.member, attempt=attempt, answers={}, now=t0 + dt.timedelta(minutes=10, seconds=29)
    )
    assert late_but_in_grace.submitted_at is not None


def test_an_expired_attempt_counts_and_the_limit_holds(world, contest):
    contest.time_limit_minutes = 5
    contest.attempts_allowed = 2
    contest.save()
    t0 = timezone.now()
    first = services.start_attempt(actor=world.member, contest=contest, now=t0)
    assert services.start_attempt(actor=world.member, contest=contest, now=t0 + dt.timedelta(minutes=1)) == first
    second = services.start_attempt(actor=world.member, contest=contest, now=t0 + dt.timedelta(minutes=7))
    assert second.number == 2
    services.submit_attempt(actor=world.member, attempt=second, answers={}, now=t0 + dt.timedelta(minutes=8))
    with pytest.raises(ValidationError, match="2次作答机会"):
        services.start_attempt(actor=world.member, contest=contest, now=t0 + dt.timedelta(minutes=20))


def test_only_the_audience_may_take_part(world, contest):
    with pytest.raises(ValidationError, match="参赛对象"):
        services.start_attempt(actor=world.teacher, contest=contest)  # not a Party member
    contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()
    with pytest.raises(ValidationError, match="开放时间"):
        services.start_attempt(actor=world.member, contest=contest)


def test_a_submitted_paper_cannot_be_submitted_again(world, contest):
    attempt = services.start_attempt(actor=world.member, contest=contest)
    services.submit_attempt(actor=world.member, attempt=attempt, answers={})
    with pytest.raises(ValidationError, match="不能重复提交"):
        services.submit_attempt(actor=world.member, attempt=attempt, answers=_correct_display(attempt))


def test_taking_a_contest_over_the_api(world, contest, api_client):
    client = api_client(world.member)
    started = client.post(f"/api/v1/learning/contests/{contest.pk}/attempts")
    assert started.status_code == 200, started.content
    body = started.json()
    assert all(q["correct"] == "" and q["explanation"] == "" for q in body["questions"]), "no answers before submit"
    attempt = Attempt.all_objects.get(pk=body["id"])
    answers = _correct_display(attempt)
    done = client.post(
        f"/api/v1/learning/attempts/{attempt.pk}/answers",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert done.status_code == 200
    assert Decimal(str(done.json()["score"])) == contest.max_score
    assert all(q["right"] for q in done.json()["questions"])


def test_nobody_sees_another_person_s_answers(world, contest, login, api_client):
    other = world.members_a[2]
    other.user = world.users["assessor"].__class__.objects.create_user("other_member", password="x")
    other.save()
    attempt = services.start_attempt(actor=other.user, contest=contest)
    services.submit_attempt(actor=other.user, attempt=attempt, answers=_correct_display(attempt))
    for user in (world.member, world.secretary, world.county_admin, world.outsider):
        assert login(user).get(reverse("learning:attempt", args=[attempt.pk])).status_code == 404
        assert api_client(user).get(f"/api/v1/learning/attempts/{attempt.pk}").status_code == 404
    assert login(other.user).get(reverse("learning:attempt", args=[attempt.pk])).status_code == 200
    results = login(world.county_admin).get(reverse("learning:contest_results", args=[contest.pk]))
    assert results.status_code == 200
    assert other.name not in results.content.decode()


def _bulk_school(county, name, n):
    branch = OrgFactory(name=f"{name}党支部", parent=county)
    school = SchoolFactory(name=name, org=branch)
    people = Person.all_objects.bulk_create(
        [Person(name=f"{name}{i}", gender="F", id_number=new_id_number(), school=school, org=branch) for i in range(n)]
    )
    Membership.all_objects.bulk_create([Membership(person=p, stage="full") for p in people])
    return school, people


def test_three_hundred_members_and_the_per_school_table(world, contest, django_assert_max_num_queries, login):
    rng = random.Random(11)
    schools = [_bulk_school(world.county, f"测试{k}校", n) for k, n in enumerate((120, 100, 80))]
    everyone = [p for _s, people in schools for p in people]
    expected_scores = defaultdict(list)
    rows = []
    for person in everyone:
        if rng.random() < 0.25:
            continue  # did not take part
        best = None
        for number in range(1, rng.choice((1, 1, 2)) + 1):
            score = Decimal(rng.randrange(0, 19))
            rows.append(
                Attempt(contest=contest, person=person, number=number, submitted_at=timezone.now(), score=score)
            )
            best = score if best is None else max(best, score)
        if rng.random() < 0.1:  # an attempt started and never submitted does not count
            rows.append(Attempt(contest=contest, person=person, number=9))
        expected_scores[person.school_id].append(best)
    Attempt.all_objects.bulk_create(rows)
    assert len(everyone) == 300

    with django_assert_max_num_queries(4):
        table = {r.school_id: r for r in selectors.contest_results(world.county_admin, contest)}
    for school, people in schools:
        row = table[school.id]
        got = expected_scores[school.id]
        assert row.eligible == len(people)
        assert row.participants == len(got)
        assert row.average == (sum(got) / len(got)).quantize(Decimal("0.1"))
    assert table[world.school_a.id].eligible == len(world.members_a) and table[world.school_a.id].participants == 0

    # A school's secretary sees their own school's row only.
    mine = selectors.contest_results(world.secretary, contest)
    assert [r.school_id for r in mine] == [world.school_a.id]

    response = login(world.county_admin).get(reverse("learning:contest_results", args=[contest.pk]))
    assert response.status_code == 200
    assert "测试0校" in response.content.decode()


def test_contest_list_queries_do_not_grow(world, django_assert_max_num_queries, login):
    bank = make_bank(world.county)
    for i in range(30):
        make_contest(world.county, bank, title=f"竞赛{i}")
    client = login(world.member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning:contests") + "?per_page=100").status_code == 200
