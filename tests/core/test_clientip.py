"""The client address comes from our own proxies only, lockout is per (username, address) pair, and an
address that sprays many usernames is cooled down."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from dangjian.core.clientip import client_ip
from dangjian.core.models import AuditEntry

PASSWORD = "dangjian-test-pw"


def _request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_one_trusted_proxy_takes_the_address_it_appended_not_the_leftmost(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "6.6.6.6" itself; nginx appended the address it really saw.
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


@pytest.mark.parametrize("garbage", ["", "not-an-ip", ",,,", "1.2.3.999", "\x00", "a" * 5000, "::ffff:zz"])
def test_a_malformed_header_falls_back_to_the_peer_address(settings, garbage):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded=garbage)) == "10.0.0.1"


@pytest.mark.parametrize("trusted", [0, 1])
def test_garbage_forwarded_for_never_answers_500(world, settings, trusted):
    settings.TRUSTED_PROXY_COUNT = trusted
    client = Client(HTTP_X_FORWARDED_FOR="1.1.1.1.1, ][, \u2603")
    page = client.post(reverse("core:login"), {"username": "secretary", "password": "wrong"})
    assert page.status_code == 200
    token = client.post(
        "/api/v1/auth/token", {"username": "secretary", "password": "wrong"}, content_type="application/json"
    )
    assert token.status_code == 401
    assert client.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD}).status_code == 302


def test_audit_records_the_proxied_address_not_the_spoofed_one(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    response = client.post(
        "/api/v1/auth/token", {"username": "secretary", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    assert AuditEntry.objects.get(action="token").ip == "203.0.113.9"


def _fail(client, username, *, api=False):
    if api:
        return client.post(
            "/api/v1/auth/token", {"username": username, "password": "wrong"}, content_type="application/json"
        )
    return client.post(reverse("core:login"), {"username": username, "password": "wrong"})


@pytest.mark.parametrize("api", [False, True])
def test_an_anonymous_client_cannot_lock_out_a_user_elsewhere(world, api):
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _fail(attacker, "secretary", api=api)
    # The attacker's own pair is locked, even with the right password...
    locked = attacker.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD})
    assert locked.status_code == 429
    # ...while the secretary, from her own address, signs in on the page and through the API.
    secretary = Client(REMOTE_ADDR="192.0.2.10")
    assert secretary.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD}).status_code == 302
    token = Client(REMOTE_ADDR="192.0.2.10").post(
        "/api/v1/auth/token", {"username": "secretary", "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 200


def test_spoofed_forwarded_for_does_not_escape_the_pair_lockout(world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"10.9.9.{attempt}"), "secretary")
    client = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert client.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD}).status_code == 429


def test_an_address_spraying_many_usernames_is_cooled_down(world, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    sprayer = Client(REMOTE_ADDR="198.51.100.77")
    for number in range(settings.LOGIN_IP_FAILURE_LIMIT):
        _fail(sprayer, f"nobody{number}")  # one failure per username: no pair is near its limit
    response = sprayer.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 429
    token = sprayer.post(
        "/api/v1/auth/token", {"username": "secretary", "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code != 200
    # Other addresses are not affected.
    other = Client(REMOTE_ADDR="192.0.2.10")
    assert other.post(reverse("core:login"), {"username": "secretary", "password": PASSWORD}).status_code == 302
