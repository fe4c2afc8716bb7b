"""Writes of the leadership system: one keyword-only function per use case, each in a transaction, validated and
written to the audit log. A personnel item's title and discussion never go into the log (county administrators
search it): the entry names the item by number and category only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.leadership import logic
from dangjian.leadership.models import (
    BODY_OF_KIND,
    KIND_OF_BODY,
    AgendaItem,
    Body,
    BodyMember,
    BodyRole,
    DecisionRules,
    ExecutionReport,
    Outcome,
    RulesStatus,
)
from dangjian.leadership.selectors import current_seats, template_for
from dangjian.meetings import logic as meeting_logic
from dangjian.meetings.models import ATTENDED, Attendance, Meeting, Presence, Status
from dangjian.orgs.models import MEMBER_STAGES, Membership, Person, School

ROLES_OF_BODY = {
    Body.PARTY: {BodyRole.SECRETARY, BodyRole.DEPUTY_SECRETARY, BodyRole.MEMBER},
    Body.ADMIN: {BodyRole.PRINCIPAL, BodyRole.VICE_PRINCIPAL, BodyRole.MEMBER},
}
SINGLE_ROLES = {BodyRole.SECRETARY, BodyRole.PRINCIPAL}
ITEM_FIELDS = ["title", "category", "proposer_id", "fixed_by_id", "communicated_on", "communication", "outcome"]
ITEM_FIELDS += ["decision", "discussion", "party_decision_id", "report_due_on"]
PRIVATE_FIELDS = {"title", "communication", "decision", "discussion"}
EARLIEST = dt.date(2022, 1, 1)  # the 2022 意见: the leadership rules' first version


def _clean(obj) -> None:
    with unscoped("leadership: validation"):
        obj.full_clean()


def _is_personnel(item: AgendaItem) -> bool:
    return item.category in logic.personnel_categories()


def _audit_item(*, actor, action: str, item: AgendaItem, before: dict) -> None:
    changes = audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
    private = _is_personnel(item)
    if private:  # that a field changed is kept, never what it said
        changes = {k: ["…", "…"] if k in PRIVATE_FIELDS else v for k, v in changes.items()}
    label = _("人事议题 #%(pk)d") % {"pk": item.pk} if private else item.title
    audit.record(actor=actor, action=action, obj=item, object_repr=label[:200], changes=changes)


# --- the two bodies ------------------------------------------------------------------------------


def _is_party_member(person: Person) -> bool:
    with unscoped("leadership: membership of a body member"):
        return Membership.objects.filter(person=person, stage__in=MEMBER_STAGES).exists()


@transaction.atomic
def appoint(
    *, actor, school: School, body: str, person: Person, role: str, started_on: dt.date | None = None
) -> BodyMember:
    """Seat a person on the school's 党组织班子 or 行政班子 in a role (书记、校长、副书记…)."""
    if body not in Body.values or role not in BodyRole.values:
        raise ValidationError(_("班子或职务无效。"))
    if role not in ROLES_OF_BODY[Body(body)]:
        raise ValidationError(_("%(role)s不属于%(body)s。") % {"role": BodyRole(role).label, "body": Body(body).label})
    if person.school_id != school.pk or not person.is_active:
        raise ValidationError(_("只能选择本校在职人员。"))
    if body == Body.PARTY and not _is_party_member(person):
        raise ValidationError(_("党组织班子成员须为中共党员。"))
    seats = current_seats(school, body=body)
    if any(s.person_id == person.pk for s in seats):
        raise ValidationError(_("%(name)s已是%(body)s成员。") % {"name": person.name, "body": Body(body).label})
    if role in SINGLE_ROLES and any(s.role == role for s in seats):
        raise ValidationError(_("本校已有%(role)s，请先办理原%(role)s离任。") % {"role": BodyRole(role).label})
    seat = BodyMember(school=school, body=body, person=person, role=role, started_on=started_on or timezone.localdate())
    with unscoped("leadership.appoint"):
        seat.full_clean()
        seat.save()
    audit.record(actor=actor, action="appoint", obj=seat, changes={"role": [None, str(seat.get_role_display())]})
    return seat


