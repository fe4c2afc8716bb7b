"""Writes for 师德: one keyword-only function per step, each in a transaction, validated, audited.

Cases run as a state machine (CaseStatus): report → investigate (evidence) → notify the teacher → the
teacher's statement and defence (or a recorded reason why there is none) and a hearing where the rules give
that right → decision → appeal → review. Each step writes a CaseEvent with its day, time and actor.

Audit entries about cases and appraisals carry neutral names and no content: the audit log is searchable by
county admins, and must not become a way to find a case (see `apps.EthicsConfig.ready`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.ethics.eligibility import add_months
from dangjian.ethics.models import (
    AppraisalInput,
    AppraisalStatus,
    CaseEvent,
    CaseStatus,
    EthicsAppraisal,
    Evidence,
    MisconductCase,
    Sanction,
)
from dangjian.ethics.selectors import (
    appraisal_rules,
    case_rules,
    deadlines,
    grade_labels,
    objection_due,
    sanction_rules,
    standard_numbers,
)
from dangjian.orgs.models import Org, Person

# --- helpers --------------------------------------------------------------------------------------


P = ParamSpec("P")
R = TypeVar("R")


def _restoring(func: Callable[P, R]) -> Callable[P, R]:
    """A refused step leaves the case or appraisal as it was in memory too, not only in the database."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ValidationError:
            for key in ("case", "appraisal"):
                if kwargs.get(key) is not None and kwargs[key].pk:
                    kwargs[key].refresh_from_db()
            raise

    return wrapper


def _is_subject(actor, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def _not_subject(actor, person: Person) -> None:
    if _is_subject(actor, person):
        raise ValidationError(_("不能办理涉及本人的事项。"))


def _expect(case: MisconductCase, *statuses: str) -> None:
    if case.status not in statuses:
        raise ValidationError(_("案件当前状态为“%(s)s”，不能办理此环节。") % {"s": CaseStatus(case.status).label})


def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _not_before(day: dt.date, earlier: dt.date | None, what: str) -> None:
    if earlier and day < earlier:
        raise ValidationError(_("日期不能早于%(what)s（%(d)s）。") % {"what": what, "d": earlier.isoformat()})


def _not_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))


def _save(obj) -> None:
    with unscoped("ethics.services"):
        obj.full_clean()
        obj.save()


def _record_step(case: MisconductCase, *, actor, step: str, on: dt.date, old_status: str, note: str = "") -> CaseEvent:
    """Save the case as the step left it, its CaseEvent and the audit entry (the end of every case step)."""
    _not_future(on)
    _save(case)
    event = CaseEvent(
        case=case, step=step, on=on, actor=actor, actor_name=actor.get_username() if actor else "", note=note
    )
    _save(event)
    audit.record(actor=actor, action=step, obj=case, changes={"status": [old_status, case.status]})
    return event


def _notify(person: Person, title: str, url: str, key: str) -> None:
    if person.user_id:
        Notification.objects.create(user_id=person.user_id, title=title, url=url, dedupe_key=key[:120])


def log_read(*, actor, case: MisconductCase) -> None:
    """Every read of a case is logged (action 'read')."""
    audit.record(actor=actor, action="read", obj=case)


def log_list_read(*, actor, cases: Iterable[MisconductCase], org_path: str) -> None:
    """A list of cases shown is one read entry naming the cases on the page."""
    ids = [c.pk for c in cases]
    if ids:
        audit.record(
            actor=actor,
            action="read",
            model=MisconductCase._meta.label,
            object_repr=_("师德案件列表"),
            org_path=org_path,
            changes={"ids": ids},
        )


# --- cases ----------------------------------------------------------------------------------------


