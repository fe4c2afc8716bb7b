"""Passwords and tokens: one-time passwords force a change, the validators speak Chinese, resets are shown
once and never cached, a person manages their own API tokens."""

import io
import os
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from dangjian.core import accounts
from dangjian.core.models import ApiToken, AuditEntry
from dangjian.orgs import services
from dangjian.orgs.demo import DEMO_PASSWORD
from tests.factories import PersonFactory

NEW_PASSWORD = "Hong-qi-piao-2026"


def _sign_in(username, password) -> Client:
    client = Client()
    assert client.post(reverse("core:login"), {"username": username, "password": password}).status_code == 302
    return client


def _change(client, old, new=NEW_PASSWORD):
    return client.post(reverse("core:password"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_new_account_must_change_its_password_before_anything_else(world):
    person = PersonFactory(name="王小明", org=world.branch_a, school=world.school_a)
    user, password = services.create_account(actor=world.secretary, person=person, username="wangxiaoming")
    assert user.must_change_password
    client = _sign_in("wangxiaoming", password)
    response = client.get(reverse("core:me"))
    assert response.status_code == 302 and response.url == reverse("core:password")
    assert "一次性密码" in client.get(reverse("core:password")).content.decode()
    assert client.post(reverse("core:logout")).status_code == 302  # logging out stays possible
    client = _sign_in("wangxiaoming", password)
    assert _change(client, password).status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:me")).status_code == 200
    assert AuditEntry.objects.filter(action="password", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab1-xyz", "密码太短，至少需要 10 个字符"),
        ("1234567890123", "密码只包含数字"),
        ("password123", "这个密码太常见了"),
        ("secretary-2", "密码跟 用户名 太相似了"),
    ],
)
def test_the_validators_answer_in_chinese(world, login, new, message):
    response = _change(login(world.secretary), "dangjian-test-pw", new)
    assert response.status_code == 200 and message in response.content.decode()


def test_the_minimum_length_is_ten(world, login):
    assert "至少需要 10 个字符" in _change(login(world.secretary), "dangjian-test-pw", "Qz-8vk#m2").content.decode()
    assert _change(login(world.secretary), "dangjian-test-pw", "Qz-8vk#m2p").status_code == 302


def test_a_password_change_revokes_every_token(world, login):
    ApiToken.issue(world.secretary)
    ApiToken.issue(world.secretary)
    assert _change(login(world.secretary), "dangjian-test-pw").status_code == 302
    assert not ApiToken.live().filter(user=world.secretary).exists()


def test_an_admin_resets_a_password_shown_once_and_never_cached(world, login):
    _token, raw = ApiToken.issue(world.member)
    person = world.people["member"]
    url = reverse("orgs:person_reset_password", kwargs={"pk": person.pk})
    response = login(world.secretary).post(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = response.content.decode().split("<code>")[1].split("</code>")[0]
    world.member.refresh_from_db()
    assert world.member.must_change_password and world.member.check_password(password)
    assert not ApiToken.live().filter(user=world.member).exists()
    assert Client().get("/api/v1/orgs/people", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    entry = AuditEntry.objects.get(action="reset")
    assert entry.actor == world.secretary and entry.org_path == world.branch_a.path
    assert password not in str(entry.changes)


def test_only_an_admin_over_the_person_resets(world, login):
    url = reverse("orgs:person_reset_password", kwargs={"pk": world.people["member"].pk})
    assert login(world.outsider).post(url).status_code == 404
    assert login(world.teacher).post(url).status_code in (403, 404)
    assert login(world.member).post(url).status_code == 403  # sees themself, may not reset
    world.member.refresh_from_db()
    assert not world.member.must_change_password


def test_the_new_account_page_is_not_cached(world, login):
    person = PersonFactory(name="新教师", org=world.branch_a, school=world.school_a)
    url = reverse("orgs:person_access", kwargs={"pk": person.pk})
    response = login(world.secretary).post(url, {"username": "xinjiaoshi"})
    assert response.headers["Cache-Control"] == "no-store" and "<code>" in response.content.decode()


def test_a_person_lists_and_revokes_their_own_tokens(world, login):
    mine, raw = ApiToken.issue(world.secretary)
    other, _raw = ApiToken.issue(world.secretary)
    theirs, _raw = ApiToken.issue(world.member)
    client = login(world.secretary)
    page = client.get(reverse("core:tokens")).content.decode()
    assert page.count(reverse("core:token_revoke", kwargs={"pk": mine.pk})) == 1
    assert reverse("core:token_revoke", kwargs={"pk": theirs.pk}) not in page
    assert raw not in page and mine.digest not in page
    assert client.post(reverse("core:token_revoke", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("core:token_revoke", kwargs={"pk": mine.pk})).status_code == 302
    assert set(ApiToken.live().values_list("pk", flat=True)) == {other.pk, theirs.pk}
    assert reverse("core:tokens") in client.get(reverse("core:me")).content.decode()


def test_bootstrap_with_a_password_from_the_environment_forces_no_change(db):
    with mock.patch.dict(os.environ, {"BOOTSTRAP_PASSWORD": "Day1-admin-pass-2026"}):
        out = io.StringIO()
        call_command("bootstrap", "--name", "某某县", "--admin", "root", stdout=out)
    assert "Day1-admin-pass-2026" not in out.getvalue()
    assert not get_user_model().objects.get(username="root").must_change_password
    assert _sign_in("root", "Day1-admin-pass-2026").get(reverse("core:me")).status_code == 200


def test_bootstrap_refuses_a_weak_password_from_the_environment(db):
    with mock.patch.dict(os.environ, {"BOOTSTRAP_PASSWORD": "12345"}), pytest.raises(CommandError):
        call_command("bootstrap", "--name", "某某县", "--admin", "root", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_bootstrap_without_it_prints_a_one_time_password(db):
    with mock.patch.dict(os.environ, clear=False) as env:
        env.pop("BOOTSTRAP_PASSWORD", None)
        out = io.StringIO()
        call_command("bootstrap", "--name", "某某县", "--admin", "root", stdout=out)
    password = next(line for line in out.getvalue().splitlines() if line.startswith("One-time password"))
    password = password.rsplit(": ", 1)[1]
    client = _sign_in("root", password)
    assert client.get(reverse("core:me")).url == reverse("core:password")
    assert _change(client, password).status_code == 302
    assert client.get(reverse("core:me")).status_code == 200


def test_demo_accounts_are_not_forced_to_change(db):
    call_command("generate", profile="county", seed=1, only="orgs", stdout=io.StringIO())
    assert not get_user_model().objects.filter(must_change_password=True).exists()
    assert _sign_in("secretary1", DEMO_PASSWORD).get(reverse("core:me")).status_code == 200


def test_one_time_passwords_differ_and_are_long_enough():
    first, second = accounts.one_time_password(), accounts.one_time_password()
    assert first != second and len(first) >= 10
