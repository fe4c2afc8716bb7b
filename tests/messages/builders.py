"""Small builders for the messages tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import Notification
from dangjian.messages import services
from dangjian.messages.models import Delivery, DeliveryStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def message(
    user, title: str = "一条消息", *, kind: str = "", key: str = "test:1", url: str = "/", **kw
) -> Notification:
    return Notification.objects.create(user=user, title=title, url=url, kind=kind, dedupe_key=key, **kw)


def notice(world, *, receivers=None, **kw):
    defaults = {"title": "关于开展学习的通知", "body": "请各单位认真组织学习。", "attachments": [pdf()]}
    defaults.update(kw)
    return services.send_notice(
        actor=world.users["county_admin"], org=world.county, receivers=receivers or [world.branch_a], **defaults
    )


def failed_delivery(world, user=None) -> Delivery:
    user = user or world.users["member"]
    return Delivery.all_objects.create(
        user=user,
        org=world.branch_a,
        channel="wecom",
        kind="meetings:due",
        title="提醒",
        status=DeliveryStatus.FAILED,
        attempts=4,
        last_error="wecom: errcode 60020",
    )
