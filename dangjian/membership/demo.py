"""Demo membership data for the first school (secretary1's branch): one 发展党员 dossier run end to end through
the services (its 支部大会 decisions recorded as meetings with votes), this year's dues bases and payments (one
member paying by quarter, one in arrears), and the year's 发展计划. Deterministic: dates follow ctx.today."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings

from dangjian.meetings import services as meeting_services
from dangjian.membership import development, services
from dangjian.membership.models import add_months
from dangjian.orgs.models import Grant, Membership, Person, Stage

# (step, days after the application, extra): the 2014 time rules kept throughout.
PLAN = [
    ("application", 0, {}),
    ("first_talk", 20, {}),
    ("activist", 50, {}),
    ("activist_filed", 58, {}),
    ("contacts", 58, {"people": True}),
    ("activist_review", 230, {"note": "学习认真，积极参加组织活动"}),
    ("activist_review", 400, {"note": "教学工作表现突出"}),
    ("candidate", 420, {}),
    ("candidate_filed", 425, {}),
    ("introducers", 425, {"people": True}),
    ("political_review", 435, {"note": "政治审查合格"}),
    ("training", 442, {"hours": Decimal("24")}),
    ("committee_review", 448, {}),
    ("pre_review", 455, {}),
    ("application_form", 465, {}),
    ("admission_meeting", 485, {"vote": "讨论接收预备党员"}),
    ("upper_talk", 495, {}),
    ("approval", 520, {}),
    ("approval_filed", 525, {}),
    ("placed", 525, {}),
    ("oath", 530, {}),
    ("probation_review", 670, {"note": "考察合格"}),
    ("conversion_application", 845, {}),
    ("conversion_meeting", 856, {"vote": "讨论预备党员转正", "outcome": "convert"}),
    ("conversion_approval", 870, {}),
    ("archived", 875, {}),
]


def _vote(actor, org, day: dt.date, title: str):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    meeting = meeting_services.record_new_meeting(
        actor=actor,
        org=org,
        kind="general_assembly",
        topic=title,
        starts_at=dt.datetime.combine(day, dt.time(15, 30), tzinfo=tz),
        roster=None,
        statuses={},
        minutes=f"{title}：介绍人介绍情况，党员逐一发表意见，无记名投票表决。",
        resolutions="同意。",
    )
    voting = sum(1 for a in meeting.attendances.all() if a.is_voting)
    return meeting_services.add_motion(actor=actor, meeting=meeting, title=title, yes=voting, no=0, abstain=0)


def _dossier(actor, org, today: dt.date) -> int:
    members = list(Person.all_objects.filter(org=org, is_active=True, membership__stage=Stage.FULL).order_by("pk")[:4])
    candidate = (
        Person.all_objects.filter(org=org, is_active=True, membership__isnull=True, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if candidate is None or len(members) < 3:
        return 0
    start = today - dt.timedelta(days=900)
    dossier = development.open_dossier(actor=actor, person=candidate, org=org)
    for code, offset, extra in PLAN:
        day = start + dt.timedelta(days=offset)
        kwargs: dict = {"done_on": day}
        if extra.get("people"):
            kwargs["people"] = members[1:3]
        if extra.get("vote"):
            kwargs["motion"] = _vote(actor, org, day, f"{extra['vote']}（{candidate.name}）")
            kwargs["outcome"] = extra.get("outcome", "")
        for key in ("note", "hours"):
            if key in extra:
                kwargs[key] = extra[key]
        development.record_step(actor=actor, dossier=dossier, code=code, **kwargs)
    services.set_plan(actor=actor, org=org, year=today.year, planned=2)
    return 1


def _dues(actor, org, today: dt.date, rng) -> int:
    year = today.year
    members = list(
        Person.all_objects.filter(org=org, is_active=True, membership__stage__in=[Stage.PROBATIONARY, Stage.FULL])
        .select_related("membership")
        .order_by("pk")
    )
    payments = 0
    for i, person in enumerate(members):
        category = "retired" if i == len(members) - 1 and len(members) > 3 else "employed"
        base = Decimal(rng.randrange(2800, 11000, 50))
        services.set_base(actor=actor, person=person, year=year, category=category, base=base)
        admitted = person.membership.probationary_on
        first = dt.date(year, 1, 1)
        if admitted and admitted > first:
            first = admitted.replace(day=1)
        owed_until = today.replace(day=1)
        if i == 1:
            owed_until = add_months(owed_until, -3)  # in arrears for the last three months
        month = first
        while month <= owed_until:
            span = 3 if i == 2 and month.month % 3 == 1 else 1  # one member pays by quarter (经支部同意)
            span = min(span, (owed_until.year - month.year) * 12 + owed_until.month - month.month + 1)
            monthly = services.due_for_months(person, [month])
            paid_on = min(month + dt.timedelta(days=rng.randrange(2, 12)), today)
            services.record_payment(
                actor=actor, person=person, first_month=month, months=span, amount=monthly * span, paid_on=paid_on
            )
            payments += 1
            month = add_months(month, span)
    return payments


def generate(ctx):
    built = ctx.built["orgs"]
    secretary = built.users.get("secretary1")
    if secretary is None:
        return {}
    grant = Grant.all_objects.filter(user=secretary, role="secretary").select_related("org").first()
    if grant is None:
        return {}
    org = grant.org
    dossiers = _dossier(secretary, org, ctx.today)
    payments = _dues(secretary, org, ctx.today, ctx.rng)
    return {"dossiers": dossiers, "payments": payments, "members": Membership.all_objects.count() > 0}
