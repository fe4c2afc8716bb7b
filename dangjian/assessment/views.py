"""Thin views of assessment and observation: one access call, one service or selector call, render.

County-level pages (systems, rounds, scoring, observation) first check the county capability, so a school
user gets 403 rather than learning whether an id exists; a school's own result is fetched through the
scoping layer (404 for anyone else's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import indicators as registry
from dangjian.core import rules
from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, prefixes, require, scoped
from dangjian.orgs.models import Org, School

from . import exports, selectors, services
from .forms import AddIndicatorForm, IndicatorForm, RoundForm, SystemForm, VisitForm
from .models import Indicator, IndicatorSystem, Kind, ObservationVisit, Round


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
    form = VisitForm(request.POST or None, schools=scoped(request.user, School).filter(org__path__startswith=org.path))
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.create_visit(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("assessment:visit", pk=visit.pk)
    return render(request, "assessment/visit_new.html", {"form": form}, status=400 if form.errors else 200)


def _strength_share(visit) -> float:
    return rules.rule_values("assessment", "observation", on=visit.visit_on, org_path=visit.org.path)["strength_share"]


@login_required
def visit_detail(request, pk: int):
    _guard(request, "assessment.view_county")
    visit = get_for_user(request.user, ObservationVisit, pk)
    sheet = selectors.observation_sheet(request.user, visit, _strength_share(visit))
    return render(
        request,
        "assessment/visit.html",
        {
            "visit": visit,
            "sheet": sheet,
            "can_observe": has_capability(request.user, "assessment.observe", visit.org.path),
        },
    )


@login_required
def visit_export(request, pk: int):
    _guard(request, "assessment.view_county")
    visit = get_for_user(request.user, ObservationVisit, pk)
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
    mine = selectors.my_marks(request.user, visit, school.pk)
    rows = [(item, mine.get(item["key"])) for item in visit.items]
    return render(
        request,
        "assessment/visit_score.html",
        {"visit": visit, "school": school, "rows": rows, "error": error},
        status=400 if error else 200,
    )
