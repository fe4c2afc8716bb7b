"""换届选举 as a secretary enters it: one line per full member of the branch (votes, and the post if elected),
on the page and through the API; 预备党员 cannot be candidates; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.scoping import unscoped
from dangjian.membership.models import Election
from dangjian.orgs.models import Position
from tests.factories import MembershipFactory, PersonFactory
from tests.membership.test_terms import _assembly


def _names(world) -> dict[str, int]:
    return {p.name: p.pk for p in world.members_a}


def _probationer(world):
    """A 预备党员 of branch A: they vote at no election and cannot be elected."""
    person = PersonFactory(name="甲预备党员", org=world.branch_a, school=world.school_a)
    MembershipFactory(person=person, stage="probationary")
    return person


def _elections() -> int:
    with unscoped("test"):
        return Election.all_objects.count()


def test_the_form_lists_full_members_only_and_records_votes_and_posts(world, login):
    probationer = _probationer(world)
    meeting = _assembly(world, dt.date(2026, 9, 20))
    names = _names(world)
    client = login(world.secretary)
    url = reverse("membership:election_new", kwargs={"org_pk": world.branch_a.pk})
    page = client.get(url).content.decode()
    assert f'name="votes_{names["甲书记"]}"' in page and f'name="post_{names["甲书记"]}"' in page
    assert "甲预备党员" not in page and f"votes_{probationer.pk}" not in page
    assert "组织委员" in page  # the posts are offered by their Chinese names

    data = {
        "meeting": meeting.pk,
        "seats": 2,
        f"votes_{names['甲书记']}": "5",
        f"post_{names['甲书记']}": "secretary",
        f"votes_{names['甲党员']}": "5",
        f"post_{names['甲党员']}": "organization",
        f"votes_{names['甲校党员0']}": "1",
        f"votes_{names['甲校党员1']}": "",  # not a candidate
    }
    response = client.post(url, data)
    assert response.status_code == 302
    with unscoped("test"):
        election = Election.all_objects.get()
        candidates = {c.person.name: (c.votes, c.elected, c.post) for c in election.candidates.all()}
    assert candidates == {
        "甲书记": (5, True, "secretary"),
        "甲党员": (5, True, "organization"),
        "甲校党员0": (1, False, ""),
    }

    shown = client.get(reverse("membership:election", kwargs={"pk": election.pk})).content.decode()
    assert "当选（书记）" in shown and "当选（组织委员）" in shown and shown.count("当选（") == 2

    assert client.post(reverse("membership:election_apply", kwargs={"pk": election.pk})).status_code == 302
    with unscoped("test"):
        current = {(p.person.name, p.post) for p in Position.objects.filter(org=world.branch_a, ended_on__isnull=True)}
    assert current == {("甲书记", "secretary"), ("甲党员", "organization")}


def test_bad_entries_are_refused_in_chinese_and_change_nothing(world, login):
    meeting = _assembly(world, dt.date(2026, 9, 20))
    names = _names(world)
    client = login(world.secretary)
    url = reverse("membership:election_new", kwargs={"org_pk": world.branch_a.pk})
    nobody = client.post(url, {"meeting": meeting.pk, "seats": 1})
    assert nobody.status_code == 400 and "请为每名候选人填写得票数" in nobody.content.decode()
    too_many = client.post(url, {"meeting": meeting.pk, "seats": 1, f"votes_{names['甲书记']}": "99"})
    assert too_many.status_code == 400 and "得票数不能超过" in too_many.content.decode()
    negative = client.post(url, {"meeting": meeting.pk, "seats": 1, f"votes_{names['甲书记']}": "-1"})
    assert negative.status_code == 400
    odd_post = client.post(
        url, {"meeting": meeting.pk, "seats": 1, f"votes_{names['甲书记']}": "3", f"post_{names['甲书记']}": "boss"}
    )
    assert odd_post.status_code == 400
    assert _elections() == 0


def test_the_api_records_reads_and_applies_an_election(world, api_client):
    probationer = _probationer(world)
    meeting = _assembly(world, dt.date(2026, 9, 20))
    names = _names(world)
    client = api_client(world.secretary)
    url = f"/api/v1/membership/orgs/{world.branch_a.pk}/elections"

    def post(candidates, seats=2, meeting_id=meeting.pk):
        body = {"meeting_id": meeting_id, "seats": seats, "candidates": candidates}
        return client.post(url, body, content_type="application/json")

    refused = post([{"person_id": probationer.pk, "votes": 3}, {"person_id": names["甲书记"], "votes": 3}])
    assert refused.status_code == 422 and "预备党员没有被选举权" in refused.json()["detail"][0]
    odd_post = post([{"person_id": names["甲书记"], "votes": 3, "post": "boss"}], seats=1)
    assert odd_post.status_code == 422 and "书记、副书记、组织委员" in odd_post.json()["detail"][0]
    assert post([{"person_id": names["甲书记"], "votes": 3}], seats=1, meeting_id=0).status_code == 422
    twice = [{"person_id": names["甲书记"], "votes": 3}, {"person_id": names["甲书记"], "votes": 2}]
    assert post(twice).status_code == 422
    assert _elections() == 0

    created = post(
        [
            {"person_id": names["甲书记"], "votes": 5, "post": "secretary"},
            {"person_id": names["甲党员"], "votes": 5},
            {"person_id": names["甲校党员0"], "votes": 1},
        ]
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["entitled"], body["present"], body["valid"], body["applied"]) == (5, 5, True, False)
    elected = {c["person_name"]: c["post"] for c in body["candidates"] if c["elected"]}
    assert elected == {"甲书记": "secretary", "甲党员": ""}

    assert client.get(f"/api/v1/membership/elections/{body['id']}").json()["seats"] == 2
    assert [e["id"] for e in client.get("/api/v1/membership/elections").json()["items"]] == [body["id"]]
    applied = client.post(f"/api/v1/membership/elections/{body['id']}/apply")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    again = client.post(f"/api/v1/membership/elections/{body['id']}/apply")
    assert again.status_code == 422 and "已生效" in again.json()["detail"][0]

    # The list reads the candidates of every election at once: a second election costs no more queries.
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/membership/elections")
    second = _assembly(world, dt.date(2026, 10, 20))
    assert post([{"person_id": names["甲党员"], "votes": 5}], seats=1, meeting_id=second.pk).status_code == 201
    with CaptureQueriesContext(connection) as two:
        listed = client.get("/api/v1/membership/elections").json()["items"]
    assert len(listed) == 2 and len(two) == len(one)

    # another school's secretary reads nothing and records nothing here
    outsider = api_client(world.outsider)
    assert outsider.get(f"/api/v1/membership/elections/{body['id']}").status_code == 404
    other = outsider.post(
        url, {"meeting_id": meeting.pk, "seats": 1, "candidates": []}, content_type="application/json"
    )
    assert other.status_code == 404
