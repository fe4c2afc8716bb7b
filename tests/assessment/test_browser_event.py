"""Done means (issue 18): the county plans an observation meeting with three schools and two observer groups, one
observer without an account; both groups score every school on phones (375 px), one of them across a lost
connection; the organizer watches the sheets arrive and closes the event; the report and the 通报 PDF follow,
and the PDF's text is read back."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dangjian.assessment.models import ObservationSheet, ObservationVisit, Rectification
from dangjian.core.scoping import unscoped
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.factories import OrgFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, login, user, live_server):
    page.context.add_cookies(
        [{"name": "sessionid", "value": login(user).cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def score_every_school(page, schools: list[str], *, offline_at: str | None = None) -> None:
    """On the observer's own sheet list: open each school, fill every item and send; at `offline_at` the
    connection drops before sending and comes back after."""
    start = page.url
    for name in schools:
        page.goto(start)
        page.click(f"main a.button:has-text('{name}')")
        page.wait_for_selector("form[data-sheet]")
        assert fits(page)
        inputs = page.locator("input[name^=item_]")
        for i in range(inputs.count()):
            field = inputs.nth(i)
            field.fill(str(float(field.get_attribute("max")) - (1 if name == schools[-1] else 0)))
        page.fill("textarea[name=problems]", f"{name}：支部手册填写不规范")
        if name == offline_at:
            page.context.set_offline(True)
            page.click("main button[type=submit]")
            page.wait_for_selector("body[data-sheet-pending]")
            assert "暂时没有网络" in page.inner_text("[data-sheet-status]")
            screenshot(page, "observation-sheet-offline-375")
            with unscoped("test"):
                assert not ObservationSheet.objects.filter(school__name=name, observer__user__isnull=False).exists()
            page.context.set_offline(False)  # the browser's `online` event sends the kept sheet
        else:
            page.click("main button[type=submit]")
        page.wait_for_selector("body[data-sheet-sent]", timeout=15000)
        assert "已提交" in page.inner_text("[data-sheet-status]")


def test_an_observation_meeting_from_plan_to_bulletin_on_phones(live_server, page_at, login, browser):
    world = build_world()
    SchoolFactory(name="丙校", org=OrgFactory(name="丙校党支部", parent=world.county))
    organizer = signed_in(page_at(375), login, world.county_admin, live_server)
    errors = []
    organizer.on("pageerror", lambda exc: errors.append(str(exc)))

    # Plan: three schools, then two groups each with a leader, one observer without an account.
    organizer.goto(live_server.url + reverse("assessment:visit_new"))
    assert fits(organizer)
    organizer.fill("#id_title", "冬季学校党建现场观摩")
    organizer.fill("#id_visit_on", timezone.localdate().isoformat())
    for name in ("甲校", "乙校", "丙校"):
        organizer.check(f"label:has-text('{name}') input")
    organizer.click("main button[type=submit]")
    organizer.wait_for_url("**/assessment/visits/*/")
    for group in ("第一组", "第二组"):
        organizer.click("summary:has-text('添加观摩组')")
        organizer.fill("form[action$='/groups/'] input[name=name]", group)
        organizer.click("form[action$='/groups/'] button")
        organizer.wait_for_selector(f"h3:has-text('{group}')")
    organizer.fill("form[action$='/observers/'] input[name=name]", "王老师")
    organizer.fill("form[action$='/observers/'] input[name=unit]", "邻县实验小学")
    organizer.select_option("form[action$='/observers/'] select[name=group]", label="第一组")
    organizer.check("form[action$='/observers/'] input[name=leader]")
    organizer.click("form[action$='/observers/'] button")
    organizer.wait_for_selector("li:has-text('王老师')")
    organizer.fill("form[action$='/observers/'] input[name=username]", "assessor")
    organizer.select_option("form[action$='/observers/'] select[name=group]", label="第二组")
    organizer.check("form[action$='/observers/'] input[name=leader]")
    organizer.click("form[action$='/observers/'] button")
    organizer.wait_for_selector("li:has-text('assessor')")
    assert fits(organizer)
    screenshot(organizer, "observation-plan-375")
    visit_url = organizer.url
    guest_link = organizer.locator("li:has-text('王老师') input.observer-link").input_value()
    with unscoped("test"):
        visit = ObservationVisit.objects.get()
        assert visit.groups.count() == 2 and visit.observers.filter(is_leader=True).count() == 2
        assert visit.observers.get(name="王老师").user is None

    # Group one: the observer without an account, through the personal link, on a phone.
    guest = page_at(375)
    guest.on("pageerror", lambda exc: errors.append(str(exc)))
    guest.goto(guest_link)
    assert "王老师" in guest.inner_text("main")
    score_every_school(guest, ["甲校", "乙校", "丙校"])
    screenshot(guest, "observation-sheet-375")

    # Group two: the expert signs in and opens the own sheets; the connection drops at 乙校.
    expert = signed_in(page_at(375), login, world.assessor, live_server)
    expert.on("pageerror", lambda exc: errors.append(str(exc)))
    expert.goto(live_server.url + reverse("assessment:visit_mine", args=[visit.pk]))
    expert.wait_for_url("**/assessment/observe/**")
    score_every_school(expert, ["甲校", "乙校", "丙校"], offline_at="乙校")
    assert "学校记录" in expert.content()

    # The organizer sees the six sheets arrive (the table refreshes itself), then closes the event.
    organizer.goto(visit_url)
    organizer.wait_for_selector("#arrivals:has-text('已收6份')", timeout=20000)
    organizer.click("main form[action$='/close/'] button")
    organizer.wait_for_url("**/report/")
    assert fits(organizer)
    report = organizer.inner_text("main")
    assert "全县比较表" in report and "与中位数差距" in report and "甲校：支部手册填写不规范" in report
    screenshot(organizer, "observation-report-375")
    with unscoped("test"):
        assert Rectification.objects.count() == 6  # two observers × three schools, one problem each
    response = login(world.county_admin).get(reverse("assessment:visit_bulletin", args=[visit.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for heading in ("一、基本情况", "二、主要做法和成效", "三、存在问题", "四、下一步工作"):
        assert heading in text
    assert "2个观摩组共2名观摩人员" in text and "甲校" in text and "丙校：支部手册填写不规范" in text
    # 甲校 and 乙校 scored full marks from both groups; 丙校 one point less on each item: ranked last.
    assert text.index("丙校") > text.index("乙校")
    # The links stop working once the event is closed.
    guest.goto(guest_link)
    assert "链接已失效" in guest.inner_text("main")
    assert errors == []
