"""Thin views of assessment and observation: one access call, one service or selector call, render.

County-level pages (systems, rounds, scoring, observation) first check the county capability, so a school
user gets 403 rather than learning whether an id exists; a school's own result is fetched through the
scoping layer (404 for anyone else's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import indicators as registry
from dangjian.core import rules
from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, prefixes, require, scoped
from dangjian.orgs.models import Org, School

from . import exports, observation, selectors, services
from .forms import (
    AddIndicatorForm,
    CloseForm,
    GroupForm,
    IndicatorForm,
    ObserverForm,
    RectificationForm,
    RoundForm,
    SystemForm,
    VisitForm,
)
from .models import (
    Indicator,
    IndicatorSystem,
    Kind,
    ObservationVisit,
    Observer,
    ObserverGroup,
    Rectification,
    Round,
)


def _guard(request, capability: str) -> None:
    if not has_capability(request.user, capability):
        raise PermissionDenied


def _county_org(user, capability: str) -> Org:
    roots = prefixes(user, capability)
    if not roots:
        raise PermissionDenied
    return scoped(user, Org).get(path=roots[0])


@login_required
def home(request):
    if has_capability(request.user, "assessment.view_county"):
        context = {
            "county": True,
            "systems": list(selectors.systems(request.user)[:10]),
            "page": paginate(request, selectors.rounds(request.user)),
            "visits": list(selectors.visits(request.user)[:10]),
            "can_manage": has_capability(request.user, "assessment.manage"),
        }
    else:
        _guard(request, "assessment.view")
        context = {"county": False, "page": paginate(request, selectors.my_results(request.user))}
    return render(request, "assessment/home.html", context)


@login_required
def system_new(request):
    _guard(request, "assessment.manage")
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            system = services.create_system(
                actor=request.user, org=_county_org(request.user, "assessment.manage"), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("指标体系已按模板建立，可逐项调整。"))
            return redirect("assessment:system", pk=system.pk)
    return render(request, "assessment/system_new.html", {"form": form}, status=400 if form.errors else 200)


def _formulas():
    return sorted((name, str(r.label)) for name, r in registry.registered().items())


@login_required
def system_detail(request, pk: int):
    _guard(request, "assessment.view_county")
    system = get_for_user(request.user, IndicatorSystem, pk)
    nodes = selectors.tree(request.user, system)
    connected = set(registry.registered())
    context = {
        "system": system,
        "nodes": nodes,
        "total": sum(n.max_points for n in nodes),
        "connected": connected,
        "can_manage": has_capability(request.user, "assessment.manage", system.org.path),
        "round_form": RoundForm(),
        "add_form": AddIndicatorForm(
            groups=scoped(request.user, Indicator).filter(system=system, kind=Kind.GROUP), formulas=_formulas()
        ),
        "rounds": selectors.rounds(request.user).filter(system=system)[:20],
    }
    return render(request, "assessment/system.html", context)


@login_required
@require_POST
def indicator_edit(request, pk: int):
    _guard(request, "assessment.manage")
    indicator = get_for_user(request.user, Indicator, pk, write=True)
    form = IndicatorForm(request.POST, editing=indicator)

    def update():
        if not form.is_valid():
            raise ValidationError(list(form.non_field_errors()) or _("请检查填写的内容。"))
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        services.update_indicator(actor=request.user, indicator=indicator, **data)

    return post_action(request, update, success=_("已保存。"), to="assessment:system", pk=indicator.system_id)


@login_required
@require_POST
def indicator_add(request, pk: int):
    _guard(request, "assessment.manage")
    system = get_for_user(request.user, IndicatorSystem, pk, write=True)
    groups = scoped(request.user, Indicator).filter(system=system, kind=Kind.GROUP)
    form = AddIndicatorForm(request.POST, groups=groups, formulas=_formulas())

    def add():
        if not form.is_valid():
            raise ValidationError(_("请检查填写的内容。"))
        data = dict(form.cleaned_data)
        parent = data.pop("parent")
        data["target"] = data.get("target") or 1.0
        services.add_indicator(actor=request.user, system=system, parent=parent, **data)

    return post_action(request, add, success=_("已添加指标。"), to="assessment:system", pk=system.pk)


@login_required
@require_POST
def indicator_delete(request, pk: int):
    _guard(request, "assessment.manage")
    indicator = get_for_user(request.user, Indicator, pk, write=True)
    return post_action(
        request,
        lambda: services.delete_indicator(actor=request.user, indicator=indicator),
        to="assessment:system",
        pk=indicator.system_id,
    )


@login_required
@require_POST
def round_new(request, pk: int):
    _guard(request, "assessment.manage")
    system = get_for_user(request.user, IndicatorSystem, pk, write=True)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.create_round(actor=request.user, system=system, **form.cleaned_data)
        except ValidationError as exc:  # the new round's page on success, so not a post_action
            messages.error(request, error_text(exc))
        else:
            return redirect("assessment:round", pk=round_.pk)
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect("assessment:system", pk=system.pk)


@login_required
def round_detail(request, pk: int):
    _guard(request, "assessment.view_county")
    round_ = get_for_user(request.user, Round, pk)
    context = {
        "round": round_,
        "page": paginate(request, selectors.round_results(request.user, round_), 30),
        "summary": selectors.round_summary(round_),
        "can_manage": has_capability(request.user, "assessment.manage", round_.system.org.path),
        "can_score": has_capability(request.user, "assessment.score", round_.system.org.path),
    }
    return render(request, "assessment/round.html", context)


@login_required
@require_POST
def round_compute(request, pk: int):
    _guard(request, "assessment.manage")
    round_ = get_for_user(request.user, Round, pk, write=True)

    def compute():
        n = services.compute_round(actor=request.user, round=round_)
        messages.success(request, _("已计算%(n)d所学校的结果。") % {"n": n})

    return post_action(request, compute, to="assessment:round", pk=round_.pk)


@login_required
@require_POST
def round_publish(request, pk: int):
    _guard(request, "assessment.manage")
    round_ = get_for_user(request.user, Round, pk, write=True)
    published = request.POST.get("published") == "1"
    return post_action(
        request,
        lambda: services.set_published(actor=request.user, round=round_, published=published),
        to="assessment:round",
        pk=round_.pk,
    )


@login_required
def round_export(request, pk: int):
    _guard(request, "assessment.view_county")
    round_ = get_for_user(request.user, Round, pk)
    leaves = scoped(request.user, Indicator).filter(system=round_.system).order_by("order", "code")
    return xlsx_response(exports.round_xlsx(actor=request.user, round=round_, leaves=leaves), f"round-{round_.pk}.xlsx")


@login_required
def score(request, pk: int, school_pk: int):
    _guard(request, "assessment.score")
    round_ = get_for_user(request.user, Round, pk)
    require(request.user, "assessment.score", round_.system.org.path)
    school = get_for_user(request.user, School, school_pk)
    items = list(scoped(request.user, Indicator).filter(system=round_.system, kind=Kind.SCORED).order_by("order"))
    existing = {s.indicator_id: s for s in round_.scores.filter(school=school)}
    errors = []
    if request.method == "POST":
        for ind in items:
            points = request.POST.get(f"points_{ind.pk}", "").strip()
            if not points:
                continue
            try:
                existing[ind.pk] = services.record_score(
                    actor=request.user,
                    round=round_,
                    indicator=ind,
                    school=school,
                    points=points,
                    comment=request.POST.get(f"comment_{ind.pk}", ""),
                    evidence=request.POST.get(f"evidence_{ind.pk}", ""),
                )
            except (ValidationError, ArithmeticError, ValueError) as exc:
                errors.append(f"{ind.code}：{error_text(exc)}")
        if not errors:
            messages.success(request, _("评分已保存，重新计算后计入结果。"))
            return redirect("assessment:round", pk=round_.pk)
    rows = [(ind, existing.get(ind.pk)) for ind in items]
    return render(
        request,
        "assessment/score.html",
        {"round": round_, "school": school, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def result_detail(request, pk: int):
    result = selectors.result_for(request.user, pk)
    round_ = result.round
    stats = selectors.indicator_stats(round_)
    lines = [(line, stats.get(line.indicator_id)) for line in selectors.result_lines(request.user, result)]
    ranking = None
    if selectors.may_see_ranking(request.user, round_):
        ranking = paginate(request, selectors.public_ranking(round_), 30)
    context = {
        "result": result,
        "round": round_,
        "lines": lines,
        "summary": selectors.round_summary(round_),
        "ranking": ranking,
        "page": ranking,
    }
    return render(request, "assessment/result.html", context)


@login_required
def gap(request, pk: int):
    result = selectors.result_for(request.user, pk)
    rows, steps = selectors.gap_report(request.user, result)
    return render(request, "assessment/gap.html", {"result": result, "rows": rows, "steps": steps})


# --- on-site observation ---------------------------------------------------------------------------


@login_required
def visit_new(request):
    _guard(request, "assessment.manage")
    org = _county_org(request.user, "assessment.manage")
    form = VisitForm(
        request.POST or None,
        schools=scoped(request.user, School).filter(org__path__startswith=org.path),
        systems=selectors.systems(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.create_visit(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("观摩活动已建立：请排定路线和时间，添加观摩组和观摩人员。"))
            return redirect("assessment:visit", pk=visit.pk)
    return render(request, "assessment/visit_new.html", {"form": form}, status=400 if form.errors else 200)


def _strength_share(visit) -> float:
    return rules.rule_values("assessment", "observation", on=visit.visit_on, org_path=visit.org.path)["strength_share"]


def _county_visit(request, pk: int, *, write: bool = False) -> ObservationVisit:
    _guard(request, "assessment.manage" if write else "assessment.view_county")
    return get_for_user(request.user, ObservationVisit, pk, write=write)


def observer_link(request, observer) -> str:
    return request.build_absolute_uri(reverse("assessment:observe", args=[observation.token_for(observer)]))


@login_required
def visit_detail(request, pk: int):
    visit = _county_visit(request, pk)
    sheet = selectors.observation_sheet(request.user, visit, _strength_share(visit))
    can_manage = has_capability(request.user, "assessment.manage", visit.org.path)
    route, rows, sent = selectors.arrivals(visit)
    groups = selectors.groups(visit)
    for row in rows:  # the organizer hands each observer their personal link
        row.link = observer_link(request, row.observer) if can_manage and not visit.is_closed else ""
    context = {
        "visit": visit,
        "sheet": sheet,
        "route": route,
        "arrivals": rows,
        "sent": sent,
        "groups": groups,
        "can_observe": has_capability(request.user, "assessment.observe", visit.org.path),
        "can_manage": can_manage,
        "group_form": GroupForm(),
        "observer_form": ObserverForm(groups=scoped(request.user, ObserverGroup).filter(visit=visit)),
        "close_form": CloseForm(initial={"due_on": observation.default_due(visit)}),
        "mine": any(r.observer.user_id == request.user.pk for r in rows),
    }
    return render(request, "assessment/visit.html", context)


@login_required
def visit_arrivals(request, pk: int):
    """The part of the organizer's page that shows the sheets arriving; the page asks for it every few seconds."""
    visit = _county_visit(request, pk)
    route, rows, sent = selectors.arrivals(visit)
    return render(
        request, "assessment/_arrivals.html", {"visit": visit, "route": route, "arrivals": rows, "sent": sent}
    )


