"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import files
from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.params import year_param
from dangjian.core.scoping import get_for_user, has_capability, require
from dangjian.membership import (
    development,
    documents,
    dues_io,
    forms,
    records,
    selectors,
    services,
)
from dangjian.membership.models import Dossier, DossierStatus
from dangjian.orgs.models import Person, PostKind

VIEW, MANAGE, COUNTY = "membership.view", "membership.manage", "membership.county"


def _need(request, capability: str = VIEW) -> None:
    if not has_capability(request.user, capability):
        raise PermissionDenied(_("您没有查看此页面的权限。"))


def _month_param(request) -> dt.date:
    raw = request.GET.get("month", "")
    if not raw:
        return timezone.localdate().replace(day=1)
    try:
        month = dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError as exc:
        raise BadRequest(_("月份格式应为“年-月”，如 2026-01。")) from exc
    if not 2008 <= month.year <= 2100:
        raise BadRequest(_("月份应在2008至2100年之间。"))
    return month


def _first_branch(request, name: str):
    _need(request)
    org = selectors.default_branch(request.user)
    if org is None:
        raise Http404(_("没有您可查看的党支部。"))
    return redirect(name, org_pk=org.pk)


# --- 发展党员 ----------------------------------------------------------------------------------------


@login_required
def dossiers(request):
    _need(request)
    rows = selectors.progress(request.user)
    return render(
        request,
        "membership/dossiers.html",
        {
            "rows": rows,
            "branches": selectors.branches(request.user, MANAGE),
            "can_county": has_capability(request.user, COUNTY),
        },
    )


