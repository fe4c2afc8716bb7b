"""Writes for learning: one keyword-only function per use case, in a transaction, validated, audited."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, eligibility, files, fulfilment, rules
from dangjian.core.scoping import has_capability, unscoped
from dangjian.learning import papers, scoring
from dangjian.learning.models import (
    Attempt,
    Audience,
    CallStatus,
    Completion,
    Contest,
    Essay,
    EssayCall,
    HoursCategory,
    ItemKind,
    Material,
    PlanItem,
    Question,
    QuestionBank,
    Review,
    StudyPlan,
    TrainingRecord,
)
from dangjian.orgs.models import MEMBER_STAGES, Org, Person

MATERIAL_KINDS = ("pdf", "docx", "doc")
ESSAY_KINDS = ("pdf", "docx", "doc")


def contest_rules(org_path: str = "", on: dt.date | None = None) -> dict:
    return rules.rule_values("learning", "contests", on=on, org_path=org_path)


def person_of(user) -> Person | None:
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def is_eligible(person: Person | None, org: Org, audience: str) -> bool:
    """Whether a person belongs to the audience of something published by `org`."""
    if person is None or not person.is_active or not person.org.path.startswith(org.path):
        return False
    if audience == Audience.MEMBERS:
        membership = getattr(person, "membership", None)
        return membership is not None and membership.stage in MEMBER_STAGES
    return True


def _save(obj, reason: str) -> None:
    with unscoped(reason):
        obj.full_clean()
        obj.save()


def _require_manage(actor, org: Org) -> None:
    if not has_capability(actor, "learning.manage", org.path):
        raise ValidationError(_("您不能在该组织发布或管理学习内容。"))


# --- materials ------------------------------------------------------------------------------------


@transaction.atomic
def create_material(
    *, actor, org: Org, title: str, topic: str, kind: str, upload=None, url: str = "", body: str = ""
) -> Material:
    _require_manage(actor, org)
    material = Material(org=org, title=title, topic=topic, kind=kind, url=url, body=body, created_by=actor)
    if kind == "document":
        if upload is None:
            raise ValidationError(_("文档类资料须上传 PDF 或 Word 文件。"))
        files.validate_upload(upload, MATERIAL_KINDS)
        material.file.save(upload.name, upload, save=False)  # through default_storage: local or S3
    elif kind == "video" and not url:
        raise ValidationError(_("视频类资料须填写视频链接。"))
    elif kind == "article" and not body:
        raise ValidationError(_("文章类资料须填写正文。"))
    _save(material, "learning.create_material")
    audit.record(actor=actor, action="create", obj=material, changes={"title": [None, title], "kind": [None, kind]})
    return material


# --- study plans ----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, actor, org: Org, title: str, year: int, audience: str, ledger: str, description: str = ""
) -> StudyPlan:
    _require_manage(actor, org)
    plan = StudyPlan(org=org, title=title, year=year, audience=audience, ledger=ledger, description=description)
    _save(plan, "learning.create_plan")
    audit.record(actor=actor, action="create", obj=plan, changes={"title": [None, title]})
    return plan


@transaction.atomic
def add_plan_item(
    *,
    actor,
    plan: StudyPlan,
    kind: str,
    title: str,
    hours: Decimal,
    due_on: dt.date,
    topic: str = "",
    material: Material | None = None,
) -> PlanItem:
    _require_manage(actor, plan.org)
    item = PlanItem(plan=plan, kind=kind, title=title, hours=hours, due_on=due_on, topic=topic, material=material)
    if Decimal(hours) <= 0:
        raise ValidationError(_("学时须大于0。"))
    _save(item, "learning.add_plan_item")
    audit.record(actor=actor, action="create", obj=item, changes={"title": [None, title], "hours": [None, str(hours)]})
    return item


@transaction.atomic
def complete_item(*, actor, item: PlanItem, today: dt.date | None = None) -> Completion:
    """The member marks a self-study item done (one tap; no notes, no word counts, no screenshots)."""
    person = person_of(actor)
    if item.kind != ItemKind.SELF_STUDY:
        raise ValidationError(_("集中学习由组织者登记出席，无需本人标记。"))
    if not is_eligible(person, item.plan.org, item.plan.audience):
        raise ValidationError(_("您不在该学习计划的学习对象中。"))
    with unscoped("learning.complete_item"):
        if Completion.all_objects.filter(item=item, person=person).exists():
            raise ValidationError(_("已标记完成。"))
        completion = Completion(item=item, person=person, done_on=today or timezone.localdate())
        completion.full_clean()
        completion.save()
    audit.record(actor=actor, action="complete", obj=completion, changes={"item": [None, item.title]})
    return completion


@transaction.atomic
def record_session(*, actor, item: PlanItem, held_on: dt.date, people: list[Person]) -> int:
    """Attendance of a 集中学习 session, chosen from the roster: each attendee's item is completed."""
    _require_manage(actor, item.plan.org)
    if item.kind != ItemKind.SESSION:
        raise ValidationError(_("只有集中学习可以登记出席。"))
    if held_on > timezone.localdate():
        raise ValidationError(_("集中学习日期不能晚于今天。"))
    outside = [p.name for p in people if not is_eligible(p, item.plan.org, item.plan.audience)]
    if outside:
        raise ValidationError(_("以下人员不在学习对象中：%(n)s") % {"n": "、".join(outside)})
    with unscoped("learning.record_session"):
        item.held_on = held_on
        item.save(update_fields=["held_on"])
        fulfilment.changed(org_path=item.plan.org.path)  # a held session may complete assigned work
        already = set(Completion.all_objects.filter(item=item).values_list("person_id", flat=True))
        new = [
            Completion(item=item, person=p, done_on=held_on, by_attendance=True) for p in people if p.id not in already
        ]
        Completion.all_objects.bulk_create(new)
    audit.record(
        actor=actor,
        action="attendance",
        obj=item,
        changes={"held_on": [None, str(held_on)], "attendees": [None, len(people)]},
    )
    return len(new)


