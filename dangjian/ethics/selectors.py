"""Reads for 师德. Every queryset starts at the scoping layer.

Cases: the handling roles see the cases under their grants; a teacher sees their own cases once they have
been given notice (before that an investigation is not theirs to see), and never a case about themselves
as a handler (no one handles their own case).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangjian.core import rules, workdays
from dangjian.core.scoping import has_capability, prefixes, scoped
from dangjian.ethics.models import AppraisalInput, CaseEvent, EthicsAppraisal, Evidence, MisconductCase, Sanction
from dangjian.orgs.models import Org, Person


def standards(on: dt.date | None = None) -> list[dict]:
    return rules.rule_values("ethics", "standards", on=on)["items"]


# --- cases ----------------------------------------------------------------------------------------


def visible_cases(user) -> QuerySet[MisconductCase]:
    """The cases the user may find at all (pages, API, search): handlers' scope, plus own noticed cases."""
    qs = scoped(user, MisconductCase)
    if getattr(user, "is_authenticated", False):
        qs = qs.exclude(Q(person__user=user) & Q(notified_on__isnull=True))
    return qs


def case_list(user, *, status: str = "", q: str = "") -> QuerySet[MisconductCase]:
    qs = visible_cases(user).select_related("person", "person__school")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(person__initials__startswith=q.lower()))
    return qs.order_by("-reported_on", "-id")


def is_handler(user, case: MisconductCase) -> bool:
    """May this user act on the case as a handling officer? Never on a case about themselves."""
    if case.person.user_id and case.person.user_id == user.pk:
        return False
    return has_capability(user, MisconductCase.CAPABILITIES["change"], case.scope_path())


def is_subject(user, obj) -> bool:
    return obj.person.user_id is not None and obj.person.user_id == user.pk


def case_events(case: MisconductCase) -> QuerySet[CaseEvent]:
    return CaseEvent.all_objects.filter(case=case).select_related("actor").order_by("at", "id")


def case_evidence(user, case: MisconductCase) -> QuerySet[Evidence]:
    return scoped(user, Evidence).filter(case=case).order_by("added_at", "id")


def case_sanctions(case: MisconductCase) -> QuerySet[Sanction]:
    return Sanction.all_objects.filter(case=case).order_by("starts_on", "id")


def people_for_case(user) -> QuerySet[Person]:
    """Teachers a handler may open a case about (not themselves)."""
    roots = prefixes(user, MisconductCase.CAPABILITIES["change"])
    qs = scoped(user, Person, MisconductCase.CAPABILITIES["change"], own=False)
    if not roots:
        return qs.none()
    return qs.filter(is_active=True).exclude(user=user).select_related("school").order_by("name")


# --- appraisals -----------------------------------------------------------------------------------


def appraisal_list(user, *, year_key: str = "", grade: str = "") -> QuerySet[EthicsAppraisal]:
    qs = scoped(user, EthicsAppraisal).select_related("person", "person__school")
    if year_key:
        qs = qs.filter(year_key=year_key)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.order_by("-year_key", "person__org__path", "person__name")


def appraisal_inputs(user, appraisal: EthicsAppraisal) -> QuerySet[AppraisalInput]:
    """Raw survey results, with comments: for the appraisal group only (the teacher gets rates, below)."""
    return scoped(user, AppraisalInput, own=False).filter(appraisal=appraisal)


def input_rates(appraisal: EthicsAppraisal) -> list[dict]:
    """What the teacher sees of the surveys: how many took part and the share satisfied, no comments."""
    return [
        {"source": i.source, "respondents": i.respondents, "rate": i.rate}
        for i in AppraisalInput.all_objects.filter(appraisal=appraisal)
    ]


@dataclass
class DistributionRow:
    school: str
    counts: dict[str, int]
    total: int


def distribution(user, *, year_key: str) -> tuple[list[DistributionRow], dict[str, int]]:
    """Counts of grades by school for a year: the county sees the distribution, never comments. One query."""
    rows = (
        scoped(user, EthicsAppraisal, "ethics.view_distribution", own=False)
        .filter(year_key=year_key)
        .values("person__school__name", "grade")
        .annotate(n=Count("id"))
        .order_by("person__school__name")
    )
    by_school: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        school = row["person__school__name"] or "—"
        grade = row["grade"] or "pending"
        by_school[school][grade] += row["n"]
        totals[grade] += row["n"]
    result = [DistributionRow(s, dict(c), sum(c.values())) for s, c in sorted(by_school.items())]
    return result, dict(totals)


def eligibility_people(user, org: Org | None, q: str = "") -> QuerySet[Person]:
    """People whose eligibility the user may check (for award, promotion and title lists)."""
    qs = scoped(user, Person, "ethics.check_eligibility", own=False).filter(is_active=True)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(initials__startswith=q.lower()))
    return qs.select_related("school", "org").order_by("org__path", "name")


# --- rule data (read by the pages, the API and the services) ------------------------------------------------------------------------------------


def case_rules(person: Person, on: dt.date) -> dict:
    return rules.rule_values("ethics", "cases", on=on, org_path=person.org.path)


def sanction_rules(on: dt.date) -> dict:
    return rules.rule_values("ethics", "sanctions", on=on)


def appraisal_rules(person: Person, on: dt.date) -> dict:
    return rules.rule_values("ethics", "appraisal", on=on, org_path=person.org.path)


def grade_labels(*, org_path: str = "", on: dt.date | None = None) -> dict[str, str]:
    """{code: label} of the appraisal grades in force (default today), with the org's local grades."""
    return {g["code"]: g["label"] for g in rules.rule_values("ethics", "appraisal", on=on, org_path=org_path)["grades"]}


def standard_numbers(on: dt.date) -> set[int]:
    return {item["number"] for item in rules.rule_values("ethics", "standards", on=on)["items"]}


def deadlines(case: MisconductCase) -> dict[str, dt.date]:
    """The due day of each pending step, from the rules in force when the case was reported."""
    d = case_rules(case.person, case.reported_on)["deadlines"]
    due = {"investigation": workdays.add_working_days(case.reported_on, d["investigation_workdays"])}
    if case.notified_on:
        due["statement"] = workdays.add_working_days(case.notified_on, d["statement_workdays"])
        if case.hearing_right:
            due["hearing_request"] = workdays.add_working_days(case.notified_on, d["hearing_request_workdays"])
    if case.decided_on:
        due["appeal"] = case.decided_on + dt.timedelta(days=d["appeal_days"])
    if case.appealed_on:
        due["review"] = case.appealed_on + dt.timedelta(days=d["review_days"])
    return due


def objection_due(appraisal: EthicsAppraisal) -> dt.date | None:
    if not appraisal.notified_at:
        return None
    n = appraisal_rules(appraisal.person, appraisal.graded_on)["objection_workdays"]
    return workdays.add_working_days(timezone.localtime(appraisal.notified_at).date(), n)
