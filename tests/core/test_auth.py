import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dangjian.core import audit
from dangjian.core.models import AuditEntry


def test_login_page_is_chinese_and_logs_in(world):
    client = Client()
    page = client.get(reverse("core:login")).content.decode()
    assert "用户名" in page and "密码" in page
    response = client.post(reverse("core:login"), {"username": "secretary", "password": "dangjian-test-pw"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_repeated_failures_lock_the_account(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("core:login"), {"username": "secretary", "password": "wrong"})
    assert response.status_code in (403, 429) and "锁定" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("core:login"), {"username": "secretary", "password": "dangjian-test-pw"})
    assert response.status_code in (403, 429)


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2_in_production():
    env = {k: v for k, v in os.environ.items() if k != "DANGJIAN_TESTING"} | {"SECRET_KEY": "k" * 50}
    code = "import dangjian.settings as s; print(s.PASSWORD_HASHERS[0])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("Argon2PasswordHasher")


def test_healthz_reports_the_database(client, db):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_audit_search_is_scoped_and_filterable(world, login):
    audit.record(actor=world.secretary, action="update", obj=world.people["teacher"], changes={"job": ["a", "b"]})
    audit.record(actor=world.outsider, action="update", obj=world.people["outsider"], changes={"job": ["c", "d"]})
    page = login(world.county_admin).get(reverse("core:audit"), {"actor": "secretary"}).content.decode()
    assert "甲校专属姓名" in page and "乙书记" not in page
    assert 'data-label="操作">修改</td>' in page  # the action in Chinese, not its code
    assert AuditEntry.objects.exclude(action="login").count() == 2


@pytest.mark.parametrize("username", ["secretary", "member", "teacher", "assessor"])
def test_audit_log_is_for_the_county_admin(world, login, username):
    assert login(world.users[username]).get(reverse("core:audit")).status_code == 403


def test_english_is_available(world, login):
    client = login(world.secretary)
    client.post(reverse("set_language"), {"language": "en"})
    assert client.get(reverse("core:home")).headers["Content-Language"] == "en"


def test_security_headers(world, login):
    response = login(world.secretary).get(reverse("core:home"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_logins_failures_and_lockouts_are_audited_with_the_address(world, login):
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "secretary", "password": "wrong-secret-pw"})
    Client(REMOTE_ADDR="198.51.100.2").post(
        reverse("core:login"), {"username": "secretary", "password": "dangjian-test-pw"}
    )
    Client(REMOTE_ADDR="198.51.100.3").post(
        "/api/v1/auth/token", {"username": "secretary", "password": "nope"}, content_type="application/json"
    )
    failed = AuditEntry.objects.filter(action="login_failed")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1
    assert {entry.ip for entry in failed} == {"203.0.113.5", "198.51.100.3"}
    assert all(entry.object_repr == "secretary" and entry.actor is None for entry in failed)
    lockout = AuditEntry.objects.get(action="lockout")
    assert lockout.ip == "203.0.113.5" and lockout.object_repr == "secretary"
    signed_in = AuditEntry.objects.get(action="login", ip="198.51.100.2")
    assert signed_in.actor == world.secretary
    assert not any("wrong-secret-pw" in str(entry.changes) + entry.object_repr for entry in AuditEntry.objects.all())
    # The county admin finds them on the audit page, in Chinese.
    page = login(world.county_admin).get(reverse("core:audit"), {"action": "login_failed"}).content.decode()
    assert "登录失败" in page and "203.0.113.5" in page