@login_required
def dossier_new(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    form = forms.OpenDossierForm(request.POST or None, people=selectors.non_members(request.user, org))
    if request.method == "POST" and form.is_valid():
        try:
            dossier = development.open_dossier(actor=request.user, person=form.cleaned_data["person"], org=org)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已建立发展档案，请记录第一步：递交入党申请书。"))
            return redirect("membership:dossier", pk=dossier.pk)
    return render(
        request, "membership/dossier_new.html", {"org": org, "form": form}, status=400 if form.errors else 200
    )


def _step_form(request, dossier: Dossier, data=None, done: set[str] | None = None) -> forms.StepForm:
    values = development.development_rules(timezone.localdate())
    following = next((s["code"] for s in values["steps"] if s["code"] not in (done or set())), None)
    return forms.StepForm(
        data,
        initial={"code": following},
        steps=values["steps"],
        meetings=selectors.branch_meetings(request.user, dossier.org, "committee_meeting"),
        motions=selectors.branch_motions(request.user, dossier.org),
        people=selectors.full_members(request.user, dossier.org),
    )


def _dossier_page(request, dossier: Dossier, form=None, status: int = 200):
    steps = selectors.dossier_steps(dossier)
    can_manage = has_capability(request.user, MANAGE, dossier.org.path)
    labelled = [(development.step_label(s.code, s.done_on), s) for s in steps]
    context = {
        "d": dossier,
        "steps": labelled,
        "findings": development.findings(dossier, steps, timezone.localdate()),
        "form": (form or _step_form(request, dossier, done={s.code for s in steps}))
        if can_manage and dossier.status == DossierStatus.OPEN
        else None,
        "close_form": forms.ReasonForm() if can_manage and dossier.status == DossierStatus.OPEN else None,
        "withdraw_form": forms.ReasonForm(prefix="withdraw")
        if can_manage and dossier.status == DossierStatus.OPEN and steps
        else None,
        "documents": documents.DOSSIER_DOCUMENTS,
    }
    return render(request, "membership/dossier.html", context, status=status)


@login_required
def dossier(request, pk: int):
    return _dossier_page(request, get_for_user(request.user, Dossier, pk))


@login_required
@require_POST
def dossier_step(request, pk: int):
    dossier = get_for_user(request.user, Dossier, pk, write=True)
    form = _step_form(request, dossier, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            development.record_step(
                actor=request.user,
                dossier=dossier,
                code=data["code"],
                done_on=data["done_on"],
                meeting=data["meeting"],
                motion=data["motion"],
                people=list(data["people"] or []),
                hours=data["hours"],
                outcome=data["outcome"],
                extension_months=data["extension_months"],
                note=data["note"],
                exception_reason=data["exception_reason"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已记录。"))
            return redirect("membership:dossier", pk=dossier.pk)
    return _dossier_page(request, dossier, form, status=400)


@login_required
@require_POST
def dossier_close(request, pk: int):
    dossier = get_for_user(request.user, Dossier, pk, write=True)
    return post_action(
        request,
        lambda: development.close_dossier(actor=request.user, dossier=dossier, reason=request.POST.get("reason", "")),
        success=_("发展档案已终止。"),
        to="membership:dossier",
        pk=dossier.pk,
    )


@login_required
@require_POST
def dossier_withdraw(request, pk: int):
    dossier = get_for_user(request.user, Dossier, pk, write=True)
    return post_action(
        request,
        lambda: development.withdraw_last_step(
            actor=request.user, dossier=dossier, reason=request.POST.get("withdraw-reason", "")
        ),
        success=_("已撤销最近一步，可重新记录。"),
        to="membership:dossier",
        pk=dossier.pk,
    )


@login_required
def dossier_pdf(request, pk: int, kind: str):
    dossier = get_for_user(request.user, Dossier, pk)
    if kind not in documents.DOSSIER_DOCUMENTS:
        raise Http404
    content = documents.dossier_pdf(kind, dossier, selectors.dossier_steps(dossier))
    return attachment_response(content, f"{dossier.person.name}-{kind}.pdf", "application/pdf", personal=True)


@login_required
def timeline(request):
    """The timeline audit: every dossier the user sees (a school's or the county's) that breaks a rule."""
    _need(request)
    return render(request, "membership/timeline.html", {"rows": selectors.progress(request.user, only_problems=True)})


@login_required
def pipeline(request):
    _need(request, COUNTY)
    year = year_param(request)
    form = forms.PlanForm(request.POST or None, orgs=selectors.branches(request.user, MANAGE), initial={"year": year})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("发展计划已保存。"))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    rows = selectors.plan_vs_actual(request.user, year)
    return render(
        request,
        "membership/pipeline.html",
        {
            "rows": rows,
            "year": year,
            "form": form if has_capability(request.user, MANAGE) else None,
            "stages": selectors.STAGE_COLUMNS,
        },
        status=400 if form.errors else 200,
    )


# --- 党费 -------------------------------------------------------------------------------------------


@login_required
def dues(request):
    return _first_branch(request, "membership:dues_branch")


@login_required
def dues_branch(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk)
    month = _month_param(request)
    can_manage = has_capability(request.user, MANAGE, org.path)
    members = selectors.members(request.user, org)
    return render(
        request,
        "membership/dues.html",
        {
            "org": org,
            "month": month,
            "rows": selectors.ledger(request.user, org, month),
            "branches": selectors.branches(request.user),
            "base_form": forms.BaseForm(people=members, initial={"category": "employed"}, prefix="base")
            if can_manage
            else None,
            "payment_form": forms.PaymentForm(
                prefix="pay", people=members, initial={"first_month": f"{month:%Y-%m}", "paid_on": timezone.localdate()}
            )
            if can_manage
            else None,
            "lapse_article": selectors.lapse_article(month),
            "can_records": has_capability(request.user, "membership.view_records", org.path),
            "summary_org": org.parent if org.parent and has_capability(request.user, VIEW, org.parent.path) else org,
        },
    )


@login_required
@require_POST
def dues_base(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    form = forms.BaseForm(request.POST, people=selectors.members(request.user, org), prefix="base")
    year = year_param(request)
    if not form.is_valid():
        return _invalid_back(request, form, "membership:dues_branch", org_pk=org.pk)
    data = form.cleaned_data
    return post_action(
        request,
        lambda: services.set_base(
            actor=request.user, person=data["person"], year=year, category=data["category"], base=data["base"] or 0
        ),
        success=_("党费基数已核定。"),
        to="membership:dues_branch",
        org_pk=org.pk,
    )


@login_required
@require_POST
def dues_payment(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    form = forms.PaymentForm(request.POST, people=selectors.members(request.user, org), prefix="pay")
    if not form.is_valid():
        return _invalid_back(request, form, "membership:dues_branch", org_pk=org.pk)
    data = form.cleaned_data
    return post_action(
        request,
        lambda: services.record_payment(actor=request.user, **data),
        success=_("已登记党费交纳。"),
        to="membership:dues_branch",
        org_pk=org.pk,
    )


@login_required
def dues_import(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    require(request.user, MANAGE, org)
    year = year_param(request)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.validate_upload(upload, ("xlsx",))
            result = dues_io.import_bases(
                actor=request.user, org=org, year=year, upload=upload, people=list(selectors.members(request.user, org))
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if result.ok:
                messages.success(request, _("导入成功：核定%(n)d名党员的党费基数。") % {"n": result.updated})
                return redirect("membership:dues_branch", org_pk=org.pk)
    status = 400 if (result and not result.ok) or form.errors else 200
    return render(
        request,
        "membership/dues_import.html",
        {"org": org, "year": year, "form": form, "result": result},
        status=status,
    )


@login_required
def dues_template(request):
    _need(request, MANAGE)
    return xlsx_response(dues_io.template_xlsx(), _("党费基数导入模板.xlsx"))


@login_required
def dues_ledger_xlsx(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk)
    month = _month_param(request)
    rows = selectors.ledger(request.user, org, month)
    return xlsx_response(dues_io.ledger_xlsx(org, month, rows), f"{org.name}-党费-{month:%Y-%m}.xlsx", personal=True)


@login_required
def dues_summary(request, org_pk: int):
    org = selectors.org_for(request.user, org_pk)
    year = year_param(request)
    return render(
        request,
        "membership/dues_summary.html",
        {"org": org, "year": year, "rows": selectors.upper_summary(request.user, org, year), "months": range(1, 13)},
    )


@login_required
def dues_summary_xlsx(request, org_pk: int):
    org = selectors.org_for(request.user, org_pk)
    year = year_param(request)
    rows = selectors.upper_summary(request.user, org, year)
    return xlsx_response(dues_io.summary_xlsx(year, rows), f"{org.name}-党费上缴汇总-{year}.xlsx")


# --- 组织关系转接 -----------------------------------------------------------------------------------


@login_required
def transfers(request):
    _need(request)
    user = request.user
    managed = selectors.branches(user, MANAGE)
    org = managed.filter(pk=request.GET.get("org")).first() if request.GET.get("org", "").isdigit() else None
    org = org or managed.first()
    context = {
        "transfers": selectors.transfers(user)[:100],
        "flowing": selectors.flowing(user)[:100],
        "overdue": selectors.overdue_transfers(user),
        "org": org,
        "managed": managed,
    }
    if org is not None:
        members = selectors.members(user, org)
        context |= {
            "request_form": forms.TransferForm(
                people=members, targets=selectors.transfer_targets(user, org), prefix="move"
            ),
            "letter_form": forms.LetterForm(people=members, prefix="letter"),
            "incoming_form": forms.IncomingForm(people=selectors.non_members(user, org), prefix="in"),
            "flowing_form": forms.FlowingForm(people=members, prefix="flow"),
        }
    return render(request, "membership/transfers.html", context)


def _invalid_back(request, form, to: str, **kwargs):
    """A button-style form that did not validate: its reasons as one message, back to the page."""
    messages.error(
        request, _("请检查填写的内容：%(e)s") % {"e": "；".join(m for ms in form.errors.values() for m in ms)}
    )
    return redirect(to, **kwargs)


def _transfer_post(request, org_pk: int, make_form, run, success: str):
    """One of the transfers page's forms, acting for a branch the user manages."""
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    form = make_form(org)
    if not form.is_valid():
        return _invalid_back(request, form, "membership:transfers")
    return post_action(request, lambda: run(org, form.cleaned_data), success=success, to="membership:transfers")


@login_required
@require_POST
def transfer_request(request, org_pk: int):
    return _transfer_post(
        request,
        org_pk,
        lambda org: forms.TransferForm(
            request.POST,
            people=selectors.members(request.user, org),
            targets=selectors.transfer_targets(request.user, org),
            prefix="move",
        ),
        lambda org, data: services.request_transfer(actor=request.user, **data),
        _("已提出转接申请，等待接收党支部办理。"),
    )


@login_required
@require_POST
def transfer_letter_new(request, org_pk: int):
    return _transfer_post(
        request,
        org_pk,
        lambda org: forms.LetterForm(request.POST, people=selectors.members(request.user, org), prefix="letter"),
        lambda org, data: services.issue_letter(actor=request.user, **data),
        _("已开具介绍信，请打印并跟踪回执。"),
    )


@login_required
@require_POST
def transfer_incoming(request, org_pk: int):
    return _transfer_post(
        request,
        org_pk,
        lambda org: forms.IncomingForm(request.POST, people=selectors.non_members(request.user, org), prefix="in"),
        lambda org, data: services.accept_incoming(actor=request.user, to_org=org, **data),
        _("已接收转入党员。"),
    )


@login_required
@require_POST
def flowing_new(request, org_pk: int):
    return _transfer_post(
        request,
        org_pk,
        lambda org: forms.FlowingForm(request.POST, people=selectors.members(request.user, org), prefix="flow"),
        lambda org, data: services.record_flowing(actor=request.user, **data),
        _("已登记流动党员。"),
    )


@login_required
def transfer(request, pk: int):
    item = selectors.transfer_for(request.user, pk)
    receiving = item.to_org is not None and has_capability(request.user, MANAGE, item.to_org.path)
    sending = item.from_org is not None and has_capability(request.user, MANAGE, item.from_org.path)
    return render(
        request,
        "membership/transfer.html",
        {
            "t": item,
            "receiving": receiving,
            "sending": sending,
            "refuse_form": forms.ReasonForm(),
            "receipt_form": forms.ReceiptForm(),
        },
    )


def _transfer_action(request, pk: int, action, success: str):
    item = selectors.transfer_for(request.user, pk)
    return post_action(request, lambda: action(item), success=success, to="membership:transfer", pk=item.pk)


@login_required
@require_POST
def transfer_accept(request, pk: int):
    return _transfer_action(
        request,
        pk,
        lambda t: services.accept_transfer(actor=request.user, transfer=t),
        _("已接收，该党员已转入本支部。"),
    )


@login_required
@require_POST
def transfer_refuse(request, pk: int):
    reason = request.POST.get("reason", "")
    return _transfer_action(
        request, pk, lambda t: services.refuse_transfer(actor=request.user, transfer=t, reason=reason), _("已退回。")
    )


@login_required
@require_POST
def transfer_receipt(request, pk: int):
    form = forms.ReceiptForm(request.POST)
    if not form.is_valid():
        selectors.transfer_for(request.user, pk)
        messages.error(request, _("请填写回执返回日期。"))
        return redirect("membership:transfer", pk=pk)
    on = form.cleaned_data["on"]
    return _transfer_action(
        request, pk, lambda t: services.record_receipt(actor=request.user, transfer=t, on=on), _("已登记回执。")
    )


@login_required
def transfer_letter(request, pk: int):
    item = selectors.transfer_for(request.user, pk)
    if item.kind != "outgoing":
        raise Http404
    return attachment_response(
        documents.letter_pdf(item), f"介绍信-{item.letter_number}.pdf", "application/pdf", personal=True
    )


# --- 换届 --------------------------------------------------------------------------------------------


@login_required
def terms(request):
    _need(request)
    rows = selectors.terms(request.user)
    return render(
        request,
        "membership/terms.html",
        {
            "rows": rows,
            "due": sum(1 for r in rows if r.state == "due"),
            "overdue": sum(1 for r in rows if r.state == "overdue"),
            "elections": selectors.elections(request.user)[:50],
            "can_manage": has_capability(request.user, MANAGE),
        },
    )


@login_required
def election_new(request, org_pk: int):
    org = selectors.branch_for(request.user, org_pk, MANAGE)
    form = forms.ElectionForm(
        request.POST or None,
        meetings=selectors.branch_meetings(request.user, org, "general_assembly"),
        members=selectors.full_members(request.user, org).order_by("name", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = services.record_election(
                actor=request.user,
                meeting=data["meeting"],
                seats=data["seats"],
                votes=data["votes"],
                posts=data["posts"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已记录换届选举。"))
            return redirect("membership:election", pk=election.pk)
    return render(
        request, "membership/election_new.html", {"org": org, "form": form}, status=400 if form.errors else 200
    )


@login_required
def election(request, pk: int):
    item = selectors.election_for(request.user, pk)
    posts = dict(PostKind.choices)
    return render(
        request,
        "membership/election.html",
        {
            "e": item,
            # (candidate, the post they take if elected: the chosen one by its Chinese name, else 委员)
            "candidates": [
                (c, posts.get(c.post) or PostKind.COMMITTEE_MEMBER.label)
                for c in item.candidates.select_related("person")
            ],
            "can_manage": has_capability(request.user, MANAGE, item.org.path),
        },
    )


@login_required
@require_POST
def election_apply(request, pk: int):
    item = selectors.election_for(request.user, pk)
    return post_action(
        request,
        lambda: services.apply_election(actor=request.user, election=item),
        success=_("新一届支部委员会已生效。"),
        to="membership:election",
        pk=item.pk,
    )


# --- 党员档案 ----------------------------------------------------------------------------------------


@login_required
def record(request, pk: int):
    person = get_for_user(request.user, Person, pk, queryset=selectors.people_for_records(request.user))
    return render(request, "membership/record.html", {"r": records.gather(request.user, person)})


@login_required
def my_record(request):
    person = selectors.own_person(request.user)
    return render(request, "membership/record.html", {"r": records.gather(request.user, person, own=True)})