@transaction.atomic
def end_seat(*, actor, seat: BodyMember, ended_on: dt.date | None = None) -> BodyMember:
    if seat.ended_on is not None:
        raise ValidationError(_("该成员已离任。"))
    ended_on = ended_on or timezone.localdate()
    if ended_on < seat.started_on:
        raise ValidationError(_("离任日期不能早于任职日期。"))
    seat.ended_on = ended_on
    with unscoped("leadership.end_seat"):
        seat.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="end", obj=seat, changes={"ended_on": [None, str(ended_on)]})
    return seat


# --- meetings ------------------------------------------------------------------------------------


def _derive_counts(meeting: Meeting) -> None:
    """The meetings app's derived counts, by its own quorum rule for the kind (more than half of the body)."""
    rows = list(meeting.attendances.all())
    rule = meeting_logic.kind_rules(on=meeting.day, org_path=meeting.org.path).get(meeting.kind, {})
    meeting.expected_count = len(rows)
    meeting.attended_count = sum(1 for r in rows if r.attended)
    meeting.quorum_met = (
        meeting_logic.quorum_met(rule, [meeting_logic.Row(r.status, r.is_voting, r.is_committee) for r in rows])
        if meeting.status == Status.HELD
        else None
    )


def _convenor(school: School, body: str, *, on: dt.date) -> Person | None:
    role = BodyRole.SECRETARY if body == Body.PARTY else BodyRole.PRINCIPAL
    return next((s.person for s in current_seats(school, body=body, on=on) if s.role == role), None)


@transaction.atomic
def plan_meeting(
    *, actor, school: School, kind: str, starts_at: dt.datetime, topic: str = "", place: str = ""
) -> Meeting:
    """A 党组织会议 or 校长办公会议 of the school's organization; its roster is the body's current members (they
    carry the committee flag the quorum counts), its host the 书记 or the 校长."""
    if kind not in BODY_OF_KIND:
        raise ValidationError(_("会议类型无效。"))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    day = timezone.localtime(starts_at).date()
    if not EARLIEST <= day <= dt.date(2100, 12, 31):
        raise ValidationError(_("会议时间应在 2022 年至 2100 年之间。"))
    body = BODY_OF_KIND[kind]
    seats = current_seats(school, body=body, on=day)
    if not seats:
        raise ValidationError(_("请先在“领导班子”中登记%(body)s成员。") % {"body": Body(body).label})
    label = _("党组织会议") if kind == "party_org_meeting" else _("校长办公会议")
    meeting = Meeting(
        org=school.org,
        kind=kind,
        topic=(topic or "").strip() or _("%(school)s%(label)s") % {"school": school.name, "label": label},
        starts_at=starts_at,
        place=place,
        host=_convenor(school, body, on=day),
        created_by=actor,
    )
    with unscoped("leadership.plan_meeting"):
        meeting.full_clean()
        meeting.save()
        Attendance.all_objects.bulk_create(
            [Attendance(meeting=meeting, person=s.person, is_voting=True, is_committee=True) for s in seats]
        )
        _derive_counts(meeting)
        meeting.save(update_fields=["expected_count", "attended_count", "quorum_met"])
    audit.record(actor=actor, action="create", obj=meeting, changes={"kind": [None, kind], "day": [None, str(day)]})
    return meeting


@transaction.atomic
def record_meeting(*, actor, meeting: Meeting, statuses: dict[int, tuple[str, str]]) -> Meeting:
    """The meeting was held: the body members' attendance (only the exceptions to 出席 need listing)."""
    if meeting.kind not in BODY_OF_KIND:
        raise ValidationError(_("会议类型无效。"))
    if meeting.starts_at > timezone.now() + dt.timedelta(hours=12):
        raise ValidationError(_("会议尚未召开，不能记录。"))
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    if set(statuses) - rows.keys():
        raise ValidationError(_("出席名单中有不属于本次会议应到人员的人。"))
    changed = {}
    for person_id, (status, reason) in statuses.items():
        if status not in Presence.values:
            raise ValidationError(_("出席情况无效。"))
        row = rows[person_id]
        if (row.status, row.reason) != (status, reason or ""):
            changed[row.person.name] = [row.status, status]
            row.status, row.reason = status, (reason or "")[:200]
    with unscoped("leadership.record_meeting"):
        Attendance.all_objects.bulk_update(list(rows.values()), ["status", "reason"])
        meeting.status = Status.HELD
        _derive_counts(meeting)
        meeting.save()
    audit.record(actor=actor, action="record", obj=meeting, changes={"attendance": changed} if changed else {})
    return meeting


