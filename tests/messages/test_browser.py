"""A secretary on a phone (375 px): the unread count in the header, the inbox folded by kind, a county notice
with its attachments, 签收 in one tap."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import Notification
from dangjian.messages import services
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.messages.builders import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inbox_and_notice_on_a_phone(live_server, phone):
    world = build_world()
    secretary = world.users["secretary"]
    Notification.objects.bulk_create(
        Notification(user=secretary, title=f"第{i}项会议将到期", dedupe_key=f"meetings:due:{i}:k:p") for i in range(5)
    )
    notice = services.send_notice(
        actor=world.users["county_admin"],
        org=world.county,
        title="关于做好年度述职评议工作的通知",
        doc_number="教党发〔2026〕12号",
        body="各学校党组织：请认真组织实施。",
        receivers=[world.branch_a, world.branch_b],
        official=True,
        attachments=[SimpleUploadedFile(n, PDF) for n in ("述职评议工作方案.pdf", "述职报告参考提纲.pdf")],
    )
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "secretary")
    phone.fill("input[name=password]", "dangjian-test-pw")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert phone.inner_text(".unread-count").startswith("6")
    phone.click(".unread-link")
    phone.wait_for_url("**/messages/")
    assert "会议到期提醒（5）" in phone.content()
    assert fits(phone)
    screenshot(phone, "messages-inbox-375")
    phone.click(f"text=通知公告：{notice.title}")
    phone.wait_for_url(f"**/messages/notices/{notice.pk}/")
    assert "述职报告参考提纲.pdf" in phone.content()
    assert fits(phone)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**/messages/notices/{notice.pk}/")
    assert "已于" in phone.content()
    screenshot(phone, "messages-notice-375")
    phone.goto(f"{live_server.url}/messages/settings/")
    assert fits(phone)
    screenshot(phone, "messages-settings-375")