@transaction.atomic
def report_case(
    *,
    actor,
    person: Person,
    source: str,
    summary: str,
    reported_on: dt.date,
    standards: Iterable[int] = (),
    source_detail: str = "",
) -> MisconductCase:
    """Step 1: a report is received (from a concern, an inspection, a complaint or the school's own check)."""
    _not_subject(actor, person)
    r = case_rules(person, reported_on)
    if source not in r["sources"]:
        raise ValidationError(_("线索来源不正确。"))
    standards = sorted({int(n) for n in standards})
    if set(standards) - standard_numbers(reported_on):
        raise ValidationError(_("涉及的准则编号不正确。"))
    case = MisconductCase(
        person=person,
        source=source,
        source_detail=source_detail.strip(),
        summary=_required(summary, _("请填写反映的问题。")),
        standards=standards,
        reported_on=reported_on,
    )
    _record_step(case, actor=actor, step="report", on=reported_on, old_status="")
    return case


@_restoring
@transaction.atomic
def start_investigation(*, actor, case: MisconductCase, on: dt.date, note: str = "") -> MisconductCase:
    """Step 2: investigation begins."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.REPORTED)
    _not_before(on, case.reported_on, _("受理日期"))
    old, case.status = case.status, CaseStatus.INVESTIGATING
    _record_step(case, actor=actor, step="investigate", on=on, old_status=old, note=note.strip())
    return case


@_restoring
@transaction.atomic
def add_evidence(*, actor, case: MisconductCase, description: str, file=None, on: dt.date | None = None) -> Evidence:
    """Evidence gathered during the investigation (and until the decision). Files are checked by the view."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.HEARD)
    on = on or timezone.localdate()
    evidence = Evidence(case=case, description=_required(description, _("请填写证据说明。")), added_by=actor)
    if file is not None:
        evidence.file = file
    _save(evidence)
    _record_step(case, actor=actor, step="evidence", on=on, old_status=case.status, note=evidence.description[:200])
    return evidence


@_restoring
@transaction.atomic
def close_unfounded(*, actor, case: MisconductCase, on: dt.date, reason: str) -> MisconductCase:
    """The report is not borne out: close the case without handling, with the reason."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.REPORTED, CaseStatus.INVESTIGATING)
    _not_before(on, case.reported_on, _("受理日期"))
    case.closed_reason = _required(reason, _("请填写不予处理的理由。"))
    old, case.status = case.status, CaseStatus.CLOSED
    _record_step(case, actor=actor, step="close", on=on, old_status=old)
    return case


@_restoring
@transaction.atomic
def notify_teacher(*, actor, case: MisconductCase, on: dt.date, findings: str, proposed: str) -> MisconductCase:
    """Step 3a: the teacher is told the facts found and the proposed handling, their right to state and
    defend, and (for 降低岗位等级 or heavier) their right to ask for a hearing (处理办法第五条)."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.INVESTIGATING)
    _not_before(on, case.reported_on, _("受理日期"))
    if not case.evidence.exists():
        raise ValidationError(_("尚无调查证据，不能告知当事教师：须事实清楚、证据确凿。"))
    s = sanction_rules(on)
    if proposed not in s["kinds"]:
        raise ValidationError(_("拟处理种类不正确。"))
    case.findings = _required(findings, _("请填写调查认定的事实。"))
    case.proposed = proposed
    case.notified_on = on
    case.hearing_right = proposed in s["hearing_kinds"]
    old, case.status = case.status, CaseStatus.NOTIFIED
    due = deadlines(case)
    note = _("陈述申辩期限至%(d)s") % {"d": due["statement"].isoformat()}
    if case.hearing_right:
        note += _("；有权要求听证，申请期限至%(d)s") % {"d": due["hearing_request"].isoformat()}
    _record_step(case, actor=actor, step="notify", on=on, old_status=old, note=note)
    _notify(
        case.person,
        _("师德问题调查告知：请在期限内陈述申辩"),
        f"/ethics/cases/{case.pk}/",
        f"ethics:case:{case.pk}:notify",
    )
    return case


@_restoring
@transaction.atomic
def record_statement(*, actor, case: MisconductCase, on: dt.date, statement: str) -> MisconductCase:
    """Step 3b: the teacher's statement and defence, made by the teacher or recorded for them by an officer."""
    _expect(case, CaseStatus.NOTIFIED)
    _not_before(on, case.notified_on, _("告知日期"))
    case.statement = _required(statement, _("请填写陈述申辩的内容。"))
    case.statement_on = on
    old, case.status = case.status, CaseStatus.HEARD
    _record_step(case, actor=actor, step="statement", on=on, old_status=old)
    return case


