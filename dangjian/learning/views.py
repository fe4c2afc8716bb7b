"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import files
from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require, scoped
from dangjian.learning import forms, ledger, questions_io, selectors, services
from dangjian.learning.models import (
    Attempt,
    CallStatus,
    Contest,
    Essay,
    EssayCall,
    HoursCategory,
    ItemKind,
    Material,
    PlanItem,
    QuestionBank,
    StudyPlan,
)
from dangjian.orgs.models import Org, Person
from dangjian.orgs.selectors import live_orgs


def _manage_orgs(user):
    orgs = live_orgs(user, "learning.manage").exclude(kind="group")
    if not has_capability(user, "learning.manage"):
        raise PermissionDenied
    return orgs


def _visible(user, model, pk):
    return get_for_user(user, model, pk, queryset=selectors.visible(user, model))


def _download(name: str) -> HttpResponse:
    """An attachment read through the storage API (local disk or S3) and served after the access check.
    Uploads are capped (UPLOAD_MAX_BYTES), so reading one into memory is bounded."""
    with default_storage.open(name) as handle:
        content = handle.read()
    return attachment_response(content, name, personal=True)


def _error(form, exc: ValidationError) -> None:
    form.add_error(None, exc)


# --- hub and hours --------------------------------------------------------------------------------


@login_required
def index(request):
    now = timezone.now()
    return render(
        request,
        "learning/index.html",
        {
            "statuses": selectors.my_hours(request.user, timezone.localdate()),
            "plans": selectors.meant_for(request.user, selectors.plans(request.user))[:5],
            "contests": selectors.open_now(selectors.meant_for(request.user, selectors.contests(request.user)), now)[
                :5
            ],
            "calls": selectors.calls(request.user).filter(status=CallStatus.OPEN)[:5],
            "can_manage": has_capability(request.user, "learning.manage"),
            "progress_org": scoped(request.user, Org, "learning.progress").order_by("path").first(),
        },
    )


@login_required
def hours(request):
    statuses = selectors.my_hours(request.user, timezone.localdate())
    page = paginate(request, selectors.my_records(request.user))
    return render(request, "learning/hours.html", {"statuses": statuses, "page": page})


@login_required
def record_add(request):
    person = services.person_of(request.user)
    if person is None:
        raise PermissionDenied
    form = forms.RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("培训记录已登记。"))
            return redirect("learning:hours")
    values = ledger.training_rules(timezone.localdate(), person.org.path)
    return render(
        request, "learning/form.html", {"form": form, "title": _("登记培训"), "categories": values["categories"]}
    )


@login_required
def progress(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "learning.progress", org)
    ledger_name = request.GET.get("ledger", HoursCategory.PARTY_TRAINING)
    if ledger_name not in HoursCategory.values:
        raise Http404
    page = paginate(request, selectors.progress_people(request.user, org, ledger_name))
    rows = selectors.progress(list(page.object_list), ledger_name, timezone.localdate())
    behind = request.GET.get("behind") == "1"
    if behind:
        rows = [(p, s) for p, s in rows if not s.on_track]
    return render(
        request,
        "learning/progress.html",
        {
            "org": org,
            "page": page,
            "rows": rows,
            "ledger": ledger_name,
            "ledgers": HoursCategory.choices,
            "behind": behind,
        },
    )


# --- materials ------------------------------------------------------------------------------------


@login_required
def materials(request):
    topic = request.GET.get("topic", "")
    page = paginate(request, selectors.materials(request.user, topic))
    return render(
        request,
        "learning/materials.html",
        {
            "page": page,
            "topics": selectors.topics(request.user),
            "topic": topic,
            "can_manage": has_capability(request.user, "learning.manage"),
        },
    )


@login_required
def material(request, pk: int):
    return render(request, "learning/material.html", {"material": _visible(request.user, Material, pk)})


@login_required
def material_file(request, pk: int):
    item = _visible(request.user, Material, pk)
    if not item.file:
        raise Http404
    return _download(item.file.name)