@login_required
@require_POST
def visit_route(request, pk: int):
    visit = _county_visit(request, pk, write=True)

    def save():
        stops = []
        for stop in selectors.stops(visit):
            order = request.POST.get(f"order_{stop.pk}", "").strip()
            when = request.POST.get(f"time_{stop.pk}", "").strip()
            try:
                number = int(order) if order else stop.order
                arrive_at = observation.arrival(visit, when) if when else None
            except ValueError as exc:
                raise ValidationError(
                    _("%(s)s 的顺序或时间格式不对（时间如 2026-11-20 09:30）。") % {"s": stop.school.name}
                ) from exc
            stops.append((stop.pk, number, arrive_at))
        services.set_route(actor=request.user, visit=visit, stops=stops)

    return post_action(request, save, success=_("路线已保存。"), to="assessment:visit", pk=visit.pk)


@login_required
@require_POST
def visit_group(request, pk: int):
    visit = _county_visit(request, pk, write=True)
    form = GroupForm(request.POST)

    def add():
        if not form.is_valid():
            raise ValidationError(_("请填写观摩组名称。"))
        services.add_group(actor=request.user, visit=visit, name=form.cleaned_data["name"])

    return post_action(request, add, success=_("已添加观摩组。"), to="assessment:visit", pk=visit.pk)