@_restoring
@transaction.atomic
def waive_statement(*, actor, case: MisconductCase, on: dt.date, reason: str) -> MisconductCase:
    """Step 3b without a statement: the teacher declined, or let the time pass. The reason is recorded."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.NOTIFIED)
    _not_before(on, case.notified_on, _("告知日期"))
    case.statement_waived_reason = _required(reason, _("请填写当事教师未陈述申辩的原因。"))
    old, case.status = case.status, CaseStatus.HEARD
    _record_step(case, actor=actor, step="waive", on=on, old_status=old, note=case.statement_waived_reason[:200])
    return case


@_restoring
@transaction.atomic
def request_hearing(*, actor, case: MisconductCase, on: dt.date) -> MisconductCase:
    """The teacher asks for a hearing (only where the proposed handling gives that right), in time."""
    _expect(case, CaseStatus.NOTIFIED, CaseStatus.HEARD)
    if not case.hearing_right:
        raise ValidationError(_("拟处理未达到降低岗位等级以上，依规不适用听证。"))
    if case.hearing_requested_on:
        raise ValidationError(_("已经申请过听证。"))
    _not_before(on, case.notified_on, _("告知日期"))
    if on > deadlines(case)["hearing_request"]:
        raise ValidationError(_("已超过申请听证的期限。"))
    case.hearing_requested_on = on
    _record_step(case, actor=actor, step="hearing_request", on=on, old_status=case.status)
    return case


@_restoring
@transaction.atomic
def record_hearing(*, actor, case: MisconductCase, on: dt.date, record: str) -> MisconductCase:
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.NOTIFIED, CaseStatus.HEARD)
    if not case.hearing_requested_on:
        raise ValidationError(_("当事教师没有申请听证。"))
    if case.hearing_on:
        raise ValidationError(_("听证已经举行。"))
    _not_before(on, case.hearing_requested_on, _("申请听证日期"))
    case.hearing_on = on
    case.hearing_record = _required(record, _("请填写听证记录。"))
    _record_step(case, actor=actor, step="hearing", on=on, old_status=case.status)
    return case


def _impose(
    case: MisconductCase, *, decision: str, starts_on: dt.date, purposes: Iterable[str], months: int | None
) -> list[Sanction]:
    s = sanction_rules(starts_on)
    spec = s["kinds"][decision]
    made = []
    if spec["sanction"]:
        ends_on = None if spec["months"] == "permanent" else add_months(starts_on, int(spec["months"]))
        made.append(
            Sanction(
                person=case.person,
                case=case,
                kind=decision,
                purposes=list(spec["blocks"]),
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )
    purposes = sorted(set(purposes))
    if purposes:
        if set(purposes) - s["disqualification_purposes"].keys():
            raise ValidationError(_("取消资格的事项不正确。"))
        if months is None or months < s["disqualification_min_months"]:
            raise ValidationError(_("取消资格的期限不得少于%(n)d个月。") % {"n": s["disqualification_min_months"]})
        made.append(
            Sanction(
                person=case.person,
                case=case,
                kind="disqualification",
                purposes=purposes,
                starts_on=starts_on,
                ends_on=add_months(starts_on, months),
            )
        )
    for sanction in made:
        _save(sanction)
    return made


@_restoring
@transaction.atomic
def decide(
    *,
    actor,
    case: MisconductCase,
    on: dt.date,
    decision: str,
    reason: str,
    disqualify: Iterable[str] = (),
    disqualify_months: int | None = None,
) -> MisconductCase:
    """Step 4: the decision. Only once the teacher's statement is complete or waived with a reason, and any
    hearing asked for has been held. Sanctions and disqualifications take effect on the decision day."""
    _not_subject(actor, case.person)
    if case.status == CaseStatus.NOTIFIED:
        raise ValidationError(_("当事教师的陈述申辩尚未完成：须记录其陈述申辩，或记录未陈述申辩的原因后才能作出决定。"))
    _expect(case, CaseStatus.HEARD)
    if not (case.statement_on or case.statement_waived_reason):
        raise ValidationError(_("当事教师的陈述申辩尚未完成。"))
    if case.hearing_requested_on and not case.hearing_on:
        raise ValidationError(_("当事教师已申请听证，须先组织听证。"))
    _not_before(on, case.statement_on or case.notified_on, _("陈述申辩日期"))
    s = sanction_rules(on)
    if decision not in s["kinds"]:
        raise ValidationError(_("处理种类不正确。"))
    if decision in s["hearing_kinds"] and not case.hearing_right:
        raise ValidationError(_("拟作出降低岗位等级以上的处分，但告知时未告知听证权利：须重新告知当事教师。"))
    case.decision = decision
    case.decision_reason = _required(reason, _("请填写处理依据与理由。"))
    case.decided_on = on
    _impose(case, decision=decision, starts_on=on, purposes=disqualify, months=disqualify_months)
    old, case.status = case.status, CaseStatus.DECIDED
    _record_step(case, actor=actor, step="decide", on=on, old_status=old, note=s["kinds"][decision]["label"])
    _notify(case.person, _("师德问题处理决定已作出"), f"/ethics/cases/{case.pk}/", f"ethics:case:{case.pk}:decide")
    return case


@_restoring
@transaction.atomic
def appeal_case(*, actor, case: MisconductCase, on: dt.date, text: str) -> MisconductCase:
    """Step 5a: the teacher asks for review, within the time the rules give."""
    _expect(case, CaseStatus.DECIDED)
    _not_before(on, case.decided_on, _("决定日期"))
    if on > deadlines(case)["appeal"]:
        raise ValidationError(_("已超过申请复核的期限。"))
    case.appeal = _required(text, _("请填写申请复核的理由。"))
    case.appealed_on = on
    old, case.status = case.status, CaseStatus.APPEALED
    _record_step(case, actor=actor, step="appeal", on=on, old_status=old)
    return case


REVIEW_OUTCOMES = ("upheld", "changed", "revoked")


@_restoring
@transaction.atomic
def review_case(
    *,
    actor,
    case: MisconductCase,
    on: dt.date,
    outcome: str,
    reason: str,
    decision: str = "",
    disqualify: Iterable[str] = (),
    disqualify_months: int | None = None,
) -> MisconductCase:
    """Step 5b: review by someone other than the person who recorded the decision. A changed decision runs
    from the original decision day; sanctions replaced or revoked stop on the review day."""
    _not_subject(actor, case.person)
    _expect(case, CaseStatus.APPEALED)
    _not_before(on, case.appealed_on, _("申请复核日期"))
    decided_by = case.events.filter(step="decide").values_list("actor_id", flat=True).last()
    if actor is not None and decided_by == actor.pk:
        raise ValidationError(_("复核应由原处理决定经办人以外的人员办理。"))
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError(_("复核结果不正确。"))
    case.review_outcome = outcome
    case.review_reason = _required(reason, _("请填写复核意见。"))
    case.reviewed_on = on
    if outcome in ("changed", "revoked"):
        with unscoped("ethics.review_case"):
            Sanction.all_objects.filter(case=case, revoked_on__isnull=True).update(revoked_on=on)
    if outcome == "changed":
        s = sanction_rules(case.decided_on)
        if decision not in s["kinds"]:
            raise ValidationError(_("请选择变更后的处理种类。"))
        if decision in s["hearing_kinds"] and not case.hearing_right:
            raise ValidationError(_("复核不能加重为降低岗位等级以上的处分。"))
        case.decision = decision
        _impose(case, decision=decision, starts_on=case.decided_on, purposes=disqualify, months=disqualify_months)
    old, case.status = case.status, CaseStatus.REVIEWED
    _record_step(case, actor=actor, step="review", on=on, old_status=old, note=outcome)
    _notify(case.person, _("师德问题复核结果已作出"), f"/ethics/cases/{case.pk}/", f"ethics:case:{case.pk}:review")
    return case


# --- appraisals -----------------------------------------------------------------------------------


@transaction.atomic
def open_appraisals(*, actor, org: Org, year_key: str) -> int:
    """Open the year's appraisal for every active teacher of the org's subtree who has none yet."""
    with unscoped("ethics.open_appraisals"):
        people = Person.all_objects.filter(org__path__startswith=org.path, is_active=True)
        have = set(
            EthicsAppraisal.all_objects.filter(person__in=people, year_key=year_key).values_list("person_id", flat=True)
        )
        new = [EthicsAppraisal(person_id=pk, year_key=year_key) for pk in people.values_list("pk", flat=True)]
        new = [a for a in new if a.person_id not in have]
        EthicsAppraisal.all_objects.bulk_create(new, batch_size=1000)
    audit.record(
        actor=actor,
        action="open",
        model=EthicsAppraisal._meta.label,
        object_repr=_("%(y)s学年师德考核") % {"y": year_key},
        org_path=org.path,
        changes={"year": year_key, "opened": len(new)},
    )
    return len(new)


def _expect_appraisal(appraisal: EthicsAppraisal, *statuses: str) -> None:
    if appraisal.status not in statuses:
        raise ValidationError(
            _("考核当前状态为“%(s)s”，不能办理此环节。") % {"s": AppraisalStatus(appraisal.status).label}
        )


@_restoring
@transaction.atomic
def submit_self_assessment(
    *, actor, appraisal: EthicsAppraisal, text: str, concerns: Iterable[int] = ()
) -> EthicsAppraisal:
    """The teacher's own self-assessment against the ten standards."""
    if not _is_subject(actor, appraisal.person):
        raise ValidationError(_("只有教师本人可以提交自评。"))
    _expect_appraisal(appraisal, AppraisalStatus.OPEN)
    concerns = sorted({int(n) for n in concerns})
    if set(concerns) - standard_numbers(timezone.localdate()):
        raise ValidationError(_("准则编号不正确。"))
    appraisal.self_assessment = _required(text, _("请填写自评内容。"))
    appraisal.self_concerns = concerns
    appraisal.self_submitted_at = timezone.now()
    _save(appraisal)
    audit.record(actor=actor, action="self_assess", obj=appraisal)
    return appraisal


