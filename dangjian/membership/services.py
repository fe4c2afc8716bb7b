"""Writes for 党费, 组织关系转接, 流动党员 and 换届: keyword-only, one transaction and one audit entry each.
发展党员 steps are written by dangjian.membership.development."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, rules, scoping
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings import logic as meeting_logic
from dangjian.meetings.models import ATTENDED, Kind, Meeting
from dangjian.meetings.models import Status as MeetingStatus
from dangjian.membership import dues
from dangjian.membership.models import (
    Candidate,
    DevelopmentPlan,
    DuesBase,
    DuesCategory,
    Election,
    FlowingMember,
    Payment,
    PaymentKind,
    Transfer,
    TransferKind,
    TransferStatus,
    add_months,
    month_start,
)
from dangjian.orgs import services as org_services
from dangjian.orgs.models import COMMITTEE_POSTS, MEMBER_STAGES, Membership, Org, OrgKind, Person, School, Stage

MANAGE = "membership.manage"


def money(value) -> Decimal:
    """A money amount from a form, a cell or JSON: Decimal with at most 2 places, never through float."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("金额“%(v)s”不是有效的数字。") % {"v": value}) from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("金额“%(v)s”最多保留两位小数。") % {"v": value})
    if amount < 0:
        raise ValidationError(_("金额不能为负数。"))
    return amount.quantize(Decimal("0.01"))


def _membership(person: Person) -> Membership | None:
    with unscoped("membership: a person's stage"):
        return Membership.all_objects.filter(person=person).first()


def _require_member(person: Person) -> Membership:
    membership = _membership(person)
    if membership is None or membership.stage not in MEMBER_STAGES:
        raise ValidationError(_("%(n)s不是党员（预备党员或正式党员），不交纳党费。") % {"n": person.name})
    return membership


# --- 党费 -------------------------------------------------------------------------------------------