# --- training records -----------------------------------------------------------------------------


@transaction.atomic
def add_training_record(
    *,
    actor,
    person: Person,
    ledger: str,
    category: str,
    title: str,
    day: dt.date,
    hours: Decimal,
    organizer: str = "",
) -> TrainingRecord:
    """A person records their own training, or a manager records it for someone in their scope."""
    own = person_of(actor) is not None and person_of(actor).pk == person.pk
    if not own and not has_capability(actor, "learning.manage", person.org.path):
        raise ValidationError(_("只能登记本人或本单位人员的培训记录。"))
    if ledger not in HoursCategory.values:
        raise ValidationError(_("学时类别应为：%(l)s") % {"l": "、".join(str(label) for label in HoursCategory.labels)})
    values = rules.rule_values("learning", "training", on=day, org_path=person.org.path)
    if category not in values["categories"][ledger]:
        raise ValidationError(_("培训类型应为：%(c)s") % {"c": "、".join(values["categories"][ledger])})
    try:
        hours = Decimal(hours)
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError(_("学时应为数字。")) from exc
    if hours <= 0 or hours > 200:
        raise ValidationError(_("学时应在0到200之间。"))
    if day > timezone.localdate():
        raise ValidationError(_("培训日期不能晚于今天。"))
    record = TrainingRecord(
        person=person,
        ledger=ledger,
        category=category,
        title=title,
        day=day,
        hours=hours,
        organizer=organizer,
        recorded_by=actor,
    )
    _save(record, "learning.add_training_record")
    audit.record(
        actor=actor, action="create", obj=record, changes={"title": [None, title], "hours": [None, str(hours)]}
    )
    return record


# --- question banks and contests ------------------------------------------------------------------


@transaction.atomic
def create_bank(*, actor, org: Org, name: str) -> QuestionBank:
    _require_manage(actor, org)
    bank = QuestionBank(org=org, name=name)
    _save(bank, "learning.create_bank")
    audit.record(actor=actor, action="create", obj=bank, changes={"name": [None, name]})
    return bank


def _bank_questions(bank: QuestionBank) -> list[papers.Q]:
    rows = bank.questions.values_list("id", "kind", "topic", "answer", "options")
    return [papers.Q(i, k, t, a, len(o or [])) for i, k, t, a, o in rows]


