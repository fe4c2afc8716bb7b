import datetime as dt

from django.utils import timezone

from dangjian.core.models import ApiToken, AuditEntry
from tests.conftest import SECRET_NAME_A


def test_token_round_trip(world, client):
    response = client.post(
        "/api/v1/auth/token", {"username": "secretary", "password": "dangjian-test-pw"}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get().digest == ApiToken.hash(token)  # only the hash is stored
    people = client.get("/api/v1/orgs/people", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert people.status_code == 200
    names = {p["name"] for p in people.json()["items"]}
    assert SECRET_NAME_A in names and "乙书记" not in names
    assert all("*" in p["id_number"] for p in people.json()["items"])


def test_wrong_password_and_expired_token_are_refused(world, client):
    response = client.post(
        "/api/v1/auth/token", {"username": "secretary", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401 and "不正确" in response.json()["detail"]
    token, raw = ApiToken.issue(world.secretary)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/orgs/orgs", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_api_lists_are_scoped_and_paginated(world, api_client, django_assert_max_num_queries):
    client = api_client(world.secretary)
    orgs = client.get("/api/v1/orgs/orgs").json()
    assert {o["name"] for o in orgs["items"]} == {"甲校党支部", "第一党小组"}
    with django_assert_max_num_queries(6):
        page = client.get("/api/v1/orgs/people", {"limit": 2}).json()
    assert page["count"] == 6 and len(page["items"]) == 2


def test_org_detail_reports_warnings(world, api_client):
    body = api_client(world.county_admin).get(f"/api/v1/orgs/orgs/{world.branch_a.pk}").json()
    assert body["full_members"] == 5 and body["warnings"] == []


def test_patch_person_writes_through_the_service(world, api_client):
    person = world.people["teacher"]
    response = api_client(world.secretary).patch(
        f"/api/v1/orgs/people/{person.pk}", {"job": "副校长"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["job"] == "副校长"

    assert AuditEntry.objects.filter(action="update", object_id=str(person.pk)).exists()
    empty = api_client(world.secretary).patch(f"/api/v1/orgs/people/{person.pk}", {}, content_type="application/json")
    assert empty.status_code == 400 and "没有要修改的字段" in empty.json()["detail"]


def test_openapi_declares_error_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/orgs/people/{person_id}"]["get"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])
