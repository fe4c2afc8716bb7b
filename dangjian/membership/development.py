"""发展党员: the steps of a dossier checked against the rules in force on each step's day (rules/development.yaml).

A step out of order or too early is refused with the rule's citation; where the rule allows an exception (a late
first talk, an approval after three months) it is recorded only with an explicit reason. Decisions of a 支部大会 are
read from the meeting record and its vote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, rules, scoping
from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Meeting, Motion
from dangjian.meetings.models import Status as MeetingStatus
from dangjian.membership.models import Dossier, DossierStatus, Outcome, Step, add_months
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Membership, Org, OrgKind, Person, Stage

MANAGE = "membership.manage"
STAGE_FIELDS = {
    "applicant": "applied_on",
    "activist": "activist_on",
    "candidate": "candidate_on",
    "probationary": "probationary_on",
    "full": "full_on",
}


def development_rules(on: dt.date) -> dict:
    return rules.rule_values("membership", "development", on=on)


def rule_version(on: dt.date) -> rules.RuleVersion:
    return rules.load("membership", "development").version_on(on)


def spec(values: dict, code: str) -> dict:
    for step in values["steps"]:
        if step["code"] == code:
            return step
    raise ValidationError(_("未知的发展步骤：%(c)s") % {"c": code})


def step_label(code: str, on: dt.date) -> str:
    return spec(development_rules(on), code)["label"]


@dataclass(frozen=True)
class Problem:
    message: str
    article: str = ""
    exceptionable: bool = False  # recorded with an explicit reason, else refused

    def __str__(self) -> str:
        return f"{self.message}（{self.article}）" if self.article else self.message


def probation_end(dates: dict[str, list[dt.date]], values: dict, extended_months: int = 0) -> dt.date | None:
    admitted = dates.get("admission_meeting")
    if not admitted:
        return None
    return add_months(admitted[0], int(values["probation_months"]) + extended_months)


def _reference(of: str, dates: dict[str, list[dt.date]], values: dict, extended: int) -> dt.date | None:
    if of == "probation_end":
        return probation_end(dates, values, extended)
    found = dates.get(of)
    return found[-1] if found else None


def _order_problems(step: dict, day: dt.date, dates: dict[str, list[dt.date]], values: dict) -> list[Problem]:
    problems = []
    for before in step.get("after", []):
        label = spec(values, before)["label"]
        if before not in dates:
            problems.append(Problem(_("请先完成“%(s)s”。") % {"s": label}))
        elif min(dates[before]) > day:
            problems.append(Problem(_("日期早于“%(s)s”（%(d)s）。") % {"s": label, "d": min(dates[before])}))
    return problems


def _time_problems(
    step: dict, day: dt.date, dates: dict[str, list[dt.date]], values: dict, extended: int
) -> list[Problem]:
    problems = []
    early = step.get("not_before")
    if early:
        ref = _reference(early["of"], dates, values, extended)
        if ref is not None and day < add_months(ref, int(early["months"])):
            problems.append(
                Problem(
                    _("过早：应不早于%(d)s。") % {"d": add_months(ref, int(early["months"]))},
                    early["article"],
                    bool(early.get("exception")),
                )
            )
    late = step.get("within")
    if late:
        ref = _reference(late["of"], dates, values, extended)
        if ref is not None and day > add_months(ref, int(late["months"])):
            hard = late.get("hard_months")
            beyond_hard = hard is not None and day > add_months(ref, int(hard))
            problems.append(
                Problem(
                    _("超过时限：应在%(d)s前完成。") % {"d": add_months(ref, int(late["months"]))},
                    late["article"],
                    bool(late.get("exception")) and not beyond_hard,
                )
            )
    return problems


def check(
    *,
    code: str,
    day: dt.date,
    dates: dict[str, list[dt.date]],
    birth_date: dt.date | None = None,
    people: int = 0,
    hours: Decimal | None = None,
    extended: int = 0,
    last_outcome: str = "",
) -> list[Problem]:
    """Every problem with recording step `code` on `day`, given the dates already recorded (code → dates)."""
    values = development_rules(day)
    step = spec(values, code)
    if code in dates and not step.get("repeat") and not (code == "conversion_meeting" and last_outcome == "extend"):
        return [Problem(_("“%(s)s”已经记录。") % {"s": step["label"]})]
    problems = _order_problems(step, day, dates, values) + _time_problems(step, day, dates, values, extended)
    age = step.get("min_age")
    if age and birth_date and day < add_months(birth_date, 12 * int(age["years"])):
        problems.append(Problem(_("申请时未满%(n)d周岁。") % {"n": age["years"]}, age["article"]))
    named = step.get("people")
    if named and not named["min"] <= people <= named["max"]:
        problems.append(
            Problem(
                _("应确定%(a)d至%(b)d名%(l)s。") % {"a": named["min"], "b": named["max"], "l": named["label"]}
                if named["min"] != named["max"]
                else _("应确定%(a)d名%(l)s。") % {"a": named["min"], "l": named["label"]},
                named["article"],
            )
        )
    least = step.get("min_hours")
    if least and (hours is None or hours < Decimal(str(least["hours"]))):
        problems.append(Problem(_("培训不足%(h)s学时。") % {"h": least["hours"]}, least["article"], True))
    return problems


# --- reading a dossier -------------------------------------------------------------------------------


def dates_of(steps: Iterable[Step]) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    for s in sorted(steps, key=lambda s: (s.done_on, s.pk or 0)):
        found.setdefault(s.code, []).append(s.done_on)
    return found


def _steps(dossier: Dossier) -> list[Step]:
    with unscoped("membership: a dossier's own steps"):
        return list(dossier.steps.all())


def _last_outcome(steps: list[Step]) -> str:
    decided = [s for s in steps if s.code == "conversion_meeting"]
    return decided[-1].outcome if decided else ""


def _meeting_decision(*, dossier: Dossier, step: dict, motion: Motion | None, outcome: str) -> tuple[Meeting, Motion]:
    """The 支部大会 and its vote that decided the step: the platform reads the date and result from them."""
    if motion is None:
        raise ValidationError(_("“%(s)s”须选择支部党员大会的表决记录。") % {"s": step["label"]})
    meeting = motion.meeting
    if meeting.org_id != dossier.org_id or meeting.kind != step["decided_by"] or meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("请选择本支部已记录的支部党员大会的表决。"))
    if not motion.valid:
        raise ValidationError(_("该表决无效（到会有表决权党员未过半数），不能作为支部大会的决定。"))
    if not motion.passed:
        raise ValidationError(_("该表决未获通过（赞成票未超过应到会有表决权正式党员的半数）。"))
    return meeting, motion


def _outcome_problems(code: str, outcome: str, extension: int | None, values: dict, dossier: Dossier) -> None:
    if code != "conversion_meeting":
        return
    if outcome not in Outcome.values:
        raise ValidationError(_("请选择支部大会的决定：转正、延长预备期或取消预备党员资格。"))
    if outcome == Outcome.EXTEND:
        if dossier.probation_extended_months:
            raise ValidationError(_("预备期只能延长一次。（%(a)s）") % {"a": values["extension_article"]})
        low, high = int(values["extension_min_months"]), int(values["extension_max_months"])
        if extension is None or not low <= extension <= high:
            raise ValidationError(
                _("延长预备期应为%(a)d至%(b)d个月。（%(r)s）") % {"a": low, "b": high, "r": values["extension_article"]}
            )


def _set_stage(*, actor, dossier: Dossier, stage: str, day: dt.date) -> None:
    person = dossier.person
    with unscoped("membership: the person's stage"):
        current = Membership.all_objects.filter(person=person).first()
    dates = {field: getattr(current, field) for field in STAGE_FIELDS.values()} if current else {}
    dates[STAGE_FIELDS[stage]] = day
    org_services.set_membership(
        actor=actor, person=person, stage=stage, group=current.group if current else None, **dates
    )


@transaction.atomic
def open_dossier(*, actor, person: Person, org: Org | None = None) -> Dossier:
    """A dossier for a person of the branch (usually opened with the first step, the application)."""
    org = org or person.org
    if org.kind != OrgKind.BRANCH or not person.org.path.startswith(org.path):
        raise ValidationError(_("发展党员由其所在党支部办理。"))
    scoping.require(actor, MANAGE, org.path)
    with unscoped("membership: open dossiers"):
        if Dossier.all_objects.filter(person=person, status=DossierStatus.OPEN).exists():
            raise ValidationError(_("%(n)s已有进行中的发展档案。") % {"n": person.name})
        membership = Membership.all_objects.filter(person=person).first()
    if membership is not None and membership.stage in (Stage.PROBATIONARY, Stage.FULL):
        raise ValidationError(_("%(n)s已是党员。") % {"n": person.name})
    dossier = Dossier(person=person, org=org)
    with unscoped("membership.open_dossier"):
        dossier.full_clean()
        dossier.save()
    audit.record(actor=actor, action="dossier_open", obj=dossier)
    return dossier


@transaction.atomic
def record_step(
    *,
    actor,
    dossier: Dossier,
    code: str,
    done_on: dt.date | None = None,
    meeting: Meeting | None = None,
    motion: Motion | None = None,
    people: list[Person] | None = None,
    hours: Decimal | None = None,
    outcome: str = "",
    extension_months: int | None = None,
    note: str = "",
    exception_reason: str = "",
) -> Step:
    """Record one step. Refused (nothing written) when out of order, too early or against a hard rule, with the
    rule's citation; a rule that allows an exception needs `exception_reason`."""
    scoping.require(actor, MANAGE, dossier.org.path)
    if dossier.status != DossierStatus.OPEN:
        raise ValidationError(_("该发展档案已结束。"))
    people = list(people or [])
    hours = Decimal(str(hours)) if hours is not None else None
    if hours is not None and (not hours.is_finite() or not 0 <= hours <= 1000):
        raise ValidationError(_("培训学时应在0至1000之间。"))
    steps = _steps(dossier)
    probe = development_rules(done_on or timezone.localdate())
    step = spec(probe, code)
    if step.get("decided_by"):
        meeting, motion = _meeting_decision(dossier=dossier, step=step, motion=motion, outcome=outcome)
        done_on = meeting.day
    elif meeting is not None:
        if (
            meeting.org_id != dossier.org_id
            or meeting.kind != step.get("meeting")
            or meeting.status != MeetingStatus.HELD
        ):
            raise ValidationError(_("请选择本支部已记录的相应会议。"))
        done_on = meeting.day
    if done_on is None:
        raise ValidationError(_("请填写日期。"))
    if done_on > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    values = development_rules(done_on)
    step = spec(values, code)
    _outcome_problems(code, outcome, extension_months, values, dossier)
    for person in people:
        with unscoped("membership: named people's stage"):
            named = Membership.all_objects.filter(person=person).first()
        if named is None or named.stage != Stage.FULL or not person.org.path.startswith(dossier.org.path):
            raise ValidationError(_("%(n)s不是本支部的正式党员。") % {"n": person.name})
    problems = check(
        code=code,
        day=done_on,
        dates=dates_of(steps),
        birth_date=dossier.person.birth_date,
        people=len(people),
        hours=hours,
        extended=dossier.probation_extended_months,
        last_outcome=_last_outcome(steps),
    )
    hard = [p for p in problems if not p.exceptionable]
    if hard:
        raise ValidationError([str(p) for p in hard])
    reason = exception_reason.strip()
    if problems and not reason:
        raise ValidationError([str(p) + _("如确属特殊情况，请填写例外原因后再记录。") for p in problems])
    if not problems:
        reason = ""
    row = Step(
        dossier=dossier,
        code=code,
        number=step["number"],
        done_on=done_on,
        meeting=meeting,
        motion=motion,
        hours=hours,
        outcome=outcome if code == "conversion_meeting" else "",
        extension_months=extension_months if outcome == Outcome.EXTEND else None,
        note=note.strip()[:300],
        exception_reason=reason[:300],
        rule_effective=rule_version(done_on).effective,
        recorded_by=actor,
    )
    with unscoped("membership.record_step"):
        row.full_clean()
        row.save()
        row.people.set(people)
    _after_step(actor=actor, dossier=dossier, row=row, step=step, values=values, steps=[*steps, row])
    audit.record(
        actor=actor,
        action="dossier_step",
        obj=row,
        changes={"step": [None, step["label"]], "done_on": [None, str(done_on)], "exception": [None, reason or None]},
    )
    return row


