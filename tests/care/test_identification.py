"""The identification workflow of domain-rules.md §8.1, the 公示 without sensitive data, archive and purge."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from dangjian.care import notice, services
from dangjian.care.models import Round, RoundStatus, Student
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.orgs import idnumber
from tests.care.conftest import make_student

SENSITIVE = [
    "110101201205150034",  # ID number
    "柳河乡红星村",  # address
    "3456.78",  # income
    "3456",
    "听力",  # disability category
    "70分贝",  # disability detail
    "最低生活保障",  # priority group
    "13812345678",  # guardian phone
    "李雨萱",  # full name
]


def _round_with_decisions(world, care):
    officer = care["officer_a"]
    round_ = services.open_round(
        actor=officer, school=world.school_a, kind="annual", period="2026-2027", notice_on=dt.date(2026, 9, 7)
    )
    a1 = services.apply(actor=officer, round_=round_, student=care["paired"], requested_tier="special")
    a2 = services.apply(actor=officer, round_=round_, student=care["unpaired"], requested_tier="general")
    services.decide(actor=officer, application=a1, approve=True, tier="special")
    services.decide(actor=officer, application=a2, approve=False)
    return round_


def test_publicity_lasts_five_working_days_across_national_day(world, care):
    # Starting Wed 30 Sep 2026: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (调休), 12 Oct.
    assert services.publicity_end(dt.date(2026, 9, 30)) == dt.date(2026, 10, 12)
    # Starting on a holiday: counted from the next working day.
    assert services.publicity_end(dt.date(2026, 10, 3)) == dt.date(2026, 10, 13)


def test_workflow_notice_apply_decide_publicize_record(world, care):
    officer = care["officer_a"]
    round_ = _round_with_decisions(world, care)
    services.start_publicity(actor=officer, round_=round_, start=dt.date(2026, 9, 30))
    assert round_.status == RoundStatus.PUBLICITY and round_.publicity_end == dt.date(2026, 10, 12)
    with pytest.raises(ValidationError, match="公示开始后不再接受申请"):
        services.apply(actor=officer, round_=round_, student=make_student(world))
    with pytest.raises(ValidationError, match="期满后才能建档"):
        services.record_round(actor=officer, round_=round_, today=dt.date(2026, 10, 12))
    services.record_round(actor=officer, round_=round_, today=dt.date(2026, 10, 13))
    with unscoped("test"):
        paired = Student.objects.get(pk=care["paired"].pk)
        unpaired = Student.objects.get(pk=care["unpaired"].pk)
    assert paired.hardship_tier == "special" and paired.identified_on == dt.date(2026, 10, 13)
    assert unpaired.hardship_tier == ""
    assert AuditEntry.objects.filter(model="care.Round", action="record").exists()


def test_cannot_publicize_with_pending_applications_or_unknown_tier(world, care):
    officer = care["officer_a"]
    round_ = services.open_round(
        actor=officer, school=world.school_a, kind="term", period="2026-2027-1", notice_on=dt.date(2026, 9, 7)
    )
    with pytest.raises(ValidationError, match="不在本省规定的档次"):
        services.apply(actor=officer, round_=round_, student=care["paired"], requested_tier="ultra")
    services.apply(actor=officer, round_=round_, student=care["paired"])
    with pytest.raises(ValidationError, match="还有申请未作认定"):
        services.start_publicity(actor=officer, round_=round_, start=dt.date(2026, 10, 9))


def test_notice_never_prints_sensitive_fields(world, care, login, api_client):
    round_ = _round_with_decisions(world, care)
    services.start_publicity(actor=care["officer_a"], round_=round_, start=dt.date(2026, 9, 30))

    html = notice.html(round_)
    assert "李*" in html and "五年级二班" in html and "特别困难" in html
    assert "赵*" not in html  # not approved: not published
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(notice.pdf(round_))).pages)
    assert "特别困难" in text.replace(" ", "")
    page = login(care["officer_a"]).get(reverse("care:round_notice", args=[round_.pk])).content.decode()
    api = json.dumps(
        api_client(care["officer_a"]).get(f"/api/v1/care/rounds/{round_.pk}/notice").json(), ensure_ascii=False
    )
    for output in (html, text.replace(" ", "").replace("\n", ""), page, api):
        for secret in SENSITIVE:
            assert secret not in output, secret


def test_round_pages_walk_through(world, care, login):
    client = login(care["officer_a"])
    response = client.post(
        reverse("care:rounds"),
        {"school": world.school_a.pk, "kind": "annual", "period": "2026-2027", "notice_on": "2026-09-07"},
    )
    with unscoped("test"):
        round_ = Round.objects.get()
    assert response.status_code == 302
    client.post(reverse("care:round_apply", args=[round_.pk]), {"student": care["paired"].pk, "requested_tier": "hard"})
    application = round_.applications.get()
    client.post(reverse("care:round_decide", args=[round_.pk, application.pk]), {"approve": "1", "tier": "hard"})
    client.post(reverse("care:round_publicize", args=[round_.pk]), {"start": "2026-09-30"})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLICITY
    page = client.get(reverse("care:round", args=[round_.pk])).content.decode()
    assert "2026-10-12" in page and "比较困难" in page
    # A member of the school knows the round exists but may not open its application list.
    assert login(world.member).get(reverse("care:round", args=[round_.pk])).status_code == 403
    assert login(world.outsider).get(reverse("care:round", args=[round_.pk])).status_code == 404


def test_archive_then_purge_on_schedule(world, care, login):
    officer = care["officer_a"]
    student = care["unpaired"]
    services.add_assistance(
        actor=officer, student=student, kind="grant", given_on=dt.date(2026, 10, 1), given_by="县资助中心", amount="500"
    )
    login(officer).post(reverse("care:archive", args=[student.pk]))
    student.refresh_from_db()
    assert student.archived_at and student.purge_after.year == student.archived_at.year + 3
    assert "赵*" not in login(officer).get(reverse("care:students")).content.decode()  # out of the list

    assert services.purge_expired(today=student.purge_after - dt.timedelta(days=1)) == 0
    assert services.purge_expired(today=student.purge_after) == 1
    with unscoped("test"):
        assert not Student.objects.filter(pk=student.pk).exists()
        assert Student.objects.filter(pk=care["paired"].pk).exists()
    entry = AuditEntry.objects.get(action="purge")
    assert entry.actor is None and entry.object_id == str(student.pk) and "赵子轩" not in entry.object_repr


def test_purge_duty_runs_by_hand(world, care):
    out = io.StringIO()
    call_command("periodic", "--only", "care.purge_care_records", "--force", stdout=out)
    assert out.getvalue().strip() == "care.purge_care_records: purged 0"


def test_student_audit_diff_masks_personal_data(world, care):
    number = idnumber.make("110101", dt.date(2018, 1, 1), 2)
    student = services.create_student(
        actor=care["officer_a"],
        school=world.school_a,
        name="孙梓涵",
        gender="F",
        grade="一年级一班",
        id_number=number,
        address="某村",
        household_income="1200",
    )
    entry = AuditEntry.objects.get(action="create", model="care.Student", object_id=str(student.pk))
    dumped = json.dumps(entry.changes, ensure_ascii=False)
    assert "孙梓涵" not in dumped and number not in dumped and "1200" not in dumped