@login_required
@require_POST
def visit_observer(request, pk: int):
    visit = _county_visit(request, pk, write=True)
    form = ObserverForm(request.POST, groups=scoped(request.user, ObserverGroup).filter(visit=visit))

    def add():
        if not form.is_valid():
            raise ValidationError(_("请检查填写的内容。"))
        data = form.cleaned_data
        user = observation.account(data["username"]) if data["username"].strip() else None
        services.add_observer(
            actor=request.user,
            visit=visit,
            name=data["name"],
            unit=data["unit"],
            group=data["group"],
            user=user,
            leader=data["leader"],
        )

    return post_action(
        request, add, success=_("已添加观摩人员，个人评分链接见名单。"), to="assessment:visit", pk=visit.pk
    )


@login_required
@require_POST
def visit_close(request, pk: int):
    visit = _county_visit(request, pk, write=True)
    form = CloseForm(request.POST)

    def close():
        if not form.is_valid():
            raise ValidationError(_("请填写整改期限。"))
        n = services.close_visit(actor=request.user, visit=visit, due_on=form.cleaned_data["due_on"])
        messages.success(request, _("观摩活动已结束，%(n)d个问题已转为学校的整改事项。") % {"n": n})

    return post_action(request, close, to="assessment:visit_report", pk=visit.pk)