def _after_step(*, actor, dossier: Dossier, row: Step, step: dict, values: dict, steps: list[Step]) -> None:
    """The stage the step reaches (orgs), the probation's extension, the dossier's end."""
    if row.code == "conversion_meeting" and row.outcome == Outcome.EXTEND:
        dossier.probation_extended_months = row.extension_months or 0
        with unscoped("membership: extension"):
            dossier.save(update_fields=["probation_extended_months"])
    elif row.code == "conversion_meeting" and row.outcome == Outcome.CANCEL:
        dossier.status, dossier.closed_reason = DossierStatus.CLOSED, str(Outcome.CANCEL.label)
        with unscoped("membership: cancelled"):
            dossier.save(update_fields=["status", "closed_reason"])
        org_services.set_membership(actor=actor, person=dossier.person, stage=None)
    elif row.code == "conversion_approval":
        # 党龄 from the day the probation ended (党章第七条), not the approval's day.
        end = probation_end(dates_of(steps), values, dossier.probation_extended_months)
        _set_stage(actor=actor, dossier=dossier, stage="full", day=end or row.done_on)
    elif step.get("stage"):
        _set_stage(actor=actor, dossier=dossier, stage=step["stage"], day=row.done_on)
    if row.code == "archived":
        dossier.status = DossierStatus.DONE
        with unscoped("membership: done"):
            dossier.save(update_fields=["status"])


