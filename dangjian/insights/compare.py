"""Two to five schools side by side over the same period: the same figures each school's own pages show,
each linking to its records. Nothing is computed here that a school's page does not compute the same way: the
obligations, overdue tasks and concerns come from `lag.lag_rows` (the school page's 落后事项), training hours and
concern replies from the indicator formulas (their evidence pages), assessment items from the stored result lines
of the latest computed round (the school's result page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.assessment.models import COUNTED, ResultLine
from dangjian.core import indicators, periods
from dangjian.core.scoping import scoped
from dangjian.orgs.models import School

from . import lag, selectors

MIN_SCHOOLS, MAX_SCHOOLS = 2, 5
FORMULAS = ("learning.training_hours_rate", "voice.reply_on_time_rate")


@dataclass
class Cell:
    text: str
    url: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell] = field(default_factory=list)
    group: str = ""


def chosen(user, ids: list[str]) -> list[School]:
    """The schools asked for, in the order asked; ValueError (Chinese) unless 2–5 schools the user oversees."""
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids))
    except (TypeError, ValueError) as exc:
        raise ValueError(_("请选择2至5所学校进行比较。")) from exc
    if not MIN_SCHOOLS <= len(wanted) <= MAX_SCHOOLS:
        raise ValueError(_("请选择2至5所学校进行比较。"))
    found = {s.pk: s for s in scoped(user, School, "insights.view_county").select_related("org").filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValueError(_("所选学校不在您的管理范围内。"))
    return [found[pk] for pk in wanted]


def _lag_rows(user, schools: list[School], period, key: str) -> list[Row]:
    by_school = {r.school_id: r for r in lag.lag_rows(user, period, schools=schools, capability="insights.view_county")}
    rows = [Row(_("组织生活"), group=_("组织生活、任务与诉求")), Row(_("逾期任务")), Row(_("超时诉求"))]
    for s in schools:
        r = by_school[s.pk]
        school_url = reverse("insights:school", args=[s.pk]) + f"?period={key}"
        rows[0].cells.append(
            Cell(
                _("到期%(d)d项，完成%(m)d项，逾期未完成%(x)d项") % {"d": r.due, "m": r.met, "x": r.missed},
                reverse("meetings:compliance_org", args=[s.org_id]),
            )
        )
        rows[1].cells.append(Cell(_("%(n)d项") % {"n": r.overdue_assignments}, school_url + "#overdue-targets"))
        rows[2].cells.append(Cell(_("%(n)d件") % {"n": r.overdue_concerns}, school_url + "#overdue-concerns"))
    return rows


def _formula_rows(user, schools: list[School], period) -> list[Row]:
    available = indicators.registered()
    rows = []
    for name in FORMULAS:
        if name not in available:
            continue
        found = indicators.compute(name, schools=schools, start=period.start, end=period.end)
        row = Row(str(available[name].label), group=_("培训学时与诉求答复") if not rows else "")
        for s in schools:
            m = found.get(s.pk)
            url = m.evidence_url if m and indicators.may_follow(user, name, s.org.path) else ""
            row.cells.append(Cell(f"{m.detail}（{m.value:.0%}）" if m else _("无数据"), url))
        rows.append(row)
    return rows


def _assessment_rows(user, schools: list[School]) -> tuple[object, list[Row]]:
    round_ = selectors.latest_round(user)
    if round_ is None:
        return None, []
    lines = (
        scoped(user, ResultLine, "assessment.view_county")
        .filter(result__round=round_, result__school__in=schools)
        .select_related("indicator", "result")
        .order_by("indicator__order", "indicator__code")
    )
    by_indicator: dict[int, tuple[str, dict[int, ResultLine]]] = {}
    results: dict[int, object] = {}
    for line in lines:
        label = f"{line.indicator.code} {line.indicator.name}"
        by_indicator.setdefault(line.indicator_id, (label, {}))[1][line.result.school_id] = line
        results[line.result.school_id] = line.result
    total = Row(_("折算分"), group=_("考核（%(r)s）") % {"r": round_.name})
    for s in schools:
        result = results.get(s.pk)
        total.cells.append(Cell(str(result.score) if result and result.score is not None else "—", _result_url(result)))
    rows = [total]
    for label, found in by_indicator.values():
        row = Row(label)
        for s in schools:
            line = found.get(s.pk)
            if line is None:
                row.cells.append(Cell("—"))
                continue
            text = f"{line.points}/{line.max_points}" if line.status in COUNTED else line.get_status_display()
            row.cells.append(Cell(text, _result_url(line.result)))
        rows.append(row)
    return round_, rows


def _result_url(result) -> str:
    return reverse("assessment:result", args=[result.pk]) if result is not None else ""


def compare(user, schools: list[School], period: periods.Period) -> tuple[object, list[Row]]:
    key = lag.period_key(period)
    round_, assessment = _assessment_rows(user, schools)
    return round_, _lag_rows(user, schools, period, key) + _formula_rows(user, schools, period) + assessment