@login_required
def material_add(request):
    form = forms.MaterialForm(request.POST or None, request.FILES or None, orgs=_manage_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_material(
                actor=request.user,
                org=data["org"],
                title=data["title"],
                topic=data["topic"],
                kind=data["kind"],
                upload=data["file"],
                url=data["url"],
                body=data["body"],
            )
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:material", pk=item.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("发布学习资料"), "multipart": True})


# --- study plans ----------------------------------------------------------------------------------


@login_required
def plans(request):
    page = paginate(request, selectors.plans(request.user))
    return render(
        request, "learning/plans.html", {"page": page, "can_manage": has_capability(request.user, "learning.manage")}
    )


@login_required
def plan(request, pk: int):
    item = _visible(request.user, StudyPlan, pk)
    return render(
        request,
        "learning/plan.html",
        {
            "plan": item,
            "items": selectors.plan_items(request.user, item),
            "eligible": services.is_eligible(services.person_of(request.user), item.org, item.audience),
            "can_manage": has_capability(request.user, "learning.manage", item.org.path),
        },
    )


@login_required
def plan_add(request):
    form = forms.PlanForm(
        request.POST or None, orgs=_manage_orgs(request.user), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:plan", pk=item.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("制定学习计划")})


@login_required
def item_add(request, pk: int):
    item_plan = _visible(request.user, StudyPlan, pk)
    require(request.user, "learning.manage", item_plan.org)
    form = forms.PlanItemForm(request.POST or None, materials=selectors.materials(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_item(actor=request.user, plan=item_plan, **form.cleaned_data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:plan", pk=item_plan.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("添加学习内容：") + item_plan.title})


def _item(user, pk: int) -> PlanItem:
    return get_for_user(user, PlanItem, pk, queryset=selectors.plan_items_visible(user))


@login_required
@require_POST
def item_done(request, pk: int):
    item = _item(request.user, pk)
    return post_action(
        request,
        lambda: services.complete_item(actor=request.user, item=item),
        success=_("已标记完成，学时已计入。"),
        to="learning:plan",
        pk=item.plan_id,
    )


@login_required
def session(request, pk: int):
    item = _item(request.user, pk)
    require(request.user, "learning.manage", item.plan.org)
    if item.kind != ItemKind.SESSION:
        raise Http404
    roster = selectors.session_roster(request.user, item)
    present = selectors.attendees(item)
    form = forms.SessionForm(
        request.POST or None,
        roster=roster,
        initial={"held_on": item.held_on or timezone.localdate(), "people": list(present)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = services.record_session(
                actor=request.user, item=item, held_on=form.cleaned_data["held_on"], people=form.cleaned_data["people"]
            )
        except ValidationError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("已登记出席，新增%(n)d人。") % {"n": n})
            return redirect("learning:plan", pk=item.plan_id)
    return render(request, "learning/form.html", {"form": form, "title": _("登记集中学习出席：") + item.title})


# --- question banks -------------------------------------------------------------------------------


@login_required
def banks(request):
    if not has_capability(request.user, "learning.manage"):
        raise PermissionDenied
    page = paginate(request, scoped(request.user, QuestionBank, "learning.manage").select_related("org"))
    return render(request, "learning/banks.html", {"page": page})


@login_required
def bank(request, pk: int):
    item = get_for_user(request.user, QuestionBank, pk, write=True)
    page = paginate(request, item.questions.order_by("id"), 50)
    return render(request, "learning/bank.html", {"bank": item, "page": page})


@login_required
def bank_add(request):
    form = forms.BankForm(request.POST or None, orgs=_manage_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_bank(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:bank_import", pk=item.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("新建题库")})


@login_required
def bank_import(request, pk: int):
    item = get_for_user(request.user, QuestionBank, pk, write=True)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.validate_upload(upload, ("xlsx",))
            result = questions_io.import_xlsx(actor=request.user, bank=item, upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if result.ok:
                messages.success(request, _("导入成功：新增%(n)d道试题。") % {"n": result.created})
                return redirect("learning:bank", pk=item.pk)
    status = 400 if (result and not result.ok) or form.errors else 200
    return render(request, "learning/bank_import.html", {"bank": item, "form": form, "result": result}, status=status)


@login_required
def bank_template(request):
    return xlsx_response(questions_io.template_xlsx(), _("题库导入模板.xlsx"))


# --- contests -------------------------------------------------------------------------------------


@login_required
def contests(request):
    page = paginate(request, selectors.contests(request.user))
    return render(
        request,
        "learning/contests.html",
        {"page": page, "can_manage": has_capability(request.user, "learning.manage")},
    )


@login_required
def contest(request, pk: int):
    item = _visible(request.user, Contest, pk)
    return render(
        request,
        "learning/contest.html",
        {
            "contest": item,
            "attempts": selectors.my_attempts(request.user, item),
            "eligible": services.is_eligible(services.person_of(request.user), item.org, item.audience),
            "is_open": item.opens_at <= timezone.now() <= item.closes_at,
            "can_see_results": has_capability(request.user, "learning.progress"),
        },
    )


@login_required
def contest_add(request):
    orgs = _manage_orgs(request.user)
    form = forms.ContestForm(
        request.POST or None, orgs=orgs, banks=scoped(request.user, QuestionBank, "learning.manage")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_contest(actor=request.user, draw_rules=data.pop("rules"), **data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:contest", pk=item.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("发起知识竞赛")})


@login_required
@require_POST
def contest_start(request, pk: int):
    item = _visible(request.user, Contest, pk)
    try:
        attempt = services.start_attempt(actor=request.user, contest=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("learning:contest", pk=item.pk)
    return redirect("learning:attempt", pk=attempt.pk)


@login_required
def attempt(request, pk: int):
    item = get_for_user(request.user, Attempt, pk)
    return render(request, "learning/attempt.html", selectors.paper(item, timezone.now()))


@login_required
@require_POST
def attempt_submit(request, pk: int):
    item = get_for_user(request.user, Attempt, pk)
    answers = {}
    for entry in item.paper:
        key = f"q{entry['q']}"
        values = request.POST.getlist(key)
        answers[str(entry["q"])] = "".join(values) if len(values) > 1 else (values[0] if values else "")
    return post_action(
        request,
        lambda: services.submit_attempt(actor=request.user, attempt=item, answers=answers),
        success=_("已提交。"),
        to="learning:attempt",
        pk=item.pk,
    )


@login_required
def contest_results(request, pk: int):
    item = _visible(request.user, Contest, pk)
    if not has_capability(request.user, "learning.progress"):
        raise PermissionDenied
    rows = selectors.contest_results(request.user, item)
    return render(
        request,
        "learning/contest_results.html",
        {"contest": item, "page": paginate(request, rows, 50), "total": selectors.results_total(rows)},
    )


# --- essay contests -------------------------------------------------------------------------------


@login_required
def calls(request):
    page = paginate(request, selectors.calls(request.user))
    return render(
        request, "learning/calls.html", {"page": page, "can_manage": has_capability(request.user, "learning.manage")}
    )


@login_required
def call(request, pk: int):
    item = _visible(request.user, EssayCall, pk)
    can_manage = has_capability(request.user, "learning.manage", item.org.path)
    final = item.status == CallStatus.FINAL
    return render(
        request,
        "learning/call.html",
        {
            "call": item,
            "mine": selectors.my_essay(request.user, item),
            "form": forms.EssayForm(),
            "eligible": services.is_eligible(services.person_of(request.user), item.org, item.audience),
            "is_open": item.status == CallStatus.OPEN and timezone.now() <= item.deadline,
            "is_judge": services.is_judge(request.user, item),
            "can_manage": can_manage,
            "page": paginate(request, selectors.results(item))
            if final and (can_manage or services.is_judge(request.user, item))
            else None,
            "essay_count": item.essays.count(),
        },
    )


@login_required
def call_add(request):
    orgs = _manage_orgs(request.user)
    judges = scoped(request.user, Person, "learning.manage").filter(user__isnull=False, is_active=True)
    form = forms.CallForm(request.POST or None, orgs=orgs, judges=judges)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["judges"] = [p.user for p in data["judges"]]
        try:
            item = services.create_call(actor=request.user, **data)
        except ValidationError as exc:
            _error(form, exc)
        else:
            return redirect("learning:call", pk=item.pk)
    return render(request, "learning/form.html", {"form": form, "title": _("发起征文")})


@login_required
@require_POST
def essay_submit(request, pk: int):
    item = _visible(request.user, EssayCall, pk)
    form = forms.EssayForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_essay(
                actor=request.user,
                call=item,
                title=data["title"],
                text=data["text"],
                upload=data["file"],
                consent_public=data["consent_public"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("投稿成功。评审时作品以匿名编号呈现。"))
    else:
        messages.error(request, _("请填写题目。"))
    return redirect("learning:call", pk=item.pk)


def _judge_call(user, pk: int) -> EssayCall:
    item = _visible(user, EssayCall, pk)
    if not services.is_judge(user, item):
        raise PermissionDenied
    return item


@login_required
def judge(request, pk: int):
    item = _judge_call(request.user, pk)
    page = paginate(request, selectors.essays_to_judge(request.user, item))
    reviews = selectors.my_reviews(request.user, item)
    page.object_list = list(page.object_list)
    for essay in page.object_list:
        essay.my_review = reviews.get(essay.pk)
    return render(
        request,
        "learning/judge.html",
        {
            "call": item,
            "page": page,
            "final": item.status == CallStatus.FINAL,
            "can_review": item.status == CallStatus.OPEN and timezone.now() > item.deadline,
        },
    )


@login_required
@require_POST
def review(request, pk: int, essay_pk: int):
    item = _judge_call(request.user, pk)
    essay = get_for_user(request.user, Essay, essay_pk, queryset=selectors.essays_to_judge(request.user, item))
    scores = {r["name"]: request.POST.get(f"score_{i}", "") for i, r in enumerate(item.rubric)}
    return post_action(
        request,
        lambda: services.review_essay(
            actor=request.user, essay=essay, scores=scores, comment=request.POST.get("comment", "")
        ),
        success=_("已保存对 %(c)s 的评分。") % {"c": essay.blind_code},
        to="learning:judge",
        pk=item.pk,
    )


@login_required
def essay_file(request, pk: int, essay_pk: int):
    item = _judge_call(request.user, pk)
    essay = get_for_user(request.user, Essay, essay_pk, queryset=selectors.essays_to_judge(request.user, item))
    if not essay.file:
        raise Http404
    return _download(essay.file.name)


@login_required
@require_POST
def finalize(request, pk: int):
    item = get_for_user(request.user, EssayCall, pk, write=True)
    try:
        item = services.finalize_call(actor=request.user, call=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("成绩已公布。"))
        if item.withheld:
            messages.warning(
                request,
                _("有%(n)d篇作品的作者当前不符合评奖条件，未授奖，名次依次递补。") % {"n": item.withheld},
            )
    return redirect("learning:call", pk=item.pk)


def winners(request, pk: int):
    """Public: the consenting winners of a call whose scores are final (no login: a public honour roll)."""
    item = selectors.final_call(pk)
    return render(request, "learning/winners.html", {"call": item, "page": paginate(request, selectors.winners(item))})