@transaction.atomic
def withdraw_last_step(*, actor, dossier: Dossier, reason: str) -> Step:
    """撤销最近一步: the step recorded last, taken back with its reason so that it can be recorded again correctly.
    Only the last one, so no step recorded after it was checked against it. What it set goes back to what the
    remaining steps say: the person's stage and its date, the probation's extension. A finished or ended dossier
    is not reopened this way."""
    scoping.require(actor, MANAGE, dossier.org.path)
    if dossier.status != DossierStatus.OPEN:
        raise ValidationError(_("该发展档案已结束，不能撤销步骤。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明撤销原因。"))
    steps = _steps(dossier)
    if not steps:
        raise ValidationError(_("该档案还没有记录任何步骤。"))
    last = max(steps, key=lambda s: (s.recorded_at, s.pk))
    remaining = [s for s in steps if s.pk != last.pk]
    label = step_label(last.code, last.done_on)
    withdrawn_stage = spec(development_rules(last.done_on), last.code).get("stage")
    if withdrawn_stage:
        _restore_stage(actor=actor, dossier=dossier, withdrawn=withdrawn_stage, remaining=remaining)
    if last.code == "conversion_meeting" and last.outcome == Outcome.EXTEND:
        earlier = [s.extension_months or 0 for s in remaining if s.code == last.code and s.outcome == Outcome.EXTEND]
        dossier.probation_extended_months = earlier[-1] if earlier else 0
        with unscoped("membership: extension withdrawn"):
            dossier.save(update_fields=["probation_extended_months"])
    audit.record(
        actor=actor,
        action="dossier_step_withdraw",
        obj=dossier,
        changes={"step": [label, None], "done_on": [str(last.done_on), None], "reason": [None, reason[:300]]},
    )
    with unscoped("membership.withdraw_last_step"):
        last.delete()
    return last


