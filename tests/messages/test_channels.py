"""Every channel against a local fake server (e-mail over SMTP too, besides Django's test outbox): what goes out,
signed as each service expects; refusals become ChannelError with no secret in the text."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import urllib.parse

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dangjian.messages import channels, delivery
from dangjian.messages.channels import ADAPTERS, ChannelError, Message, send_to_robot, webhook_signature
from dangjian.messages.models import Address
from tests.messages.builders import notice

MSG = Message("会议提醒：党课", "明天15:00，会议室。本提醒无需回复。", "https://dj.example/meetings/1/")


def test_wecom_application_message_to_the_persons_account(world, wecom):
    Address.objects.create(user=world.users["member"], channel="wecom", value="zhang-san")
    adapter = ADAPTERS["wecom"]
    assert adapter.configured() and adapter.address(world.users["member"]) == "zhang-san"
    adapter.send(to="zhang-san", message=MSG)
    adapter.send(to="zhang-san", message=MSG)
    token_calls = wecom.calls("/cgi-bin/gettoken")
    assert len(token_calls) == 1 and token_calls[0].query["corpsecret"] == ["secret"]  # the token is cached
    sent = wecom.calls("/cgi-bin/message/send")
    assert len(sent) == 2 and sent[0].query["access_token"] == ["TOKEN"]
    body = sent[0].json()
    assert body["touser"] == "zhang-san" and body["agentid"] == 1000002 and "会议提醒：党课" in body["text"]["content"]


def test_wecom_refusal_is_a_channel_error_without_secrets(wecom):
    wecom.answers["/cgi-bin/message/send"] = (200, {"errcode": 81013, "errmsg": "user invalid"})
    with pytest.raises(ChannelError) as exc:
        ADAPTERS["wecom"].send(to="nobody", message=MSG)
    assert "81013" in str(exc.value) and "secret" not in str(exc.value) and "TOKEN" not in str(exc.value)


def test_dingtalk_work_notification(fake_server, settings):
    settings.DINGTALK_API_BASE = fake_server.url
    settings.DINGTALK_APP_KEY, settings.DINGTALK_APP_SECRET, settings.DINGTALK_AGENT_ID = "key", "secret", "42"
    fake_server.answers["/gettoken"] = (200, {"errcode": 0, "access_token": "DT", "expires_in": 7200})
    ADAPTERS["dingtalk"].send(to="wang-wu", message=MSG)
    sent = fake_server.calls("/topapi/message/corpconversation/asyncsend_v2")
    assert len(sent) == 1 and sent[0].query["access_token"] == ["DT"]
    body = sent[0].json()
    assert body["agent_id"] == 42 and body["userid_list"] == "wang-wu" and body["msg"]["msgtype"] == "text"


def test_sms_gateway_gets_phone_title_and_link_with_its_token(world, fake_server, settings):
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    settings.SMS_GATEWAY_TOKEN, settings.SMS_SIGN = "gw-token", "【示范县】"
    person = world.people["member"]
    person.phone = "13800000000"
    adapter = ADAPTERS["sms"]
    user = world.users["member"]
    user.person = person
    assert adapter.address(user) == "13800000000"
    adapter.send(to="13800000000", message=MSG)
    call = fake_server.calls("/sms/send")[0]
    assert call.headers["Authorization"] == "Bearer gw-token"
    assert call.json() == {"phone": "13800000000", "text": "【示范县】会议提醒：党课 https://dj.example/meetings/1/"}


def test_sms_gateway_error_status_is_a_channel_error(fake_server, settings):
    settings.SMS_GATEWAY_URL = f"{fake_server.url}/sms/send"
    fake_server.answers["/sms/send"] = (503, {"error": "busy"})
    with pytest.raises(ChannelError, match="503"):
        ADAPTERS["sms"].send(to="13800000000", message=MSG)


def test_signed_webhook_can_be_verified_by_the_receiver(world, fake_server, settings):
    settings.MESSAGES_WEBHOOK_URL = f"{fake_server.url}/hook"
    settings.MESSAGES_WEBHOOK_SECRET = "shared"
    adapter = ADAPTERS["webhook"]
    adapter.send(to=adapter.address(world.users["member"]), message=MSG)
    call = fake_server.calls("/hook")[0]
    timestamp = call.headers["X-Dangjian-Timestamp"]
    expected = hmac.new(b"shared", timestamp.encode() + b"." + call.body, hashlib.sha256).hexdigest()
    assert call.headers["X-Dangjian-Signature"] == f"sha256={expected}"
    assert webhook_signature("shared", timestamp, call.body) == expected
    assert call.json()["recipient"] == "member" and call.json()["title"] == MSG.title


def test_email_through_djangos_mail(world):
    ADAPTERS["email"].send(to="sec@example.org", message=MSG)
    assert mail.outbox[-1].to == ["sec@example.org"] and mail.outbox[-1].subject == MSG.title


def test_email_over_smtp_to_a_local_fake_server(world, fake_smtp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = fake_smtp.host, fake_smtp.port
    ADAPTERS["email"].send(to="sec@example.org", message=MSG)
    (sent,) = fake_smtp.mails
    assert sent["to"] == ["sec@example.org"] and sent["from"] == settings.DEFAULT_FROM_EMAIL
    text = email.message_from_bytes(sent["data"], policy=email.policy.default)
    assert text["Subject"] == MSG.title and MSG.body in text.get_content()


def test_wecom_group_robot(fake_server, settings):
    settings.WECOM_ROBOT_PREFIX = f"{fake_server.url}/cgi-bin/webhook/send?key="
    send_to_robot(channel="wecom", url=f"{fake_server.url}/cgi-bin/webhook/send?key=K1", secret="", message=MSG)
    call = fake_server.calls("/cgi-bin/webhook/send")[0]
    assert call.query["key"] == ["K1"] and call.json()["msgtype"] == "text"


def test_dingtalk_group_robot_is_signed(fake_server, settings):
    settings.DINGTALK_ROBOT_PREFIX = f"{fake_server.url}/robot/send?access_token="
    send_to_robot(channel="dingtalk", url=f"{fake_server.url}/robot/send?access_token=T", secret="SEC", message=MSG)
    call = fake_server.calls("/robot/send")[0]
    timestamp = call.query["timestamp"][0]
    digest = hmac.new(b"SEC", f"{timestamp}\nSEC".encode(), hashlib.sha256).digest()
    assert call.query["sign"] == [base64.b64encode(digest).decode()]
    assert (
        urllib.parse.quote_plus(call.query["sign"][0])
        == channels.dingtalk_signed("x?a=1", "SEC", int(timestamp)).split("sign=")[1]
    )


def test_robot_addresses_outside_the_allowed_prefix_are_refused(fake_server):
    with pytest.raises(ChannelError, match="not allowed"):
        send_to_robot(channel="wecom", url=f"{fake_server.url}/anything", secret="", message=MSG)
    assert fake_server.seen == []


def test_unreachable_service_is_a_channel_error(settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: nothing listens
    with pytest.raises(ChannelError):
        ADAPTERS["sms"].send(to="1", message=MSG)


def test_only_configured_channels_are_offered(settings):
    settings.WECOM_CORP_ID = ""
    settings.SMS_GATEWAY_URL = ""
    assert "wecom" not in channels.available() and "sms" not in channels.available()
    assert "email" in channels.available()


def test_a_notice_is_posted_to_the_receiving_orgs_group_robot(world, fake_server, settings, login):
    settings.WECOM_ROBOT_PREFIX = f"{fake_server.url}/cgi-bin/webhook/send?key="
    admin = login(world.users["county_admin"])
    refused = admin.post(
        reverse("messages:robots"), {"org": world.branch_a.pk, "channel": "wecom", "url": "http://10.0.0.1/x"}
    )
    assert refused.status_code == 400 and "机器人地址应以" in refused.content.decode()
    saved = admin.post(
        reverse("messages:robots"),
        {"org": world.branch_a.pk, "channel": "wecom", "url": f"{fake_server.url}/cgi-bin/webhook/send?key=A"},
    )
    assert saved.status_code == 302
    assert login(world.users["secretary"]).get(reverse("messages:robots")).status_code == 403
    when = timezone.make_aware(dt.datetime(2026, 11, 25, 10, 0))
    with freeze_time(when), TestCase.captureOnCommitCallbacks(execute=True):
        sent = notice(world, title="关于寒假安全工作的通知")
        delivery.run(when)
    calls = fake_server.calls("/cgi-bin/webhook/send")
    assert len(calls) == 1 and calls[0].query["key"] == ["A"]
    assert sent.title in calls[0].json()["text"]["content"]
