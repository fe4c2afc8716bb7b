"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import files, periods, rules
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, prefixes, require, scoped
from dangjian.ethics import actions, forms, selectors, services
from dangjian.ethics.eligibility import eligible_many
from dangjian.ethics.models import CaseStatus, EthicsAppraisal, Evidence, MisconductCase
from dangjian.orgs.models import Org


def next_steps(case: MisconductCase, *, handler: bool, subject: bool) -> list[str]:
    """The steps open on a case for this user, in the order the rules take them."""
    s = case.status
    found: list[str] = []
    if s == CaseStatus.REPORTED:
        found = ["investigate", "close"]
    elif s == CaseStatus.INVESTIGATING:
        found = ["evidence", "notify", "close"]
    elif s in (CaseStatus.NOTIFIED, CaseStatus.HEARD):
        if s == CaseStatus.NOTIFIED:
            found += ["statement", "waive"]
        if case.hearing_right and not case.hearing_requested_on:
            found.append("hearing_request")
        if case.hearing_requested_on and not case.hearing_on:
            found.append("hearing")
        found.append("evidence")
        if s == CaseStatus.HEARD:
            found.append("decide")
    elif s == CaseStatus.DECIDED:
        found = ["appeal"]
    elif s == CaseStatus.APPEALED:
        found = ["review"]
    allowed = (actions.HANDLER_STEPS | actions.SUBJECT_STEPS if handler else set()) | (
        actions.SUBJECT_STEPS if subject else set()
    )
    # A request the rules no longer allow (its time is up) is not offered.
    due = selectors.deadlines(case)
    today = timezone.localdate()
    late = {
        step
        for step, key in (("appeal", "appeal"), ("hearing_request", "hearing_request"))
        if key in due and today > due[key]
    }
    return [step for step in found if step in allowed and step not in late]


STEP_TITLES = {
    "report": gettext_lazy("受理"),
    "investigate": gettext_lazy("开始调查核实"),
    "evidence": gettext_lazy("补充证据"),
    "close": gettext_lazy("不予处理，结案"),
    "notify": gettext_lazy("告知当事教师"),
    "statement": gettext_lazy("陈述和申辩"),
    "waive": gettext_lazy("记录未陈述申辩的原因"),
    "hearing_request": gettext_lazy("申请听证"),
    "hearing": gettext_lazy("记录听证"),
    "decide": gettext_lazy("作出处理决定"),
    "appeal": gettext_lazy("申请复核"),
    "review": gettext_lazy("复核"),
}


# --- standards ------------------------------------------------------------------------------------


@login_required
def index(request):
    return render(request, "ethics/index.html", {"standards": selectors.standards()})


# --- cases ----------------------------------------------------------------------------------------


@login_required
def cases(request):
    status = request.GET.get("status", "")
    page = paginate(request, selectors.case_list(request.user, status=status, q=request.GET.get("q", "").strip()))
    roots = prefixes(request.user, "ethics.view_case")
    cases_shown = list(page.object_list)
    own_path = cases_shown[0].scope_path() if cases_shown else ""
    services.log_list_read(actor=request.user, cases=cases_shown, org_path=roots[0] if roots else own_path)
    return render(
        request,
        "ethics/cases.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "can_report": has_capability(request.user, "ethics.handle_case"),
        },
    )


