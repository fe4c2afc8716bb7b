"""The day-one API contracts: people, grants with a new login's one-time password, the forced password change,
leavers and logout. The org and school routes are another part's; here they are made through the services."""

import datetime as dt
import io
import os
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dangjian.core.models import ApiToken
from dangjian.core.scoping import unscoped
from dangjian.orgs import services
from dangjian.orgs.models import Grant, Org, OrgKind, Person
from tests.factories import PersonFactory, SchoolFactory

BAD_ID = "110105194912310021"
GOOD_ID = "11010519491231002X"


def _post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def _token(username, password):
    return _post(Client(), "/api/v1/auth/token", {"username": username, "password": password})


def _bearer(raw):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_day_one_through_the_api(db):
    with mock.patch.dict(os.environ, {"BOOTSTRAP_PASSWORD": "Day1-admin-pass-2026"}):
        call_command("bootstrap", "--name", "测试县", "--admin", "day1admin", stdout=io.StringIO())
    response = _token("day1admin", "Day1-admin-pass-2026")
    assert response.status_code == 200
    admin = _bearer(response.json()["token"])
    root = admin.get("/api/v1/orgs/orgs").json()["items"][0]["id"]
    with unscoped("test: the org and school routes belong to another part"):
        branch = services.create_org(
            actor=None, kind=OrgKind.BRANCH, name="测试县第一小学党支部", parent=Org.objects.get(pk=root)
        )
        SchoolFactory(name="测试县第一小学", org=branch)

    bad = _post(admin, "/api/v1/orgs/people", {"org_id": branch.pk, "name": "李四", "id_number": BAD_ID})
    assert bad.status_code == 422 and "身份证号" in str(bad.json()["detail"])
    created = _post(admin, "/api/v1/orgs/people", {"org_id": branch.pk, "name": "张三", "id_number": GOOD_ID})
    assert created.status_code == 201
    person = created.json()
    assert person["gender"] == "F" and person["birth_date"] == "1949-12-31"

    creds = None
    for role, org in (
        ("secretary", branch.pk),
        ("care_officer", root),
        ("ethics_officer", root),
        ("discipline_officer", root),
        ("publicity", root),
        ("assessor", root),
    ):
        granted = _post(admin, "/api/v1/orgs/grants", {"person_id": person["id"], "org_id": org, "role": role})
        assert granted.status_code == 201, (role, granted.content)
        assert granted.headers["Cache-Control"] == "no-store"
        if granted.json()["one_time_password"]:
            assert creds is None  # only the grant that opened the login shows a password
            creds = (granted.json()["username"], granted.json()["one_time_password"])
    username, otp = creds
    assert username == "zhangsan"

    refused = _token(username, otp)
    assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
    assert "修改密码" in refused.json()["detail"]
    changed = _post(
        Client(), "/api/v1/auth/password", {"username": username, "old_password": otp, "new_password": "Zs-new-2026!"}
    )
    assert changed.status_code == 200
    secretary = _bearer(_token(username, "Zs-new-2026!").json()["token"])
    assert secretary.get("/api/v1/orgs/people").status_code == 200

    today = timezone.localdate().isoformat()
    left = _post(admin, f"/api/v1/orgs/people/{person['id']}/leave", {"on": today, "reason": "调离"})
    assert left.status_code == 200 and left.json()["left_reason"] == "transferred"
    assert secretary.get("/api/v1/orgs/people").status_code == 401

    assert _post(admin, "/api/v1/auth/logout", {}).status_code == 200
    assert admin.get("/api/v1/orgs/orgs").status_code == 401


def test_logout_revokes_only_the_token_it_is_called_with(world):
    _first, raw_first = ApiToken.issue(world.secretary)
    _second, raw_second = ApiToken.issue(world.secretary)
    assert _post(_bearer(raw_first), "/api/v1/auth/logout", {}).status_code == 200
    assert _bearer(raw_first).get("/api/v1/orgs/orgs").status_code == 401
    assert _bearer(raw_second).get("/api/v1/orgs/orgs").status_code == 200
    assert _post(Client(), "/api/v1/auth/logout", {}).status_code == 401


