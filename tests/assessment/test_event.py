"""The observation meeting (观摩会) as an event: planned by the county, scored through personal links, closed,
reported, its problems turned into rectification items that the next event checks."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dangjian.assessment import observation, services
from dangjian.assessment.models import ObservationScore, ObservationSheet, Problem, Rectification, VisitStop
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance

TODAY = timezone.localdate()


@pytest.fixture
def event(world):
    visit = services.create_visit(
        actor=world.county_admin,
        org=world.county,
        title="秋季现场观摩",
        visit_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=2),
        schools=[world.school_b, world.school_a],
    )
    one = services.add_group(actor=world.county_admin, visit=visit, name="第一组")
    two = services.add_group(actor=world.county_admin, visit=visit, name="第二组")
    guest = services.add_observer(
        actor=world.county_admin, visit=visit, name="王老师", unit="外县", group=one, leader=True
    )
    expert = services.add_observer(
        actor=world.county_admin, visit=visit, name="", group=two, user=world.assessor, leader=True
    )
    return visit, guest, expert


def sheet_url(observer, school):
    return reverse("assessment:observe_sheet", args=[observation.token_for(observer), school.pk])


def post_sheet(observer, school, data, client=None):
    return (client or Client()).post(sheet_url(observer, school), data, HTTP_X_SHEET_SYNC="1")


def test_the_county_plans_a_route_groups_and_leaders(world, login, event):
    visit, guest, _expert = event
    client = login(world.county_admin)
    with unscoped("test"):
        stops = {s.school_id: s for s in VisitStop.objects.filter(visit=visit)}
    assert [stops[world.school_b.pk].order, stops[world.school_a.pk].order] == [1, 2]  # as listed
    response = client.post(
        reverse("assessment:visit_route", args=[visit.pk]),
        {
            f"order_{stops[world.school_a.pk].pk}": "1",
            f"time_{stops[world.school_a.pk].pk}": f"{TODAY:%Y-%m-%d}T09:00",
            f"order_{stops[world.school_b.pk].pk}": "2",
            f"time_{stops[world.school_b.pk].pk}": "14:30",
        },
    )
    assert response.status_code == 302
    with unscoped("test"):
        route = list(VisitStop.objects.filter(visit=visit).order_by("order"))
    assert [s.school_id for s in route] == [world.school_a.pk, world.school_b.pk]
    assert timezone.localtime(route[1].arrive_at).strftime("%H:%M") == "14:30"
    # A second leader of a group replaces the first; the page shows each observer's personal link.
    client.post(
        reverse("assessment:visit_observer", args=[visit.pk]),
        {"name": "李校长", "group": guest.group_id, "leader": "on"},
    )
    guest.refresh_from_db()
    assert not guest.is_leader
    page = client.get(reverse("assessment:visit", args=[visit.pk])).content.decode()
    assert "李校长" in page and observation.token_for(guest) in page
    # An unknown account is refused in Chinese; nothing is added.
    client.post(reverse("assessment:visit_observer", args=[visit.pk]), {"name": "某", "username": "nobody"})
    with unscoped("test"):
        assert visit.observers.count() == 3


def test_a_personal_link_opens_only_its_own_sheets(world, event):
    visit, guest, expert = event
    client = Client()
    page = client.get(reverse("assessment:observe", args=[observation.token_for(guest)])).content.decode()
    assert "王老师" in page and "甲校" in page and "乙校" in page
    assert (
        post_sheet(guest, world.school_a, {"item_leadership": "18", "problems": "党员活动室资料陈旧"}).status_code
        == 200
    )
    # The expert's sheet of the same school is another sheet: the guest's link never shows it.
    post_sheet(expert, world.school_a, {"item_leadership": "12"})
    mine = client.get(sheet_url(guest, world.school_a)).content.decode()
    assert 'value="18.00"' in mine and 'value="12.00"' not in mine
    forged = observation.token_for(guest)[:-2] + "xx"
    assert client.get(reverse("assessment:observe", args=[forged])).status_code == 404
    # A school not on the route is not there.
    with unscoped("test"):
        VisitStop.objects.filter(visit=visit, school=world.school_b).delete()
    assert client.get(sheet_url(guest, world.school_b)).status_code == 404


def test_the_link_expires_after_the_event(world, event, monkeypatch):
    _visit, guest, _expert = event
    url = reverse("assessment:observe", args=[observation.token_for(guest)])
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY + dt.timedelta(days=3))
    response = Client().get(url)
    assert response.status_code == 410 and "链接已失效" in response.content.decode()


def test_a_sheet_sent_twice_replaces_the_first_and_bad_points_are_refused(world, event):
    _visit, guest, _expert = event
    post_sheet(guest, world.school_a, {"item_leadership": "10", "problems_leadership": "一\n二"})
    post_sheet(guest, world.school_a, {"item_leadership": "11", "problems_leadership": "一"})
    with unscoped("test"):
        assert list(ObservationScore.objects.filter(by=guest).values_list("points", flat=True)) == [11]
        assert list(Problem.objects.filter(by=guest).values_list("text", flat=True)) == ["一"]
    bad = post_sheet(guest, world.school_a, {"item_leadership": "99"})
    assert bad.status_code == 422 and "0到20" in bad.json()["detail"][0]
    assert post_sheet(guest, world.school_a, {"item_leadership": "abc"}).status_code == 422
    with unscoped("test"):
        assert list(ObservationScore.objects.filter(by=guest).values_list("points", flat=True)) == [11]


def test_the_sheet_shows_the_schools_own_records_beside_each_item(world, event, login):
    _visit, guest, _expert = event
    compliance.refresh(years=[TODAY.year])
    page = Client().get(sheet_url(guest, world.school_a)).content.decode()
    assert "学校记录" in page and "组织生活按规定召开的比例" in page
    link = reverse("meetings:compliance") + f"?org={world.branch_a.pk}"
    assert "应开" in page and link not in page  # no account: figures only, no links it could not open
    # With an account that may open them, the records link to their pages.
    signed_in = login(world.county_admin).get(sheet_url(guest, world.school_a)).content.decode()
    assert link in signed_in


def test_the_organizer_sees_sheets_arrive_then_closes_the_event(world, event, login):
    visit, guest, _expert = event
    client = login(world.county_admin)
    assert 'class="tag ok"' not in client.get(reverse("assessment:visit_arrivals", args=[visit.pk])).content.decode()
    post_sheet(guest, world.school_a, {"item_leadership": "18", "problems": "制度未上墙"})
    arrivals = client.get(reverse("assessment:visit_arrivals", args=[visit.pk])).content.decode()
    assert 'class="tag ok"' in arrivals and "已收1份" in arrivals
    due = TODAY + dt.timedelta(days=20)
    response = client.post(reverse("assessment:visit_close", args=[visit.pk]), {"due_on": due.isoformat()})
    assert response.status_code == 302
    with unscoped("test"):
        item = Rectification.objects.get()
    assert item.school == world.school_a and item.due_on == due and item.problem.text == "制度未上墙"
    # Closed: the link no longer works, and nothing more is accepted.
    assert post_sheet(guest, world.school_a, {"item_leadership": "1"}).status_code == 410
    with unscoped("test"):
        assert ObservationSheet.objects.count() == 1


def test_the_school_reports_rectification_and_the_next_event_shows_it(world, event, login):
    visit, guest, _expert = event
    post_sheet(guest, world.school_a, {"item_leadership": "15", "problems_leadership": "议事规则不全"})
    services.close_visit(actor=world.county_admin, visit=visit)
    secretary = login(world.secretary)
    page = secretary.get(reverse("assessment:rectifications")).content.decode()
    assert "议事规则不全" in page
    with unscoped("test"):
        item = Rectification.objects.get()
    assert login(world.outsider).get(reverse("assessment:rectifications")).content.decode().count("议事规则不全") == 0
    secretary.post(reverse("assessment:rectification_done", args=[item.pk]), {"report": " "})
    item.refresh_from_db()
    assert not item.is_done  # an empty report changes nothing
    secretary.post(reverse("assessment:rectification_done", args=[item.pk]), {"report": "已修订议事规则并公开"})
    item.refresh_from_db()
    assert item.is_done and item.done_by == world.secretary
    later = services.create_visit(
        actor=world.county_admin,
        org=world.county,
        title="冬季观摩",
        visit_on=TODAY + dt.timedelta(days=1),
        schools=[world.school_a],
    )
    observer = services.add_observer(actor=world.county_admin, visit=later, name="赵老师")
    sheet = Client().get(sheet_url(observer, world.school_a)).content.decode()
    assert "上次观摩问题的整改情况" in sheet and "议事规则不全" in sheet and "已整改" in sheet


def test_report_gaps_and_the_bulletin_pdf(world, event, login):
    visit, guest, expert = event
    full = {f"item_{item['key']}": str(item["max"]) for item in visit.items}
    half = {f"item_{item['key']}": str(item["max"] / 2) for item in visit.items}
    post_sheet(guest, world.school_a, {**full, "problems": "支部手册填写不规范"})
    post_sheet(expert, world.school_a, full)
    post_sheet(guest, world.school_b, half)
    post_sheet(expert, world.school_b, half)
    services.close_visit(actor=world.county_admin, visit=visit)
    client = login(world.county_admin)
    report = client.get(reverse("assessment:visit_report", args=[visit.pk])).content.decode()
    assert report.index("甲校") < report.index("乙校")  # ranked: 甲校 first
    assert "-10.00" in report  # 乙校's leadership: 10 below the best (20)
    assert "支部手册填写不规范" in report
    response = client.get(reverse("assessment:visit_bulletin", args=[visit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for heading in ("一、基本情况", "二、主要做法和成效", "三、存在问题", "四、下一步工作"):
        assert heading in text
    assert "甲校" in text and "支部手册填写不规范" in text and "王老师" not in text  # schools, never people


def test_the_api_lists_the_events_in_scope(world, event, api_client):
    visit, _guest, _expert = event
    body = api_client(world.county_admin).get("/api/v1/assessment/visits").json()
    found = next(v for v in body["items"] if v["id"] == visit.pk)
    assert [s["school_name"] for s in found["stops"]] == ["乙校", "甲校"]
    assert found["groups"] == ["第一组", "第二组"] and found["observers"] == 2 and found["status"] == "planned"
    assert api_client(world.outsider).get("/api/v1/assessment/visits").status_code == 403
