"""The county figures over JSON: the same selector the dashboard reads, scoped as the pages are."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from dangjian.api.schemas import Error, Page, ValidationErrors
from dangjian.core.scoping import get_for_user, scoped
from dangjian.orgs.models import Org

from . import lag, selectors

router = Router(tags=["insights"])


class FigureOut(Schema):
    org_id: int
    name: str
    month: str
    due: int
    met: int
    rate: float | None
    status: str  # nothing_due | open | met | overdue


class FiguresOut(Page):
    items: list[FigureOut]


@router.get("/compliance", response={200: FiguresOut, 422: Error})
def compliance(
    request,
    month: str,
    org_id: int | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    """Per school Party organization in the caller's scope (or under `org_id`): the meeting obligations falling
    due in `month` (YYYY-MM) and how many are met, counted from the compliance cells as they are now. A month
    with nothing due says `nothing_due` with `rate: null`, never 0 %."""
    try:
        period = selectors.month_of(month)
    except ValueError:
        return Status(422, {"detail": _("月份格式应为 YYYY-MM，例如 2026-03。")})
    visible = scoped(request.user, Org, "insights.view")
    org = get_for_user(request.user, Org, org_id, queryset=visible) if org_id is not None else None
    orgs = selectors.figure_orgs(request.user, org)
    page = list(orgs[offset : offset + limit])
    rows = selectors.figures(request.user, page, [period])
    return {"count": orgs.count(), "offset": offset, "limit": limit, "items": [r[0] for r in rows]}


class LagOut(Schema):
    org_id: int
    school_id: int
    name: str
    period: str
    due: int
    met: int
    missed: int
    overdue_assignments: int
    overdue_concerns: int
    lag: int


class LagPage(Page):
    period: str
    items: list[LagOut]


@router.get("/lag", response={200: LagPage, 422: ValidationErrors})
def lag_list(
    request,
    period: str,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    """Who is behind in `period` (YYYY-MM, YYYY-Qn or YYYY): every school in the caller's scope, worst first by
    `lag` = missed obligations + overdue assignments + concerns past their limit (docs/insights.md)."""
    try:
        found = lag.parse_period(period)
    except ValueError as exc:
        return Status(422, {"detail": [str(exc)]})
    rows = lag.lag_rows(request.user, found)
    key = lag.period_key(found)
    items = [
        {
            "org_id": r.org_id,
            "school_id": r.school_id,
            "name": r.name,
            "period": key,
            "due": r.due,
            "met": r.met,
            "missed": r.missed,
            "overdue_assignments": r.overdue_assignments,
            "overdue_concerns": r.overdue_concerns,
            "lag": r.lag,
        }
        for r in rows[offset : offset + limit]
    ]
    return {"count": len(rows), "offset": offset, "limit": limit, "period": key, "items": items}
