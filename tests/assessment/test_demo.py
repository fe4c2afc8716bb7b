"""The demo county carries a complete assessment round (issue 4, done means)."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dangjian.assessment.models import (
    LineStatus,
    ObservationScore,
    ObservationVisit,
    Rectification,
    Result,
    ResultLine,
    Round,
    Score,
)
from dangjian.assignments.models import Assignment, Status, Target
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import School


def test_demo_county_has_a_complete_round_scores_a_ranking_and_gap_reports(db):
    call_command("generate", profile="county", seed=1, stdout=StringIO())
    with unscoped("test"):
        annual = Round.objects.get(kind="annual")
        schools = School.objects.count()
        results = list(Result.objects.filter(round=annual))
        assert len(results) == schools
        # Derived indicators computed for every school (B1 from the county's assignments).
        computed = ResultLine.objects.filter(result__round=annual, status=LineStatus.COMPUTED)
        assert computed.values("result__school").distinct().count() == schools
        assert not computed.filter(evidence_url="").exists()
        # Assessor scores for a sample, not for everyone.
        scored_schools = Score.objects.filter(round=annual).values("school").distinct().count()
        assert 0 < scored_schools < schools
        assert not ResultLine.objects.filter(result__round=annual, status=LineStatus.SCORED, detail="").exists()
        # A ranking.
        ranks = sorted(r.rank for r in results if r.rank is not None)
        assert ranks[0] == 1 and len(ranks) == schools
        # The county's assignment to all schools has mixed statuses with some overdue.
        first = Assignment.objects.order_by("due_on").first()
        statuses = set(Target.objects.filter(assignment=first).values_list("status", flat=True))
        assert {Status.DONE, Status.PENDING} <= statuses
        assert ObservationScore.objects.exists()
        # A past observation meeting, closed: two groups with leaders, an observer without an account, every
        # sheet sent, its problems now rectification items (one reported done).
        event = ObservationVisit.objects.get()
        assert event.is_closed and event.groups.count() == 2
        assert (
            event.observers.filter(user__isnull=True).count() == 1
            and event.observers.filter(is_leader=True).count() == 2
        )
        assert event.sheets.count() == event.observers.count() * event.stops.count()
        assert Rectification.objects.filter(problem__visit=event, status="done").count() == 1
        mine = Result.objects.get(round=annual, school__name__endswith="实验小学")

    users = get_user_model().objects
    county, secretary = Client(), Client()
    county.force_login(users.get(username="county"), backend="django.contrib.auth.backends.ModelBackend")
    secretary.force_login(users.get(username="secretary1"), backend="django.contrib.auth.backends.ModelBackend")
    for result in results[:20]:
        assert county.get(reverse("assessment:gap", args=[result.pk])).status_code == 200
    page = secretary.get(reverse("assessment:gap", args=[mine.pk])).content.decode()
    assert "差距分析" in page and "/assignments/?org=" in page
    assert county.get(reverse("assessment:round", args=[annual.pk])).status_code == 200