@transaction.atomic
def create_contest(
    *,
    actor,
    org: Org,
    bank: QuestionBank,
    title: str,
    draw_rules: list[dict],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    audience: str = Audience.MEMBERS,
    points_per_question: int = 2,
    time_limit_minutes: int | None = None,
    attempts_allowed: int = 1,
    partial_credit: bool = False,
) -> Contest:
    _require_manage(actor, org)
    if not org.path.startswith(bank.org.path) and not bank.org.path.startswith(org.path):
        raise ValidationError(_("题库须属于主办组织或其上级。"))
    problems = papers.check_rules(draw_rules, _bank_questions(bank))
    if problems:
        raise ValidationError(problems)
    limit = contest_rules(org.path)["max_attempts"]
    if not 1 <= attempts_allowed <= limit:
        raise ValidationError(_("允许作答次数应在1到%(n)d次之间。") % {"n": limit})
    if closes_at <= opens_at:
        raise ValidationError(_("结束时间须晚于开始时间。"))
    contest = Contest(
        org=org,
        bank=bank,
        title=title,
        draw_rules=[
            {"kind": r["kind"], "topic": (r.get("topic") or "").strip(), "count": int(r["count"])} for r in draw_rules
        ],
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        points_per_question=points_per_question,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        partial_credit=partial_credit,
    )
    _save(contest, "learning.create_contest")
    audit.record(actor=actor, action="create", obj=contest, changes={"title": [None, title]})
    return contest


@transaction.atomic
def start_attempt(*, actor, contest: Contest, now: dt.datetime | None = None, rng=None) -> Attempt:
    """Draw a paper for the signed-in person, shuffle each question's options and store the order. An attempt
    still open and in time is returned as it is: reloading the page never costs an attempt."""
    now = now or timezone.now()
    person = person_of(actor)
    if not is_eligible(person, contest.org, contest.audience):
        raise ValidationError(_("您不在本次竞赛的参赛对象中。"))
    if not contest.opens_at <= now <= contest.closes_at:
        raise ValidationError(_("竞赛不在开放时间内。"))
    grace = dt.timedelta(seconds=contest_rules(contest.org.path)["grace_seconds"])
    with unscoped("learning.start_attempt"):
        mine = list(Attempt.all_objects.filter(contest=contest, person=person).select_for_update().order_by("number"))
        for attempt in mine:
            if attempt.submitted_at is None and (attempt.deadline is None or now <= attempt.deadline + grace):
                return attempt
        if len(mine) >= contest.attempts_allowed:
            raise ValidationError(_("您已用完本次竞赛的%(n)d次作答机会。") % {"n": contest.attempts_allowed})
        rng = rng or random.Random(secrets.randbits(64))
        questions = papers.draw(contest.draw_rules, _bank_questions(contest.bank), rng)
        paper = [
            {"q": q.id, "order": papers.shuffled_order(q.option_count, rng) if q.kind in ("single", "multiple") else []}
            for q in questions
        ]
        deadline = contest.closes_at
        if contest.time_limit_minutes:
            deadline = min(deadline, now + dt.timedelta(minutes=contest.time_limit_minutes))
        attempt = Attempt(
            contest=contest,
            person=person,
            number=len(mine) + 1,
            paper=paper,
            started_at=now,
            deadline=deadline,
            max_score=contest.max_score,
        )
        attempt.full_clean()
        attempt.save()
    audit.record(actor=actor, action="start", obj=attempt, changes={"contest": [None, contest.title]})
    return attempt


