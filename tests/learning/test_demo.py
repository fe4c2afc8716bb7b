"""The demo county: 300 members take the county contest, and the organizer's table by school is correct."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from dangjian.learning import selectors
from dangjian.learning.models import Attempt, Contest, Question
from dangjian.orgs.models import MEMBER_STAGES, Person


@pytest.fixture
def demo(db):
    call_command("generate", profile="county", seed=1, stdout=io.StringIO())
    return get_user_model().objects.get(username="county")


def test_the_demo_contest_and_its_table_by_school(demo, login):
    assert Question.all_objects.count() == 100
    contest = Contest.all_objects.get()
    submitted = Attempt.all_objects.filter(contest=contest, submitted_at__isnull=False)
    assert submitted.values("person").distinct().count() == 300

    # Independently: best score per person, grouped by school; eligible = active members per school.
    best: dict[int, Decimal] = {}
    school_of: dict[int, int] = {}
    for person_id, school_id, score in submitted.values_list("person_id", "person__school_id", "score"):
        best[person_id] = max(best.get(person_id, score), score)
        school_of[person_id] = school_id
    by_school = defaultdict(list)
    for person_id, score in best.items():
        by_school[school_of[person_id]].append(score)
    eligible = defaultdict(int)
    for school_id in Person.all_objects.filter(is_active=True, membership__stage__in=MEMBER_STAGES).values_list(
        "school_id", flat=True
    ):
        eligible[school_id] += 1

    table = selectors.contest_results(demo, contest)
    assert sum(r.participants for r in table) == 300
    for row in table:
        scores = by_school.get(row.school_id, [])
        assert row.eligible == eligible[row.school_id]
        assert row.participants == len(scores)
        assert row.average == ((sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None)

    page = login(demo).get(reverse("learning:contest_results", args=[contest.pk])).content.decode()
    some = next(r for r in table if r.participants)
    assert some.school_name in page
    # No individual appears on the organizer's table.
    taker = Person.all_objects.get(pk=next(iter(best)))
    assert taker.name not in page


def test_the_demo_member_sees_hours_and_can_take_the_contest(demo, login):
    member = get_user_model().objects.get(username="member1")
    client = login(member)
    assert (
        "还差" in client.get(reverse("learning:hours")).content.decode()
        or "已达标" in client.get(reverse("learning:hours")).content.decode()
    )
    contest = Contest.all_objects.get()
    response = client.post(reverse("learning:contest_start", args=[contest.pk]))
    assert response.status_code == 302 and "/learning/attempts/" in response["Location"]