@login_required
def observer_qr(request, pk: int, observer_pk: int):
    """The observer's personal link as a QR code, for the organizer to show or print (qrcode is a dependency)."""
    visit = _county_visit(request, pk, write=True)
    observer = get_for_user(
        request.user, Observer, observer_pk, queryset=scoped(request.user, Observer).filter(visit=visit)
    )
    return HttpResponse(observation.qr_png(observer_link(request, observer)), content_type="image/png")


@login_required
def visit_mine(request, pk: int):
    """An observer with an account opens their own sheets (the same page as their personal link)."""
    observer = observation.observer_of_user(request.user, pk)
    return redirect("assessment:observe", token=observation.token_for(observer))


@login_required
def visit_report(request, pk: int):
    visit = _county_visit(request, pk)
    sheet, reports = selectors.visit_report(request.user, visit, _strength_share(visit))
    return render(request, "assessment/visit_report.html", {"visit": visit, "sheet": sheet, "reports": reports})


@login_required
def visit_bulletin(request, pk: int):
    visit = _county_visit(request, pk)
    sheet, reports = selectors.visit_report(request.user, visit, _strength_share(visit))
    content = exports.bulletin_pdf(actor=request.user, visit=visit, sheet=sheet, reports=reports)
    return attachment_response(content, f"observation-{visit.pk}-bulletin.pdf", "application/pdf")


@login_required
def visit_export(request, pk: int):
    visit = _county_visit(request, pk)
    sheet = selectors.observation_sheet(request.user, visit, _strength_share(visit))
    return xlsx_response(
        exports.sheet_xlsx(actor=request.user, visit=visit, sheet=sheet), f"observation-{visit.pk}.xlsx"
    )


