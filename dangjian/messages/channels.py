"""Delivery channels: one interface, one adapter per channel. Nothing here decides *whether* to send (quiet hours,
digests, retries live in `delivery.py`); an adapter only sends one text and raises ChannelError when it could not.

    adapter = ADAPTERS["wecom"]; adapter.configured(); adapter.address(user); adapter.send(to=..., message=...)

Every outside address comes from settings (environment variables, docs/operations.md); tests point them at local
fake servers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail

from .models import Address, Channel


class ChannelError(Exception):
    """A channel refused or could not be reached; the text is recorded on the delivery (no secrets in it)."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute when PUBLIC_BASE_URL is set

    def text(self) -> str:
        return "\n".join(part for part in (self.title, self.body, self.url) if part)


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One HTTP call to a configured channel address (http or https only), its JSON answer as a dict."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ChannelError(f"{parts.scheme or 'no'} scheme: only http and https addresses are used")
    method = "POST" if data is not None else "GET"
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.MESSAGES_HTTP_TIMEOUT) as response:  # noqa: S310
            raw = response.read()
    except OSError as exc:  # URLError, HTTPError, timeouts, refused connections
        raise ChannelError(f"{parts.netloc}: {getattr(exc, 'code', '') or exc.__class__.__name__}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ChannelError(f"{parts.netloc}: not JSON") from exc
    return answer if isinstance(answer, dict) else {}


def _post_json(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    data = json.dumps(payload, ensure_ascii=False).encode()
    return _request(url, data, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def _get_json(url: str) -> dict[str, Any]:
    return _request(url)


def _check_errcode(answer: dict[str, Any], service: str) -> dict[str, Any]:
    """企业微信 and 钉钉 answer HTTP 200 with errcode != 0 on refusal."""
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"{service}: errcode {answer.get('errcode')} {str(answer.get('errmsg', ''))[:80]}")
    return answer


class Adapter(ABC):
    """One delivery channel: whether the county configured it, where a person is reached, how to send."""

    channel: ClassVar[str]

    @abstractmethod
    def configured(self) -> bool: ...

    def address(self, user) -> str:
        """Where this person is reached on the channel; "" when they are not."""
        row = Address.objects.filter(user=user, channel=self.channel).first()
        return row.value if row else ""

    @abstractmethod
    def send(self, *, to: str, message: Message) -> None: ...


class Email(Adapter):
    channel = Channel.EMAIL

    def configured(self) -> bool:
        return bool(settings.EMAIL_BACKEND)

    def address(self, user) -> str:
        return user.email or ""

    def send(self, *, to: str, message: Message) -> None:
        try:
            send_mail(message.title, "\n".join((message.body, message.url)), settings.DEFAULT_FROM_EMAIL, [to])
        except OSError as exc:  # smtplib errors are OSErrors
            raise ChannelError(f"smtp: {exc.__class__.__name__}") from exc


class _TokenApp(Adapter):
    """An application-message API that wants an access token first (cached until shortly before it expires)."""

    service: ClassVar[str]

    @abstractmethod
    def _fetch_token(self) -> tuple[str, int]: ...

    def token(self) -> str:
        key = f"messages:{self.channel}:token"
        token = cache.get(key)
        if not token:
            token, expires_in = self._fetch_token()
            cache.set(key, token, max(60, int(expires_in) - 300))
        return token


class WeCom(_TokenApp):
    """企业微信 application messages (应用消息) to a person's 企业微信 account (their userid)."""

    channel = Channel.WECOM
    service = "wecom"

    def configured(self) -> bool:
        return bool(settings.WECOM_CORP_ID and settings.WECOM_CORP_SECRET and settings.WECOM_AGENT_ID)

    def _fetch_token(self) -> tuple[str, int]:
        query = urllib.parse.urlencode({"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_CORP_SECRET})
        answer = _check_errcode(_get_json(f"{settings.WECOM_API_BASE}/cgi-bin/gettoken?{query}"), self.service)
        return answer["access_token"], answer.get("expires_in", 7200)

    def send(self, *, to: str, message: Message) -> None:
        url = f"{settings.WECOM_API_BASE}/cgi-bin/message/send?access_token={urllib.parse.quote(self.token())}"
        payload = {
            "touser": to,
            "msgtype": "text",
            "agentid": int(settings.WECOM_AGENT_ID),
            "text": {"content": message.text()},
        }
        _check_errcode(_post_json(url, payload), self.service)


class DingTalk(_TokenApp):
    """钉钉 work notifications (工作通知) to a person's 钉钉 account (their userid)."""

    channel = Channel.DINGTALK
    service = "dingtalk"

    def configured(self) -> bool:
        return bool(settings.DINGTALK_APP_KEY and settings.DINGTALK_APP_SECRET and settings.DINGTALK_AGENT_ID)

    def _fetch_token(self) -> tuple[str, int]:
        query = urllib.parse.urlencode({"appkey": settings.DINGTALK_APP_KEY, "appsecret": settings.DINGTALK_APP_SECRET})
        answer = _check_errcode(_get_json(f"{settings.DINGTALK_API_BASE}/gettoken?{query}"), self.service)
        return answer["access_token"], answer.get("expires_in", 7200)

    def send(self, *, to: str, message: Message) -> None:
        token = urllib.parse.quote(self.token())
        url = f"{settings.DINGTALK_API_BASE}/topapi/message/corpconversation/asyncsend_v2?access_token={token}"
        payload = {
            "agent_id": int(settings.DINGTALK_AGENT_ID),
            "userid_list": to,
            "msg": {"msgtype": "text", "text": {"content": message.text()}},
        }
        _check_errcode(_post_json(url, payload), self.service)


class Sms(Adapter):
    """A configurable HTTP SMS gateway: POST {"phone", "text"} as JSON with a bearer token; 2xx means accepted."""

    channel = Channel.SMS

    def configured(self) -> bool:
        return bool(settings.SMS_GATEWAY_URL)

    def address(self, user) -> str:
        person = getattr(user, "person", None)
        return getattr(person, "phone", "") or ""

    def send(self, *, to: str, message: Message) -> None:
        headers = {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {}
        # SMS is short and costs money: the title and the link only.
        text = f"{settings.SMS_SIGN}{message.title} {message.url}".strip()
        _post_json(settings.SMS_GATEWAY_URL, {"phone": to, "text": text}, headers)


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret (the receiver recomputes it)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Webhook(Adapter):
    """A generic signed webhook: the county's own system receives every message as JSON, signed with HMAC-SHA256
    in X-Dangjian-Signature over "<X-Dangjian-Timestamp>.<body>"."""

    channel = Channel.WEBHOOK

    def configured(self) -> bool:
        return bool(settings.MESSAGES_WEBHOOK_URL and settings.MESSAGES_WEBHOOK_SECRET)

    def address(self, user) -> str:
        return user.get_username()

    def send(self, *, to: str, message: Message) -> None:
        body = json.dumps(
            {"recipient": to, "title": message.title, "body": message.body, "url": message.url}, ensure_ascii=False
        ).encode()
        timestamp = str(int(time.time()))
        signature = webhook_signature(settings.MESSAGES_WEBHOOK_SECRET, timestamp, body)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Dangjian-Timestamp": timestamp,
            "X-Dangjian-Signature": f"sha256={signature}",
        }
        _request(settings.MESSAGES_WEBHOOK_URL, body, headers)


ADAPTERS: dict[str, Adapter] = {a.channel: a for a in (Email(), WeCom(), DingTalk(), Sms(), Webhook())}


def available() -> list[str]:
    """The channels this deployment has configured, in a fixed order."""
    return [name for name, adapter in ADAPTERS.items() if adapter.configured()]


# --- group robots of organizations ------------------------------------------------------------------------------


def robot_prefix(channel: str) -> str:
    return settings.WECOM_ROBOT_PREFIX if channel == Channel.WECOM else settings.DINGTALK_ROBOT_PREFIX


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉 加签: timestamp and sign=base64(HMAC-SHA256(secret, "timestamp\\nsecret")) appended to the URL."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}&timestamp={timestamp}&sign={sign}"


def send_to_robot(*, channel: str, url: str, secret: str, message: Message) -> None:
    if not url.startswith(robot_prefix(channel)):
        raise ChannelError(f"{channel} robot: address not allowed")
    if channel == Channel.WECOM:
        _check_errcode(_post_json(url, {"msgtype": "text", "text": {"content": message.text()}}), "wecom robot")
    else:
        target = dingtalk_signed(url, secret) if secret else url
        _check_errcode(_post_json(target, {"msgtype": "text", "text": {"content": message.text()}}), "dingtalk robot")
