"""Thin views of the responsibility system: one access call, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.actions import post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require
from dangjian.orgs.models import Org

from . import exports, selectors, services
from .forms import AssignmentForm, ListFilterForm, ReportForm, SupervisionForm
from .models import Assignment, Report, Target


@login_required
def assignment_list(request):
    if not has_capability(request.user, "assignments.view"):
        raise PermissionDenied
    tab = "issued" if request.GET.get("tab") == "issued" else "received"
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None)
    org = None
    if tab == "issued":
        qs = selectors.issued(request.user, today)
    else:
        data = form.cleaned_data if form.is_valid() else {}
        qs = selectors.received(request.user, overdue_only=bool(data.get("overdue")), today=today)
        if data.get("org"):
            org = get_for_user(request.user, Org, data["org"])
            qs = qs.filter(org__path__startswith=org.path)
        if data.get("due_from"):
            qs = qs.filter(assignment__due_on__gte=data["due_from"])
        if data.get("due_to"):
            qs = qs.filter(assignment__due_on__lte=data["due_to"])
    context = {
        "tab": tab,
        "page": paginate(request, qs),
        "form": form,
        "org": org,
        "today": today,
        "soon": selectors.due_soon_until(today),
        "assigning_orgs": list(selectors.assigning_orgs(request.user)[:6]),
    }
    return render(request, "assignments/list.html", context)


@login_required
def assignment_new(request, org_pk: int):
    org = get_for_user(request.user, Org, org_pk)
    require(request.user, "assignments.assign", org)
    if request.method != "POST" and not selectors.assigning_orgs(request.user).filter(pk=org.pk).exists():
        # County roles read a branch's work but do not issue in its name: send them to the orgs they may issue from.
        messages.error(request, services.not_your_org(org))
        return redirect("assignments:list")
    form = AssignmentForm(
        request.POST or None,
        receivers=selectors.receivers_of(request.user, org),
        fulfilling=selectors.fulfilling_kinds(org=org, on=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.create_assignment(
                actor=request.user,
                org=org,
                title=data["title"],
                body=data["body"],
                expected=data["expected"],
                due_on=data["due_on"],
                receivers=form.chosen(),
                fulfilled_by=data["fulfilled_by"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("任务已布置。"))
            return redirect("assignments:detail", pk=assignment.pk)
    return render(request, "assignments/new.html", {"org": org, "form": form}, status=400 if form.errors else 200)


@login_required
def assignment_detail(request, pk: int):
    assignment = get_for_user(request.user, Assignment, pk)
    today = timezone.localdate()
    context = {
        "assignment": assignment,
        "counts": selectors.status_counts(request.user, assignment, today),
        "page": paginate(request, selectors.targets_of(request.user, assignment), 30),
        "today": today,
        "soon": selectors.due_soon_until(today, assignment.org.path),
        "fulfilled_label": dict(selectors.fulfilling_kinds(org=assignment.org, on=today)).get(assignment.fulfilled_by),
    }
    return render(request, "assignments/detail.html", context)


@login_required
def assignment_export(request, pk: int):
    assignment = get_for_user(request.user, Assignment, pk)
    content = exports.status_xlsx(actor=request.user, assignment=assignment)
    return xlsx_response(content, f"assignment-{assignment.pk}.xlsx")


@login_required
def target_detail(request, pk: int):
    target = get_for_user(request.user, Target, pk)
    context = {
        "target": target,
        "assignment": target.assignment,
        "overdue": target.is_overdue(),
        "reports": selectors.reports_of(request.user, target)[:50],
        "supervisions": selectors.supervisions_of(request.user, target)[:50],
        "can_report": selectors.can_report(request.user, target),
        "can_supervise": selectors.can_supervise(request.user, target),
        "report_form": ReportForm(),
        "supervision_form": SupervisionForm(),
    }
    return render(request, "assignments/target.html", context)


@login_required
@require_POST
def target_report(request, pk: int):
    target = get_for_user(request.user, Target, pk, write=True)
    form = ReportForm(request.POST, request.FILES)

    def report():
        if not form.is_valid():
            raise ValidationError(_("请填写进展情况。"))
        data = form.cleaned_data
        services.report_progress(
            actor=request.user, target=target, text=data["text"], done=data["done"], file=data["file"]
        )

    return post_action(request, report, success=_("已报告。"), to="assignments:target", pk=target.pk)


@login_required
@require_POST
def target_supervise(request, pk: int):
    target = get_for_user(request.user, Target, pk)
    if not selectors.can_supervise(request.user, target):
        raise PermissionDenied
    form = SupervisionForm(request.POST)

    def supervise():
        if not form.is_valid():
            raise ValidationError(_("请填写督办意见。"))
        services.supervise(actor=request.user, target=target, note=form.cleaned_data["note"])

    return post_action(request, supervise, success=_("督办意见已记录。"), to="assignments:target", pk=target.pk)


@login_required
def report_file(request, pk: int):
    report = get_for_user(request.user, Report, pk)
    if not report.file:
        raise Http404
    # Read and close at once (attachments are capped by UPLOAD_MAX_BYTES); never rendered inline.
    with report.file.open("rb") as handle:
        content = handle.read()
    return attachment_response(content, report.file.name, personal=True)