def check_base(*, person: Person, year: int, category: str, base: Decimal) -> tuple[Decimal, dt.date]:
    """The monthly amount a base gives, and the rule version used; refuses what the rules do not allow."""
    if category not in DuesCategory.values:
        raise ValidationError(_("党费类别不正确。"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度应在2000至2100年之间。"))
    _require_member(person)
    day = dt.date(year, 1, 1)
    return dues.monthly_amount(category=category, base=base, on=day, org_path=person.org.path), dues.rule_effective(day)


@transaction.atomic
def set_base(*, actor, person: Person, year: int, category: str, base: Decimal) -> DuesBase:
    """核定 a member's base for the year. Changing it within the year is allowed (第十条: a new pay scale counts from
    its month) and audited."""
    scoping.require(actor, MANAGE, person.org.path)
    base = money(base)
    monthly, effective = check_base(person=person, year=year, category=category, base=base)
    with unscoped("membership.set_base"):
        row = DuesBase.all_objects.filter(person=person, year=year).first()
        before = audit.snapshot(row, ["category", "base", "monthly"]) if row else {}
        row = row or DuesBase(person=person, year=year)
        row.category, row.base, row.monthly, row.rule_effective = category, base, monthly, effective
        row.set_by, row.set_at = actor, timezone.now()
        row.full_clean()
        row.save()
    audit.record(
        actor=actor,
        action="dues_base",
        obj=row,
        changes=audit.diff(before, audit.snapshot(row, ["category", "base", "monthly"])),
    )
    return row


def _base_for(person: Person, year: int) -> DuesBase | None:
    with unscoped("membership: a member's base"):
        return DuesBase.all_objects.filter(person=person, year=year).first()


def due_for_months(person: Person, months: list[dt.date]) -> Decimal | None:
    """What the months owe from each year's base; None when a year has no base yet."""
    total = Decimal("0")
    for month in months:
        base = _base_for(person, month.year)
        if base is None:
            return None
        total += base.monthly
    return total


@transaction.atomic
def record_payment(
    *,
    actor,
    person: Person,
    first_month: dt.date,
    months: int = 1,
    amount: Decimal,
    paid_on: dt.date | None = None,
    note: str = "",
) -> Payment:
    """A payment for `months` consecutive months from `first_month` (a lump sum covers several). Never for a month
    before admission was passed (第八条), never twice for a month, never less than the months owe (more is
    voluntary: 自愿多交不限, 第十一条)."""
    scoping.require(actor, MANAGE, person.org.path)
    membership = _require_member(person)
    amount = money(amount)
    paid_on = paid_on or timezone.localdate()
    first_month = month_start(first_month)
    if not 1 <= months <= 12:
        raise ValidationError(_("一次交纳的月数应为1至12个月。"))
    if not 2000 <= first_month.year <= 2100:
        raise ValidationError(_("月份应在2000至2100年之间。"))
    if paid_on > timezone.localdate():
        raise ValidationError(_("交纳日期不能晚于今天。"))
    if membership.probationary_on and first_month < month_start(membership.probationary_on):
        raise ValidationError(
            _("预备党员从支部大会通过之日（%(d)s）起交纳党费，不能交纳此前月份。")
            % {"d": membership.probationary_on.isoformat()}
        )
    covering = [add_months(first_month, i) for i in range(months)]
    with unscoped("membership.record_payment"):
        already = dues.covered_months(Payment.all_objects.filter(person=person))
    twice = [m for m in covering if m in already]
    if twice:
        raise ValidationError(_("%(m)s的党费已登记，不能重复交纳。") % {"m": "、".join(f"{m:%Y年%m月}" for m in twice)})
    owed = due_for_months(person, covering)
    if owed is None:
        raise ValidationError(_("尚未核定%(n)s相应年度的党费基数，请先核定。") % {"n": person.name})
    if amount < owed:
        raise ValidationError(_("金额%(a)s元少于应交的%(o)s元。") % {"a": amount, "o": owed})
    payment = Payment(
        person=person,
        org=person.org,
        first_month=first_month,
        months=months,
        amount=amount,
        paid_on=paid_on,
        note=note.strip()[:200],
        recorded_by=actor,
    )
    with unscoped("membership.record_payment"):
        payment.full_clean()
        payment.save()
    audit.record(
        actor=actor,
        action="dues_payment",
        obj=payment,
        changes={"months": [None, f"{first_month:%Y-%m}×{months}"], "amount": [None, str(amount)]},
    )
    return payment


def _carry_paid_months(*, actor, person: Person, org: Org, paid_until: dt.date, on: dt.date) -> Payment | None:
    """An incoming member's months already paid elsewhere this year (the letter's 党费交至): covered, not received."""
    first = dt.date(paid_until.year, 1, 1)
    membership = _membership(person)
    if membership and membership.probationary_on and membership.probationary_on > first:
        first = month_start(membership.probationary_on)
    months = len(dues.months_between(first, paid_until))
    if months <= 0:
        return None
    payment = Payment(
        person=person,
        org=org,
        kind=PaymentKind.CARRIED,
        first_month=first,
        months=months,
        amount=Decimal("0"),
        paid_on=on,
        note=_("转入前已交至%(m)s") % {"m": f"{paid_until:%Y-%m}"},
        recorded_by=actor,
    )
    with unscoped("membership: carried dues"):
        payment.save()
    return payment


# --- 组织关系转接 -----------------------------------------------------------------------------------


def transfer_rules(on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("membership", "transfers", on=on, org_path=org_path)


def _open_transfer(person: Person) -> bool:
    with unscoped("membership: open transfers"):
        return Transfer.all_objects.filter(person=person, status=TransferStatus.REQUESTED).exists()


@transaction.atomic
def request_transfer(
    *, actor, person: Person, to_org: Org, to_school: School | None = None, reason: str = "", on: dt.date | None = None
) -> Transfer:
    """县内转接, step one: the sending side asks. The person stays (and is managed) where they are until accepted
    (转出未被接收前原党组织仍负管理责任)."""
    scoping.require(actor, MANAGE, person.org.path)
    _require_member(person)
    if to_org.kind != OrgKind.BRANCH or not to_org.is_active:
        raise ValidationError(_("请选择接收的党支部。"))
    if to_org.pk == person.org_id:
        raise ValidationError(_("接收党支部与原党支部相同。"))
    if to_school is not None and to_school.org_id != to_org.pk:
        raise ValidationError(_("调入学校不属于接收党支部。"))
    if _open_transfer(person):
        raise ValidationError(_("%(n)s已有一项待接收的转接。") % {"n": person.name})
    transfer = Transfer(
        kind=TransferKind.IN_COUNTY,
        person=person,
        person_name=person.name,
        from_org=person.org,
        to_org=to_org,
        to_school=to_school,
        reason=reason.strip()[:200],
        requested_on=on or timezone.localdate(),
        requested_by=actor,
    )
    with unscoped("membership.request_transfer"):
        transfer.full_clean()
        transfer.save()
    audit.record(actor=actor, action="transfer_request", obj=transfer, changes={"to": [None, to_org.name]})
    return transfer


@transaction.atomic
def accept_transfer(*, actor, transfer: Transfer, on: dt.date | None = None) -> Transfer:
    """县内转接, step two: the receiving branch accepts; the person moves with their whole history (dossier steps,
    dues payments, meetings stay linked to the person). Posts and grants at the old branch end (orgs.transfer)."""
    if transfer.status != TransferStatus.REQUESTED or transfer.kind != TransferKind.IN_COUNTY:
        raise ValidationError(_("该转接不在待接收状态。"))
    scoping.require(actor, MANAGE, transfer.to_org.path)
    on = on or timezone.localdate()
    if on < transfer.requested_on:
        raise ValidationError(_("接收日期不能早于申请日期。"))
    person = transfer.person
    org_services.move_agreed(
        actor=actor, person=person, org=transfer.to_org, school=transfer.to_school or person.school, on=on
    )
    transfer.status, transfer.decided_on, transfer.decided_by = TransferStatus.ACCEPTED, on, actor
    with unscoped("membership.accept_transfer"):
        transfer.save(update_fields=["status", "decided_on", "decided_by"])
    # Both branches' compliance counts their members: recount them now rather than at the nightly safety recount.
    compliance.refresh(org_ids=[transfer.from_org_id, transfer.to_org_id], years=[on.year])
    audit.record(actor=actor, action="transfer_accept", obj=transfer, changes={"status": ["requested", "accepted"]})
    return transfer


@transaction.atomic
def refuse_transfer(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """The receiving branch sends it back, with a reason (不得无故拒转拒接)."""
    if transfer.status != TransferStatus.REQUESTED or transfer.kind != TransferKind.IN_COUNTY:
        raise ValidationError(_("该转接不在待接收状态。"))
    scoping.require(actor, MANAGE, transfer.to_org.path)
    if not reason.strip():
        raise ValidationError(_("退回须写明原因（不得无故拒转拒接）。"))
    transfer.status, transfer.decided_on, transfer.decided_by = TransferStatus.REFUSED, timezone.localdate(), actor
    transfer.refusal_reason = reason.strip()[:200]
    with unscoped("membership.refuse_transfer"):
        transfer.save(update_fields=["status", "decided_on", "decided_by", "refusal_reason"])
    audit.record(actor=actor, action="transfer_refuse", obj=transfer, changes={"reason": [None, reason]})
    return transfer


@transaction.atomic
def issue_letter(
    *,
    actor,
    person: Person,
    outside_org: str,
    letter_number: str,
    dues_paid_until: dt.date,
    reason: str = "",
    on: dt.date | None = None,
) -> Transfer:
    """转出县外: a 介绍信 (three-part letter) with the 回执 expected back within the rule's limit. The member leaves the
    branch's roster (orgs.mark_left, reason 调离) when the letter is issued; the transfer stays open until the 回执."""
    scoping.require(actor, MANAGE, person.org.path)
    _require_member(person)
    on = on or timezone.localdate()
    values = transfer_rules(on, person.org.path)
    if not outside_org.strip() or not letter_number.strip():
        raise ValidationError(_("请填写接收党组织和介绍信编号。"))
    if _open_transfer(person):
        raise ValidationError(_("%(n)s已有一项待接收的转接。") % {"n": person.name})
    transfer = Transfer(
        kind=TransferKind.OUTGOING,
        person=person,
        person_name=person.name,
        from_org=person.org,
        outside_org=outside_org.strip()[:120],
        letter_number=letter_number.strip()[:40],
        dues_paid_until=month_start(dues_paid_until),
        valid_days=int(values["letter_valid_days"]),
        reason=reason.strip()[:200],
        requested_on=on,
        receipt_due=add_months(on, int(values["receipt_within_months"])),
        requested_by=actor,
    )
    with unscoped("membership.issue_letter"):
        transfer.full_clean()
        transfer.save()
    org_services.mark_left(actor=actor, person=person, on=on, reason="transferred")
    audit.record(actor=actor, action="transfer_letter", obj=transfer, changes={"to": [None, transfer.outside_org]})
    return transfer


@transaction.atomic
def record_receipt(*, actor, transfer: Transfer, on: dt.date) -> Transfer:
    """The 回执 came back: the outgoing transfer is done."""
    if transfer.kind != TransferKind.OUTGOING or transfer.status != TransferStatus.REQUESTED:
        raise ValidationError(_("该转接无需登记回执。"))
    scoping.require(actor, MANAGE, transfer.from_org.path)
    if on < transfer.requested_on or on > timezone.localdate():
        raise ValidationError(_("回执日期应在开具介绍信之后、今天之前。"))
    transfer.receipt_returned_on, transfer.status, transfer.decided_on = on, TransferStatus.ACCEPTED, on
    transfer.decided_by = actor
    with unscoped("membership.record_receipt"):
        transfer.save(update_fields=["receipt_returned_on", "status", "decided_on", "decided_by"])
    audit.record(actor=actor, action="transfer_receipt", obj=transfer, changes={"receipt": [None, str(on)]})
    return transfer


@transaction.atomic
def accept_incoming(
    *,
    actor,
    to_org: Org,
    person: Person,
    stage: str,
    letter_number: str,
    outside_org: str,
    dues_paid_until: dt.date,
    probationary_on: dt.date | None = None,
    full_on: dt.date | None = None,
    school: School | None = None,
    on: dt.date | None = None,
) -> Transfer:
    """从县外转入: the person (already in the roster, e.g. a newly hired teacher) joins the branch as a member, with
    the months the letter says are paid."""
    scoping.require(actor, MANAGE, to_org.path)
    if stage not in MEMBER_STAGES:
        raise ValidationError(_("转入的应为预备党员或正式党员。"))
    if not outside_org.strip() or not letter_number.strip():
        raise ValidationError(_("请填写原党组织和介绍信编号。"))
    on = on or timezone.localdate()
    if person.org_id != to_org.pk:
        org_services.move_agreed(actor=actor, person=person, org=to_org, school=school or person.school, on=on)
    org_services.set_membership(
        actor=actor,
        person=person,
        stage=stage,
        probationary_on=probationary_on,
        full_on=full_on if stage == Stage.FULL else None,
    )
    transfer = Transfer(
        kind=TransferKind.INCOMING,
        status=TransferStatus.ACCEPTED,
        person=person,
        person_name=person.name,
        to_org=to_org,
        to_school=school,
        outside_org=outside_org.strip()[:120],
        letter_number=letter_number.strip()[:40],
        dues_paid_until=month_start(dues_paid_until),
        requested_on=on,
        decided_on=on,
        receipt_due=add_months(on, int(transfer_rules(on, to_org.path)["receipt_within_months"])),
        requested_by=actor,
        decided_by=actor,
    )
    with unscoped("membership.accept_incoming"):
        transfer.full_clean()
        transfer.save()
    _carry_paid_months(actor=actor, person=person, org=to_org, paid_until=month_start(dues_paid_until), on=on)
    audit.record(actor=actor, action="transfer_incoming", obj=transfer, changes={"from": [None, outside_org]})
    return transfer


@transaction.atomic
def record_flowing(
    *, actor, person: Person, destination: str, starts_on: dt.date, ends_on: dt.date, certificate: str = ""
) -> FlowingMember:
    """流动党员: away for a period without moving the relationship (活动证, 外出6个月以内)."""
    scoping.require(actor, MANAGE, person.org.path)
    _require_member(person)
    limit = int(transfer_rules(starts_on, person.org.path)["flowing_max_months"])
    if ends_on <= starts_on:
        raise ValidationError(_("返回日期应晚于外出日期。"))
    if ends_on > add_months(starts_on, limit):
        raise ValidationError(
            _(
                "外出%(n)d个月以上且地点相对固定的，应当转移组织关系，不按流动党员登记（党员教育管理工作条例第二十五条）。"
            )
            % {"n": limit}
        )
    row = FlowingMember(
        person=person,
        destination=destination.strip()[:120],
        starts_on=starts_on,
        ends_on=ends_on,
        certificate=certificate,
    )
    with unscoped("membership.record_flowing"):
        row.full_clean()
        row.save()
    audit.record(actor=actor, action="flowing", obj=row, changes={"period": [None, f"{starts_on}~{ends_on}"]})
    return row


# --- 换届 --------------------------------------------------------------------------------------------


def election_rules(on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("membership", "elections", on=on, org_path=org_path)


def competitive_minimum(seats: int, ratio: Decimal) -> int:
    """The fewest candidates for `seats` under a 差额 ratio (at least one more than the seats)."""
    extra = (Decimal(seats) * ratio).to_integral_value(rounding="ROUND_CEILING")
    return seats + max(int(extra), 1)


@transaction.atomic
def record_election(
    *, actor, meeting: Meeting, seats: int, votes: dict[int, int], posts: dict[int, str] | None = None
) -> Election:
    """换届选举 at a recorded 支部党员大会: entitled and present electors come from its attendance (预备党员 have no
    vote); valid with more than 4/5 present; elected with more than half of those present, the most votes first."""
    org = meeting.org
    scoping.require(actor, MANAGE, org.path)
    if meeting.kind != Kind.GENERAL_ASSEMBLY or meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("换届选举应在已记录的支部党员大会上进行。"))
    values = election_rules(meeting.day, org.path)
    if seats < 1:
        raise ValidationError(_("应选人数至少为1人。"))
    attendances = list(meeting.attendances.all())
    entitled = sum(1 for a in attendances if a.is_voting)
    present = sum(1 for a in attendances if a.is_voting and a.status in ATTENDED)
    if seats >= int(values["competitive_from_seats"]):
        need = competitive_minimum(seats, Decimal(str(values["competitive_min_ratio"])))
        if len(votes) < need:
            raise ValidationError(
                _("委员应差额选举：应选%(s)d人，候选人至少%(n)d人（%(a)s）。")
                % {"s": seats, "n": need, "a": values["competitive_article"]}
            )
    elif len(votes) < seats:
        raise ValidationError(_("候选人不能少于应选人数。"))
    with unscoped("membership.record_election"):
        people = {p.pk: p for p in Person.all_objects.filter(pk__in=votes, org=org, membership__stage=Stage.FULL)}
    if set(people) != set(votes):
        raise ValidationError(_("候选人应为本支部的正式党员（预备党员没有被选举权）。"))
    if any(post not in COMMITTEE_POSTS for post in (posts or {}).values()):
        named = "、".join(str(post.label) for post in COMMITTEE_POSTS)  # the posts as the model defines them
        raise ValidationError(_("分工应为以下之一：%(posts)s。") % {"posts": named})
    if any(v < 0 or v > present for v in votes.values()):
        raise ValidationError(_("得票数不能超过实到会有选举权人数。"))
    valid = meeting_logic.more_than(present, entitled, values["quorum"]["more_than"]) if entitled else False
    passing = sorted(
        (pk for pk, v in votes.items() if meeting_logic.more_than(v, present, values["elected"]["more_than"])),
        key=lambda pk: -votes[pk],
    )[:seats]
    election = Election(
        org=org,
        meeting=meeting,
        seats=seats,
        entitled=entitled,
        present=present,
        valid=valid,
        rule_effective=rules.load("membership", "elections").version_on(meeting.day).effective,
        recorded_by=actor,
    )
    with unscoped("membership.record_election"):
        election.save()
        Candidate.all_objects.bulk_create(
            Candidate(
                election=election,
                person=people[pk],
                votes=v,
                elected=valid and pk in passing,
                post=(posts or {}).get(pk, "") if valid and pk in passing else "",
            )
            for pk, v in votes.items()
        )
    audit.record(
        actor=actor,
        action="election",
        obj=election,
        changes={"valid": [None, valid], "elected": [None, [people[pk].name for pk in passing] if valid else []]},
    )
    return election


@transaction.atomic
def apply_election(*, actor, election: Election) -> Election:
    """The new committee takes office from the election record: the old committee's posts end, the elected take
    their posts (orgs services), and the new term starts on the meeting's day."""
    scoping.require(actor, MANAGE, election.org.path)
    if not election.valid:
        raise ValidationError(_("选举无效（到会人数未超过应到会人数的五分之四），不能产生新一届委员会。"))
    if election.applied:
        raise ValidationError(_("该次选举结果已生效。"))
    with unscoped("membership.apply_election"):
        elected = list(election.candidates.filter(elected=True).select_related("person"))
    if not elected:
        raise ValidationError(_("没有当选人。"))
    day = election.meeting.day
    org_services.renew_committee(
        actor=actor,
        org=election.org,
        posts=[(c.person, c.post if c.post in COMMITTEE_POSTS else "committee_member") for c in elected],
        on=day,
    )
    election.applied = True
    with unscoped("membership.apply_election"):
        election.save(update_fields=["applied"])
    audit.record(actor=actor, action="election_apply", obj=election, changes={"term_started_on": [None, str(day)]})
    return election


@transaction.atomic
def set_plan(*, actor, org: Org, year: int, planned: int) -> DevelopmentPlan:
    """发展计划 of a branch for a year (set by the county or the school)."""
    scoping.require(actor, MANAGE, org.path)
    if planned < 0:
        raise ValidationError(_("计划发展数不能为负数。"))
    with unscoped("membership.set_plan"):
        plan, _created = DevelopmentPlan.all_objects.update_or_create(org=org, year=year, defaults={"planned": planned})
    audit.record(actor=actor, action="development_plan", obj=plan, changes={"planned": [None, planned]})
    return plan