@transaction.atomic
def submit_attempt(*, actor, attempt: Attempt, answers: dict, now: dt.datetime | None = None) -> Attempt:
    """Grade the answers (given as the letters the person saw) on the server. After the time limit (plus a
    short grace for the network) the answers are refused and the attempt counts as used."""
    now = now or timezone.now()
    person = person_of(actor)
    if person is None or attempt.person_id != person.pk:
        raise ValidationError(_("只能提交本人的答卷。"))
    if attempt.submitted_at is not None:
        raise ValidationError(_("该答卷已提交，不能重复提交。"))
    contest = attempt.contest
    grace = dt.timedelta(seconds=contest_rules(contest.org.path)["grace_seconds"])
    if attempt.deadline and now > attempt.deadline + grace:
        raise ValidationError(_("已超过作答时限，答案未被接受。"))
    share = contest_rules(contest.org.path)["partial_credit_multiple"]
    ids = [entry["q"] for entry in attempt.paper]
    with unscoped("learning.submit_attempt: the attempt's own questions"):
        questions = {
            q.id: q for q in Question.all_objects.filter(id__in=ids).only("id", "kind", "topic", "answer", "options")
        }
    stored: dict[str, str] = {}
    score = Decimal(0)
    for entry in attempt.paper:
        question = questions.get(entry["q"])
        if question is None:
            continue
        given = str(answers.get(str(entry["q"]), answers.get(entry["q"], "")) or "")[:200]
        if question.kind in ("single", "multiple"):
            given = papers.to_original(given, entry["order"])
        elif question.kind == "true_false":
            given = papers.normalize_true_false(given)
        stored[str(entry["q"])] = given
        q = papers.Q(question.id, question.kind, question.topic, question.answer, len(question.options or []))
        score += papers.grade(
            q, given, contest.points_per_question, partial=contest.partial_credit, partial_share=share
        )
    attempt.answers = stored
    attempt.score = score
    attempt.submitted_at = now
    with unscoped("learning.submit_attempt"):
        attempt.save(update_fields=["answers", "score", "submitted_at"])
    audit.record(actor=actor, action="submit", obj=attempt, changes={"score": [None, str(score)]})
    return attempt


# --- essay contests -------------------------------------------------------------------------------


def _check_rubric(rubric: list[dict], tiers: list[dict]) -> None:
    if not rubric or any(not r.get("name") or int(r.get("max") or 0) <= 0 for r in rubric):
        raise ValidationError(_("评分标准每项须有名称和正的满分。"))
    if any(not t.get("name") or int(t.get("count") or 0) <= 0 for t in tiers):
        raise ValidationError(_("奖项每项须有名称和正的名额。"))


@transaction.atomic
def create_call(
    *,
    actor,
    org: Org,
    title: str,
    theme: str,
    deadline: dt.datetime,
    rubric: list[dict],
    tiers: list[dict],
    judges: list,
    audience: str = Audience.ALL,
) -> EssayCall:
    _require_manage(actor, org)
    _check_rubric(rubric, tiers)
    if not judges:
        raise ValidationError(_("至少需要一位评委。"))
    call = EssayCall(
        org=org, title=title, theme=theme, deadline=deadline, rubric=rubric, tiers=tiers, audience=audience
    )
    _save(call, "learning.create_call")
    with unscoped("learning.create_call: judges"):
        call.judges.set(judges)
    audit.record(
        actor=actor,
        action="create",
        obj=call,
        changes={"title": [None, title], "judges": [None, [j.get_username() for j in judges]]},
    )
    return call


def _blind_code() -> str:
    return "ZW" + secrets.token_hex(4).upper()


@transaction.atomic
def submit_essay(
    *,
    actor,
    call: EssayCall,
    title: str,
    text: str = "",
    upload=None,
    consent_public: bool = False,
    now: dt.datetime | None = None,
) -> Essay:
    now = now or timezone.now()
    person = person_of(actor)
    if not is_eligible(person, call.org, call.audience):
        raise ValidationError(_("您不在本次征文的征集对象中。"))
    if call.status != CallStatus.OPEN or now > call.deadline:
        raise ValidationError(_("征文已截止。"))
    if not text.strip() and upload is None:
        raise ValidationError(_("请填写正文或上传文件。"))
    if is_judge(actor, call):
        raise ValidationError(_("您是本次征文的评委，不能投稿。"))
    with unscoped("learning.submit_essay"):
        if Essay.all_objects.filter(call=call, person=person).exists():
            raise ValidationError(_("每人限投一篇，您已投稿。"))
        code = _blind_code()
        while Essay.all_objects.filter(blind_code=code).exists():
            code = _blind_code()
        essay = Essay(call=call, person=person, blind_code=code, title=title, text=text, consent_public=consent_public)
        if upload is not None:
            files.validate_upload(upload, ESSAY_KINDS)
            # The stored name carries the blind code, never the author's file name.
            ext = upload.name.rsplit(".", 1)[-1].lower()
            essay.file.save(f"{code}.{ext}", upload, save=False)
        essay.full_clean()
        essay.save()
    audit.record(actor=actor, action="submit", obj=essay, changes={"title": [None, title]})
    return essay


def is_judge(user, call: EssayCall) -> bool:
    return call.judges.filter(pk=user.pk).exists()