@_restoring
@transaction.atomic
def record_input(
    *, actor, appraisal: EthicsAppraisal, source: str, respondents: int, satisfied: int, comments: str = ""
) -> AppraisalInput:
    """The aggregated result of a survey (peers, students, parents), entered once by the appraisal group."""
    _not_subject(actor, appraisal.person)
    _expect_appraisal(appraisal, AppraisalStatus.OPEN)
    r = appraisal_rules(appraisal.person, timezone.localdate())
    if source not in r["inputs"]:
        raise ValidationError(_("评议来源不正确。"))
    if respondents < 1 or satisfied < 0 or satisfied > respondents:
        raise ValidationError(_("参评人数须至少1人，满意人数不能超过参评人数。"))
    with unscoped("ethics.record_input"):
        found = AppraisalInput.all_objects.filter(appraisal=appraisal, source=source).first()
    item = found or AppraisalInput(appraisal=appraisal, source=source)
    item.respondents, item.satisfied, item.comments, item.recorded_by = respondents, satisfied, comments, actor
    item.recorded_at = timezone.now()
    _save(item)
    audit.record(actor=actor, action="input", obj=appraisal, changes={"source": source})
    return item


def _veto(appraisal: EthicsAppraisal, on: dt.date) -> None:
    veto = appraisal_rules(appraisal.person, on)["veto"]
    if appraisal.grade in veto["grades"] and veto["scope"]:
        _save(
            Sanction(
                person=appraisal.person,
                appraisal=appraisal,
                kind="veto",
                purposes=list(veto["scope"]),
                starts_on=on,
                ends_on=add_months(on, int(veto["months"])),
            )
        )