def body_attendance(meeting: Meeting) -> tuple[int, int]:
    """(body members present, body members expected) at a meeting."""
    rows = [r for r in meeting.attendances.all() if r.is_committee]
    return sum(1 for r in rows if r.status in ATTENDED), len(rows)


# --- agenda items --------------------------------------------------------------------------------


def _school_of(meeting: Meeting) -> School | None:
    """The school whose body members are the meeting's roster."""
    with unscoped("leadership: the meeting's school"):
        school_id = meeting.attendances.filter(is_committee=True).values_list("person__school_id", flat=True).first()
        return School.objects.filter(pk=school_id, org=meeting.org).first()


def _check_fixer(item: AgendaItem, rules_in_force: dict) -> None:
    body = BODY_OF_KIND[item.meeting.kind]
    fixer_role = rules_in_force["bodies"][body]["fixer"]
    seat = next(
        (
            s
            for s in current_seats(item.school, body=body, on=item.meeting.day)
            if item.fixed_by_id and s.person_id == item.fixed_by_id and s.role == fixer_role
        ),
        None,
    )
    if seat is None:
        raise ValidationError(
            _("%(kind)s的议题由%(role)s确定，请选择本校现任%(role)s。")
            % {"kind": item.meeting.get_kind_display(), "role": BodyRole(fixer_role).label}
        )
    item.fixed_by_role = fixer_role


def _check_prior_communication(item: AgendaItem, category: dict) -> None:
    """Major matters reach a meeting only after the 书记 and the 校长 have talked them through (三（七）)."""
    if not category.get("major") or item.meeting.kind != "party_org_meeting":
        return
    if not item.communicated_on or not item.communication.strip():
        raise ValidationError(_("重大问题须书记与校长会前充分沟通后方可提交党组织会议，请填写沟通日期和沟通情况。"))
    if item.communicated_on > item.meeting.day:
        raise ValidationError(_("会前沟通日期不能晚于会议日期。"))


def _check_party_decision(item: AgendaItem) -> None:
    decision = item.party_decision
    if decision is None:
        return
    if (
        decision.school_id != item.school_id
        or decision.meeting.kind != "party_org_meeting"
        or decision.outcome != Outcome.DECIDED
    ):
        raise ValidationError(_("所依据的须是本校党组织会议已作出的决定。"))
    if item.meeting.kind != "principal_office_meeting":
        raise ValidationError(_("只有校长办公会议的议题需要写明所依据的党组织会议决定。"))


def _validate_item(item: AgendaItem) -> None:
    day = item.meeting.day
    rules_in_force = logic.values(on=max(day, EARLIEST), org_path=item.school.org.path)
    category = rules_in_force["categories"].get(item.category)
    if category is None:
        raise ValidationError(_("请选择议题类别。"))
    if not item.title.strip():
        raise ValidationError(_("请填写议题。"))
    if item.proposer_id and item.proposer.school_id != item.school_id:
        raise ValidationError(_("提出人须为本校班子成员。"))
    _check_fixer(item, rules_in_force)
    _check_prior_communication(item, category)
    _check_party_decision(item)
    _clean(item)


@transaction.atomic
def add_item(
    *,
    actor,
    meeting: Meeting,
    title: str,
    category: str,
    fixed_by: Person | None,
    proposer: Person | None = None,
    communicated_on: dt.date | None = None,
    communication: str = "",
    party_decision: AgendaItem | None = None,
    school: School | None = None,
) -> AgendaItem:
    """Put an item on a meeting's agenda: fixed by the 书记 (党组织会议) or the 校长 (校长办公会议). The school is the
    one whose body is the meeting's roster (a 联合党支部 holds the meetings of several schools)."""
    if meeting.kind not in BODY_OF_KIND:
        raise ValidationError(_("会议类型无效。"))
    found = _school_of(meeting)
    if found is None or (school is not None and school.pk != found.pk):
        raise ValidationError(_("该会议不属于本校。"))
    school = found
    with unscoped("leadership.add_item: order"):
        order = AgendaItem.objects.filter(meeting=meeting).count() + 1
    item = AgendaItem(
        school=school,
        meeting=meeting,
        order=order,
        title=(title or "").strip(),
        category=category,
        proposer=proposer,
        fixed_by=fixed_by,
        communicated_on=communicated_on,
        communication=(communication or "").strip(),
        party_decision=party_decision,
        created_by=actor,
    )
    _validate_item(item)
    with unscoped("leadership.add_item"):
        item.save()
    _audit_item(actor=actor, action="create", item=item, before={})
    return item


