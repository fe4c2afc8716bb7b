"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.params import year_param
from dangjian.core.requestlocal import current_ip
from dangjian.core.scoping import get_for_user, has_capability, scoped
from dangjian.voice import forms, selectors, services
from dangjian.voice.models import Concern


def _year_range(request) -> tuple[dt.date, dt.date]:
    year = year_param(request)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- open to everyone ----------------------------------------------------------------------------


def _submit(request, *, signed_in: bool, template: str):
    person = getattr(request.user, "person", None) if signed_in else None
    form = forms.ConcernForm(
        request.POST or None,
        request.FILES or None,
        schools=selectors.schools_for_submission(),
        signed_in=signed_in,
        # A signed-in teacher writes about their own school far more often than any other: it is preselected.
        initial={"school": person.school_id} if person else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not signed_in or data.get("anonymous"):
                services.throttle_anonymous(current_ip())
            done = services.submit_concern(
                actor=request.user if signed_in else None,
                school=data["school"],
                category=data["category"],
                submitter_kind=data["submitter_kind"],
                title=data["title"],
                body=data["body"],
                attachment=data.get("attachment"),
                anonymous=bool(data.get("anonymous")) or not signed_in,
            )
        except ValidationError as exc:
            form.add_error("attachment" if data.get("attachment") else None, error_text(exc))
        else:
            # Rendered, not redirected: the receipt code must not travel in a URL.
            return render(request, "voice/receipt.html", {"concern": done.concern, "code": done.receipt_code})
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def public_submit(request):
    return _submit(request, signed_in=False, template="voice/public_submit.html")


def follow(request):
    """An anonymous submitter follows up with the receipt code: status and reply, nothing else."""
    form = forms.ReceiptForm(request.POST or None)
    concern = None
    if request.method == "POST" and form.is_valid():
        concern = services.find_by_receipt(form.cleaned_data["code"])
        if concern is None:
            form.add_error("code", _("查询码不正确。"))
        else:
            action = request.POST.get("action")
            try:
                if action == "rate":
                    rate_form = forms.RateForm(request.POST)
                    if rate_form.is_valid():
                        services.rate(
                            actor=None, concern=concern, rating=rate_form.cleaned_data["rating"], by_receipt=True
                        )
                        messages.success(request, _("感谢您的评价。"))
                elif action == "reopen":
                    services.reopen(actor=None, concern=concern, reason=request.POST.get("reason", ""), by_receipt=True)
                    messages.success(request, _("已重新交办，承办组织将在时限内再次答复。"))
            except ValidationError as exc:
                messages.error(request, error_text(exc))
    return render(
        request,
        "voice/follow.html",
        {
            "form": form,
            "concern": concern,
            "code": form.cleaned_data.get("code", "") if form.is_bound and form.is_valid() else "",
            "rate_form": forms.RateForm(),
        },
        status=400 if form.errors else 200,
    )


def public_stats(request):
    start, end = _year_range(request)
    return render(
        request, "voice/public_stats.html", {"figures": selectors.public_figures(start, end), "year": start.year}
    )


# --- signed in -----------------------------------------------------------------------------------


@login_required
def submit(request):
    return _submit(request, signed_in=True, template="voice/submit.html")


@login_required
def concern_list(request):
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.concerns(request.user, status=filters.get("status", ""), level=filters.get("level", ""))
    return render(request, "voice/list.html", {"form": form, "page": paginate(request, qs)})


@login_required
def detail(request, pk: int):
    concern = get_for_user(request.user, Concern, pk)
    can_handle = selectors.can_handle(request.user, concern)
    context = {
        "concern": concern,
        "can_handle": can_handle,
        "is_submitter": concern.submitter_id == request.user.pk,
        "reply_form": forms.ReplyForm(),
        "transfer_form": _transfer_form(request, concern, exclude_own_org=True) if can_handle else None,
        "escalate_form": forms.EscalateForm(),
        "rate_form": forms.RateForm(),
        "reopen_form": forms.ReopenForm(),
    }
    return render(request, "voice/detail.html", context)


def _handle(request, pk: int, action):
    """A handler's button on a concern: the service's refusal or 已保存, back on the concern."""
    concern = selectors.handled_concern(request.user, pk)
    return post_action(request, lambda: action(concern), success=_("已保存。"), to="voice:detail", pk=concern.pk)


@login_required
@require_POST
def acknowledge(request, pk: int):
    return _handle(request, pk, lambda c: services.acknowledge(actor=request.user, concern=c))


@login_required
@require_POST
def reply(request, pk: int):
    return _handle(request, pk, lambda c: services.reply(actor=request.user, concern=c, text=request.POST.get("text")))


@login_required
@require_POST
def escalate(request, pk: int):
    return _handle(
        request, pk, lambda c: services.escalate(actor=request.user, concern=c, reason=request.POST.get("reason", ""))
    )


@login_required
@require_POST
def transfer(request, pk: int):
    def run(concern):
        form = _transfer_form(request, concern, data=request.POST)
        if not form.is_valid():
            raise ValidationError(
                [e for errors in form.errors.values() for e in errors]
                or _("请选择您可以转给的承办组织、师德工作专员或本校科室。")
            )
        services.transfer(actor=request.user, concern=concern, **form.choice())

    return _handle(request, pk, run)


def _transfer_form(request, concern: Concern, *, data=None, exclude_own_org: bool = False) -> forms.TransferForm:
    orgs = scoped(request.user, concern.org.__class__, "voice.handle")
    return forms.TransferForm(
        data,
        orgs=orgs.exclude(pk=concern.org_id) if exclude_own_org else orgs,
        officers=selectors.ethics_officers(concern),
        offices=selectors.offices(concern),
        staff=selectors.school_staff(concern),
    )


def _own(request, pk: int, action):
    """The submitter's button on their own concern (rate, reopen)."""
    concern = get_for_user(request.user, Concern, pk)
    if concern.submitter_id != request.user.pk:
        raise PermissionDenied(_("只有提交人可以评价或重新打开诉求。"))
    return post_action(request, lambda: action(concern), success=_("已保存。"), to="voice:detail", pk=concern.pk)


@login_required
@require_POST
def rate(request, pk: int):
    return _own(
        request, pk, lambda c: services.rate(actor=request.user, concern=c, rating=request.POST.get("rating", ""))
    )


@login_required
@require_POST
def reopen(request, pk: int):
    return _own(
        request, pk, lambda c: services.reopen(actor=request.user, concern=c, reason=request.POST.get("reason", ""))
    )


@login_required
def attachment(request, pk: int):
    concern = get_for_user(request.user, Concern, pk)
    if not concern.attachment:
        raise Http404(_("没有附件。"))
    with concern.attachment.open("rb") as handle:
        content = handle.read()
    return attachment_response(content, concern.attachment.name, personal=True)


@login_required
def stats(request):
    if not has_capability(request.user, "voice.view_stats"):
        raise PermissionDenied
    start, end = _year_range(request)
    rows = selectors.school_stats(request.user, start, end)
    context = {"rows": rows, "total": selectors.totals(rows), "year": start.year}
    return render(request, "voice/stats.html", context)
