"""Reads for learning. Every queryset starts at the scoping layer.

Materials, plans, contests and essay calls are published *downwards*: a county contest is for everyone in
the county. So besides the rows under a user's grants (`scoped`), a user sees what the orgs above them
published: `visible()` adds rows whose org is an ancestor of the user's own org or grants.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from dangjian.core.scoping import has_capability, path_q, prefixes, scoped, unscoped_queryset
from dangjian.learning import ledger, papers
from dangjian.learning.models import (
    Attempt,
    Audience,
    CallStatus,
    Completion,
    Contest,
    Essay,
    EssayCall,
    Material,
    PlanItem,
    Question,
    Review,
    StudyPlan,
    TrainingRecord,
)
from dangjian.learning.services import person_of
from dangjian.orgs.models import MEMBER_STAGES, Org, Person


def _ancestors(path: str) -> set[str]:
    parts = path.rstrip(".").split(".")
    return {".".join(parts[: i + 1]) + "." for i in range(len(parts))} if path else set()


def reach_paths(user) -> set[str]:
    """Org paths whose publications reach the user: ancestors of their grants and of their own org."""
    paths: set[str] = set()
    for root in prefixes(user, "learning.view"):
        paths |= _ancestors(root)
    person = person_of(user)
    if person is not None:
        paths |= _ancestors(person.org.path)
    return paths


def visible(user, model) -> QuerySet:
    """Rows of a published model (Material, StudyPlan, Contest, EssayCall) the user may see."""
    qs = scoped(user, model)
    paths = reach_paths(user)
    if paths:
        qs = qs | unscoped_queryset(model, "published by an org above the user").filter(org__path__in=paths)
    return qs


def materials(user, topic: str = "") -> QuerySet[Material]:
    qs = visible(user, Material).select_related("org").order_by("-created_at", "-id")
    return qs.filter(topic=topic) if topic else qs


def topics(user) -> list[str]:
    return sorted(set(visible(user, Material).values_list("topic", flat=True)))


def plans(user, *, counted: bool = True) -> QuerySet[StudyPlan]:
    """The plans the user sees, newest first; `n_items` (their items counted) unless counted=False (我的 lists
    titles only)."""
    qs = visible(user, StudyPlan).select_related("org").order_by("-year", "-id")
    return qs.annotate(n_items=Count("items")) if counted else qs


def plan_items(user, plan: StudyPlan) -> QuerySet[PlanItem]:
    """The plan's items with whether the signed-in person has completed each (two queries)."""
    items = list(plan.items.select_related("material").order_by("due_on", "id"))
    person = person_of(user)
    done = set()
    if person is not None:
        done = set(scoped(user, Completion).filter(item__plan=plan, person=person).values_list("item_id", flat=True))
    for item in items:
        item.done = item.id in done
    return items


def session_roster(user, item: PlanItem) -> QuerySet[Person]:
    """Who may be marked present at a session: the plan's audience, as the organizer's roster shows them."""
    qs = (
        scoped(user, Person, "learning.manage")
        .filter(org__path__startswith=item.plan.org.path, is_active=True)
        .select_related("org", "school")
        .order_by("org__path", "name")
    )
    if item.plan.audience == Audience.MEMBERS:
        qs = qs.filter(membership__stage__in=MEMBER_STAGES)
    return qs


def attendees(item: PlanItem) -> set[int]:
    return set(item.completions.values_list("person_id", flat=True))


def contests(user) -> QuerySet[Contest]:
    return visible(user, Contest).select_related("org").order_by("-opens_at", "-id")


def calls(user) -> QuerySet[EssayCall]:
    return visible(user, EssayCall).select_related("org").order_by("-deadline", "-id")


def my_attempts(user, contest: Contest) -> QuerySet[Attempt]:
    return scoped(user, Attempt, own=True).filter(contest=contest, person__user=user).order_by("number")


def my_essay(user, call: EssayCall) -> Essay | None:
    return scoped(user, Essay).filter(call=call, person__user=user).first()


# --- contest results by school --------------------------------------------------------------------


@dataclass
class SchoolResult:
    school_id: int | None
    school_name: str
    eligible: int
    participants: int
    average: Decimal | None
    score_sum: Decimal = Decimal(0)

    @property
    def rate(self) -> float:
        return self.participants / self.eligible if self.eligible else 0.0


