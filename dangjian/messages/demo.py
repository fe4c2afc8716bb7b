"""Demo notices and messages in the demo county: an official document with 签收 by some schools, a public notice
with an attachment, and a morning's reminders that the inbox folds into one line."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import Notification
from dangjian.orgs.models import Org

from . import services
from .models import Notice, NoticeRecipient

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def is_loaded() -> bool:
    return Notice.all_objects.exists()


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def generate(ctx) -> dict:
    built = ctx.built["orgs"]
    admin = built.users.get("county")
    if admin is None:
        return {"notices": 0}
    county = built.counties[0] if built.counties else built.root
    schools = list(Org.all_objects.filter(parent=county, dissolved_on__isnull=True).order_by("path"))
    if not schools:
        return {"notices": 0}
    official = services.send_notice(
        actor=admin,
        org=county,
        title="关于做好2026年度党组织书记抓党建述职评议工作的通知",
        doc_number="教党发〔2026〕12号",
        body="各学校党组织：\n现将年度述职评议工作有关事项通知如下，请认真组织实施。",
        receivers=schools,
        official=True,
        attachments=[_pdf("述职评议工作方案.pdf"), _pdf("述职报告参考提纲.pdf")],
        today=ctx.today,
    )
    signed = [r.pk for i, r in enumerate(NoticeRecipient.all_objects.filter(notice=official)) if i % 3 != 2]
    now = timezone.now()
    NoticeRecipient.all_objects.filter(pk__in=signed).update(acknowledged_at=now)
    services.send_notice(
        actor=admin,
        org=county,
        title="寒假期间校园安全工作提示",
        body="寒假将至，请各学校做好假期值班、消防和学生安全教育工作。",
        receivers=schools,
        public=True,
        attachments=[_pdf("假期安全提示.pdf")],
        today=ctx.today,
    )
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    morning = dt.datetime.combine(ctx.today, dt.time(8, 0), tzinfo=tz)
    secretary = built.users.get("secretary1")
    rows = []
    if secretary is not None:
        for i, kind in enumerate(["支部党员大会", "支委会", "党小组会", "党课"]):
            rows.append(
                Notification(
                    user=secretary,
                    title=f"{kind}将于本季度末到期",
                    body="本期应开1次，已记录0次。请在方便时安排；本提醒无需回复。",
                    url="/meetings/compliance/",
                    kind="meetings:due",
                    dedupe_key=f"demo:due:{i}",
                    created_at=morning + dt.timedelta(minutes=i),
                )
            )
    Notification.objects.bulk_create(rows)
    # Demo data is shown, not sent: nothing from the generator goes out by a channel.
    Notification.objects.filter(dispatched_at__isnull=True).update(dispatched_at=now)
    return {"notices": 2, "messages": len(rows)}
