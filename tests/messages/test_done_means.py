"""The issue's "done means", end to end: periodic duties → inbox → a fake 企业微信 server, once, outside quiet
hours; a county notice with two attachments to 30 schools; a failed delivery retried, then shown to the county."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dangjian.assignments.models import Status, Target
from dangjian.core import periodic
from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.messages import delivery, selectors, services
from dangjian.messages.models import Address, Delivery, DeliveryStatus, NoticeRecipient, Preference
from dangjian.orgs.models import OrgKind
from tests.factories import GrantFactory, OrgFactory, SchoolFactory, UserFactory
from tests.meetings.helpers import plan
from tests.messages.builders import pdf

DUTIES = {"meetings.send_reminders", "messages.deliver"}


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def run_duties(when: dt.datetime) -> None:
    with freeze_time(when), TestCase.captureOnCommitCallbacks(execute=True):
        periodic.run_due(when, only=DUTIES)


def sends(server) -> list[dict]:
    return [s.json() for s in server.calls("/cgi-bin/message/send")]


def test_a_periodic_reminder_reaches_the_inbox_and_wecom_once_after_quiet_hours(world, wecom):
    member = world.users["member"]
    Address.objects.create(user=member, channel="wecom", value="zhang-san")
    Preference.objects.create(user=member, kind="*", channels="wecom")
    night = local(2026, 11, 24, 22, 30)  # a Tuesday night: quiet hours
    with freeze_time(night):
        meeting = plan(world, kind="party_lecture", topic="明日党课", day=dt.date(2026, 11, 25))
    run_duties(night)
    reminder = Notification.objects.get(user=member, dedupe_key=f"meetings:meeting:{meeting.pk}:reminder")
    page = _login_get(world, member, reverse("messages:inbox"))
    assert "明日党课" in page
    assert sends(wecom) == []  # nothing at night
    assert Delivery.all_objects.filter(user=member, status=DeliveryStatus.HELD).exists()

    run_duties(local(2026, 11, 25, 7, 5))  # quiet hours over
    sent = sends(wecom)
    assert sent and all(s["touser"] == "zhang-san" for s in sent)
    assert sum(reminder.title in s["text"]["content"] for s in sent) == 1
    assert all(d.status == DeliveryStatus.SENT for d in Delivery.all_objects.filter(user=member))

    run_duties(local(2026, 11, 25, 7, 20))  # the duties run again: nothing is sent twice
    run_duties(local(2026, 11, 25, 9, 0))
    assert len(sends(wecom)) == len(sent)
    assert not Delivery.all_objects.exclude(user=member).filter(channel="wecom").exists()  # nobody else's


def _login_get(world, user, url) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url).content.decode()


def test_ten_due_reminders_become_one_message(world, wecom):
    secretary = world.users["secretary"]
    Address.objects.create(user=secretary, channel="wecom", value="li-si")
    Preference.objects.create(user=secretary, kind="meetings:due", channels="wecom")
    morning = local(2026, 11, 25, 9, 0)
    with freeze_time(morning):
        Notification.objects.bulk_create(
            Notification(user=secretary, title=f"第{i}项会议将到期", dedupe_key=f"meetings:due:{i}:x:2026Q4")
            for i in range(10)
        )
    run_duties(morning)
    sent = sends(wecom)
    assert len(sent) == 1 and "10条" in sent[0]["text"]["content"]
    groups = selectors.grouped(list(selectors.my_messages(secretary)))
    assert len(groups) == 1 and len(groups[0].items) == 10  # one line in the inbox too


def test_a_county_notice_with_two_attachments_reaches_30_schools(world, login):
    schools = [world.branch_a, world.branch_b]
    for i in range(28):
        branch = OrgFactory(kind=OrgKind.BRANCH, name=f"第{i}校党支部", parent=world.county)
        SchoolFactory(name=f"第{i}校", org=branch)
        GrantFactory(user=UserFactory(username=f"sec{i}"), org=branch, role="secretary")
        schools.append(branch)
    admin = world.users["county_admin"]
    official = services.send_notice(
        actor=admin,
        org=world.county,
        title="关于报送年度述职报告的通知",
        body="请各校党组织书记报送述职报告。",
        receivers=schools,
        official=True,
        action="报送书记述职报告",
        due_on=dt.date.today() + dt.timedelta(days=10),
        attachments=[pdf("方案.pdf"), pdf("提纲.pdf")],
    )
    assert official.attachments.count() == 2
    assert NoticeRecipient.all_objects.filter(notice=official).count() == 30
    # The action is an assignment: 30 targets, shown by the responsibility system's pages.
    with unscoped("test"):
        targets = Target.objects.filter(assignment=official.assignment)
        assert targets.count() == 30 and set(targets.values_list("status", flat=True)) == {Status.PENDING}
    detail = login(admin).get(reverse("assignments:detail", args=[official.assignment_id])).content.decode()
    assert "第27校党支部" in detail and "甲校党支部" in detail
    # Each school sees the notice and its attachments; 签收 is one tap and counted for the sender.
    secretary = login(world.users["secretary"])
    page = secretary.get(reverse("messages:notice", args=[official.pk])).content.decode()
    assert "方案.pdf" in page and "提纲.pdf" in page
    first = official.attachments.first()
    assert secretary.get(reverse("messages:notice_file", args=[official.pk, first.pk])).status_code == 200
    assert secretary.post(reverse("messages:acknowledge", args=[official.pk])).status_code == 302
    assert selectors.acknowledged_count(official) == 1
    sender_page = login(admin).get(reverse("messages:notice", args=[official.pk])).content.decode()
    assert "已签收 1 / 30" in sender_page
    # An ordinary notice: no 签收, no read count for the sender.
    ordinary = services.send_notice(
        actor=admin, org=world.county, title="普通通知", body="知悉即可。", receivers=schools
    )
    secretary.post(reverse("messages:acknowledge", args=[ordinary.pk]))
    assert selectors.acknowledged_count(ordinary) == 0
    assert not NoticeRecipient.all_objects.filter(notice=ordinary, acknowledged_at__isnull=False).exists()
    assert "已签收" not in login(admin).get(reverse("messages:notice", args=[ordinary.pk])).content.decode()
    # The 30 secretaries each have one message about the ordinary notice.
    assert Notification.objects.filter(dedupe_key=f"notice:{ordinary.pk}").count() == 30


def test_a_failed_delivery_is_retried_then_shown_to_the_county_administrator(world, wecom, login):
    wecom.answers["/cgi-bin/message/send"] = (200, {"errcode": 60020, "errmsg": "not allow to access from your ip"})
    member = world.users["member"]
    Address.objects.create(user=member, channel="wecom", value="zhang-san")
    Preference.objects.create(user=member, kind="*", channels="wecom")
    start = local(2026, 11, 25, 9, 0)
    with freeze_time(start):
        Notification.objects.create(user=member, title="请假已批准", dedupe_key="meetings:leave-decided:1")
    when = start
    for _attempt in range(6):
        with freeze_time(when), TestCase.captureOnCommitCallbacks(execute=True):
            delivery.run(when)
        when += dt.timedelta(minutes=130)
    assert len(sends(wecom)) == 4  # the rule's attempts, then it stops
    failed = Delivery.all_objects.get(user=member)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 4 and "60020" in failed.last_error
    home = login(world.users["county_admin"]).get(reverse("core:home")).content.decode()
    assert "1条消息发送失败" in home and reverse("messages:failures") in home
    page = login(world.users["county_admin"]).get(reverse("messages:failures"))
    assert page.status_code == 200 and "60020" in page.content.decode()
    assert login(world.users["secretary"]).get(reverse("messages:failures")).status_code == 403
    # The administrator sends it again once the cause is fixed.
    wecom.answers["/cgi-bin/message/send"] = (200, {"errcode": 0, "errmsg": "ok"})
    with freeze_time(local(2026, 11, 26, 10, 0)):
        assert login(world.users["county_admin"]).post(reverse("messages:retry", args=[failed.pk])).status_code == 302
    with freeze_time(local(2026, 11, 26, 10, 1)), TestCase.captureOnCommitCallbacks(execute=True):
        delivery.run(local(2026, 11, 26, 10, 1))
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
