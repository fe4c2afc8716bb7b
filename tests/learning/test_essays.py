"""Essay contests: blind review, aggregation, awards, and the consenting public winners list."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.learning import scoring, services
from dangjian.learning.models import CallStatus, Essay
from tests.factories import GrantFactory, UserFactory
from tests.learning.helpers import PDF, make_call


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([80], "80.00"),
        ([70, 90], "80.00"),
        ([60, 70, 80, 99], "77.25"),  # 4 judges: plain mean
        ([50, 70, 80, 90, 100], "80.00"),  # 5 judges: drop 50 and 100
        ([10, 80, 80, 80, 80, 100], "80.00"),
        ([85, 85, 85, 85, 85], "85.00"),  # ties: one of each extreme dropped
        (["88.5", "90", "91.5", "70", "99"], "90.00"),
    ],
)
def test_aggregation_drops_extremes_with_five_or_more_judges(totals, expected):
    assert scoring.aggregate([Decimal(str(t)) for t in totals], drop_extremes_min_judges=5) == Decimal(expected)


def test_the_threshold_is_rule_data():
    assert scoring.aggregate([Decimal(v) for v in (0, 50, 100)], drop_extremes_min_judges=3) == 50
    assert scoring.aggregate([Decimal(v) for v in (0, 50, 100)], drop_extremes_min_judges=5) == 50
    assert scoring.aggregate([Decimal(v) for v in (0, 60, 60)], drop_extremes_min_judges=3) == 60
    assert scoring.aggregate([Decimal(v) for v in (0, 60, 60)], drop_extremes_min_judges=5) == 40
    with pytest.raises(ValueError):
        scoring.aggregate([])


def test_awards_by_tier_and_rank():
    scores = {1: Decimal(90), 2: Decimal(95), 3: Decimal(70), 4: Decimal(90), 5: Decimal(60)}
    awards = scoring.award(
        scores, [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}], {1: "ZW2", 4: "ZW1"}
    )
    assert awards == {2: "一等奖", 4: "二等奖", 1: "二等奖"}
    assert scoring.award({1: Decimal(1)}, [{"name": "一等奖", "count": 3}]) == {1: "一等奖"}


@pytest.fixture
def judges(world):
    found = []
    for i in range(5):
        user = UserFactory(username=f"judge{i}")
        GrantFactory(user=user, org=world.county, role="assessor")
        found.append(user)
    return found


def _closed(call):
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()


def test_a_judge_never_sees_the_author_until_the_scores_are_final(world, judges, login, api_client):
    call = make_call(world.county, judges)
    essay = services.submit_essay(
        actor=world.teacher,
        call=call,
        title="我的教育故事",
        text="三尺讲台",
        consent_public=True,
        upload=SimpleUploadedFile("张老师的作品.pdf", PDF),
    )
    author = world.people["teacher"].name
    assert author not in essay.file.name and "张老师" not in essay.file.name
    _closed(call)
    judge = judges[0]
    page = login(judge).get(reverse("learning:judge", args=[call.pk])).content.decode()
    assert essay.blind_code in page and "三尺讲台" in page
    assert author not in page
    listed = api_client(judge).get(f"/api/v1/learning/essays/{call.pk}/judging").content.decode()
    assert (
        essay.blind_code in listed and author not in listed and author.encode("unicode_escape").decode() not in listed
    )
    assert "person" not in json.loads(listed)["items"][0]
    assert author not in login(judge).get(reverse("learning:call", args=[call.pk])).content.decode()

    for i, j in enumerate(judges):
        services.review_essay(actor=j, essay=essay, scores={"思想性": 30 + i, "文采": 50})
    services.finalize_call(actor=world.county_admin, call=call)
    after = login(judge).get(reverse("learning:call", args=[call.pk])).content.decode()
    assert author in after


def test_finalize_aggregates_awards_and_publishes_consenting_winners(world, judges, login, client):
    call = make_call(world.county, judges)
    a = services.submit_essay(actor=world.teacher, call=call, title="甲", text="x", consent_public=True)
    b = services.submit_essay(actor=world.member, call=call, title="乙", text="x", consent_public=False)
    c = services.submit_essay(actor=world.outsider, call=call, title="丙", text="x", consent_public=True)
    _closed(call)
    marks = {a.id: [60, 70, 80, 90, 100], b.id: [95, 95, 95, 95, 0], c.id: [50, 50, 50, 50, 50]}
    for essay in (a, b, c):
        for j, total in zip(judges, marks[essay.id], strict=True):
            services.review_essay(actor=j, essay=essay, scores={"思想性": min(total, 40), "文采": max(total - 40, 0)})
    with pytest.raises(ValidationError):
        services.finalize_call(actor=world.member, call=call)
    services.finalize_call(actor=world.county_admin, call=call)
    got = {e.id: e for e in Essay.all_objects.filter(call=call)}
    assert got[a.id].final_score == Decimal("80.00")
    assert got[b.id].final_score == Decimal("95.00")
    assert got[c.id].final_score == Decimal("50.00")
    assert (got[b.id].award, got[a.id].award, got[c.id].award) == ("一等奖", "二等奖", "二等奖")
    public = client.get(reverse("learning:winners", args=[call.pk])).content.decode()
    assert world.people["teacher"].name in public and world.people["outsider"].name in public
    assert world.people["member"].name not in public  # did not consent
    with pytest.raises(ValidationError, match="已公布"):
        services.review_essay(actor=judges[0], essay=a, scores={"思想性": 1, "文采": 1})


def test_finalize_waits_for_every_judge(world, judges):
    call = make_call(world.county, judges[:2])
    essay = services.submit_essay(actor=world.teacher, call=call, title="甲", text="x")
    _closed(call)
    services.review_essay(actor=judges[0], essay=essay, scores={"思想性": 30, "文采": 40})
    with pytest.raises(ValidationError, match="还有1份评分未完成"):
        services.finalize_call(actor=world.county_admin, call=call)
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_reviews_are_checked(world, judges):
    call = make_call(world.county, judges[:1])
    essay = services.submit_essay(actor=world.teacher, call=call, title="甲", text="x")
    with pytest.raises(ValidationError, match="截止后"):
        services.review_essay(actor=judges[0], essay=essay, scores={"思想性": 30, "文采": 40})
    _closed(call)
    with pytest.raises(ValidationError, match="0到40"):
        services.review_essay(actor=judges[0], essay=essay, scores={"思想性": 41, "文采": 40})
    with pytest.raises(ValidationError, match="不是本次征文的评委"):
        services.review_essay(actor=world.secretary, essay=essay, scores={"思想性": 1, "文采": 1})
    with pytest.raises(ValidationError, match="已截止"):
        services.submit_essay(actor=world.member, call=call, title="迟到", text="x")


def test_one_essay_each_and_files_are_validated(world, judges):
    call = make_call(world.county, judges[:1])
    services.submit_essay(actor=world.teacher, call=call, title="甲", text="x")
    with pytest.raises(ValidationError, match="限投一篇"):
        services.submit_essay(actor=world.teacher, call=call, title="甲2", text="x")
    with pytest.raises(ValidationError):
        services.submit_essay(
            actor=world.member, call=call, title="乙", upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00evil")
        )
    assert not Essay.all_objects.filter(call=call, person=world.people["member"]).exists()


def test_the_winners_page_is_404_before_final(world, judges, client):
    call = make_call(world.county, judges[:1])
    assert client.get(reverse("learning:winners", args=[call.pk])).status_code == 404


def test_a_judge_cannot_judge_a_call_they_entered(world, judges):
    call = make_call(world.county, [world.teacher, judges[0]])
    with pytest.raises(ValidationError, match="评委，不能投稿"):
        services.submit_essay(actor=world.teacher, call=call, title="自评", text="x")
    # An entry made before its author was named a judge: the author still cannot score that call.
    other = make_call(world.county, judges[:1])
    own = services.submit_essay(actor=world.member, call=other, title="我的", text="x")
    theirs = services.submit_essay(actor=world.teacher, call=other, title="别人的", text="x")
    other.judges.add(world.member)
    _closed(other)
    for essay in (own, theirs):
        with pytest.raises(ValidationError, match="投过稿，不能担任评委"):
            services.review_essay(actor=world.member, essay=essay, scores={"思想性": 30, "文采": 40})
    assert services.review_essay(actor=judges[0], essay=theirs, scores={"思想性": 30, "文采": 40}).total == 70
