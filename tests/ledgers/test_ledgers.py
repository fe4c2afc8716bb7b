"""台账: generated in a job from the records, as an A4 PDF with Chinese text and an Excel workbook."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.ledgers import content, render, services
from dangjian.ledgers.models import Ledger, LedgerStatus
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Grade
from dangjian.orgs.models import Stage
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.helpers import at, committed, committee

pytestmark = pytest.mark.django_db
YEAR = 2026


def branch_year(world):
    """A realistic branch-year: 18 members, a committee of 5, every meeting the rules ask for."""
    for i in range(13):
        p = PersonFactory(name=f"党员{i:02d}号", org=world.branch_a, school=world.school_a)
        MembershipFactory(
            person=p,
            stage=Stage.PROBATIONARY if i == 0 else Stage.FULL,
            full_on=None if i == 0 else dt.date(2012, 7, 1),
        )
    committee(world, 5)
    secretary = world.users["secretary"]
    plan = [("committee_meeting", m) for m in range(1, 12)] + [("theme_day", m) for m in range(1, 12)]
    plan += [("general_assembly", m) for m in (3, 6, 9)] + [("party_lecture", m) for m in (2, 5, 8)]
    plan += [("org_life_meeting", 11), ("member_review", 11)]
    meetings = []
    for kind, month in plan:
        meetings.append(
            meeting_services.record_new_meeting(
                actor=secretary,
                org=world.branch_a,
                kind=kind,
                topic=f"{month}月学习贯彻党的教育方针",
                starts_at=at(dt.date(YEAR, month, 12)),
                roster=None,
                statuses={world.people["member"].pk: ("leave", "外出培训")},
                minutes="书记传达上级会议精神，与会党员结合教育教学实际逐一发言。" * 3,
                resolutions="形成决议两项。",
            )
        )
    review = meetings[-1]
    voting = [a.person_id for a in review.attendances.all() if a.is_voting]
    meeting_services.set_review_grades(
        actor=secretary,
        meeting=review,
        grades={pid: Grade.EXCELLENT if i < 3 else Grade.QUALIFIED for i, pid in enumerate(voting)},
    )
    meeting_services.add_rectification(
        actor=secretary,
        meeting=meetings[-2],
        item="理论学习制度化",
        owner=world.people["member"],
        deadline=dt.date(YEAR, 12, 31),
    )
    return meetings


def test_ledger_pdf_has_chinese_text(world):
    # How fast it renders is measured by `make bench` (BENCHMARKS.md), not here: a timed test fails on a busy machine.
    meetings = branch_year(world)
    pdf = render.pdf(content.gather(world.branch_a, YEAR))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "党建工作台账" in text and world.branch_a.name in text
    for heading in ("党员名册", "会议一览", "会议记录与出席情况", "民主评议党员", "整改清单"):
        assert heading in text
    assert "外出培训" not in text and "理论学习制度化" in text and "预备党员（不评定等次）" in text
    assert meetings[0].topic in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 8


def test_requested_ledger_is_built_by_the_job_with_pdf_and_excel(world):
    committee(world, 3)
    recorded = meeting_services.record_new_meeting(
        actor=world.users["secretary"],
        org=world.branch_a,
        kind="committee_meeting",
        topic="研究发展党员工作",
        starts_at=at(dt.date(YEAR, 3, 5)),
        roster=None,
        statuses={},
        minutes="会议记录",
    )
    with committed():
        ledger = services.request_ledger(actor=world.users["secretary"], org=world.branch_a, year=YEAR)
    ledger.refresh_from_db()
    assert ledger.status == LedgerStatus.DONE and ledger.meeting_count == 1
    with ledger.xlsx.open("rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    assert {"封面", "党员名册", "会议一览", "出席情况", "民主评议", "整改清单"} <= set(wb.sheetnames)
    rows = list(wb["会议一览"].iter_rows(values_only=True))
    assert rows[1][3] == recorded.topic
    with ledger.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert recorded.topic in text
    assert AuditEntry.objects.filter(model="ledgers.Ledger", action="create", object_id=str(ledger.pk)).exists()


def test_download_is_audited_and_scoped(world, login):
    with committed():
        ledger = services.request_ledger(actor=world.users["secretary"], org=world.branch_a, year=YEAR)
    response = login(world.users["secretary"]).get(f"/ledgers/{ledger.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(model="ledgers.Ledger", action="export", object_id=str(ledger.pk)).exists()
    assert login(world.users["outsider"]).get(f"/ledgers/{ledger.pk}/pdf/").status_code == 404


def test_ledger_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    with unscoped("test"):
        Ledger.all_objects.bulk_create([Ledger(org=world.branch_a, year=2000 + i % 26) for i in range(60)])
    client = login(world.users["secretary"])
    with django_assert_max_num_queries(12):
        assert client.get(f"/ledgers/orgs/{world.branch_a.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/ledgers/").status_code == 200