@_restoring
@transaction.atomic
def grade_appraisal(*, actor, appraisal: EthicsAppraisal, grade: str, reasons: str, on: dt.date) -> EthicsAppraisal:
    """The appraisal group's grade. Below 合格: a written reason, notice to the teacher, and (for the veto
    grades) the 一票否决 on the year's awards."""
    _not_subject(actor, appraisal.person)
    _expect_appraisal(appraisal, AppraisalStatus.OPEN)
    _not_future(on)
    r = appraisal_rules(appraisal.person, on)
    grades = {g["code"]: g for g in r["grades"]}
    if grade not in grades:
        raise ValidationError(_("考核等次不正确。"))
    have = set(appraisal.inputs.values_list("source", flat=True))
    missing = [r["inputs"].get(s, s) for s in r["required_inputs"] if s not in have]
    if missing:
        raise ValidationError(_("尚缺以下评议结果，不能评定：%(m)s") % {"m": "、".join(missing)})
    reasons = (reasons or "").strip()
    if not grades[grade]["passing"] and not reasons:
        raise ValidationError(_("评定为“%(g)s”须写明理由。") % {"g": grades[grade]["label"]})
    appraisal.grade, appraisal.reasons, appraisal.graded_on = grade, reasons, on
    appraisal.graded_at, appraisal.graded_by = timezone.now(), actor
    appraisal.status = AppraisalStatus.GRADED
    if not grades[grade]["passing"]:
        appraisal.notified_at = timezone.now()
        _notify(
            appraisal.person,
            _("师德考核结果告知：如有异议，请在期限内提出"),
            f"/ethics/appraisals/{appraisal.pk}/",
            f"ethics:appraisal:{appraisal.pk}:grade",
        )
    _save(appraisal)
    _veto(appraisal, on)
    audit.record(actor=actor, action="grade", obj=appraisal, changes={"status": ["open", "graded"]})
    return appraisal


