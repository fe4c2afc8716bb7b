"""Thin views: one access call, one service or selector call, render. Names and ID numbers stay masked unless
a care officer reveals them (audited)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.care import forms, notice, review, selectors, services
from dangjian.care.models import Application, Round, Student
from dangjian.core.actions import post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require

AUDIT_ACTIONS = {
    "reveal": gettext_lazy("查看完整信息"),
    "export": gettext_lazy("导出名单"),
    "create": gettext_lazy("登记"),
    "update": gettext_lazy("修改"),
    "pair": gettext_lazy("结对"),
    "end": gettext_lazy("结束结对"),
    "apply": gettext_lazy("登记申请"),
    "decide": gettext_lazy("认定"),
    "publicize": gettext_lazy("开始公示"),
    "record": gettext_lazy("建档备案"),
    "archive": gettext_lazy("归档"),
    "purge": gettext_lazy("到期清除"),
}


def _student(request, pk: int, *, write: bool = False, capability: str | None = None) -> Student:
    return get_for_user(
        request.user,
        Student,
        pk,
        write=write,
        capability=capability,
        queryset=selectors.students(request.user, archived=None),
    )


@login_required
def student_list(request):
    form = forms.SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    services.record_search(actor=request.user, q=q)
    page = paginate(request, selectors.students(request.user, q=q))
    tiers, today = selectors.tiers(), timezone.localdate()
    for student in page.object_list:
        # The file (tier, review) is the care officer's; someone reaching the student by a pairing sees neither.
        if has_capability(request.user, "care.view", student.scope_path()):
            student.tier_label = tiers.get(student.hardship_tier, student.hardship_tier)
            student.review_label = review.LABELS.get(review.status(student.identified_on, today), "")
    return render(
        request,
        "care/students.html",
        {
            "form": form,
            "page": page,
            "can_manage": has_capability(request.user, "care.manage"),
            "can_export": has_capability(request.user, "care.export"),
        },
    )


@login_required
def student_new(request):
    if not has_capability(request.user, "care.manage"):
        raise PermissionDenied
    form = forms.StudentForm(request.POST or None, schools=selectors.schools_managed(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        school = data.pop("school")
        try:
            student = services.create_student(actor=request.user, school=school, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("care:student", pk=student.pk)
    return render(request, "care/student_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def student_edit(request, pk: int):
    """Correct a registered student's record (services.update_student), refused if someone saved it meanwhile."""
    student = _student(request, pk, write=True, capability="care.manage")
    # The form edits a copy: the service compares it with the stored student to audit what changed.
    form = forms.StudentEditForm(request.POST or None, instance=copy.copy(student), editing=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_student(actor=request.user, student=student, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("care:student", pk=student.pk)
    return render(
        request, "care/student_edit.html", {"student": student, "form": form}, status=400 if form.errors else 200
    )


@login_required
def student_detail(request, pk: int):
    student = _student(request, pk)
    officer = has_capability(request.user, "care.view", student.scope_path())
    manage = has_capability(request.user, "care.manage", student.scope_path())
    context = {
        "student": student,
        "officer": officer,
        "can_manage": manage,
        "can_reveal": has_capability(request.user, "care.reveal", student.scope_path()),
        "tier_label": selectors.tiers(org_path=student.scope_path()).get(student.hardship_tier, ""),
        "review_label": review.LABELS.get(review.status(student.identified_on, timezone.localdate()), ""),
        "pairings": student.pairings.filter(ended_on__isnull=True).select_related("member"),
        # Assistance and visits are the care officer's records; a paired member sees the student, not the file.
        "assistance": student.assistance.all()[:50] if officer else [],
        "visits": student.visits.all()[:50] if officer else [],
        "pair_form": forms.PairForm(members=selectors.members_for_pairing(request.user, student)) if manage else None,
        "assistance_form": forms.AssistanceForm(),
        "visit_form": forms.VisitForm(),
    }
    return render(request, "care/student.html", context)


@never_cache  # the unmasked values must not stay in any cache
@login_required
@require_POST
def student_reveal(request, pk: int):
    student = _student(request, pk, write=True, capability="care.reveal")
    values = services.reveal_student(actor=request.user, student=student)
    return render(request, "care/_revealed.html", {"student": student, **values})


@login_required
@require_POST
def student_pair(request, pk: int):
    student = _student(request, pk, write=True)
    form = forms.PairForm(request.POST, members=selectors.members_for_pairing(request.user, student))

    def run():
        if not form.is_valid():
            raise ValidationError(_("请选择本校党员。"))
        services.pair(actor=request.user, student=student, member=form.cleaned_data["member"])

    return post_action(request, run, success=_("已结对。"), to="care:student", pk=student.pk)


@login_required
@require_POST
def student_assist(request, pk: int):
    student = _student(request, pk, write=True)
    form = forms.AssistanceForm(request.POST)

    def run():
        if not form.is_valid():
            raise ValidationError(_("请完整填写资助记录。"))
        services.add_assistance(actor=request.user, student=student, **form.cleaned_data)

    return post_action(request, run, success=_("已记录资助。"), to="care:student", pk=student.pk)


@login_required
@require_POST
def student_visit(request, pk: int):
    student = _student(request, pk, write=True)
    form = forms.VisitForm(request.POST)

    def run():
        if not form.is_valid():
            raise ValidationError(_("请完整填写回访记录。"))
        services.add_visit(actor=request.user, student=student, **form.cleaned_data)

    return post_action(request, run, success=_("已记录回访。"), to="care:student", pk=student.pk)


@login_required
@require_POST
def student_archive(request, pk: int):
    student = _student(request, pk, write=True)
    return post_action(
        request,
        lambda: services.archive_student(actor=request.user, student=student),
        success=_("已归档，期满后自动清除。"),
        to="care:students",
    )


@login_required
def export(request):
    if not has_capability(request.user, "care.export"):
        raise PermissionDenied
    reveal = request.GET.get("reveal") == "1"
    form = forms.SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    services.record_search(actor=request.user, q=q)
    # Only what the care officer reaches as an officer: pairings give no export.
    qs = selectors.students(request.user, q=q).filter(pk__in=selectors.students_as_officer(request.user).values("pk"))
    content = services.export_xlsx(actor=request.user, students=qs, reveal=reveal)
    return xlsx_response(content, f"care-{timezone.localdate():%Y%m%d}.xlsx", personal=True)


@login_required
def pairing_list(request):
    if not has_capability(request.user, "care.view_pairings"):
        raise PermissionDenied
    return render(request, "care/pairings.html", {"page": paginate(request, selectors.pairings(request.user))})


@login_required
def audit_log(request):
    if not has_capability(request.user, "care.view_audit"):
        raise PermissionDenied
    page = paginate(request, selectors.care_audit(request.user), 50)
    for entry in page.object_list:
        entry.action_label = AUDIT_ACTIONS.get(entry.action, entry.action)
    return render(request, "care/audit.html", {"page": page})


# --- identification rounds ---------------------------------------------------------------------


@login_required
def round_list(request):
    if not has_capability(request.user, "care.manage"):
        raise PermissionDenied
    form = forms.RoundForm(request.POST or None, schools=selectors.schools_managed(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("care:round", pk=round_.pk)
    page = paginate(request, selectors.rounds(request.user))
    return render(request, "care/rounds.html", {"page": page, "form": form}, status=400 if form.errors else 200)


@login_required
def round_detail(request, pk: int):
    round_ = get_for_user(request.user, Round, pk)
    require(request.user, "care.manage", round_)
    tiers = selectors.tiers(on=round_.notice_on, org_path=round_.scope_path())
    students = selectors.students(request.user).filter(school=round_.school)
    applications = list(round_.applications.select_related("student").order_by("student__grade", "id"))
    for application in applications:
        application.tier_label = tiers.get(application.tier, application.tier)
    context = {
        "round": round_,
        "tiers": tiers,
        "applications": applications,
        "apply_form": forms.ApplyForm(students=students, tiers=tiers),
        "decide_form": forms.DecideForm(tiers=tiers),
        "publicity_form": forms.PublicityForm(),
        "can_manage": has_capability(request.user, "care.manage", round_.scope_path()),
    }
    return render(request, "care/round.html", context)


@login_required
@require_POST
def round_apply(request, pk: int):
    round_ = get_for_user(request.user, Round, pk, write=True)
    tiers = selectors.tiers(on=round_.notice_on, org_path=round_.scope_path())
    form = forms.ApplyForm(
        request.POST, students=selectors.students(request.user).filter(school=round_.school), tiers=tiers
    )

    def run():
        if not form.is_valid():
            raise ValidationError(_("请选择本校学生。"))
        services.apply(actor=request.user, round_=round_, **form.cleaned_data)

    return post_action(request, run, success=_("已登记申请。"), to="care:round", pk=round_.pk)


@login_required
@require_POST
def round_decide(request, pk: int, application_pk: int):
    round_ = get_for_user(request.user, Round, pk, write=True)
    application = get_for_user(request.user, Application, application_pk, write=True)
    if application.round_id != round_.pk:
        raise PermissionDenied
    form = forms.DecideForm(request.POST, tiers=selectors.tiers(on=round_.notice_on, org_path=round_.scope_path()))

    def run():
        if not form.is_valid():
            raise ValidationError(_("请选择认定结果。"))
        services.decide(actor=request.user, application=application, **form.cleaned_data)

    return post_action(request, run, success=_("已认定。"), to="care:round", pk=round_.pk)


@login_required
@require_POST
def round_publicize(request, pk: int):
    round_ = get_for_user(request.user, Round, pk, write=True)
    form = forms.PublicityForm(request.POST)

    def run():
        if not form.is_valid():
            raise ValidationError(_("请填写公示开始日期。"))
        services.start_publicity(actor=request.user, round_=round_, start=form.cleaned_data["start"])

    return post_action(request, run, success=_("已开始公示。"), to="care:round", pk=round_.pk)


@login_required
@require_POST
def round_record(request, pk: int):
    round_ = get_for_user(request.user, Round, pk, write=True)
    return post_action(
        request,
        lambda: services.record_round(actor=request.user, round_=round_),
        success=_("已建档备案。"),
        to="care:round",
        pk=round_.pk,
    )


@login_required
def round_notice(request, pk: int):
    """The 公示 to post: printable HTML, or PDF with ?format=pdf. No sensitive field can appear (care.notice)."""
    round_ = get_for_user(request.user, Round, pk)
    require(request.user, "care.manage", round_)
    if request.GET.get("format") == "pdf":
        return attachment_response(notice.pdf(round_), f"notice-{round_.pk}.pdf", "application/pdf")
    return HttpResponse(notice.html(round_))
