"""发展党员: the time rules at their boundaries, order, exceptions, meeting decisions, versions, PDFs, audit."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core import rules
from dangjian.core.scoping import unscoped
from dangjian.membership import development, documents, selectors
from dangjian.membership.models import DossierStatus, Step
from dangjian.orgs.models import Membership
from tests.membership.helpers import applicant, assembly_vote, pdf_text, run_dossier

days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31))


def month_later(day: dt.date, months: int) -> dt.date:
    """Independent of models.add_months: through calendar.monthrange."""
    year = day.year + (day.month - 1 + months) // 12
    month = (day.month - 1 + months) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 2, 28)


@given(applied=days, offset=st.integers(min_value=0, max_value=70))
def test_first_talk_within_a_month_of_the_application(applied, offset):
    talk = applied + dt.timedelta(days=offset)
    problems = development.check(code="first_talk", day=talk, dates={"application": [applied]})
    late = talk > month_later(applied, 1)
    assert bool(problems) == late
    if late:
        assert problems[0].exceptionable and "一个月内" in problems[0].article


@given(activist=days, offset=st.integers(min_value=300, max_value=430))
def test_a_year_as_activist_before_candidate(activist, offset):
    day = activist + dt.timedelta(days=offset)
    problems = development.check(
        code="candidate", day=day, dates={"activist": [activist], "activist_review": [activist]}
    )
    too_early = day < year_later(activist)
    assert bool(problems) == too_early
    if too_early:
        assert not problems[0].exceptionable and "第十三条" in problems[0].article


@given(admitted=days, offset=st.integers(min_value=330, max_value=400))
def test_conversion_not_before_the_year_of_probation(admitted, offset):
    day = admitted + dt.timedelta(days=offset)
    dates = {"admission_meeting": [admitted], "conversion_application": [admitted]}
    problems = development.check(code="conversion_meeting", day=day, dates=dates)
    assert bool(problems) == (day < year_later(admitted))


@given(admitted=days, offset=st.integers(min_value=60, max_value=200))
def test_approval_within_three_months_and_never_after_six(admitted, offset):
    day = admitted + dt.timedelta(days=offset)
    dates = {"admission_meeting": [admitted], "upper_talk": [admitted]}
    problems = development.check(code="approval", day=day, dates=dates)
    if day <= month_later(admitted, 3):
        assert problems == []
    elif day <= month_later(admitted, 6):
        assert [p.exceptionable for p in problems] == [True]
    else:
        assert [p.exceptionable for p in problems] == [False]


@given(extension=st.integers(min_value=6, max_value=12), admitted=days, offset=st.integers(min_value=-40, max_value=40))
def test_an_extended_probation_moves_the_conversion(extension, admitted, offset):
    end = month_later(admitted, 12 + extension)
    day = end + dt.timedelta(days=offset)
    dates = {"admission_meeting": [admitted], "conversion_application": [admitted], "conversion_meeting": [admitted]}
    problems = development.check(
        code="conversion_meeting", day=day, dates=dates, extended=extension, last_outcome="extend"
    )
    assert bool(problems) == (day < end)


def test_order_and_once_only():
    problems = development.check(code="candidate", day=dt.date(2025, 1, 1), dates={})
    assert any("请先完成" in str(p) for p in problems)
    problems = development.check(
        code="application", day=dt.date(2025, 1, 1), dates={"application": [dt.date(2024, 1, 1)]}
    )
    assert "已经记录" in str(problems[0])


def test_age_at_application():
    problems = development.check(code="application", day=dt.date(2025, 1, 1), dates={}, birth_date=dt.date(2007, 1, 2))
    assert problems and "十八岁" in problems[0].article
    assert (
        development.check(code="application", day=dt.date(2025, 1, 2), dates={}, birth_date=dt.date(2007, 1, 2)) == []
    )


def test_a_later_version_applies_from_its_day(tmp_path: Path, monkeypatch):
    """The mechanism with a made-up later version (not the 2026 text, which is not confirmed): steps on or after
    its effective day are checked against it, earlier ones against 2014."""
    real = rules.load("membership", "development")
    base = real.versions[-1]
    later = yaml.safe_load(yaml.safe_dump(base.values, allow_unicode=True))
    for step in later["steps"]:
        if step["code"] == "first_talk":
            step["within"] = {"of": "application", "months": 2, "exception": False, "article": "测试用虚构版本"}
    path = tmp_path / "development.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "rule": "development",
                "versions": [
                    {"effective": base.effective, "source": base.source, "values": base.values},
                    {"effective": dt.date(2030, 1, 1), "source": "测试用虚构版本", "values": later},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    parsed = rules._parse("membership", "development", path)
    monkeypatch.setattr(
        rules, "load", lambda app, name: parsed if (app, name) == ("membership", "development") else real
    )
    old = development.check(code="first_talk", day=dt.date(2029, 11, 20), dates={"application": [dt.date(2029, 10, 1)]})
    new = development.check(code="first_talk", day=dt.date(2030, 2, 20), dates={"application": [dt.date(2030, 1, 1)]})
    assert old and old[0].exceptionable  # 2014: one month, late with a reason
    assert new == []  # the later version: two months
    late = development.check(code="first_talk", day=dt.date(2030, 3, 20), dates={"application": [dt.date(2030, 1, 1)]})
    assert late and not late[0].exceptionable and late[0].article == "测试用虚构版本"
    assert development.rule_version(dt.date(2030, 2, 1)).effective == dt.date(2030, 1, 1)


def test_refused_step_names_the_rule_and_changes_nothing(world):
    dossier = run_dossier(world, until="activist_review")
    with pytest.raises(ValidationError) as exc:
        development.record_step(actor=world.secretary, dossier=dossier, code="candidate", done_on=dt.date(2024, 12, 1))
    assert "第十三条" in exc.value.messages[0]
    with unscoped("test"):
        assert not Step.objects.filter(dossier=dossier, code="candidate").exists()


def test_late_talk_needs_an_explicit_reason(world):
    secretary = world.secretary
    dossier = development.open_dossier(actor=secretary, person=applicant(world))
    development.record_step(actor=secretary, dossier=dossier, code="application", done_on=dt.date(2025, 1, 10))
    with pytest.raises(ValidationError, match="例外原因"):
        development.record_step(actor=secretary, dossier=dossier, code="first_talk", done_on=dt.date(2025, 3, 1))
    step = development.record_step(
        actor=secretary, dossier=dossier, code="first_talk", done_on=dt.date(2025, 3, 1), exception_reason="寒假期间"
    )
    assert step.exception_reason == "寒假期间" and step.rule_effective == dt.date(2014, 5, 28)
    rows = selectors.progress(secretary, only_problems=True)
    assert [r.dossier for r in rows] == [dossier] and "寒假期间" in str(rows[0].findings[0])


def test_admission_is_read_from_the_meeting_vote(world):
    dossier = run_dossier(world, until="application_form")
    failed = assembly_vote(world, dt.date(2025, 5, 10), "未通过的表决", yes=0)
    with pytest.raises(ValidationError, match="未获通过"):
        development.record_step(actor=world.secretary, dossier=dossier, code="admission_meeting", motion=failed)
    with pytest.raises(ValidationError, match="表决记录"):
        development.record_step(
            actor=world.secretary, dossier=dossier, code="admission_meeting", done_on=dt.date(2025, 5, 10)
        )
    motion = assembly_vote(world, dt.date(2025, 5, 12), "接收预备党员")
    step = development.record_step(
        actor=world.secretary, dossier=dossier, code="admission_meeting", done_on=dt.date(2020, 1, 1), motion=motion
    )
    assert step.done_on == dt.date(2025, 5, 12) and step.meeting == motion.meeting  # the typed date is ignored
    with unscoped("test"):
        m = Membership.objects.get(person=dossier.person)
    assert m.stage == "probationary" and m.probationary_on == dt.date(2025, 5, 12)


def test_dossier_runs_end_to_end_with_its_documents(world):
    dossier = run_dossier(world)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE
    with unscoped("test"):
        m = Membership.objects.get(person=dossier.person)
    assert m.stage == "full" and m.full_on == dt.date(2026, 5, 10)  # 党龄 from the end of probation
    steps = selectors.dossier_steps(dossier)
    assert [s.number for s in steps if s.code != "activist_review"] == list(range(1, 26))[:5] + list(range(7, 26))
    assert development.findings(dossier, steps, dt.date(2026, 12, 1)) == []
    record = pdf_text(documents.dossier_pdf("record", dossier, steps))
    assert "培养考察" in record and "申请人甲" in record and "2024-03-01" in record and "积极参加组织活动" in record
    notice = pdf_text(documents.dossier_pdf("notice", dossier, steps))
    assert "发展对象公示" in notice and "2025-03-05" in notice and world.members_a[2].name in notice
    review = pdf_text(documents.dossier_pdf("review", dossier, steps))
    assert "政治审查" in review and "2025-03-20" in review and "政审合格" in review
    conversion = pdf_text(documents.dossier_pdf("conversion", dossier, steps))
    assert "转正" in conversion and "2026-05-10" in conversion and "2025-05-10" in conversion


def test_extension_once_and_within_limits(world):
    dossier = run_dossier(world, until="conversion_application")
    motion = assembly_vote(world, dt.date(2026, 5, 12), "讨论转正")
    with pytest.raises(ValidationError, match="6至12个月"):
        development.record_step(
            actor=world.secretary,
            dossier=dossier,
            code="conversion_meeting",
            motion=motion,
            outcome="extend",
            extension_months=3,
        )
    development.record_step(
        actor=world.secretary,
        dossier=dossier,
        code="conversion_meeting",
        motion=motion,
        outcome="extend",
        extension_months=6,
    )
    dossier.refresh_from_db()
    assert dossier.probation_extended_months == 6
    too_early = assembly_vote(world, dt.date(2026, 10, 1), "再次讨论转正")
    with pytest.raises(ValidationError, match="过早"):
        development.record_step(
            actor=world.secretary, dossier=dossier, code="conversion_meeting", motion=too_early, outcome="convert"
        )


def test_pages_and_pdf_download(world, login):
    dossier = run_dossier(world, until="candidate")
    client = login(world.secretary)
    page = client.get(f"/membership/dossiers/{dossier.pk}/")
    assert page.status_code == 200 and "申请人甲" in page.content.decode()
    response = client.post(
        f"/membership/dossiers/{dossier.pk}/step/", {"code": "training", "done_on": "2025-03-28", "hours": "16"}
    )
    assert response.status_code == 400 and "24个学时" in response.content.decode()
    pdf = client.get(f"/membership/dossiers/{dossier.pk}/notice.pdf")
    assert pdf.status_code == 200 and "发展对象公示" in pdf_text(pdf.content)
    assert client.get("/membership/timeline/").status_code == 200
    county = login(world.county_admin)
    assert county.get("/membership/pipeline/?year=2025").status_code == 200
    response = county.post("/membership/pipeline/", {"org": world.branch_a.pk, "year": 2025, "planned": 2})
    assert response.status_code == 302
    rows = {r["org"].pk: r for r in selectors.plan_vs_actual(world.county_admin, 2025)}
    assert rows[world.branch_a.pk]["planned"] == 2 and rows[world.branch_a.pk]["pipeline"] == {"candidate": 1}
    assert Decimal(0) == Decimal(0)
