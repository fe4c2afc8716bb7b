"""Learning over JSON: plans, hours and records, contests (taking a paper, submitting answers), essays.
Scoped exactly as the pages are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, has_capability, scoped
from dangjian.learning import selectors, services
from dangjian.learning.models import (
    Attempt,
    Contest,
    Essay,
    EssayCall,
    Material,
    PlanItem,
    StudyPlan,
    TrainingRecord,
)
from dangjian.orgs.models import Person

router = Router(tags=["learning"])


class HourItemOut(Schema):
    day: dt.date
    hours: Decimal
    category: str
    title: str


class StatusOut(Schema):
    ledger: str
    period_label: str
    start: dt.date
    end: dt.date
    target: Decimal
    total: Decimal
    remaining: Decimal
    on_track: bool
    items: list[HourItemOut]


class RecordOut(Schema):
    id: int
    person_id: int
    ledger: str
    category: str
    title: str
    day: dt.date
    hours: Decimal
    organizer: str


class RecordIn(Schema):
    person_id: int | None = None
    ledger: str
    category: str
    title: str
    day: dt.date
    hours: Decimal
    organizer: str = ""


class PlanOut(Schema):
    id: int
    org_id: int
    title: str
    year: int
    audience: str
    ledger: str


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    topic: str
    hours: Decimal
    due_on: dt.date
    held_on: dt.date | None
    material_id: int | None
    done: bool = False


class PlanDetailOut(PlanOut):
    description: str
    items: list[ItemOut]


class ContestOut(Schema):
    id: int
    org_id: int
    title: str
    audience: str
    question_count: int
    max_score: int
    time_limit_minutes: int | None
    attempts_allowed: int
    opens_at: dt.datetime
    closes_at: dt.datetime


class OptionOut(Schema):
    letter: str
    text: str


class PaperQuestionOut(Schema):
    id: int
    number: int
    kind: str
    stem: str
    options: list[OptionOut]
    given: str = ""
    correct: str = ""
    explanation: str = ""
    right: bool = False


class AttemptOut(Schema):
    id: int
    contest_id: int
    number: int
    started_at: dt.datetime
    deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    score: Decimal | None
    max_score: int
    remaining_seconds: int | None
    questions: list[PaperQuestionOut]


class AnswersIn(Schema):
    answers: dict[str, str]  # question id → the letters as displayed ("AC"), "T"/"F", or the text


class SchoolResultOut(Schema):
    school_id: int | None
    school_name: str
    eligible: int
    participants: int
    average: Decimal | None


class CallOut(Schema):
    id: int
    org_id: int
    title: str
    theme: str
    deadline: dt.datetime
    status: str
    rubric: list[dict]
    tiers: list[dict]


class EssayIn(Schema):
    title: str
    text: str
    consent_public: bool = False


class EssayOut(Schema):
    id: int
    blind_code: str
    title: str
    submitted_at: dt.datetime


class BlindEssayOut(Schema):
    """What a judge sees: no author, no file name, until the call is final."""

    id: int
    blind_code: str
    title: str
    text: str
    my_total: Decimal | None = None


class ReviewIn(Schema):
    scores: dict[str, Decimal]
    comment: str = ""


class ReviewOut(Schema):
    essay_id: int
    total: Decimal


# --- hours and records ----------------------------------------------------------------------------


@router.get("/hours/me", response=list[StatusOut])
def my_hours(request):
    return selectors.my_hours(request.user, timezone.localdate())


@router.get("/records", response=list[RecordOut])
@paginate(ApiPagination)
def list_records(request):
    return scoped(request.user, TrainingRecord).order_by("-day", "-id")


@router.post("/records", response=RecordOut)
def add_record(request, payload: RecordIn):
    if payload.person_id is None:
        person = services.person_of(request.user)
        if person is None:
            raise PermissionDenied
    else:
        person = get_for_user(request.user, Person, payload.person_id)
        if person.user_id != request.user.pk and not has_capability(request.user, "learning.manage", person.org.path):
            raise PermissionDenied
    data = payload.dict(exclude={"person_id"})
    return services.add_training_record(actor=request.user, person=person, **data)


# --- materials ------------------------------------------------------------------------------------


class MaterialOut(Schema):
    id: int
    org_id: int
    title: str
    topic: str
    kind: str
    url: str
    has_file: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class MaterialDetailOut(MaterialOut):
    body: str


def _material(user, material_id: int) -> Material:
    return get_for_user(user, Material, material_id, queryset=selectors.visible(user, Material))


@router.get("/materials", response=list[MaterialOut])
@paginate(ApiPagination)
def list_materials(request, topic: str = ""):
    return selectors.materials(request.user, topic)


@router.get("/materials/{material_id}", response=MaterialDetailOut)
def get_material(request, material_id: int):
    return _material(request.user, material_id)


@router.get("/materials/{material_id}/file")
def material_file(request, material_id: int):
    item = _material(request.user, material_id)
    if not item.file:
        raise Http404
    with default_storage.open(item.file.name) as handle:
        return attachment_response(handle.read(), item.file.name, personal=True)


# --- plans ----------------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut])
@paginate(ApiPagination)
def list_plans(request):
    return selectors.plans(request.user)


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: int):
    plan = get_for_user(request.user, StudyPlan, plan_id, queryset=selectors.visible(request.user, StudyPlan))
    plan.items_list = selectors.plan_items(request.user, plan)
    return {**PlanOut.from_orm(plan).dict(), "description": plan.description, "items": plan.items_list}


@router.post("/items/{item_id}/done", response=ItemOut)
def complete_item(request, item_id: int):
    item = get_for_user(request.user, PlanItem, item_id, queryset=selectors.plan_items_visible(request.user))
    services.complete_item(actor=request.user, item=item)
    item.done = True
    return item


# --- contests -------------------------------------------------------------------------------------


def _attempt_out(attempt: Attempt) -> dict:
    shown = selectors.paper(attempt, timezone.now())
    return {
        "id": attempt.id,
        "contest_id": attempt.contest_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "remaining_seconds": shown["remaining"],
        "questions": [
            {
                "id": q.id,
                "number": q.number,
                "kind": q.kind,
                "stem": q.stem,
                "options": [{"letter": letter, "text": text} for letter, text in q.options],
                "given": q.given,
                "correct": q.correct,
                "explanation": q.explanation,
                "right": q.right,
            }
            for q in shown["questions"]
        ],
    }


@router.get("/contests", response=list[ContestOut])
@paginate(ApiPagination)
def list_contests(request):
    return selectors.contests(request.user)


@router.get("/contests/{contest_id}", response=ContestOut)
def get_contest(request, contest_id: int):
    return get_for_user(request.user, Contest, contest_id, queryset=selectors.visible(request.user, Contest))


@router.post("/contests/{contest_id}/attempts", response=AttemptOut)
def start_attempt(request, contest_id: int):
    """Draw a paper (options shuffled for this attempt) and start the clock on the server."""
    contest = get_for_user(request.user, Contest, contest_id, queryset=selectors.visible(request.user, Contest))
    return _attempt_out(services.start_attempt(actor=request.user, contest=contest))


@router.get("/contests/{contest_id}/results", response=list[SchoolResultOut])
def contest_results(request, contest_id: int):
    """Per school: eligible, participants, average best score. No individual is listed."""
    contest = get_for_user(request.user, Contest, contest_id, queryset=selectors.visible(request.user, Contest))
    if not has_capability(request.user, "learning.progress"):
        raise PermissionDenied
    return selectors.contest_results(request.user, contest)


@router.get("/attempts/{attempt_id}", response=AttemptOut)
def get_attempt(request, attempt_id: int):
    return _attempt_out(get_for_user(request.user, Attempt, attempt_id))


@router.post("/attempts/{attempt_id}/answers", response=AttemptOut)
def submit_answers(request, attempt_id: int, payload: AnswersIn):
    """Graded on the server; refused after the time limit."""
    attempt = get_for_user(request.user, Attempt, attempt_id)
    return _attempt_out(services.submit_attempt(actor=request.user, attempt=attempt, answers=payload.answers))


# --- essays ---------------------------------------------------------------------------------------


@router.get("/essays", response=list[CallOut])
@paginate(ApiPagination)
def list_calls(request):
    return selectors.calls(request.user)


@router.post("/essays/{call_id}/submissions", response=EssayOut)
def submit_essay(request, call_id: int, payload: EssayIn):
    call = get_for_user(request.user, EssayCall, call_id, queryset=selectors.visible(request.user, EssayCall))
    essay = services.submit_essay(
        actor=request.user, call=call, title=payload.title, text=payload.text, consent_public=payload.consent_public
    )
    return essay


def _judged_call(user, call_id: int) -> EssayCall:
    call = get_for_user(user, EssayCall, call_id, queryset=selectors.visible(user, EssayCall))
    if not services.is_judge(user, call):
        raise PermissionDenied
    return call


@router.get("/essays/{call_id}/judging", response=list[BlindEssayOut])
@paginate(ApiPagination)
def judging(request, call_id: int):
    call = _judged_call(request.user, call_id)
    reviews = selectors.my_reviews(request.user, call)
    essays = list(selectors.essays_to_judge(request.user, call).only("id", "blind_code", "title", "text"))
    for essay in essays:
        review = reviews.get(essay.id)
        essay.my_total = review.total if review else None
    return essays


@router.post("/essays/{call_id}/judging/{essay_id}", response=ReviewOut)
def review_essay(request, call_id: int, essay_id: int, payload: ReviewIn):
    call = _judged_call(request.user, call_id)
    essay = get_for_user(request.user, Essay, essay_id, queryset=selectors.essays_to_judge(request.user, call))
    return services.review_essay(actor=request.user, essay=essay, scores=payload.scores, comment=payload.comment)
