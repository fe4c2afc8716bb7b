"""Writes of the messages app: each one keyword-only, in a transaction, validated, audited where it matters.

Marking one's own message read is the reader's own bookkeeping (no audit entry, never reported to anyone);
sending a notice, 签收 and channel settings are audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.assignments import services as assignments
from dangjian.core import audit, capabilities, files
from dangjian.core.models import Notification
from dangjian.core.scoping import has_capability, unscoped
from dangjian.orgs.models import Grant, Org

from . import selectors
from .channels import ADAPTERS, robot_prefix
from .delivery import absolute
from .models import (
    Address,
    Channel,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
    OrgRobot,
    Preference,
)

MAX_ATTACHMENTS = 10


def mark_read(*, user, message: Notification) -> Notification:
    if message.user_id != user.pk:  # callers fetch through selectors.message_for; this is the second lock
        raise ValidationError(_("只能标记自己的消息。"))
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
        selectors.forget_unread(user)
    return message


def mark_group_read(*, user, kind: str) -> int:
    done = selectors.my_messages(user, kind).filter(read_at__isnull=True).update(read_at=timezone.now())
    selectors.forget_unread(user)
    return done


def mark_all_read(*, user) -> int:
    done = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    selectors.forget_unread(user)
    return done


# --- channel settings -------------------------------------------------------------------------------------------


@transaction.atomic
def set_channels(*, user, kind: str, channels: list[str]) -> Preference:
    unknown = [c for c in channels if c not in ADAPTERS]
    if unknown:
        raise ValidationError(_("未知的消息渠道：%(c)s。") % {"c": "、".join(unknown)})
    if not kind or len(kind) > 60:
        raise ValidationError(_("消息类别无效。"))
    pref, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"channels": ",".join(c for c in ADAPTERS if c in channels)}
    )
    audit.record(actor=user, action="message_channels", obj=pref, changes={"kind": kind, "channels": channels})
    return pref


@transaction.atomic
def set_address(*, user, channel: str, value: str) -> Address | None:
    if channel not in (Channel.WECOM, Channel.DINGTALK):
        raise ValidationError(_("这个渠道不需要填写账号。"))
    value = value.strip()
    if len(value) > 120 or any(ch.isspace() for ch in value):
        raise ValidationError(_("账号不能含空格，且不超过120个字符。"))
    if not value:
        Address.objects.filter(user=user, channel=channel).delete()
        return None
    address, _created = Address.objects.update_or_create(user=user, channel=channel, defaults={"value": value})
    audit.record(actor=user, action="message_address", obj=address, changes={"channel": channel})
    return address


# --- robots and failures ------------------------------------------------------------------------------------------


@transaction.atomic
def save_robot(*, actor, org: Org, channel: str, url: str, secret: str = "") -> OrgRobot:
    if not has_capability(actor, "inbox.view_deliveries", org.path):
        raise ValidationError(_("无权为该组织配置群机器人。"))
    if channel not in (Channel.WECOM, Channel.DINGTALK):
        raise ValidationError(_("群机器人只支持企业微信和钉钉。"))
    url = url.strip()
    if not url.startswith(robot_prefix(channel)):
        raise ValidationError(_("机器人地址应以 %(p)s 开头。") % {"p": robot_prefix(channel)})
    with unscoped("messages.save_robot"):
        robot, _created = OrgRobot.objects.update_or_create(
            org=org, channel=channel, defaults={"url": url[:300], "secret": secret.strip()[:120]}
        )
    audit.record(actor=actor, action="robot", obj=robot, changes={"channel": channel})
    return robot


@transaction.atomic
def retry_delivery(*, actor, delivery: Delivery) -> Delivery:
    """The administrator sends a failed delivery again (after fixing an address or a setting)."""
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(_("只有发送失败的消息可以重发。"))
    delivery.status, delivery.attempts, delivery.next_try_at = DeliveryStatus.PENDING, 0, timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_try_at"])
    audit.record(actor=actor, action="retry", obj=delivery)
    return delivery


# --- notices -------------------------------------------------------------------------------------------------------


def _validate_notice(
    *, actor, org: Org, title: str, body: str, receivers: list[Org], action: str, due_on, attachments, today
) -> None:
    if not has_capability(actor, "inbox.send_notice", org.path):
        raise ValidationError(_("只能以您获授发文权限的组织名义发送通知。"))
    if not title.strip() or not body.strip():
        raise ValidationError(_("请填写标题和正文。"))
    if not receivers:
        raise ValidationError(_("请至少选择一个接收单位。"))
    strangers = [o.name for o in receivers if not o.path.startswith(org.path) or o.pk == org.pk]
    if strangers:
        raise ValidationError(_("只能发给本组织的下级单位：%(n)s 不是下级。") % {"n": "、".join(strangers)})
    if action.strip() and due_on is None:
        raise ValidationError(_("需要办理的通知请填写办理期限。"))
    if due_on is not None and not action.strip():
        raise ValidationError(_("填写了办理期限，请同时写明需要办理的事项。"))
    if due_on is not None and due_on < today:
        raise ValidationError(_("办理期限不能早于今天。"))
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("附件最多%(n)d个。") % {"n": MAX_ATTACHMENTS})
    for upload in attachments:
        files.validate_upload(upload)


def _notify_receivers(notice: Notice, receivers: list[Org]) -> None:
    """One message to whoever may act for each receiving org (no reply asked, no read receipt)."""
    roles = capabilities.roles_with("inbox.acknowledge")
    with unscoped("messages: notify notice receivers"):
        user_ids = set(
            Grant.all_objects.filter(
                org_id__in=[o.pk for o in receivers], role__in=roles, revoked_at__isnull=True
            ).values_list("user_id", flat=True)
        )
    url = reverse("messages:notice", args=[notice.pk])
    title = _("通知公告：%(t)s") % {"t": notice.title}
    body = _("%(org)s发布。") % {"org": notice.org.name}
    if notice.official:
        body += _("正式文件，请签收。")
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid, title=title[:200], body=body, url=url, kind="notice", dedupe_key=f"notice:{notice.pk}"
            )
            for uid in sorted(user_ids)
        ]
    )


def _post_to_robots(notice: Notice, receivers: list[Org]) -> None:
    with unscoped("messages: robots of receiving orgs"):
        robots = list(OrgRobot.objects.filter(org__in=receivers))
    now = timezone.now()
    url = absolute(reverse("messages:notice", args=[notice.pk]))
    Delivery.all_objects.bulk_create(
        [
            Delivery(
                org_id=r.org_id,
                robot=r,
                channel=r.channel,
                kind="notice",
                title=_("通知公告：%(t)s") % {"t": notice.title[:150]},
                body=_("%(org)s发布，请登录平台查看。") % {"org": notice.org.name},
                url=url,
                next_try_at=now,
            )
            for r in robots
        ]
    )


@transaction.atomic
def send_notice(
    *,
    actor,
    org: Org,
    title: str,
    body: str,
    receivers: list[Org],
    official: bool = False,
    doc_number: str = "",
    public: bool = False,
    action: str = "",
    due_on: dt.date | None = None,
    attachments: list | None = None,
    today: dt.date | None = None,
) -> Notice:
    """The county or a school sends a notice to chosen orgs below it. A notice that asks for action becomes an
    assignment of the responsibility system (its targets are the receiving orgs), so the lag view follows it."""
    today = today or timezone.localdate()
    attachments = attachments or []
    _validate_notice(
        actor=actor,
        org=org,
        title=title,
        body=body,
        receivers=receivers,
        action=action,
        due_on=due_on,
        attachments=attachments,
        today=today,
    )
    with unscoped("messages.send_notice"):
        notice = Notice(
            org=org,
            title=title.strip(),
            body=body.strip(),
            official=official,
            doc_number=doc_number.strip(),
            public=public,
            action=action.strip(),
            due_on=due_on,
            created_by=actor,
        )
        notice.full_clean()
        notice.save()
        for upload in attachments:
            NoticeAttachment.objects.create(notice=notice, file=upload, name=upload.name[:200])
        NoticeRecipient.all_objects.bulk_create([NoticeRecipient(notice=notice, org=o) for o in receivers])
    if notice.action and due_on is not None:  # _validate_notice asks for both together
        notice.assignment = assignments.create_assignment(
            actor=actor,
            org=org,
            title=notice.title[:120],
            body=notice.action + "\n" + _("见通知公告《%(t)s》。") % {"t": notice.title},
            expected=notice.action,
            due_on=due_on,
            receivers=receivers,
            today=today,
        )
        notice.save(update_fields=["assignment"])
    if not notice.action:  # an action notice already told them through its assignment: one message, not two
        _notify_receivers(notice, receivers)
    _post_to_robots(notice, receivers)
    audit.record(
        actor=actor,
        action="send",
        obj=notice,
        changes={
            "title": [None, notice.title],
            "receivers": [None, len(receivers)],
            "official": [None, official],
            "attachments": [None, len(attachments)],
            "assignment": [None, notice.assignment_id],
        },
    )
    return notice


@transaction.atomic
def acknowledge(*, actor, recipient: NoticeRecipient) -> NoticeRecipient:
    """签收: one tap, for official documents only; the sender sees how many orgs have signed."""
    if not recipient.notice.official:
        raise ValidationError(_("只有正式文件需要签收。"))
    if not has_capability(actor, "inbox.acknowledge", recipient.org.path):
        raise ValidationError(_("无权为该单位签收。"))
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at, recipient.acknowledged_by = timezone.now(), actor
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor=actor, action="acknowledge", obj=recipient)
    return recipient