@transaction.atomic
def review_essay(*, actor, essay: Essay, scores: dict, comment: str = "", now: dt.datetime | None = None) -> Review:
    now = now or timezone.now()
    call = essay.call
    if not is_judge(actor, call):
        raise ValidationError(_("您不是本次征文的评委。"))
    with unscoped("learning.review_essay: the judge's own entry"):
        entered = Essay.all_objects.filter(call=call, person__user=actor).exists()
    if entered:
        raise ValidationError(_("您向本次征文投过稿，不能担任评委评分。"))
    if call.status == CallStatus.FINAL:
        raise ValidationError(_("成绩已公布，不能再评分。"))
    if now <= call.deadline:
        raise ValidationError(_("征文截止后才能评审。"))
    clean: dict[str, str] = {}
    total = Decimal(0)
    for item in call.rubric:
        try:
            value = Decimal(str(scores.get(item["name"], "")))
        except InvalidOperation as exc:
            raise ValidationError(_("“%(n)s”的分数应为数字。") % {"n": item["name"]}) from exc
        if not 0 <= value <= Decimal(item["max"]):
            raise ValidationError(_("“%(n)s”的分数应在0到%(m)s之间。") % {"n": item["name"], "m": item["max"]})
        clean[item["name"]] = str(value)
        total += value
    with unscoped("learning.review_essay"):
        review = Review.all_objects.filter(essay=essay, judge=actor).first() or Review(essay=essay, judge=actor)
        review.scores, review.total, review.comment, review.reviewed_at = clean, total, comment, now
        review.full_clean()
        review.save()
    audit.record(actor=actor, action="review", obj=review, object_repr=essay.blind_code, changes={"total": str(total)})
    return review


@transaction.atomic
def finalize_call(*, actor, call: EssayCall, on: dt.date | None = None) -> EssayCall:
    """Aggregate every essay's scores (dropping extremes with enough judges), award tiers, publish. Only
    after this do judges and organizers see who wrote what.

    Awards go only to authors eligible on `on` (default today) through the one eligibility gateway
    (core.eligibility, purpose "award"): an ineligible author's essay keeps its score, is marked
    `award_withheld` and its place passes down. The returned call carries `withheld` (how many)."""
    on = on or timezone.localdate()
    _require_manage(actor, call.org)
    if call.status == CallStatus.FINAL:
        raise ValidationError(_("成绩已公布。"))
    judges = set(call.judges.values_list("pk", flat=True))
    with unscoped("learning.finalize_call"):
        essays = list(Essay.all_objects.filter(call=call))
        reviews = list(Review.all_objects.filter(essay__call=call).values_list("essay_id", "judge_id", "total"))
        by_essay: dict[int, dict[int, Decimal]] = {}
        for essay_id, judge_id, total in reviews:
            if judge_id in judges:
                by_essay.setdefault(essay_id, {})[judge_id] = total
        missing = sum(len(judges) - len(by_essay.get(e.id, {})) for e in essays)
        if missing:
            raise ValidationError(_("还有%(n)d份评分未完成，不能公布。") % {"n": missing})
        threshold = contest_rules(call.org.path)["essay_drop_extremes_min_judges"]
        final = {
            e.id: scoring.aggregate(list(by_essay[e.id].values()), drop_extremes_min_judges=threshold) for e in essays
        }
        verdicts = eligibility.eligible_many([e.person_id for e in essays], on=on, purpose="award")
        barred = {e.id for e in essays if not verdicts[e.person_id].ok}
        codes = {e.id: e.blind_code for e in essays}
        places = scoring.award(final, call.tiers, codes)  # who would have placed, all authors counted
        awards = scoring.award({k: v for k, v in final.items() if k not in barred}, call.tiers, codes)
        for essay in essays:
            essay.final_score, essay.award = final[essay.id], awards.get(essay.id, "")
            essay.award_withheld = essay.id in barred and essay.id in places
        Essay.all_objects.bulk_update(essays, ["final_score", "award", "award_withheld"])
        call.status, call.finalized_at = CallStatus.FINAL, timezone.now()
        call.save(update_fields=["status", "finalized_at"])
    withheld = sum(e.award_withheld for e in essays)
    audit.record(
        actor=actor,
        action="finalize",
        obj=call,
        changes={"essays": len(essays), "awards": len(awards), "withheld": withheld},
    )
    call.withheld = withheld
    return call
