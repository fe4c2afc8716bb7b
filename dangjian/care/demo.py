"""Demo care records for the first county's schools: students, pairings, assistance, visits, one round in 公示,
and two care officers: `care` (county) and `care1` (the first school)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from dangjian.care.models import (
    Application,
    Assistance,
    AssistanceKind,
    Decision,
    Disability,
    Pairing,
    PriorityGroup,
    Round,
    RoundStatus,
    Student,
    SupportMode,
    Visit,
)
from dangjian.care.services import publicity_end
from dangjian.orgs import idnumber
from dangjian.orgs.demo import DEMO_PASSWORD, GIVEN, REGIONS, SURNAMES
from dangjian.orgs.models import Grant

GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级"]
TIERS = ["special", "hard", "general"]


def generate(ctx):
    built = ctx.built["orgs"]
    rng, today = ctx.rng, ctx.today
    county = built.counties[0]
    schools = [s for s in built.schools if s.org.path.startswith(county.path)][:60]
    secretary1 = built.users.get("secretary1")
    first_org = Grant.objects.filter(user=secretary1).values_list("org", flat=True).first() if secretary1 else None
    first_school = next((s for s in schools if s.org_id == first_org), schools[0])

    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    officer_county = User.objects.create(username="care", password=password, first_name="县资助中心专干")
    officer_school = User.objects.create(username="care1", password=password, first_name="学校资助专干")
    Grant.objects.bulk_create(
        [
            Grant(user=officer_county, org=built.root, role="care_officer"),
            Grant(user=officer_school, org=first_school.org, role="care_officer"),
        ]
    )

    students = []
    used: set[str] = set()
    for school in schools:
        for _ in range(rng.randrange(3, 9)):
            birth = dt.date(today.year - rng.randrange(7, 16), rng.randrange(1, 13), rng.randrange(1, 29))
            number = idnumber.make(rng.choice(REGIONS), birth, rng.randrange(1, 1000))
            if number in used:
                continue
            used.add(number)
            disabled = rng.random() < 0.2
            students.append(
                Student(
                    school=school,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    id_number=number,
                    gender=idnumber.gender(number),
                    grade=f"{rng.choice(GRADES)}{rng.randrange(1, 5)}班",
                    address=f"{school.township}{rng.choice('东西南北')}村{rng.randrange(1, 9)}组",
                    guardian_phone=f"13{rng.randrange(100000000, 999999999)}",
                    household_income=rng.randrange(1800, 9000),
                    hardship_tier=rng.choice(TIERS),
                    priority_group=rng.choice(PriorityGroup.values),
                    disability=rng.choice(Disability.values) if disabled else "",
                    disability_detail="经评估可随班就读" if disabled else "",
                    support_mode=rng.choice([SupportMode.REGULAR_CLASS, SupportMode.HOME_TEACHING]) if disabled else "",
                    identified_on=dt.date(today.year if today.month >= 10 else today.year - 1, 10, 15),
                )
            )
    Student.objects.bulk_create(students, batch_size=1000)

    pairings, assistance, visits = [], [], []
    member1 = getattr(built.users.get("member1"), "person", None)
    for i, student in enumerate(students):
        members = built.members_by_branch.get(student.school.org_id) or []
        if student.school.pk == first_school.pk and i % 2 == 0 and member1 is not None:
            members = [member1]
        if members and rng.random() < 0.7:
            pairings.append(Pairing(student=student, member=rng.choice(members), started_on=dt.date(today.year, 9, 1)))
        for _ in range(rng.randrange(0, 3)):
            assistance.append(
                Assistance(
                    student=student,
                    kind=rng.choice(AssistanceKind.values),
                    amount=rng.choice([None, 500, 1000, 1250]),
                    given_on=today - dt.timedelta(days=rng.randrange(5, 200)),
                    given_by=rng.choice(["县学生资助管理中心", "学校", "结对党员"]),
                )
            )
        if rng.random() < 0.5:
            visits.append(
                Visit(
                    student=student,
                    visited_on=today - dt.timedelta(days=rng.randrange(5, 90)),
                    visitor="班主任",
                    summary="家中情况稳定，学习状态良好，已了解下学期困难。",
                )
            )
    Pairing.objects.bulk_create(pairings, batch_size=1000)
    Assistance.objects.bulk_create(assistance, batch_size=1000)
    Visit.objects.bulk_create(visits, batch_size=1000)

    # One identification in 公示 at the first school.
    start = today - dt.timedelta(days=2)
    round_ = Round.objects.create(
        school=first_school,
        kind="annual",
        period=f"{today.year}-{today.year + 1}",
        notice_on=today - dt.timedelta(days=30),
        status=RoundStatus.PUBLICITY,
        publicity_start=start,
        publicity_end=publicity_end(start),
    )
    Application.objects.bulk_create(
        [
            Application(
                round=round_,
                student=s,
                applied_on=round_.notice_on + dt.timedelta(days=3),
                requested_tier=s.hardship_tier,
                decision=Decision.APPROVED,
                tier=s.hardship_tier,
                decided_on=start - dt.timedelta(days=1),
            )
            for s in students
            if s.school_id == first_school.pk
        ]
    )
    return {"students": len(students), "pairings": len(pairings)}
