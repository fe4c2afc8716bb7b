"""Writes for concerns: one keyword-only function per use case, each in a transaction, validated, audited."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from dangjian.core import audit, files, rules, workdays
from dangjian.core.scoping import require, unscoped
from dangjian.voice import selectors, sla
from dangjian.voice.models import Concern, Level, Rating, Status, receipt_digest

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
RECEIPT_LENGTH = 16  # 80 bits
ATTACHMENT_KINDS = ("pdf", "image", "docx", "doc")


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


@dataclass(frozen=True)
class Submitted:
    concern: Concern
    receipt_code: str  # shown once to an anonymous submitter; "" for a signed-in one


def throttle_anonymous(ip: str | None, *, org_path: str = "") -> None:
    """A modest limit per IP per hour against abuse of the open form (cache counter).

    The address itself is never kept: the counter is keyed by a salted hash (the salt is SECRET_KEY, so the
    key cannot be reversed by trying all addresses) and expires after the hour."""
    limit = rules.rule_values("voice", "sla", org_path=org_path)["anonymous_per_ip_per_hour"]
    hour = f"{timezone.now():%Y%m%d%H}"
    digest = salted_hmac("dangjian.voice.throttle", f"{ip or 'unknown'}:{hour}").hexdigest()
    key = f"voice:anon:{digest}"
    cache.add(key, 0, 3600)
    if cache.incr(key) > limit:
        raise ValidationError(_("提交过于频繁，请一小时后再试。"))


def neutral_attachment_name(original: str) -> str:
    """附件1.<extension>: a file name such as 张老师的举报.docx would say who wrote an anonymous concern."""
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    return f"{_('附件')}1.{extension}" if extension.isalnum() else f"{_('附件')}1"


@transaction.atomic
def submit_concern(
    *,
    actor,
    school,
    category: str,
    submitter_kind: str,
    title: str,
    body: str,
    attachment=None,
    anonymous: bool = False,
) -> Submitted:
    """Route a new concern to the school's organization. Anonymous (or signed out): a receipt code comes back."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    anonymous = anonymous or not signed_in
    if attachment is not None:
        files.validate_upload(attachment, ATTACHMENT_KINDS)  # refused before anything is stored
    now = timezone.now()
    ack_due, answer_due = sla.due_dates(now, category, school.org.path)
    code = new_receipt_code() if anonymous else ""
    concern = Concern(
        school=school,
        org=school.org,
        category=category,
        submitter_kind=submitter_kind,
        title=title.strip(),
        body=body.strip(),
        submitter=None if anonymous else actor,
        anonymous=anonymous,
        receipt_digest=receipt_digest(code) if code else "",
        submitted_at=now,
        acknowledge_due=ack_due,
        answer_due=answer_due,
    )
    concern.full_clean(exclude=["attachment"])
    with unscoped("voice.submit_concern"):
        concern.save()
        if attachment is not None:
            concern.attachment.save(neutral_attachment_name(attachment.name), attachment, save=True)
    audit.record(
        actor=actor if signed_in and not anonymous else None,
        action="submit",
        obj=concern,
        changes={"category": [None, category], "anonymous": [None, anonymous]},
        with_address=not anonymous,
    )
    return Submitted(concern, code)


def find_by_receipt(code: str) -> Concern | None:
    """The concern a receipt code opens, for its anonymous submitter (the code is the only credential)."""
    # People copy the code as printed or read it out in groups: "AB12 CD34", "ab12-cd34" are the same code.
    code = re.sub(r"[\s\-－—]", "", code or "").upper()
    if len(code) != RECEIPT_LENGTH:
        return None
    with unscoped("voice: follow-up by receipt code"):
        return Concern.objects.select_related("school").filter(receipt_digest=receipt_digest(code)).first()


def _require_handler(actor, concern: Concern) -> None:
    if not selectors.can_handle(actor, concern):
        raise PermissionDenied(_("您没有办理此诉求的权限。"))


def _save(concern: Concern, fields: list[str]) -> None:
    concern.full_clean(exclude=["attachment"])
    with unscoped("voice.services"):
        concern.save(update_fields=fields)


@transaction.atomic
def acknowledge(*, actor, concern: Concern) -> Concern:
    _require_handler(actor, concern)
    if concern.status != Status.SUBMITTED:
        raise ValidationError(_("该诉求已受理。"))
    concern.status = Status.ACKNOWLEDGED
    concern.acknowledged_at = timezone.now()
    _save(concern, ["status", "acknowledged_at"])
    audit.record(actor=actor, action="acknowledge", obj=concern, changes={"status": [Status.SUBMITTED, concern.status]})
    return concern


@transaction.atomic
def reply(*, actor, concern: Concern, text: str) -> Concern:
    _require_handler(actor, concern)
    if concern.status not in (Status.SUBMITTED, Status.ACKNOWLEDGED):
        raise ValidationError(_("该诉求已答复，不能重复答复。"))
    if not (text or "").strip():
        raise ValidationError(_("请填写答复内容。"))
    now = timezone.now()
    before = concern.status
    concern.acknowledged_at = concern.acknowledged_at or now
    concern.first_answered_at = concern.first_answered_at or now
    concern.answered_at = now
    concern.reply = text.strip()
    concern.replied_by = actor
    concern.status = Status.ANSWERED
    _save(concern, ["acknowledged_at", "first_answered_at", "answered_at", "reply", "replied_by", "status"])
    audit.record(actor=actor, action="reply", obj=concern, changes={"status": [before, concern.status]})
    return concern