@_restoring
@transaction.atomic
def object_to_grade(*, actor, appraisal: EthicsAppraisal, text: str, on: dt.date) -> EthicsAppraisal:
    """The teacher states objections to a grade below 合格, within the time allowed."""
    if not _is_subject(actor, appraisal.person):
        raise ValidationError(_("只有教师本人可以提出异议。"))
    _expect_appraisal(appraisal, AppraisalStatus.GRADED)
    due = objection_due(appraisal)
    if due is None:
        raise ValidationError(_("该考核等次为合格及以上，无需提出异议。"))
    if on > due:
        raise ValidationError(_("已超过提出异议的期限（%(d)s）。") % {"d": due.isoformat()})
    appraisal.objection = _required(text, _("请填写异议内容。"))
    appraisal.objection_at = timezone.now()
    appraisal.status = AppraisalStatus.OBJECTED
    _save(appraisal)
    audit.record(actor=actor, action="object", obj=appraisal, changes={"status": ["graded", "objected"]})
    return appraisal


@_restoring
@transaction.atomic
def answer_objection(*, actor, appraisal: EthicsAppraisal, reply: str, on: dt.date, grade: str = "") -> EthicsAppraisal:
    """The group reviews the objection: keeps the grade or changes it (a veto follows the new grade)."""
    _not_subject(actor, appraisal.person)
    _expect_appraisal(appraisal, AppraisalStatus.OBJECTED)
    appraisal.objection_reply = _required(reply, _("请填写复核意见。"))
    appraisal.objection_replied_at, appraisal.objection_replied_by = timezone.now(), actor
    appraisal.status = AppraisalStatus.FINAL
    old = appraisal.grade
    if grade and grade != old:
        if grade not in grade_labels(org_path=appraisal.person.org.path, on=on):
            raise ValidationError(_("考核等次不正确。"))
        appraisal.grade = grade
        with unscoped("ethics.answer_objection"):
            Sanction.all_objects.filter(appraisal=appraisal, revoked_on__isnull=True).update(revoked_on=on)
        _veto(appraisal, appraisal.graded_on)
    _save(appraisal)
    audit.record(actor=actor, action="review", obj=appraisal, changes={"status": ["objected", "final"]})
    return appraisal