@login_required
def case_new(request):
    if not has_capability(request.user, "ethics.handle_case"):
        raise PermissionDenied
    form = forms.CaseReportForm(request.POST or None, people=selectors.people_for_case(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.report_case(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已受理。"))
            return redirect("ethics:case", pk=case.pk)
    return render(request, "ethics/case_new.html", {"form": form})


def _case_context(request, case: MisconductCase, bound: dict | None = None) -> dict:
    handler = selectors.is_handler(request.user, case)
    subject = selectors.is_subject(request.user, case)
    steps = next_steps(case, handler=handler, subject=subject)
    bound = bound or {}
    steps += [step for step in bound if step not in steps]  # a refused step shows its form with the reason
    step_forms = [(step, STEP_TITLES[step], bound.get(step) or forms.CASE_STEP_FORMS[step]()) for step in steps]
    kinds = rules.rule_values("ethics", "sanctions", on=case.reported_on)["kinds"]
    sources = rules.rule_values("ethics", "cases", on=case.reported_on)["sources"]
    standards = {s["number"]: s for s in selectors.standards(case.reported_on)}

    def label(kind: str) -> str:
        return kinds.get(kind, {}).get("label", "") or {"disqualification": _("取消资格")}.get(kind, kind)

    return {
        "case": case,
        "handler": handler,
        "subject": subject,
        "events": [(e, STEP_TITLES.get(e.step, e.step)) for e in selectors.case_events(case)],
        "evidence": selectors.case_evidence(request.user, case) if handler else [],
        "evidence_count": case.evidence.count(),
        "sanctions": [(s, label(s.kind)) for s in selectors.case_sanctions(case)],
        "deadlines": selectors.deadlines(case),
        "step_forms": step_forms,
        "source_label": sources.get(case.source, case.source),
        "proposed_label": label(case.proposed) if case.proposed else "",
        "decision_label": label(case.decision) if case.decision else "",
        "case_standards": [standards[n] for n in case.standards if n in standards],
    }


@login_required
def case_detail(request, pk: int):
    case = get_for_user(request.user, MisconductCase, pk, queryset=selectors.visible_cases(request.user))
    services.log_read(actor=request.user, case=case)
    return render(request, "ethics/case.html", _case_context(request, case))


@login_required
def case_step(request, pk: int, step: str):
    case = get_for_user(request.user, MisconductCase, pk, queryset=selectors.visible_cases(request.user))
    actions.authorize_case_step(request.user, case, step)
    if request.method != "POST":
        return redirect("ethics:case", pk=case.pk)
    form = forms.CASE_STEP_FORMS[step](request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if step == "evidence" and data.get("file"):
                files.validate_upload(data["file"], files.DOCUMENTS)
            actions.CASE_SERVICES[step](actor=request.user, case=case, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录：%(s)s") % {"s": STEP_TITLES[step]})
            return redirect("ethics:case", pk=case.pk)
    services.log_read(actor=request.user, case=case)
    return render(request, "ethics/case.html", _case_context(request, case, {step: form}))


@login_required
def evidence_file(request, case_pk: int, pk: int):
    case = get_for_user(request.user, MisconductCase, case_pk, queryset=selectors.visible_cases(request.user))
    if not selectors.is_handler(request.user, case):
        raise PermissionDenied
    evidence = get_for_user(request.user, Evidence, pk, queryset=selectors.case_evidence(request.user, case))
    if not evidence.file:
        raise Http404
    services.log_read(actor=request.user, case=case)
    with evidence.file.open("rb") as handle:  # uploads are capped (UPLOAD_MAX_BYTES): read whole, close at once
        content = handle.read()
    return attachment_response(content, evidence.file.name, personal=True)


# --- appraisals -----------------------------------------------------------------------------------


def _year(request) -> str:
    key = request.GET.get("year", "")
    try:
        return periods.from_key(key).key if key else ""
    except ValueError:
        return ""


@login_required
def appraisals(request):
    year = _year(request)
    page = paginate(request, selectors.appraisal_list(request.user, year_key=year, grade=request.GET.get("grade", "")))
    roots = prefixes(request.user, "ethics.appraise")
    orgs = scoped(request.user, Org, "ethics.appraise").filter(path__in=roots) if roots else []
    return render(
        request,
        "ethics/appraisals.html",
        {
            "page": page,
            "year": year,
            "years": forms.year_choices(),
            "open_orgs": orgs,
            "grades": selectors.grade_labels(),
        },
    )


@login_required
def appraisal_open(request, org_pk: int):
    # An org is found by those who see the roster or run appraisals there; only the latter may open them.
    visible = scoped(request.user, Org) | scoped(request.user, Org, "ethics.appraise")
    org = get_for_user(request.user, Org, org_pk, queryset=visible)
    require(request.user, "ethics.appraise", org)
    form = forms.OpenAppraisalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        n = services.open_appraisals(actor=request.user, org=org, year_key=form.cleaned_data["year_key"])
        messages.success(request, _("已为%(n)d名教职工建立考核。") % {"n": n})
        return redirect("ethics:appraisals")
    return render(request, "ethics/appraisal_open.html", {"org": org, "form": form})


def _appraisal_forms(appraisal: EthicsAppraisal, *, handler: bool, subject: bool, bound: dict | None = None):
    from dangjian.ethics.models import AppraisalStatus

    r = selectors.appraisal_rules(appraisal.person, timezone.localdate())
    grades = {g["code"]: g["label"] for g in r["grades"]}
    bound = bound or {}
    found = []
    if appraisal.status == AppraisalStatus.OPEN:
        if subject:
            found.append(("self", _("提交自评"), forms.SelfAssessmentForm))
        if handler:
            found.append(("input", _("录入评议结果"), lambda *a, **k: forms.InputForm(*a, inputs=r["inputs"], **k)))
            found.append(("grade", _("评定等次"), lambda *a, **k: forms.GradeForm(*a, grades=grades, **k)))
    elif appraisal.status == AppraisalStatus.GRADED and subject and appraisal.notified_at:
        found.append(("object", _("提出异议"), forms.ObjectionForm))
    elif appraisal.status == "objected" and handler:
        found.append(("answer", _("复核异议"), lambda *a, **k: forms.AnswerForm(*a, grades=grades, **k)))
    return [(action, title, bound.get(action) or make()) for action, title, make in found], grades, r


def _appraisal_context(request, appraisal: EthicsAppraisal, bound: dict | None = None) -> dict:
    handler = has_capability(request.user, "ethics.appraise", appraisal.scope_path()) and not selectors.is_subject(
        request.user, appraisal
    )
    subject = selectors.is_subject(request.user, appraisal)
    action_forms, grades, r = _appraisal_forms(appraisal, handler=handler, subject=subject, bound=bound)
    return {
        "appraisal": appraisal,
        "handler": handler,
        "subject": subject,
        "grade_label": grades.get(appraisal.grade, appraisal.grade),
        "inputs": [
            (i, r["inputs"].get(i.source, i.source)) for i in selectors.appraisal_inputs(request.user, appraisal)
        ]
        if handler
        else [],
        "rates": [{**x, "label": r["inputs"].get(x["source"], x["source"])} for x in selectors.input_rates(appraisal)],
        "objection_due": selectors.objection_due(appraisal),
        "action_forms": action_forms,
        "standards": {s["number"]: s["title"] for s in selectors.standards()},
    }


@login_required
def appraisal_detail(request, pk: int):
    appraisal = get_for_user(request.user, EthicsAppraisal, pk)
    return render(request, "ethics/appraisal.html", _appraisal_context(request, appraisal))


@login_required
def appraisal_action(request, pk: int, action: str):
    appraisal = get_for_user(request.user, EthicsAppraisal, pk)
    found = actions.authorize_appraisal_action(request.user, appraisal, action)
    if request.method != "POST":
        return redirect("ethics:appraisal", pk=appraisal.pk)
    form = actions.appraisal_form(found, appraisal, request.POST)
    if form.is_valid():
        try:
            found.service(actor=request.user, appraisal=appraisal, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("ethics:appraisal", pk=appraisal.pk)
    return render(request, "ethics/appraisal.html", _appraisal_context(request, appraisal, {action: form}))


@login_required
def distribution(request):
    if not has_capability(request.user, "ethics.view_distribution"):
        raise PermissionDenied
    year = _year(request) or periods.containing("academic_year", timezone.localdate()).previous().key
    rows, totals = selectors.distribution(request.user, year_key=year)
    grades = selectors.grade_labels()
    page = paginate(request, rows)
    return render(
        request,
        "ethics/distribution.html",
        {
            "page": page,
            "totals": totals,
            "grades": grades,
            "year": year,
            "years": forms.year_choices(),
            "total": sum(totals.values()),
        },
    )


@login_required
def eligibility(request):
    if not has_capability(request.user, "ethics.check_eligibility"):
        raise PermissionDenied
    form = forms.EligibilityForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    purpose = data.get("purpose") or "award"
    on: dt.date = data.get("on") or timezone.localdate()
    page = paginate(request, selectors.eligibility_people(request.user, None, data.get("q", "")))
    people = list(page.object_list)
    results = eligible_many([p.pk for p in people], on=on, purpose=purpose)
    # Details (what restriction, from when) only for the handling roles; others see ok / not ok and when.
    detail_roots = prefixes(request.user, "ethics.view_case")
    rows = [
        (p, results[p.pk], any(p.org.path.startswith(root) for root in detail_roots) if detail_roots else False)
        for p in people
    ]
    return render(
        request, "ethics/eligibility.html", {"form": form, "page": page, "rows": rows, "on": on, "purpose": purpose}
    )
