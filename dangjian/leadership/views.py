"""Thin views of the leadership system: one access call, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.actions import error_text, post_action
from dangjian.core.pagination import paginate
from dangjian.core.params import year_param
from dangjian.core.scoping import get_for_user, has_capability
from dangjian.leadership import forms, selectors, services
from dangjian.leadership.models import BodyMember
from dangjian.orgs.models import School


def _school(request, pk, *, manage: bool = False) -> School:
    school = selectors.school_for(request.user, pk)
    if manage and not selectors.may_manage(request.user, school):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    return school


@login_required
def index(request):
    schools = selectors.schools(request.user)
    if len(schools[:2]) == 1:
        return redirect("leadership:school", pk=schools[0].pk)
    return render(request, "leadership/index.html", {"page": paginate(request, schools)})


@login_required
def school(request, pk: int):
    school = _school(request, pk)
    year = year_param(request)
    can_manage = selectors.may_manage(request.user, school)
    context = {
        "school": school,
        "year": year,
        "bodies": selectors.bodies(school),
        "meetings": selectors.school_meetings(request.user, school, year=year),
        "agenda": selectors.agenda(request.user, school, year=year),
        "rules_state": selectors.rules_states([school.pk])[school.pk],
        "can_manage": can_manage,
        "appoint_form": forms.AppointForm(people=selectors.school_people(school)) if can_manage else None,
        "plan_form": forms.PlanForm() if can_manage else None,
    }
    return render(request, "leadership/school.html", context)


@login_required
@require_POST
def appoint(request, pk: int):
    school = _school(request, pk, manage=True)
    form = forms.AppointForm(request.POST, people=selectors.school_people(school))

    def action():
        if not form.is_valid():
            raise ValidationError(_("请完整填写班子、人员、职务和任职日期。"))
        services.appoint(actor=request.user, school=school, **form.cleaned_data)

    return post_action(request, action, success=_("已登记班子成员。"), to="leadership:school", pk=school.pk)


@login_required
@require_POST
def end_seat(request, pk: int):
    seat = get_for_user(request.user, BodyMember, pk)
    school = _school(request, seat.school_id, manage=True)
    return post_action(
        request,
        lambda: services.end_seat(actor=request.user, seat=seat),
        success=_("已办理离任。"),
        to="leadership:school",
        pk=school.pk,
    )


@login_required
@require_POST
def plan(request, pk: int):
    school = _school(request, pk, manage=True)
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择会议类型并填写时间。"))
        return redirect("leadership:school", pk=school.pk)
    try:
        meeting = services.plan_meeting(actor=request.user, school=school, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("leadership:school", pk=school.pk)
    messages.success(request, _("已安排会议。"))
    return redirect("leadership:meeting", pk=school.pk, meeting=meeting.pk)


def _item_form(school, meeting, data=None):
    office = meeting.kind == "principal_office_meeting"  # only its items carry out a 党组织会议 decision
    decisions = selectors.party_decisions(school, before=meeting.day) if office else None
    return forms.ItemForm(
        data,
        people=selectors.body_people(school, meeting.day),
        day=meeting.day,
        decisions=decisions,
        org_path=school.org.path,
    )


@login_required
def meeting(request, pk: int, meeting: int):
    school = _school(request, pk)
    found = selectors.meeting_for(request.user, school, meeting)
    can_manage = selectors.may_manage(request.user, school)
    rows = selectors.attendance(found)
    context = {
        "school": school,
        "meeting": found,
        "rows": rows,
        "agenda": [r for r in selectors.agenda(request.user, school) if r.item.meeting_id == found.pk],
        "can_manage": can_manage,
        "attendance_form": forms.AttendanceForm(rows=rows) if can_manage else None,
        "item_form": _item_form(school, found) if can_manage else None,
    }
    return render(request, "leadership/meeting.html", context)


@login_required
@require_POST
def record(request, pk: int, meeting: int):
    school = _school(request, pk, manage=True)
    found = selectors.meeting_for(request.user, school, meeting)
    form = forms.AttendanceForm(request.POST, rows=selectors.attendance(found))

    def action():
        if not form.is_valid():
            raise ValidationError(_("出席情况无效。"))
        services.record_meeting(actor=request.user, meeting=found, statuses=form.statuses())

    return post_action(
        request, action, success=_("已记录出席情况。"), to="leadership:meeting", pk=school.pk, meeting=found.pk
    )


@login_required
@require_POST
def add_item(request, pk: int, meeting: int):
    school = _school(request, pk, manage=True)
    found = selectors.meeting_for(request.user, school, meeting)
    form = _item_form(school, found, request.POST)

    def action():
        if not form.is_valid():
            raise ValidationError(_("请填写议题、类别和议题确定人。"))
        data = dict(form.cleaned_data)
        decision_id = data.pop("party_decision", None)
        decision = next((d for d in selectors.party_decisions(school) if d.pk == decision_id), None)
        services.add_item(actor=request.user, school=school, meeting=found, party_decision=decision, **data)

    return post_action(
        request, action, success=_("已列入议题。"), to="leadership:meeting", pk=school.pk, meeting=found.pk
    )


@login_required
def item(request, pk: int):
    found = selectors.item_for(request.user, pk)
    can_manage = selectors.may_manage(request.user, found.school)
    initial = {"outcome": found.outcome, "decision": found.decision, "discussion": found.discussion}
    context = {
        "item": found,
        "category_label": selectors.category_labels().get(found.category, found.category),
        "reports": selectors.reports(found),
        "can_manage": can_manage,
        "decide_form": forms.DecideForm(initial=initial) if can_manage else None,
        "report_form": forms.ReportForm() if can_manage else None,
    }
    return render(request, "leadership/item.html", context)


@login_required
@require_POST
def decide(request, pk: int):
    found = selectors.item_to_change(request.user, pk)
    form = forms.DecideForm(request.POST)

    def action():
        if not form.is_valid():
            raise ValidationError(_("请选择结果，日期格式为年-月-日。"))
        services.decide_item(actor=request.user, item=found, **form.cleaned_data)

    return post_action(request, action, success=_("已登记决定。"), to="leadership:item", pk=found.pk)


@login_required
@require_POST
def report(request, pk: int):
    found = selectors.item_to_change(request.user, pk)
    form = forms.ReportForm(request.POST)

    def action():
        if not form.is_valid():
            raise ValidationError(_("请填写报告日期和执行情况。"))
        services.report_execution(actor=request.user, item=found, **form.cleaned_data)

    return post_action(request, action, success=_("已登记执行情况报告。"), to="leadership:item", pk=found.pk)


@login_required
def county(request):
    if not has_capability(request.user, "leadership.view_county"):
        raise PermissionDenied
    year = year_param(request)
    # Every school's checks are counted (four queries for the county), so the schools with problems come first.
    page = paginate(
        request, selectors.county_rows(request.user, list(selectors.county_schools(request.user)), year), 30
    )
    context = {
        "page": page,
        "rows": page.object_list,
        "year": year,
        "pending": selectors.pending_rules(request.user)[:50],
        "can_approve": has_capability(request.user, "leadership.approve_rules"),
    }
    return render(request, "leadership/county.html", context)


# --- 议事规则 ------------------------------------------------------------------------------------


@login_required
def rules_list(request, pk: int):
    school = _school(request, pk)
    context = {
        "school": school,
        "versions": selectors.school_rules(request.user, school),
        "state": selectors.rules_states([school.pk])[school.pk],
        "can_manage": selectors.may_manage(request.user, school),
    }
    return render(request, "leadership/rules_list.html", context)


@login_required
@require_POST
def rules_new(request, pk: int):
    school = _school(request, pk, manage=True)
    try:
        rules = services.draft_rules(actor=request.user, school=school)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("leadership:rules", pk=school.pk)
    messages.success(request, _("已按县示范文本生成新版本，请修改后提交审批。"))
    return redirect("leadership:rules_detail", pk=rules.pk)


@login_required
def rules_detail(request, pk: int):
    rules = selectors.rules_for(request.user, pk)
    can_manage = selectors.may_manage(request.user, rules.school)
    can_approve = has_capability(request.user, "leadership.approve_rules", rules.school.org.path)
    form = forms.RulesForm(request.POST or None, initial={"text": rules.text})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        if form.is_valid():
            try:
                services.edit_rules(actor=request.user, rules=rules, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("leadership:rules_detail", pk=rules.pk)
    context = {
        "rules": rules,
        "form": form if can_manage and rules.status in ("draft", "returned") else None,
        "can_manage": can_manage,
        "can_approve": can_approve,
        "return_form": forms.ReturnForm() if can_approve else None,
        "template": selectors.template_for(rules.school),
    }
    return render(request, "leadership/rules_detail.html", context, status=400 if form.errors else 200)


def _rules_step(request, pk: int, step, success: str, *, county: bool):
    """A button on a 议事规则 version: the school submits it, the county approves or returns it."""
    rules = selectors.rules_to_act_on(request.user, pk, county=county)
    return post_action(
        request, lambda: step(actor=request.user, rules=rules), success=success, to="leadership:rules_detail", pk=pk
    )


@login_required
@require_POST
def rules_submit(request, pk: int):
    return _rules_step(request, pk, services.submit_rules, _("已提交县教育党工委审批。"), county=False)


@login_required
@require_POST
def rules_approve(request, pk: int):
    return _rules_step(request, pk, services.approve_rules, _("已批准。"), county=True)


@login_required
@require_POST
def rules_return(request, pk: int):
    reason = request.POST.get("reason", "")

    def step(*, actor, rules):
        return services.return_rules(actor=actor, rules=rules, reason=reason)

    return _rules_step(request, pk, step, _("已退回学校修改。"), county=True)