@login_required
def visit_score(request, pk: int, school_pk: int):
    _guard(request, "assessment.observe")
    visit = get_for_user(request.user, ObservationVisit, pk)
    require(request.user, "assessment.observe", visit.org.path)
    school = get_for_user(request.user, School, school_pk)
    error = None
    if request.method == "POST":
        marks = {}
        for item in visit.items:
            value = request.POST.get(f"item_{item['key']}", "").strip()
            if value:
                marks[item["key"]] = (value, request.POST.get(f"note_{item['key']}", ""))
        try:
            services.record_observation(actor=request.user, visit=visit, school=school, marks=marks)
        except (ValidationError, ArithmeticError) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("已保存%(s)s的观摩评分。") % {"s": school.name})
            return redirect("assessment:visit", pk=visit.pk)
    observer = selectors.observer_row(visit, request.user)
    mine = selectors.marks_of(observer, school.pk) if observer else {}
    rows = [(item, mine.get(item["key"])) for item in visit.items]
    return render(
        request,
        "assessment/visit_score.html",
        {"visit": visit, "school": school, "rows": rows, "error": error},
        status=400 if error else 200,
    )


# --- the observer's own sheets, through a personal signed link (no login needed) ----------------------------------


@observation.link_required
def observe(request, observer, token: str):
    visit = observer.visit
    route, rows, _sent = selectors.arrivals(visit)
    mine = next((r for r in rows if r.observer.pk == observer.pk), None)
    stops = list(zip(route, mine.cells if mine else [None] * len(route), strict=True))
    return render(
        request, "assessment/observe.html", {"observer": observer, "visit": visit, "stops": stops, "token": token}
    )


@observation.link_required
def observe_sheet(request, observer, token: str, school_pk: int):
    """The phone score sheet of one school. Saved on the phone at every input (static/js/observation-sheet.js) and
    sent when there is a connection; a sheet sent twice replaces the first."""
    visit = observer.visit
    stop = next((s for s in selectors.stops(visit) if s.school_id == school_pk), None)
    if stop is None:
        raise Http404
    school = stop.school
    error = ""
    if request.method == "POST":
        marks, problems = observation.read_sheet(request.POST, visit)
        try:
            services.submit_sheet(observer=observer, school=school, marks=marks, problems=problems)
        except ValidationError as exc:
            error = error_text(exc)
        if request.headers.get("X-Sheet-Sync"):
            return JsonResponse({"ok": not error, "detail": [error] if error else []}, status=422 if error else 200)
        if not error:
            messages.success(request, _("已提交%(s)s的评分表。") % {"s": school.name})
            return redirect("assessment:observe", token=token)
    marks = selectors.marks_of(observer, school.pk)
    problems = selectors.problems_of(observer, school.pk)
    found = selectors.evidence(visit, school, request.user)
    rows = [
        (item, marks.get(item["key"]), "\n".join(p.text for p in problems if p.item == item["key"]), found[item["key"]])
        for item in visit.items
    ]
    context = {
        "observer": observer,
        "visit": visit,
        "school": school,
        "stop": stop,
        "rows": rows,
        "general": "\n".join(p.text for p in problems if not p.item),
        "earlier": selectors.earlier_rectifications(visit, school),
        "token": token,
        "error": error,
        "sent": bool(marks),
    }
    return render(request, "assessment/observe_sheet.html", context, status=400 if error else 200)


# --- rectification (整改) -----------------------------------------------------------------------------------------


@login_required
def rectification_list(request):
    _guard(request, "assessment.view")
    page = paginate(request, selectors.rectifications(request.user))
    return render(request, "assessment/rectifications.html", {"page": page, "form": RectificationForm()})


@login_required
@require_POST
def rectification_done(request, pk: int):
    item = get_for_user(request.user, Rectification, pk, write=True)
    form = RectificationForm(request.POST, request.FILES)

    def done():
        if not form.is_valid():
            raise ValidationError(_("请写明整改情况。"))
        services.complete_rectification(
            actor=request.user, rectification=item, report=form.cleaned_data["report"], file=form.cleaned_data["file"]
        )

    return post_action(request, done, success=_("已报告整改完成。"), to="assessment:rectifications")
