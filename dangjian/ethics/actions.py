"""The steps of a misconduct case and the actions on an appraisal: which service each runs, with which form, and
who may take it. The pages (views.py) and the API (api.py) both dispatch through these tables, so the two can
never disagree on who may do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from dangjian.core.scoping import require
from dangjian.ethics import forms, selectors, services
from dangjian.ethics.models import EthicsAppraisal, MisconductCase

# Steps the teacher concerned may take on their own case (an officer may record them on the teacher's behalf).
SUBJECT_STEPS = {"statement", "hearing_request", "appeal"}
HANDLER_STEPS = set(forms.CASE_STEP_FORMS) - SUBJECT_STEPS

CASE_SERVICES: dict[str, Callable[..., Any]] = {
    "investigate": services.start_investigation,
    "evidence": services.add_evidence,
    "close": services.close_unfounded,
    "notify": services.notify_teacher,
    "statement": services.record_statement,
    "waive": services.waive_statement,
    "hearing_request": services.request_hearing,
    "hearing": services.record_hearing,
    "decide": services.decide,
    "appeal": services.appeal_case,
    "review": services.review_case,
}


def authorize_case_step(user, case: MisconductCase, step: str) -> None:
    """404 for an unknown step; 403 unless the user handles the case, or is its teacher taking a step of theirs."""
    if step not in CASE_SERVICES:
        raise Http404
    if not (selectors.is_handler(user, case) or (step in SUBJECT_STEPS and selectors.is_subject(user, case))):
        raise PermissionDenied


@dataclass(frozen=True)
class AppraisalAction:
    service: Callable[..., Any]
    form: Callable[[Any, dict, dict[str, str]], django_forms.Form]  # (data, rules, grades) -> bound form
    by_subject: bool  # taken by the teacher appraised, not by the appraisal group


APPRAISAL_ACTIONS: dict[str, AppraisalAction] = {
    "self": AppraisalAction(
        services.submit_self_assessment, lambda data, r, grades: forms.SelfAssessmentForm(data), by_subject=True
    ),
    "input": AppraisalAction(
        services.record_input, lambda data, r, grades: forms.InputForm(data, inputs=r["inputs"]), by_subject=False
    ),
    "grade": AppraisalAction(
        services.grade_appraisal, lambda data, r, grades: forms.GradeForm(data, grades=grades), by_subject=False
    ),
    "object": AppraisalAction(
        services.object_to_grade, lambda data, r, grades: forms.ObjectionForm(data), by_subject=True
    ),
    "answer": AppraisalAction(
        services.answer_objection, lambda data, r, grades: forms.AnswerForm(data, grades=grades), by_subject=False
    ),
}


def authorize_appraisal_action(user, appraisal: EthicsAppraisal, action: str) -> AppraisalAction:
    """The action, once the user may take it: 404 for an unknown one, 403 for the wrong person."""
    found = APPRAISAL_ACTIONS.get(action)
    if found is None:
        raise Http404
    if found.by_subject:
        if not selectors.is_subject(user, appraisal):
            raise PermissionDenied
    else:
        require(user, "ethics.appraise", appraisal)
    return found


def appraisal_form(action: AppraisalAction, appraisal: EthicsAppraisal, data) -> django_forms.Form:
    """The action's form bound to `data`, with the grades and inputs of the rules in force for this teacher."""
    r = selectors.appraisal_rules(appraisal.person, timezone.localdate())
    grades = {g["code"]: g["label"] for g in r["grades"]}
    return action.form(data, r, grades)