@transaction.atomic
def transfer(*, actor, concern: Concern, org=None, assignee=None, office: str = "") -> Concern:
    """Hand the concern to another org the handler also serves, or in person (`assignee`, who then sees and
    handles it): an ethics officer of its school or above, or with `office` a staff member of its own school who
    handles it for that school office. The school it is about stays the same."""
    _require_handler(actor, concern)
    if concern.status in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("已答复的诉求不能转办。"))
    if (org is None) == (assignee is None):
        raise ValidationError(_("请选择转给一个承办组织、一位师德工作专员或本校的一个科室。"))
    before = {"org": concern.org_id, "assignee": concern.assignee_id, "assignee_office": concern.assignee_office}
    if assignee is not None:
        _check_person_transfer(concern, assignee, office)
        concern.assignee = assignee
        concern.assignee_office = office
    else:
        require(actor, "voice.handle", org)
        if org.pk == concern.org_id:
            raise ValidationError(_("请选择另一个承办组织。"))
        concern.org = org
        concern.assignee = None  # back with an org: its handlers, not the person it had been given to
        concern.assignee_office = ""
    _save(concern, ["org", "assignee", "assignee_office"])
    after = {"org": concern.org_id, "assignee": concern.assignee_id, "assignee_office": concern.assignee_office}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    audit.record(actor=actor, action="transfer", obj=concern, changes=changes)
    return concern


def _check_person_transfer(concern: Concern, assignee, office: str) -> None:
    if office:
        if office not in selectors.offices(concern):
            raise ValidationError(_("请选择本校的一个科室。"))
        if not selectors.school_staff(concern).filter(pk=assignee.pk).exists():
            raise ValidationError(_("科室承办人只能是本校在职教职工。"))
    elif not selectors.ethics_officers(concern).filter(pk=assignee.pk).exists():
        raise ValidationError(_("只能转给本校或上级组织的师德工作专员。"))
    if assignee.pk == concern.assignee_id and office == concern.assignee_office:
        raise ValidationError(_("该诉求已由这位承办人承办。"))


@transaction.atomic
def escalate(*, actor, concern: Concern, reason: str) -> Concern:
    """Raise the concern to the county committee. actor None: the overdue job, with nobody acting."""
    if actor is not None:
        _require_handler(actor, concern)
    if concern.level == Level.COUNTY:
        raise ValidationError(_("该诉求已上报县教育党工委。"))
    if concern.status in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("已答复的诉求无需上报。"))
    concern.level = Level.COUNTY
    concern.escalated_at = timezone.now()
    concern.escalation_reason = (reason or _("承办组织申请上报")).strip()[:200]
    _save(concern, ["level", "escalated_at", "escalation_reason"])
    audit.record(
        actor=actor, action="escalate", obj=concern, changes={"level": [Level.SCHOOL, Level.COUNTY], "reason": reason}
    )
    return concern


def escalate_overdue(*, now=None) -> int:
    """Escalate every concern past its time limit that is still with its school. Returns how many."""
    now = now or timezone.now()
    with unscoped("voice.escalate_overdue job"):
        candidates = list(
            Concern.objects.filter(level=Level.SCHOOL, status__in=[Status.SUBMITTED, Status.ACKNOWLEDGED]).filter(
                acknowledge_due__lt=now
            )
        )
    done = 0
    for concern in candidates:
        reason = sla.overdue_reason(concern, now)
        if reason:
            escalate(actor=None, concern=concern, reason=reason)
            done += 1
    return done


def _check_submitter(actor, concern: Concern, by_receipt: bool) -> None:
    if by_receipt:
        return
    if concern.submitter_id is None or actor is None or concern.submitter_id != actor.pk:
        raise PermissionDenied(_("只有提交人可以评价或重新打开诉求。"))


@transaction.atomic
def rate(*, actor, concern: Concern, rating: str, by_receipt: bool = False) -> Concern:
    _check_submitter(actor, concern, by_receipt)
    if concern.status not in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("答复之后才能评价。"))
    if rating not in Rating.values:
        raise ValidationError(_("请选择满意、基本满意或不满意。"))
    before = concern.rating
    concern.rating = rating
    concern.rated_at = timezone.now()
    concern.status = Status.CLOSED
    _save(concern, ["rating", "rated_at", "status"])
    audit.record(
        actor=None if by_receipt else actor,
        action="rate",
        obj=concern,
        changes={"rating": [before, rating]},
        with_address=not (by_receipt or concern.anonymous),
    )
    return concern


@transaction.atomic
def reopen(*, actor, concern: Concern, reason: str, by_receipt: bool = False) -> Concern:
    """The submitter is not satisfied: the concern goes back to its handler once, with a new time limit."""
    _check_submitter(actor, concern, by_receipt)
    values = rules.rule_values("voice", "sla", org_path=concern.org.path)
    if concern.status not in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("答复之后才能重新打开。"))
    if concern.reopen_count >= values["reopen_limit"]:
        raise ValidationError(_("该诉求已重新打开过一次，不能再次打开。"))
    if not (reason or "").strip():
        raise ValidationError(_("请说明重新办理的理由。"))
    now = timezone.now()
    concern.reopen_count += 1
    concern.reopen_reason = reason.strip()
    concern.reopen_answer_due = workdays.deadline(timezone.localtime(now), values["reopen_answer_workdays"])
    concern.status = Status.ACKNOWLEDGED
    _save(concern, ["reopen_count", "reopen_reason", "reopen_answer_due", "status"])
    audit.record(
        actor=None if by_receipt else actor,
        action="reopen",
        obj=concern,
        changes={"reopen_count": [0, 1]},
        with_address=not (by_receipt or concern.anonymous),
    )
    return concern