def contest_results(user, contest: Contest) -> list[SchoolResult]:
    """Per school under the user's reach: eligible people, participants (at least one submitted attempt) and
    the average of each participant's best score. No individual appears. A fixed number of queries."""
    roots = prefixes(user, "learning.progress")
    if not roots:
        return []
    people = scoped(user, Person, "learning.progress").filter(org__path__startswith=contest.org.path, is_active=True)
    if contest.audience == Audience.MEMBERS:
        people = people.filter(membership__stage__in=MEMBER_STAGES)
    eligible = {
        row["school_id"]: (row["school__name"] or "", row["n"])
        for row in people.values("school_id", "school__name").annotate(n=Count("id"))
    }
    best = (
        unscoped_queryset(Attempt, "aggregate of a contest for its organizer; no individual leaves this function")
        .filter(path_q("person__org__path", roots), contest=contest, submitted_at__isnull=False)
        .values("person_id", "person__school_id", "person__school__name")
        .annotate(best=Max("score"))
    )
    scores: dict = defaultdict(list)
    names: dict = {}
    for row in best:
        scores[row["person__school_id"]].append(row["best"])
        names[row["person__school_id"]] = row["person__school__name"] or ""
    rows = []
    for school_id in sorted(set(eligible) | set(scores), key=lambda s: eligible.get(s, (names.get(s, ""),))[0]):
        name, n = eligible.get(school_id, (names.get(school_id, ""), 0))
        got = scores.get(school_id, [])
        average = (sum(got) / len(got)).quantize(Decimal("0.1")) if got else None
        rows.append(SchoolResult(school_id, name, n, len(got), average, sum(got, Decimal(0))))
    return rows


def results_total(rows: list[SchoolResult]) -> SchoolResult:
    """The whole table in one row: participation and the average over every participant."""
    eligible = sum(r.eligible for r in rows)
    participants = sum(r.participants for r in rows)
    score_sum = sum((r.score_sum for r in rows), Decimal(0))
    average = (score_sum / participants).quantize(Decimal("0.1")) if participants else None
    return SchoolResult(None, "", eligible, participants, average, score_sum)


# --- essays ---------------------------------------------------------------------------------------


def essays_to_judge(user, call: EssayCall) -> QuerySet[Essay]:
    """A judge's view of the essays: callers show blind codes only until the call is final. Not a judge of
    this call: nothing."""
    qs = unscoped_queryset(Essay, "a judge of this call reads its essays under blind codes")
    if not call.judges.filter(pk=user.pk).exists():
        return qs.none()
    return qs.filter(call=call).order_by("blind_code")


def my_reviews(user, call: EssayCall) -> dict[int, object]:
    return {r.essay_id: r for r in scoped(user, Review).filter(essay__call=call, judge=user)}


def results(call: EssayCall) -> QuerySet[Essay]:
    """After the scores are final: every essay with author, score and award (for organizers and judges)."""
    if call.status != CallStatus.FINAL:
        return unscoped_queryset(Essay, "nothing before final").none()
    return (
        unscoped_queryset(Essay, "final results of a call")
        .filter(call=call)
        .select_related("person", "person__school")
        .order_by("-final_score", "blind_code")
    )


def winners(call: EssayCall) -> QuerySet[Essay]:
    """The public list: awarded essays whose authors consented, once the scores are final."""
    return results(call).exclude(award="").filter(consent_public=True)


# --- hours ----------------------------------------------------------------------------------------


def is_member(user) -> bool:
    """Whether the signed-in person is a Party member (full or probationary)."""
    membership = getattr(person_of(user), "membership", None)
    return membership is not None and membership.stage in MEMBER_STAGES


def meant_for(user, qs, *, as_organizer: bool = True):
    """Plans or contests meant for this person: a non-member teacher is not shown Party study plans or
    Party-only contests, which are not theirs to do. An organizer (learning.manage) sees all they publish, unless
    the page is about the person's own study (`as_organizer=False`: 我的)."""
    if (as_organizer and has_capability(user, "learning.manage")) or is_member(user):
        return qs
    return qs.filter(audience=Audience.ALL)


