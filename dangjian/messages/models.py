"""Messages that reach people: channel choices and addresses, deliveries, county notices (通知公告).

The message itself is core.Notification (every app writes it); this app shows it (inbox), hands it to the
person's channels (Delivery, one adapter per channel in `channels.py`) and carries notices with attachments.
There are no read receipts: Notification.read_at is the reader's own marker and is never reported upward; only a
notice marked as an official document (正式文件) asks for 签收, one tap, counted for the sender.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    SMS = "sms", _("短信")
    WEBHOOK = "webhook", _("接口推送（签名）")


class Address(models.Model):
    """Where one person is reached on a channel that needs an account of theirs (企业微信/钉钉 user id). Their own
    row only: a person sets it on 我的 › 消息设置. E-mail comes from the account, the mobile from the person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_addresses")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    value = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="one_address_per_channel")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.channel}"


class Preference(models.Model):
    """A person's channels for one kind of message ("*": every kind without its own row). No row: the rule
    data's default channels. An empty list: the inbox only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences")
    kind = models.CharField(max_length=60)
    channels = models.CharField(max_length=120, blank=True, default="")  # comma-separated Channel values

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    HELD = "held", _("免打扰时段暂缓")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(ScopedModel):
    """One message (or one digest of several) on one channel, to a person or to an org's group robot.

    Owned by the recipient's org, so that the county administrator sees the failures of its subtree."""

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    robot = models.ForeignKey("OrgRobot", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(default=1)  # messages folded into it (a digest when > 1)
    status = models.CharField(
        _("状态"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_try_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(_("最后错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    CAPABILITIES = {"view": "inbox.view_deliveries", "change": "inbox.view_deliveries"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")

    def __str__(self) -> str:
        return f"{self.channel}:{self.title}"


class OrgRobot(ScopedModel):
    """An organization's 企业微信 or 钉钉 group robot (群机器人): notices to the org are also posted there."""

    org = models.ForeignKey(Org, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="message_robots")
    channel = models.CharField(
        _("渠道"),
        max_length=20,
        choices=[(Channel.WECOM, Channel.WECOM.label), (Channel.DINGTALK, Channel.DINGTALK.label)],
    )
    url = models.CharField(_("机器人地址（Webhook）"), max_length=300)
    secret = models.CharField(_("加签密钥（钉钉，可选）"), max_length=120, blank=True)

    CAPABILITIES = {"view": "inbox.view_deliveries", "change": "inbox.view_deliveries"}

    class Meta:
        ordering = ["org__path", "channel"]
        constraints = [models.UniqueConstraint(fields=["org", "channel"], name="one_robot_per_org_channel")]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return f"{self.org} · {self.get_channel_display()}"


class Notice(ScopedModel):
    """通知公告: sent by an org (the county or a school) to chosen orgs below it, with attachments."""

    org = models.ForeignKey(Org, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=150)
    body = models.TextField(_("正文"))
    official = models.BooleanField(_("正式文件（需签收）"), default=False)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    public = models.BooleanField(_("在门户网站公开"), default=False)
    action = models.TextField(_("需办理的事项"), blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    # The responsibility system's assignment the action became (its targets are the receiving orgs).
    assignment = models.ForeignKey(
        "assignments.Assignment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    CAPABILITIES = {"view": "inbox.view_notices", "change": "inbox.send_notice"}

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    return f"notices/{timezone.localdate():%Y/%m}/{instance.notice_id}-{filename}"


class NoticeAttachment(ScopedModel):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)

    SCOPE_PATH = "notice__org__path"
    CAPABILITIES = {"view": "inbox.view_notices", "change": "inbox.send_notice"}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class NoticeRecipient(ScopedModel):
    """One receiving org of a notice; 签收 (acknowledged_at) only for official documents."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="received_notices")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    CAPABILITIES = {"view": "inbox.view_notices", "change": "inbox.acknowledge"}

    class Meta:
        ordering = ["org__path"]
        constraints = [models.UniqueConstraint(fields=["notice", "org"], name="one_recipient_per_org")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.org}"
