import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.assignments import selectors, services
from dangjian.assignments.models import Assignment, Report, Status, Target
from dangjian.core.indicators import compute
from dangjian.core.models import AuditEntry, Notification
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import OrgKind
from tests.assignments.builders import PDF_BYTES, county_assignment
from tests.factories import OrgFactory, SchoolFactory

TODAY = timezone.localdate()


def test_county_assigns_to_all_schools_and_each_status_shows(world, login):
    services.create_assignment(
        actor=world.county_admin,
        org=world.county,
        title="报送总结",
        body="内容",
        expected="总结一份",
        due_on=TODAY,
        receivers=[world.branch_a, world.branch_b],
    )
    client = login(world.county_admin)
    issued = client.get(reverse("assignments:list") + "?tab=issued")
    assert "报送总结" in issued.content.decode()
    with unscoped("test"):
        a = world.county.assignments.get()
        assert Target.objects.filter(assignment=a).count() == 2
        assert AuditEntry.objects.filter(action="create", model="assignments.Assignment").count() == 1
    page = client.get(reverse("assignments:detail", args=[a.pk])).content.decode()
    assert "甲校党支部" in page and "乙校党支部" in page


def test_overdue_flagged_at_both_levels(world, login):
    late = TODAY - dt.timedelta(days=3)
    a = county_assignment(
        world,
        due_on=late,
        statuses={world.branch_b.pk: (Status.DONE, late - dt.timedelta(days=1))},
    )
    # The issuing level sees which school is overdue.
    counts = selectors.status_counts(world.county_admin, a, TODAY)
    assert (counts.total, counts.done, counts.overdue) == (2, 1, 1)
    page = login(world.county_admin).get(reverse("assignments:detail", args=[a.pk])).content.decode()
    assert "逾期未完成 1" in page
    # The receiving school sees its own target flagged.
    secretary = login(world.secretary)
    assert "已逾期" in secretary.get(reverse("assignments:list")).content.decode()
    with unscoped("test"):
        target_a = Target.objects.get(assignment=a, org=world.branch_a)
    assert target_a.is_overdue(TODAY)
    assert "已逾期" in secretary.get(reverse("assignments:target", args=[target_a.pk])).content.decode()
    # School B finished on time: never flagged.
    outsider_list = login(world.outsider).get(reverse("assignments:list")).content.decode()
    assert "已逾期" not in outsider_list


def test_overdue_is_computed_not_stored(world):
    a = county_assignment(world, due_on=TODAY + dt.timedelta(days=1))
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    assert not t.is_overdue(TODAY)
    assert t.is_overdue(TODAY + dt.timedelta(days=2))


