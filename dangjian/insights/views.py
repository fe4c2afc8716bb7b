"""The county dashboard and its drill-down: county → school → record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment_response, xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability
from dangjian.orgs.models import School

from . import exports, selectors

HEAT_PAGE = 30


def _guard(request) -> None:
    if not has_capability(request.user, "insights.view_county"):
        raise PermissionDenied


def _board(request):
    page = paginate(request, selectors.schools(request.user), HEAT_PAGE)
    return page, selectors.dashboard(request.user, list(page.object_list))


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
            "urls": [reverse("insights:school", args=[r["school"].pk]) for r in heat.rows],
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
        "labels": {"no_data": _("无数据"), "compliance": _("月度合规率（%）"), "rounds": _("各轮平均折算分")},
    }


@login_required
def dashboard(request):
    _guard(request)
    page, board = _board(request)
    context = {
        "board": board,
        "page": page,
        "chart_data": _chart_data(board),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def export(request, table: str):
    _guard(request)
    if table not in exports.TABLES:
        raise Http404
    # Every row of the table shown, not the page's 30 schools or the top 15: all the schools the user oversees.
    board = selectors.dashboard(request.user, list(selectors.schools(request.user)), whole=True)
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
    context = {
        "school": school,
        "compliance": selectors.school_compliance(request.user, school, today),
        "results": selectors.school_results(request.user, school),
        "targets": selectors.school_targets(request.user, school, today),
        "today": today,
    }
    return render(request, "insights/school.html", context)