@transaction.atomic
def decide_item(
    *,
    actor,
    item: AgendaItem,
    outcome: str,
    decision: str = "",
    discussion: str = "",
    report_due_on: dt.date | None = None,
) -> AgendaItem:
    """The meeting's decision on an item. A 党组织会议 decision gets a time limit for the 校长's execution report
    (by default the rule data's report_days after the meeting)."""
    meeting = item.meeting
    if meeting.status != Status.HELD:
        raise ValidationError(_("会议召开并记录出席情况后才能登记决定。"))
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        raise ValidationError(_("请选择结果。"))
    if outcome == Outcome.PROPOSED and meeting.kind != "principal_office_meeting":
        raise ValidationError(_("“形成方案提交党组织会议”只适用于校长办公会议。"))
    if outcome == Outcome.DECIDED and not (decision or "").strip():
        raise ValidationError(_("请填写决定事项。"))
    before = audit.snapshot(item, ITEM_FIELDS)
    item.outcome, item.decision, item.discussion = outcome, (decision or "").strip(), (discussion or "").strip()
    if outcome == Outcome.DECIDED and meeting.kind == "party_org_meeting":
        days = logic.values(on=max(meeting.day, EARLIEST), org_path=item.school.org.path)["report_days"]
        item.report_due_on = report_due_on or meeting.day + dt.timedelta(days=int(days))
        if item.report_due_on < meeting.day:
            raise ValidationError(_("执行情况报告时限不能早于会议日期。"))
    else:
        item.report_due_on = None
    _clean(item)
    with unscoped("leadership.decide_item"):
        item.save()
    _audit_item(actor=actor, action="decide", item=item, before=before)
    return item


@transaction.atomic
def report_execution(
    *, actor, item: AgendaItem, reported_on: dt.date, text: str, completed: bool = False, reporter: Person | None = None
) -> ExecutionReport:
    """The 校长 reports to the Party organization how a 党组织会议 decision is being carried out."""
    if item.meeting.kind != "party_org_meeting" or item.outcome != Outcome.DECIDED:
        raise ValidationError(_("执行情况报告针对党组织会议已作出的决定。"))
    if not (text or "").strip():
        raise ValidationError(_("请填写执行情况。"))
    if reported_on < item.meeting.day:
        raise ValidationError(_("报告日期不能早于作出决定的会议日期。"))
    if reported_on > timezone.localdate():
        raise ValidationError(_("报告日期不能晚于今天。"))
    if reporter is None:
        reporter = _convenor(item.school, Body.ADMIN, on=reported_on)
    report = ExecutionReport(
        item=item, reported_on=reported_on, text=text.strip(), completed=completed, reporter=reporter, created_by=actor
    )
    _clean(report)
    with unscoped("leadership.report_execution"):
        report.save()
    audit.record(
        actor=actor,
        action="report",
        obj=report,
        changes={"reported_on": [None, str(reported_on)], "completed": [None, completed]},
    )
    return report


# --- 议事规则 ------------------------------------------------------------------------------------


def _next_version(school: School) -> int:
    with unscoped("leadership: rules versions"):
        last = DecisionRules.objects.filter(school=school).order_by("-version").values_list("version", flat=True)
        return (last.first() or 0) + 1


@transaction.atomic
def draft_rules(*, actor, school: School) -> DecisionRules:
    """A new version of the school's 议事规则, generated from the county template in force (the school edits it)."""
    template = template_for(school)
    rules = DecisionRules(
        school=school,
        version=_next_version(school),
        template_effective=template.effective,
        text=template.text,
        created_by=actor,
    )
    _clean(rules)
    with unscoped("leadership.draft_rules"):
        rules.save()
    audit.record(actor=actor, action="create", obj=rules, changes={"version": [None, rules.version]})
    return rules


MAX_RULES_CHARS = 20000


@transaction.atomic
def edit_rules(*, actor, rules: DecisionRules, text: str) -> DecisionRules:
    if rules.status not in (RulesStatus.DRAFT, RulesStatus.RETURNED):
        raise ValidationError(_("已提交或已批准的版本不能修改，请新建版本。"))
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("议事规则不能为空。"))
    if len(text) > MAX_RULES_CHARS:
        raise ValidationError(_("议事规则不能超过 %(n)d 字。") % {"n": MAX_RULES_CHARS})
    changed = text != rules.text
    rules.text = text
    with unscoped("leadership.edit_rules"):
        rules.save(update_fields=["text", "updated_at"])
    if changed:
        audit.record(actor=actor, action="update", obj=rules, changes={"text": ["…", "…"]})
    return rules