def test_report_progress_then_completion_with_optional_file(world, login):
    a = county_assignment(world, due_on=TODAY + dt.timedelta(days=5))
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    client = login(world.secretary)
    response = client.post(reverse("assignments:report", args=[t.pk]), {"text": "已部署"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Status.IN_PROGRESS
    upload = SimpleUploadedFile("总结.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(reverse("assignments:report", args=[t.pk]), {"text": "已完成", "done": "on", "file": upload})
    t.refresh_from_db()
    assert t.status == Status.DONE and t.completed_on == TODAY and t.on_time
    with unscoped("test"):
        report = Report.objects.filter(target=t, done=True).get()
    assert report.file
    download = client.get(reverse("assignments:file", args=[report.pk]))
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert login(world.outsider).get(reverse("assignments:file", args=[report.pk])).status_code == 404


def test_a_disguised_file_is_refused_and_nothing_is_written(world):
    a = county_assignment(world, due_on=TODAY + dt.timedelta(days=5))
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    fake = SimpleUploadedFile("总结.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.report_progress(actor=world.secretary, target=t, text="完成", done=True, file=fake)
    t.refresh_from_db()
    assert t.status == Status.PENDING
    with unscoped("test"):
        assert not Report.objects.filter(target=t).exists()


def test_no_report_requires_a_photo(world):
    a = county_assignment(world, due_on=TODAY + dt.timedelta(days=5))
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    services.report_progress(actor=world.secretary, target=t, text="文字报告即可", done=True)
    t.refresh_from_db()
    assert t.status == Status.DONE


def test_only_orgs_directly_below_may_receive(world):
    with pytest.raises(ValidationError, match="直接下级"):
        services.create_assignment(
            actor=world.county_admin,
            org=world.county,
            title="t",
            body="b",
            expected="e",
            due_on=TODAY,
            receivers=[world.group_a],
        )
    with pytest.raises(ValidationError, match="早于今天"):
        services.create_assignment(
            actor=world.county_admin,
            org=world.county,
            title="t",
            body="b",
            expected="e",
            due_on=TODAY - dt.timedelta(days=1),
            receivers=[world.branch_a],
        )


def test_supervision_belongs_to_the_issuing_level(world, login):
    a = county_assignment(world, due_on=TODAY - dt.timedelta(days=1))
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    # The receiving school's own secretary cannot supervise itself.
    assert login(world.secretary).post(reverse("assignments:supervise", args=[t.pk]), {"note": "x"}).status_code == 403
    response = login(world.county_admin).post(reverse("assignments:supervise", args=[t.pk]), {"note": "请本周内完成"})
    assert response.status_code == 302
    assert "请本周内完成" in login(world.secretary).get(reverse("assignments:target", args=[t.pk])).content.decode()


def test_create_through_the_form_to_selected_receivers(world, login):
    extra = OrgFactory(kind=OrgKind.BRANCH, name="丙支部", parent=world.county)
    response = login(world.county_admin).post(
        reverse("assignments:new", args=[world.county.pk]),
        {
            "title": "选定下发",
            "body": "内容",
            "expected": "说明",
            "due_on": (TODAY + dt.timedelta(days=7)).isoformat(),
            "receivers": [world.branch_a.pk, extra.pk],
        },
    )
    assert response.status_code == 302
    with unscoped("test"):
        orgs = set(Target.objects.filter(assignment__title="选定下发").values_list("org_id", flat=True))
    assert orgs == {world.branch_a.pk, extra.pk}


def test_export_lists_every_receiver(world, login):
    a = county_assignment(world, due_on=TODAY - dt.timedelta(days=1))
    response = login(world.county_admin).get(reverse("assignments:export", args=[a.pk]))
    ws = load_workbook(BytesIO(response.content)).active
    values = [row[0] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert values == ["甲校党支部", "乙校党支部"]
    assert [row[3] for row in ws.iter_rows(min_row=4, values_only=True)] == ["逾期未完成", "逾期未完成"]


def test_on_time_rate_formula_against_hand_count(world):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    county_assignment(
        world,
        due_on=dt.date(2026, 3, 1),
        statuses={
            world.branch_a.pk: (Status.DONE, dt.date(2026, 2, 20)),
            world.branch_b.pk: (Status.DONE, dt.date(2026, 3, 5)),
        },
    )
    county_assignment(
        world,
        due_on=dt.date(2026, 4, 1),
        statuses={world.branch_a.pk: (Status.DONE, dt.date(2026, 4, 1))},
    )
    # Within the school itself: not the county's measure of the school.
    with unscoped("test"):
        own = Assignment.objects.create(
            org=world.branch_a, title="内部", body="b", expected="e", due_on=dt.date(2026, 5, 1)
        )
        Target.objects.create(assignment=own, org=world.group_a)
    result = compute("assignments.on_time_rate", schools=[world.school_a, world.school_b], start=start, end=end)
    assert result[world.school_a.pk].value == 1.0  # 2 of 2 on time
    assert result[world.school_b.pk].value == 0.0  # one late, one never done
    assert "到期任务2项" in result[world.school_b.pk].detail
    assert result[world.school_a.pk].evidence_url.startswith(reverse("assignments:list"))


def test_school_with_nothing_due_has_no_measure(world):
    result = compute(
        "assignments.on_time_rate", schools=[world.school_a], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert result == {}


def test_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    with unscoped("test"):
        for i in range(40):
            a = Assignment.objects.create(
                org=world.county, title=f"任务{i}", body="b", expected="e", due_on=TODAY - dt.timedelta(days=i)
            )
            Target.objects.create(assignment=a, org=world.branch_a)
            Target.objects.create(assignment=a, org=SchoolFactory(org=OrgFactory(parent=world.county)).org)
    client = login(world.county_admin)
    for url in (reverse("assignments:list"), reverse("assignments:list") + "?tab=issued"):
        with django_assert_max_num_queries(12):
            assert client.get(url + ("&" if "?" in url else "?") + "per_page=100").status_code == 200
    # One assignment to many receivers: its status page does not grow either.
    with unscoped("test"):
        many = Assignment.objects.create(org=world.county, title="全部", body="b", expected="e", due_on=TODAY)
        for org in world.county.children.all():
            Target.objects.create(assignment=many, org=org)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("assignments:detail", args=[many.pk]) + "?per_page=100")
    assert page.content.decode().count("assignments/targets/") == 42


def test_api_lists_and_reports(world, api_client):
    a = county_assignment(world, due_on=TODAY - dt.timedelta(days=1))
    secretary = api_client(world.secretary)
    targets = secretary.get("/api/v1/assignments/targets").json()
    assert targets["count"] == 1 and targets["items"][0]["overdue"] is True
    target_id = targets["items"][0]["id"]
    response = secretary.post(
        f"/api/v1/assignments/targets/{target_id}/reports",
        data={"text": "已完成", "done": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    county = api_client(world.county_admin).get(f"/api/v1/assignments/assignments/{a.pk}/targets").json()
    statuses = {item["org_name"]: item["status"] for item in county["items"]}
    assert statuses == {"甲校党支部": "done", "乙校党支部": "pending"}


def test_open_work_due_within_the_local_rule_is_shown_as_due_soon(world, login):
    county_assignment(world, due_on=TODAY + dt.timedelta(days=2), title="临近任务")
    county_assignment(world, due_on=TODAY + dt.timedelta(days=30), title="远期任务")
    assert selectors.due_soon_until(TODAY) == TODAY + dt.timedelta(days=3)  # rules/assignments.yaml
    page = login(world.secretary).get(reverse("assignments:list")).content.decode()
    items = {title: next(li for li in page.split("<li>") if title in li) for title in ("临近任务", "远期任务")}
    assert "临期" in items["临近任务"]
    assert "临期" not in items["远期任务"]


def test_receivers_get_one_quiet_notification_and_supervision_reaches_them(world):
    a = services.create_assignment(
        actor=world.county_admin,
        org=world.county,
        title="报送总结",
        body="内容",
        expected="总结",
        due_on=TODAY,
        receivers=[world.branch_a, world.branch_b],
    )
    notes = Notification.objects.filter(title__contains="报送总结")
    # The secretaries who report for each school; not the read-only member, not the teacher.
    assert set(notes.values_list("user__username", flat=True)) == {"secretary", "outsider"}
    with unscoped("test"):
        t = Target.objects.get(assignment=a, org=world.branch_a)
    assert notes.get(user=world.secretary).url == reverse("assignments:target", args=[t.pk])
    services.supervise(actor=world.county_admin, target=t, note="请尽快报送")
    assert Notification.objects.filter(user=world.secretary, title__startswith="督办").count() == 1
    assert not Notification.objects.filter(user=world.outsider, title__startswith="督办").exists()


def test_my_page_lists_open_work_of_my_own_org(world, login):
    county_assignment(world, due_on=TODAY - dt.timedelta(days=1), title="待报送的总结")
    page = login(world.secretary).get(reverse("core:me")).content.decode()
    assert "待办工作任务" in page and "待报送的总结" in page and "已逾期" in page
    assert "待办工作任务" not in login(world.member).get(reverse("core:me")).content.decode()
