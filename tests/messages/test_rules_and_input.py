"""Quiet hours as rule data, channel settings, 待办 from meetings and voice, and bad input."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dangjian.core.models import AuditEntry, LocalRule
from dangjian.messages import delivery
from dangjian.messages.models import Notice, Preference
from tests.meetings.helpers import plan
from tests.messages.builders import notice, pdf
from tests.voice.conftest import make_concern


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_quiet_hours_nights_and_rest_days_except_safety():
    assert delivery.quiet_until(local(2026, 11, 25, 10, 0), "notice") is None  # a Wednesday morning
    assert delivery.quiet_until(local(2026, 11, 25, 21, 30), "notice") == local(2026, 11, 26, 7, 0)
    assert delivery.quiet_until(local(2026, 11, 26, 6, 59), "notice") == local(2026, 11, 26, 7, 0)
    # Friday night waits for Monday; the National Day holiday waits for the first working day after it.
    assert delivery.quiet_until(local(2026, 11, 27, 22, 0), "notice") == local(2026, 11, 30, 7, 0)
    assert delivery.quiet_until(local(2026, 10, 2, 10, 0), "assignment") == local(2026, 10, 8, 7, 0)
    assert delivery.quiet_until(local(2026, 11, 28, 23, 0), "safety") is None


def test_channel_choice_per_kind_on_the_settings_page(world, login, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    member = world.users["member"]
    client = login(member)
    page = client.get(reverse("messages:settings")).content.decode()
    assert "短信" in page and "所有消息" in page
    response = client.post(reverse("messages:settings"), {"form": "channels", "kind": "notice", "channels": ["sms"]})
    assert response.status_code == 302
    assert Preference.objects.get(user=member, kind="notice").channel_list == ["sms"]
    bad = client.post(reverse("messages:settings"), {"form": "channels", "kind": "notice", "channels": ["fax"]})
    assert bad.status_code == 400 and "未知的消息渠道" in bad.content.decode()
    assert Preference.objects.get(user=member, kind="notice").channel_list == ["sms"]


def test_account_ids_are_saved_for_configured_apps(world, login, settings):
    settings.WECOM_CORP_ID, settings.WECOM_CORP_SECRET, settings.WECOM_AGENT_ID = "c", "s", "1"
    client = login(world.users["member"])
    client.post(reverse("messages:settings"), {"form": "addresses", "wecom": "zhang-san", "dingtalk": ""})
    assert 'value="zhang-san"' in client.get(reverse("messages:settings")).content.decode()
    bad = client.post(reverse("messages:settings"), {"form": "addresses", "wecom": "zhang san", "dingtalk": ""})
    assert bad.status_code == 400 and "空格" in bad.content.decode()


def test_todo_has_meetings_to_record_leave_and_concerns(world, login):
    with freeze_time(local(2026, 11, 20, 9, 0)):
        plan(world, topic="上周的党课", day=dt.date(2026, 11, 21))
    make_concern(world, title="操场护栏松动")
    page = login(world.users["secretary"]).get(reverse("messages:todo")).content.decode()
    assert "记录会议" in page and "上周的党课" in page and "受理诉求" in page and "操场护栏松动" in page
    assert "操场护栏松动" not in login(world.users["outsider"]).get(reverse("messages:todo")).content.decode()


def _notice_form(world, **over) -> dict:
    data = {
        "org": world.county.pk,
        "title": "关于开展主题党日的通知",
        "body": "请各支部组织开展。",
        "receivers": [world.branch_a.pk],
    }
    data.update(over)
    return data


def test_sending_a_notice_on_the_page(world, login):
    client = login(world.users["county_admin"])
    assert client.get(reverse("messages:notice_new")).status_code == 200
    data = _notice_form(world, attachments=[pdf("一.pdf"), pdf("二.pdf")], public="on")
    response = client.post(reverse("messages:notice_new"), data)
    assert response.status_code == 302, response.content.decode()
    notice = Notice.all_objects.get()
    assert notice.attachments.count() == 2 and notice.public
    assert AuditEntry.objects.filter(action="send", model="inbox.Notice").exists()
    # Public: on the public site and the county home, with its files.
    anonymous = client.__class__()
    assert notice.title in anonymous.get(reverse("messages:public_notices")).content.decode()
    assert notice.title in anonymous.get(reverse("publishing:home")).content.decode()


def test_notice_refusals_change_nothing(world, login):
    client = login(world.users["county_admin"])
    exe = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    bad_file = client.post(reverse("messages:notice_new"), _notice_form(world, attachments=[exe]))
    assert bad_file.status_code == 400 and "不是允许的类型" in bad_file.content.decode()
    no_due = client.post(reverse("messages:notice_new"), _notice_form(world, action="报送材料"))
    assert no_due.status_code == 400 and "办理期限" in no_due.content.decode()
    # A school cannot send as the county, nor to another school.
    secretary = login(world.users["secretary"])
    as_county = secretary.post(reverse("messages:notice_new"), _notice_form(world))
    assert as_county.status_code == 400
    assert Notice.all_objects.count() == 0


def test_a_county_may_start_its_quiet_hours_earlier(world):
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="inbox/delivery",
        key="quiet_start",
        value="20:00",
        effective=dt.date(2026, 1, 1),
    )
    evening = local(2026, 11, 25, 20, 30)
    assert delivery.quiet_until(evening, "notice", world.branch_a.path) == local(2026, 11, 26, 7, 0)
    assert delivery.quiet_until(evening, "notice") is None  # the rule file's own 21:00


def test_the_county_todo_is_its_own_work_not_every_schools(world, login):
    make_concern(world, title="学校自己办理的诉求")
    make_concern(world, title="已上报县里的诉求", level="county")
    notice(world, official=True, title="请签收的正式文件")
    county = login(world.users["county_admin"]).get(reverse("messages:todo")).content.decode()
    assert "已上报县里的诉求" in county
    assert "学校自己办理的诉求" not in county and "请签收的正式文件" not in county
    school = login(world.users["secretary"]).get(reverse("messages:todo")).content.decode()
    assert "学校自己办理的诉求" in school and "请签收的正式文件" in school and "已上报县里的诉求" not in school


def test_every_kind_label_of_the_rule_data_is_translatable():
    from dangjian.core import rules
    from dangjian.messages.delivery import LABELS_FOR_TRANSLATION

    labels = set(rules.rule_values("inbox", "kinds")["labels"].values())
    assert labels <= set(LABELS_FOR_TRANSLATION)