def _move(*, actor, rules: DecisionRules, allowed: tuple[str, ...], to: str, **fields) -> DecisionRules:
    if rules.status not in allowed:
        raise ValidationError(_("当前状态（%(s)s）不能进行此操作。") % {"s": rules.get_status_display()})
    before = rules.status
    rules.status = to
    for name, value in fields.items():
        setattr(rules, name, value)
    with unscoped("leadership: rules status"):
        rules.save()
    audit.record(actor=actor, action=f"rules_{to}", obj=rules, changes={"status": [before, to]})
    return rules


@transaction.atomic
def submit_rules(*, actor, rules: DecisionRules) -> DecisionRules:
    return _move(
        actor=actor,
        rules=rules,
        allowed=(RulesStatus.DRAFT, RulesStatus.RETURNED),
        to=RulesStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def approve_rules(*, actor, rules: DecisionRules) -> DecisionRules:
    return _move(
        actor=actor,
        rules=rules,
        allowed=(RulesStatus.SUBMITTED,),
        to=RulesStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
        return_reason="",
    )


@transaction.atomic
def return_rules(*, actor, rules: DecisionRules, reason: str) -> DecisionRules:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回须写明原因。"))
    return _move(
        actor=actor,
        rules=rules,
        allowed=(RulesStatus.SUBMITTED,),
        to=RulesStatus.RETURNED,
        decided_at=timezone.now(),
        decided_by=actor,
        return_reason=reason[:300],
    )


def kind_of(body: str) -> str:
    return KIND_OF_BODY[Body(body)]


# --- reminders -----------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def _reminder(item: AgendaItem, principals: dict[int, list], today: dt.date) -> list[Notification]:
    overdue = item.report_due_on < today
    what = _("一项人事事项的决定") if _is_personnel(item) else _("“%(t)s”的决定") % {"t": item.title}
    if overdue:
        title = _("执行情况报告已过时限")
        body = _("党组织会议（%(d)s）%(w)s，执行情况报告时限为%(due)s，尚未向党组织报告。") % {
            "d": item.meeting.day,
            "w": what,
            "due": item.report_due_on,
        }
    else:
        title = _("执行情况报告提醒")
        body = _("党组织会议（%(d)s）%(w)s，请于%(due)s前向党组织报告执行情况；本通知无需回复。") % {
            "d": item.meeting.day,
            "w": what,
            "due": item.report_due_on,
        }
    key = f"leadership:item:{item.pk}:{'report_overdue' if overdue else 'report_due'}"
    url = reverse("leadership:item", args=[item.pk])
    return [
        Notification(user_id=user_id, title=title, body=body, url=url, dedupe_key=key, kind="leadership:report")
        for user_id in principals.get(item.school_id, [])
    ]


def remind_reports(*, today: dt.date | None = None) -> int:
    """Tell each school's 校长 of a 党组织会议 decision whose execution report falls due within a week, and once
    more when it is overdue (duty `leadership.report_reminders`). Deduplicated: the duty may run as often as wanted."""
    today = today or timezone.localdate()
    with unscoped("leadership.remind_reports"):
        due = list(
            AgendaItem.objects.filter(
                meeting__kind="party_org_meeting",
                outcome=Outcome.DECIDED,
                report_due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
                reports__isnull=True,
            ).select_related("meeting")
        )
        principals: dict[int, list] = {}
        for school_id, user_id in (
            BodyMember.objects.filter(
                school_id__in={i.school_id for i in due}, role=BodyRole.PRINCIPAL, person__user__isnull=False
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .values_list("school_id", "person__user_id")
        ):
            principals.setdefault(school_id, []).append(user_id)
        candidates = [n for item in due for n in _reminder(item, principals, today)]
        sent = set(
            Notification.objects.filter(dedupe_key__in={n.dedupe_key for n in candidates}).values_list(
                "user_id", "dedupe_key"
            )
        )
        new = [n for n in candidates if (n.user_id, n.dedupe_key) not in sent]
        Notification.objects.bulk_create(new)
    return len(new)
