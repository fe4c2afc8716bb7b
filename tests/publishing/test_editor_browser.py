"""Done means: a post written in the editor with no HTML typed, reviewed by a second person and published; its
公众号 export opens cleanly. At 375 px, in Debian's chromium."""

import pytest
from django.urls import reverse

from dangjian.publishing.models import Post, Status
from tests.browser_support import fits, screenshot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_post_is_typed_reviewed_by_someone_else_published_and_exported(world, live_server, browser):
    base = live_server.url
    author = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    signed_in(author, world.secretary, base)
    page = author.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + reverse("publishing:post_new"))
    page.select_option("#id_publisher", label=world.school_a.name)
    page.fill("#id_title", "甲校开展主题党日活动")
    editor = page.locator(".editor-area")
    editor.click()
    page.keyboard.type("本周五，甲校党支部组织全体党员重温入党誓词。")
    page.keyboard.press("Enter")
    page.click(".editor-toolbar >> text=小标题")
    page.keyboard.type("活动成效")
    page.keyboard.press("Enter")
    page.click(".editor-toolbar >> text=加粗")
    page.keyboard.type("全体党员参加")
    page.click(".editor-toolbar >> text=加粗")
    page.keyboard.type("，交流发言十二人次。")
    assert fits(page)
    screenshot(page, "editor-375")
    page.click("main button[type=submit]")
    page.wait_for_url("**/publishing/manage/*/")
    post = Post.all_objects.get(title="甲校开展主题党日活动")
    assert "<h3>活动成效</h3>" in post.body and "<strong>全体党员参加</strong>" in post.body
    assert "&lt;" not in post.body, "no markup was typed, none shows as text"
    page.click("button:has-text('提交审核')")
    page.wait_for_load_state()
    # The author cannot approve their own post: there is no button for it.
    assert page.locator("button:has-text('通过')").count() == 0

    reviewer = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    signed_in(reviewer, world.county_admin, base)
    second = reviewer.new_page()
    second.goto(base + reverse("publishing:manage_post", args=[post.pk]))
    second.click("button:has-text('通过')")
    second.wait_for_load_state()
    post.refresh_from_db()
    assert post.status == Status.APPROVED and post.is_public and post.reviewed_by == world.county_admin

    public = second.goto(base + reverse("publishing:post", args=[post.pk]))
    assert public.status == 200 and second.locator(".pub-body strong").inner_text() == "全体党员参加"

    export = page.goto(base + reverse("publishing:post_wechat", args=[post.pk]))
    assert export.status == 200
    assert page.evaluate("document.querySelectorAll('script, [class], [id], link, style').length") == 0
    assert page.locator("h1").inner_text() == "甲校开展主题党日活动"
    assert page.locator("h3").get_attribute("style").startswith("margin")
    assert fits(page)
    screenshot(page, "wechat-export-375")
    assert errors == []
    author.close()
    reviewer.close()
