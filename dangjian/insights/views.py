"""The county dashboard and its drill-down: county → school → record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import periods
from dangjian.core.actions import post_action
from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability
from dangjian.orgs.models import School

from . import compare, exports, lag, selectors, services
from .forms import LagSuperviseForm

HEAT_PAGE = 30


def _guard(request) -> None:
    if not has_capability(request.user, "insights.view_county"):
        raise PermissionDenied


def _heat_order(request) -> str:
    return "county" if request.GET.get("order") == "county" else "lag"


def _board(request):
    """The page of schools the heat map shows: worst first by lag over its twelve months (the default), or in
    the county's own order (`?order=county`)."""
    today = timezone.localdate()
    rows = selectors.heat_rows(request.user, today, worst_first=_heat_order(request) == "lag")
    page = paginate(request, rows, HEAT_PAGE)
    return page, selectors.dashboard(request.user, list(page.object_list), today)


def _chart_data(board) -> dict:
    heat = board.heat
    data = []
    for y, row in enumerate(heat.rows):
        for x, value in enumerate(row["cells"]):
            if value is not None:
                data.append([x, y, round(value * 100, 1)])
    return {
        "heat": {
            "months": heat.months,
            "schools": [r["school"].name for r in heat.rows],
            "lags": [r.get("lag") for r in heat.rows],
            "urls": [r["url"] for r in heat.rows],
            "data": data,
        },
        "ranking": {
            "names": [r.school.name for r in board.top],
            "scores": [float(r.score) for r in board.top],
            "urls": [reverse("assessment:result", args=[r.pk]) for r in board.top],
        },
        "grades": [[g, n] for g, n in board.grades],
        "rounds": [[name, value] for name, value in board.rounds_trend],
        "compliance": [[month, value] for month, value in board.compliance_trend],
        "labels": {
            "no_data": _("无数据"),
            "compliance": _("月度合规率（%）"),
            "rounds": _("各轮平均折算分"),
            "scale": _("完成比例"),
            "lag": _("落后"),
        },
    }


@login_required
def dashboard(request):
    _guard(request)
    page, board = _board(request)
    context = {
        "board": board,
        "page": page,
        "chart_data": _chart_data(board),
        "order": _heat_order(request),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def export(request, table: str):
    _guard(request)
    if table not in exports.TABLES:
        raise Http404
    # Every row of the table shown, not the page's 30 schools or the top 15: all the schools the user oversees.
    today = timezone.localdate()
    board = selectors.dashboard(
        request.user, selectors.heat_rows(request.user, today, worst_first=False), today, whole=True
    )
    overdue_rows = selectors.overdue_all(request.user, board.today)[:5000] if table == "overdue" else None
    content = exports.xlsx(actor=request.user, table=table, board=board, overdue_rows=overdue_rows)
    return xlsx_response(content, f"dashboard-{table}.xlsx", personal=table == "overdue")


@login_required
def pdf(request):
    _guard(request)
    _page, board = _board(request)
    return attachment_response(exports.pdf(actor=request.user, board=board), "dashboard.pdf", "application/pdf")


@login_required
def school(request, pk: int):
    school = get_for_user(request.user, School, pk, capability=None)
    today = timezone.localdate()
    period, _error = _period(request)
    context = {
        "school": school,
        "compliance": selectors.school_compliance(request.user, school, today),
        "results": selectors.school_results(request.user, school),
        "targets": selectors.school_targets(request.user, school, today),
        "today": today,
        "period": period,
        "lag": lag.lag_rows(request.user, period, schools=[school])[0],
        "overdue_targets": lag.overdue_targets(request.user, period, today, "assignments.view")
        .filter(org__path__startswith=school.org.path)
        .select_related("assignment", "org")
        .order_by("assignment__due_on")[:50],
        "overdue_concerns": lag.overdue_concerns(request.user, period, timezone.now(), "voice.view")
        .filter(school=school)
        .order_by("answer_due")[:50],
    }
    return render(request, "insights/school.html", context)


# --- who is behind: the lag view, its 督办 and its 通报 -----------------------------------------------------------

LAG_PAGE = 50


def _period(request):
    """The period asked for (`?period=`), this month by default; (period, error) with a Chinese error if malformed."""
    key = request.GET.get("period") or request.POST.get("period") or ""
    if not key:
        return periods.containing("month", timezone.localdate()), ""
    try:
        return lag.parse_period(key), ""
    except ValueError as exc:
        return periods.containing("month", timezone.localdate()), str(exc)


def _switch(period) -> list[tuple[str, str, bool]]:
    """Links to this month, quarter and year around the period shown: (label, key, current)."""
    day = min(period.end, timezone.localdate()) if period.start <= timezone.localdate() else period.start
    return [
        (label, lag.period_key(periods.containing(kind, day)), kind == period.kind)
        for kind, label in (("month", _("按月")), ("quarter", _("按季度")), ("year", _("按年")))
    ]


@login_required
def lag_view(request):
    _guard(request)
    period, error = _period(request)
    rows = lag.lag_rows(request.user, period, capability="insights.view_county")
    context = {
        "period": period,
        "key": lag.period_key(period),
        "previous": lag.period_key(period.previous()),
        "next": lag.period_key(period.next()),
        "switch": _switch(period),
        "page": paginate(request, rows, LAG_PAGE),
        "behind": len(lag.laggards(rows)),
        "total": len(rows),
        "error": error,
        "form": LagSuperviseForm(initial={"period": lag.period_key(period)}),
        "can_supervise": has_capability(request.user, "assignments.supervise"),
    }
    return render(request, "insights/lag.html", context, status=400 if error else 200)


@login_required
@require_POST
def lag_supervise(request):
    _guard(request)
    form = LagSuperviseForm(request.POST)
    period, error = _period(request)

    def send():
        if error or not form.is_valid():
            raise ValidationError(error or _("请填写督办意见。"))
        batch = services.supervise_laggards(actor=request.user, period=period, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("已向%(s)d所落后学校的%(n)d项逾期任务发出督办。") % {"s": batch.schools, "n": batch.items}
            + (
                _("另有%(k)d所学校只在会议或诉求上落后，请从明细跟进。") % {"k": batch.without_targets}
                if batch.without_targets
                else ""
            ),
        )

    return post_action(request, send, to=f"{reverse('insights:lag')}?period={lag.period_key(period)}")


@login_required
def lag_pdf(request):
    _guard(request)
    period, error = _period(request)
    if error:
        return render(request, "insights/lag.html", {"error": error, "page": None}, status=400)
    rows = lag.lag_rows(request.user, period, capability="insights.view_county")
    content = exports.lag_pdf(actor=request.user, period=period, rows=rows)
    return attachment_response(content, f"lag-{lag.period_key(period)}.pdf", "application/pdf")


@login_required
def compare_view(request):
    """Two to five schools side by side over the same period, each figure linking to its records."""
    _guard(request)
    period, error = _period(request)
    ids = request.GET.getlist("schools")
    schools: list[School] = []
    rows: list[compare.Row] = []
    round_ = None
    if ids and not error:
        try:
            schools = compare.chosen(request.user, ids)
        except ValueError as exc:
            error = str(exc)
        else:
            round_, rows = compare.compare(request.user, schools, period)
    context = {
        "period": period,
        "key": lag.period_key(period),
        "options": selectors.schools(request.user),
        "picked": {s.pk for s in schools},
        "schools": schools,
        "rows": rows,
        "round": round_,
        "error": error,
    }
    return render(request, "insights/compare.html", context, status=400 if error else 200)