def my_hours(user, today: dt.date) -> list[ledger.Status]:
    """The signed-in person's ledgers: Party training (members only) and continuing education."""
    person = person_of(user)
    if person is None:
        return []
    wanted = ["party_training", "teacher_ce"] if is_member(user) else ["teacher_ce"]
    return ledger.own_statuses(person, wanted, today=today)


def my_records(user) -> QuerySet[TrainingRecord]:
    return scoped(user, TrainingRecord).filter(person__user=user).order_by("-day", "-id")


def progress_people(user, org: Org, ledger_name: str) -> QuerySet[Person]:
    """People whose progress an organizer sees (paginate, then call `progress` on the page)."""
    qs = (
        scoped(user, Person, "learning.progress")
        .filter(org__path__startswith=org.path, is_active=True)
        .select_related("org", "school")
        .order_by("org__path", "name")
    )
    if ledger_name == "party_training":
        qs = qs.filter(membership__stage__in=MEMBER_STAGES)
    return qs


def progress(people: list[Person], ledger_name: str, today: dt.date) -> list[tuple[Person, ledger.Status]]:
    statuses = ledger.statuses(ledger_name, people=people, today=today)
    return [(p, statuses[p.id]) for p in people]


def can(user, capability: str, org_path: str) -> bool:
    return has_capability(user, capability, org_path)


def open_now(qs, now: dt.datetime) -> QuerySet:
    return qs.filter(Q(opens_at__lte=now) & Q(closes_at__gte=now))


def plan_items_visible(user) -> QuerySet[PlanItem]:
    """Plan items the user reaches: under their grants, or in plans published above them."""
    return scoped(user, PlanItem) | unscoped_queryset(PlanItem, "items of plans published above the user").filter(
        plan__org__path__in=reach_paths(user)
    )


@dataclass
class PaperQuestion:
    number: int
    id: int
    kind: str
    kind_label: str
    stem: str
    options: list[tuple[str, str]]  # (display letter, text)
    given: str = ""  # as displayed to the person
    correct: str = ""  # shown only after submission
    explanation: str = ""
    right: bool = False


def paper(attempt: Attempt, now: dt.datetime) -> dict:
    """What the person sees of their own attempt: the paper in their option order; answers and explanations
    only after it is submitted."""

    ids = [e["q"] for e in attempt.paper]
    questions = {
        q.id: q for q in unscoped_queryset(Question, "the questions on the person's own paper").filter(id__in=ids)
    }
    submitted = attempt.submitted_at is not None
    shown = []
    for number, entry in enumerate(attempt.paper, start=1):
        q = questions.get(entry["q"])
        if q is None:
            continue
        order = entry["order"]
        options = [(papers.LETTERS[i], q.options[orig]) for i, orig in enumerate(order)]
        item = PaperQuestion(number, q.id, q.kind, papers.kind_label(q.kind), q.stem, options)
        if submitted:
            given = (attempt.answers or {}).get(str(q.id), "")
            if q.kind in ("single", "multiple"):
                to_display = {papers.LETTERS[orig]: papers.LETTERS[i] for i, orig in enumerate(order)}
                item.given = "".join(sorted(to_display.get(ch, "") for ch in given))
                item.correct = "".join(sorted(to_display.get(ch, "") for ch in q.answer))
            elif q.kind == "true_false":
                labels = {"T": "对", "F": "错"}
                item.given, item.correct = labels.get(given, ""), labels.get(q.answer, "")
            else:
                item.given, item.correct = given, q.answer.replace("|", " / ")
            item.right = papers.grade(papers.Q(q.id, q.kind, q.topic, q.answer, len(q.options or [])), given, 1) == 1
            item.explanation = q.explanation
        shown.append(item)
    remaining = None
    if not submitted and attempt.deadline:
        remaining = max(int((attempt.deadline - now).total_seconds()), 0)
    return {
        "attempt": attempt,
        "contest": attempt.contest,
        "questions": shown,
        "submitted": submitted,
        "remaining": remaining,
        "expired": remaining == 0,
    }


def final_call(pk) -> EssayCall:
    """A call whose scores are final, for the public honour roll; anything else is 404."""

    try:
        return unscoped_queryset(EssayCall, "public winners: final calls only").get(pk=pk, status=CallStatus.FINAL)
    except (EssayCall.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
