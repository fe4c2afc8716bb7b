"""Demo data for 师德: last 学年's appraisals for the demo county's staff, this 学年's open appraisals at the
first school, two officer logins, and three clearly fictitious cases at different steps.

Deterministic through ctx.rng and ctx.today; appraisals are bulk inserts (one county, whatever the profile).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.core import periods
from dangjian.ethics import services
from dangjian.ethics.eligibility import add_months
from dangjian.ethics.models import AppraisalInput, AppraisalStatus, EthicsAppraisal, Sanction
from dangjian.orgs.demo import DEMO_PASSWORD
from dangjian.orgs.models import Grant, Person

GRADES = (("excellent", 25), ("qualified", 71), ("basic", 3), ("unqualified", 1))  # weights, in %
FICTION = "（演示数据，纯属虚构）"


def _grade(rng) -> str:
    roll = rng.randrange(100)
    for code, weight in GRADES:
        if roll < weight:
            return code
        roll -= weight
    return "qualified"


def generate(ctx) -> dict:
    built = ctx.built["orgs"]
    rng = ctx.rng
    # services refuse dates after today: never step past the real day, whatever --today says
    today = min(ctx.today, timezone.localdate())
    county = built.counties[0]
    last_year = periods.containing("academic_year", today).previous()
    this_year = periods.containing("academic_year", today)

    secretary_user = built.users["secretary1"]
    secretary = Person.objects.get(user=secretary_user)
    branch = secretary.org
    reserved = {u.pk for u in built.users.values()}

    # Two officer logins: the first school's ethics officer and the county's discipline officer.
    User = get_user_model()
    officer_person = (
        Person.objects.filter(org=branch, user__isnull=True, is_active=True).exclude(pk=secretary.pk).order_by("pk")
    ).first()
    password = make_password(DEMO_PASSWORD)
    ethics1 = User.objects.create(username="ethics1", password=password, first_name=officer_person.name)
    discipline = User.objects.create(username="discipline", password=password, first_name="县纪检监察专员")
    officer_person.user = ethics1
    officer_person.save(update_fields=["user"])
    Grant.objects.bulk_create(
        [
            Grant(user=ethics1, org=branch, role="ethics_officer"),
            Grant(user=discipline, org=built.root, role="discipline_officer"),
        ]
    )

    # Last 学年: every active staff member of the demo county, graded in July.
    people = list(
        Person.objects.filter(org__path__startswith=county.path, is_active=True)
        .order_by("pk")
        .values_list("pk", "school_id")
    )
    graded_on = dt.date(last_year.end.year, 7, 10)
    graded_at = timezone.make_aware(dt.datetime.combine(graded_on, dt.time(16, 0)))
    rows = []
    for pk, _school in people:
        grade = _grade(rng)
        below = grade in ("basic", "unqualified")
        rows.append(
            EthicsAppraisal(
                person_id=pk,
                year_key=last_year.key,
                status=AppraisalStatus.GRADED,
                self_assessment="对照十项准则逐条自查，能够遵守职业行为准则。" + FICTION,
                self_submitted_at=graded_at - dt.timedelta(days=20),
                grade=grade,
                reasons=("考核小组认定存在师德问题，已书面告知本人。" + FICTION) if below else "",
                graded_on=graded_on,
                graded_at=graded_at,
                graded_by=ethics1,
                notified_at=graded_at if below else None,
            )
        )
    EthicsAppraisal.objects.bulk_create(rows, batch_size=2000)
    saved = EthicsAppraisal.objects.filter(year_key=last_year.key, person__org__path__startswith=county.path)
    # Survey results for the first school; vetoes for 不合格 (from the rules in force on the grading day).
    first = list(saved.filter(person__org=branch).values_list("pk", flat=True))
    inputs = []
    for pk in first:
        for source, n in (("peer", rng.randrange(8, 20)), ("student", rng.randrange(30, 50))):
            inputs.append(
                AppraisalInput(
                    appraisal_id=pk,
                    source=source,
                    respondents=n,
                    satisfied=n - rng.randrange(0, 3),
                    comments="评议意见摘要" + FICTION,
                    recorded_by=ethics1,
                )
            )
    AppraisalInput.objects.bulk_create(inputs, batch_size=2000)
    Sanction.objects.bulk_create(
        [
            Sanction(
                person_id=a.person_id,
                appraisal_id=a.pk,
                kind="veto",
                purposes=["award"],
                starts_on=graded_on,
                ends_on=add_months(graded_on, 12),
            )
            for a in saved.filter(grade="unqualified").only("pk", "person_id")
        ],
        batch_size=2000,
    )

    # This 学年: open at the first school, so teacher1 and member1 can write their self-assessment.
    services.open_appraisals(actor=ethics1, org=branch, year_key=this_year.key)

    # Three fictitious cases at different steps, all at the first school.
    staff = list(
        Person.objects.filter(org=branch, is_active=True)
        .exclude(user_id__in=reserved | {ethics1.pk})
        .order_by("pk")[:2]
    )
    teacher1 = Person.objects.get(user=built.users["teacher1"])
    day = today - dt.timedelta(days=40)
    a = services.report_case(
        actor=ethics1,
        person=teacher1,
        source="complaint",
        summary="有家长反映该教师在校外组织有偿补课。" + FICTION,
        reported_on=day,
        standards=[10],
        source_detail="家长来电（姓名略）" + FICTION,
    )
    services.start_investigation(actor=ethics1, case=a, on=day + dt.timedelta(days=1))
    services.add_evidence(
        actor=ethics1, case=a, description="调查谈话记录一份" + FICTION, on=day + dt.timedelta(days=5)
    )
    services.notify_teacher(
        actor=ethics1,
        case=a,
        on=today - dt.timedelta(days=1),
        findings="经调查，暑假期间组织有偿补课2次。" + FICTION,
        proposed="warning",
    )
    cases = [a]
    if staff:
        b = services.report_case(
            actor=ethics1,
            person=staff[0],
            source="inspection",
            summary="督导检查发现作业批改敷衍、多次无故缺课。" + FICTION,
            reported_on=today - dt.timedelta(days=7),
            standards=[4],
        )
        services.start_investigation(actor=ethics1, case=b, on=today - dt.timedelta(days=6))
        cases.append(b)
    if len(staff) > 1:
        c = services.report_case(
            actor=discipline,
            person=staff[1],
            source="concern",
            summary="群众诉求转办：反映该教师收受家长购物卡。" + FICTION,
            reported_on=today - dt.timedelta(days=90),
            standards=[9],
        )
        services.start_investigation(actor=discipline, case=c, on=today - dt.timedelta(days=89))
        services.add_evidence(
            actor=discipline, case=c, description="购物卡退还凭证" + FICTION, on=today - dt.timedelta(days=80)
        )
        services.notify_teacher(
            actor=discipline,
            case=c,
            on=today - dt.timedelta(days=70),
            findings="收受价值500元购物卡一张，已退还。" + FICTION,
            proposed="warning",
        )
        services.record_statement(
            actor=discipline,
            case=c,
            on=today - dt.timedelta(days=68),
            statement="本人承认并已退还，深刻检讨。" + FICTION,
        )
        services.decide(
            actor=discipline,
            case=c,
            on=today - dt.timedelta(days=60),
            decision="warning",
            reason="违反《十项准则》第九条，依《处理办法》第三条给予警告。" + FICTION,
        )
        cases.append(c)
    ctx.stdout.write(f"    ethics: {len(rows)} appraisals ({last_year.key}), {len(cases)} cases")
    return {"appraisals": len(rows), "cases": [c.pk for c in cases], "users": ["ethics1", "discipline"]}