def test_a_role_the_caller_may_not_grant_answers_403(world, api_client):
    person = world.people["member"]
    body = {"person_id": person.pk, "org_id": world.branch_a.pk, "role": "secretary"}
    response = _post(api_client(world.secretary), "/api/v1/orgs/grants", body)
    assert response.status_code == 403 and "支部书记" in response.json()["detail"]
    body["role"] = "committee_member"
    assert _post(api_client(world.secretary), "/api/v1/orgs/grants", body).status_code == 201
    body["role"] = "no_such_role"
    assert _post(api_client(world.secretary), "/api/v1/orgs/grants", body).status_code == 422


def test_a_refused_grant_opens_no_login(world, api_client):
    person = PersonFactory(name="无账号", org=world.branch_a, school=world.school_a)
    body = {"person_id": person.pk, "org_id": world.branch_a.pk, "role": "county_admin"}
    assert _post(api_client(world.secretary), "/api/v1/orgs/grants", body).status_code == 403
    person.refresh_from_db()
    assert person.user_id is None


def test_grants_outside_the_persons_line_are_refused(world, api_client):
    person = world.people["member"]
    body = {"person_id": person.pk, "org_id": world.branch_b.pk, "role": "teacher"}
    response = _post(api_client(world.county_admin), "/api/v1/orgs/grants", body)
    assert response.status_code == 422 and "上级组织" in str(response.json()["detail"])


def test_a_persons_grants_are_listed_and_revoked(world, api_client):
    admin = api_client(world.county_admin)
    person = world.people["member"]
    listed = admin.get(f"/api/v1/orgs/people/{person.pk}/grants").json()
    assert [g["role_label"] for g in listed] == ["党员"]
    assert admin.delete(f"/api/v1/orgs/grants/{listed[0]['id']}").status_code == 204
    assert not Grant.live_for(world.member).exists()
    assert api_client(world.outsider).delete(f"/api/v1/orgs/grants/{listed[0]['id']}").status_code == 404


def test_people_are_created_only_where_one_manages(world, api_client):
    body = {"org_id": world.branch_b.pk, "name": "外校人", "id_number": GOOD_ID}
    assert _post(api_client(world.secretary), "/api/v1/orgs/people", body).status_code == 404
    assert (
        _post(api_client(world.member), "/api/v1/orgs/people", {**body, "org_id": world.branch_a.pk}).status_code == 403
    )
    with unscoped("test"):
        assert not Person.objects.filter(name="外校人").exists()


def test_the_password_route_answers_with_the_validators_messages(world):
    body = {"username": "secretary", "old_password": "dangjian-test-pw", "new_password": "secretary1"}
    response = _post(Client(), "/api/v1/auth/password", body)
    assert response.status_code == 422
    assert "密码跟 用户名 太相似了。" in response.json()["detail"]
    assert "密码太短，至少需要 10 个字符。" not in response.json()["detail"]
    wrong = _post(Client(), "/api/v1/auth/password", {**body, "old_password": "nope", "new_password": "Qz-8vk#m2p"})
    assert wrong.status_code == 401
    world.secretary.refresh_from_db()
    assert world.secretary.check_password("dangjian-test-pw")


def test_leave_through_the_api_checks_its_input(world, api_client):
    person = world.people["member"]
    path = f"/api/v1/orgs/people/{person.pk}/leave"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert _post(api_client(world.secretary), path, {"on": tomorrow, "reason": "退休"}).status_code == 422
    assert _post(api_client(world.secretary), path, {"on": "2026-01-01", "reason": "失踪"}).status_code == 422
    assert _post(api_client(world.member), path, {"on": "2026-01-01", "reason": "退休"}).status_code == 403
    assert _post(api_client(world.secretary), path, {"on": "2026-01-01", "reason": "retired"}).status_code == 200
    reactivated = _post(api_client(world.secretary), f"/api/v1/orgs/people/{person.pk}/reactivate", {})
    assert reactivated.status_code == 200 and reactivated.json()["is_active"]


def test_people_belong_to_a_branch_or_above_never_to_a_group(world, api_client):
    body = {"org_id": world.group_a.pk, "name": "小组里的人", "id_number": GOOD_ID}
    response = _post(api_client(world.secretary), "/api/v1/orgs/people", body)
    assert response.status_code == 422 and "党小组" in str(response.json()["detail"])