def _restore_stage(*, actor, dossier: Dossier, withdrawn: str, remaining: list[Step]) -> None:
    """The person's stage as the remaining steps reach it, without the withdrawn stage's date."""
    reached = [
        (s.number, stage) for s in remaining if (stage := spec(development_rules(s.done_on), s.code).get("stage"))
    ]
    if not reached:
        org_services.set_membership(actor=actor, person=dossier.person, stage=None)
        return
    with unscoped("membership: the person's stage"):
        current = Membership.all_objects.filter(person=dossier.person).first()
    dates = {field: getattr(current, field) for field in STAGE_FIELDS.values()} if current else {}
    dates[STAGE_FIELDS[withdrawn]] = None
    org_services.set_membership(
        actor=actor,
        person=dossier.person,
        stage=max(reached)[1],
        group=current.group if current else None,
        **dates,
    )


@transaction.atomic
def close_dossier(*, actor, dossier: Dossier, reason: str) -> Dossier:
    scoping.require(actor, MANAGE, dossier.org.path)
    if dossier.status != DossierStatus.OPEN:
        raise ValidationError(_("该发展档案已结束。"))
    if not reason.strip():
        raise ValidationError(_("请写明终止原因。"))
    dossier.status, dossier.closed_reason = DossierStatus.CLOSED, reason.strip()[:200]
    with unscoped("membership.close_dossier"):
        dossier.save(update_fields=["status", "closed_reason"])
    audit.record(actor=actor, action="dossier_close", obj=dossier, changes={"reason": [None, dossier.closed_reason]})
    return dossier


# --- timeline audit ----------------------------------------------------------------------------------


def findings(dossier: Dossier, steps: list[Step], today: dt.date) -> list[Problem]:
    """What breaks a rule in an open dossier today: steps recorded as exceptions, and steps now overdue."""
    found = [
        Problem(_("“%(s)s”作为例外记录：%(r)s") % {"s": step_label(s.code, s.done_on), "r": s.exception_reason})
        for s in steps
        if s.exception_reason
    ]
    if dossier.status != DossierStatus.OPEN:
        return found
    values = development_rules(today)
    dates = dates_of(steps)
    for step in values["steps"]:
        if step["code"] in dates and not (step["code"] == "conversion_meeting" and _last_outcome(steps) == "extend"):
            continue
        late = step.get("within")
        ref = _reference(late["of"], dates, values, dossier.probation_extended_months) if late else None
        if late and ref and today > add_months(ref, int(late["months"])):
            deadline = add_months(ref, int(late["months"]))
            found.append(
                Problem(_("“%(s)s”已超过时限（应在%(d)s前）") % {"s": step["label"], "d": deadline}, late["article"])
            )
        if step.get("due") == "probation_end":
            end = probation_end(dates, values, dossier.probation_extended_months)
            if end and today > end:
                found.append(Problem(_("预备期已于%(d)s期满，尚未讨论转正") % {"d": end}, values["probation_article"]))
    review = spec(values, "activist_review")
    if "activist" in dates and "candidate" not in dates:
        last = max(dates.get("activist_review", []) + dates["activist"])
        if today > add_months(last, int(review["every_months"])):
            found.append(Problem(_("入党积极分子已超过%(n)d个月未考察") % {"n": review["every_months"]}))
    return found
