"""Writes of assessment: each keyword-only, in a transaction, validated (Chinese messages), audited once."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, files, indicators, rules
from dangjian.core.indicators import FORBIDDEN_KINDS
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Org, School

from . import scoring
from .models import (
    Indicator,
    IndicatorSystem,
    Kind,
    LineStatus,
    ObservationScore,
    ObservationSheet,
    ObservationVisit,
    Observer,
    ObserverGroup,
    Problem,
    Rectification,
    RectificationStatus,
    Result,
    ResultLine,
    Round,
    Score,
    VisitStatus,
    VisitStop,
)
from .selectors import schools_of

TEMPLATES = {"default": "template_default"}
INDICATOR_FIELDS = ["name", "kind", "formula", "metric", "max_points", "target", "rubric", "advice"]


def _check_indicator(indicator: Indicator) -> None:
    if indicator.metric in FORBIDDEN_KINDS:
        raise ValidationError(
            _("指标“%(name)s”以点击、在线或学习时长、照片、打卡等计量，不符合基层减负规定，不能使用。")
            % {"name": indicator.name}
        )
    if indicator.kind == Kind.DERIVED and not indicator.formula:
        raise ValidationError(_("自动计算的指标须指定计算公式。"))
    if indicator.kind == Kind.DERIVED and indicator.formula in indicators.registered():
        if indicators.get(indicator.formula).kind in FORBIDDEN_KINDS:
            raise ValidationError(_("计算公式“%(f)s”不是对实际工作的计量。") % {"f": indicator.formula})
    if indicator.kind != Kind.GROUP and indicator.parent_id is None:
        raise ValidationError(_("指标须归入一个指标类别。"))


@transaction.atomic
def create_system(*, actor, org: Org, year: int, name: str = "", template: str = "default") -> IndicatorSystem:
    """A year's indicator system, copied from a template in the rule data; the county then adjusts it."""
    if template not in TEMPLATES:
        raise ValidationError(_("没有这个模板。"))
    values = rules.rule_values("assessment", TEMPLATES[template], on=dt.date(year, 12, 31), org_path=org.path)
    bad = scoring.forbidden_metrics(values)
    if bad:
        raise ValidationError(
            _("模板中的指标 %(codes)s 计量点击、时长、照片或打卡，已拒绝。") % {"codes": "、".join(bad)}
        )
    with unscoped("assessment.create_system"):
        system = IndicatorSystem(org=org, year=year, name=name or f"{year}年{values['name']}", template=template)
        system.full_clean()
        system.save()
        for i, part in enumerate(values["parts"]):
            group = Indicator(system=system, code=part["code"], name=part["name"], kind=Kind.GROUP, order=i * 100)
            group.full_clean()
            group.save()
            for j, leaf in enumerate(part["children"]):
                indicator = Indicator(
                    system=system,
                    parent=group,
                    code=leaf["code"],
                    name=leaf["name"],
                    kind=leaf["kind"],
                    formula=leaf.get("formula", ""),
                    metric=leaf.get("metric", "substance"),
                    max_points=Decimal(str(leaf["max_points"])),
                    target=float(leaf.get("target", 1.0)),
                    rubric=leaf.get("rubric", ""),
                    advice=leaf.get("advice", ""),
                    order=i * 100 + j + 1,
                )
                _check_indicator(indicator)
                indicator.full_clean()
                indicator.save()
    audit.record(actor=actor, action="create", obj=system, changes={"template": [None, template], "year": [None, year]})
    return system


@transaction.atomic
def update_indicator(*, actor, indicator: Indicator, **fields) -> Indicator:
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    for key, value in fields.items():
        if key not in INDICATOR_FIELDS:
            raise ValidationError(_("不能修改字段 %(f)s。") % {"f": key})
        setattr(indicator, key, value)
    _check_indicator(indicator)
    with unscoped("assessment.update_indicator"):
        indicator.full_clean()
        indicator.save()
    changes = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    if changes:
        audit.record(actor=actor, action="update", obj=indicator, changes=changes)
    return indicator


@transaction.atomic
def add_indicator(*, actor, system: IndicatorSystem, parent: Indicator, **fields) -> Indicator:
    if parent.system_id != system.pk or parent.kind != Kind.GROUP:
        raise ValidationError(_("请选择本体系的一个指标类别。"))
    with unscoped("assessment.add_indicator"):
        siblings = parent.children.count()
        order = (parent.children.aggregate(m=Max("order"))["m"] or parent.order) + 1
        indicator = Indicator(system=system, parent=parent, code=f"{parent.code}{siblings + 1}", order=order, **fields)
        while Indicator.all_objects.filter(system=system, code=indicator.code).exists():
            indicator.code += "+"
        _check_indicator(indicator)
        indicator.full_clean()
        indicator.save()
    audit.record(actor=actor, action="create", obj=indicator, changes={"name": [None, indicator.name]})
    return indicator


@transaction.atomic
def delete_indicator(*, actor, indicator: Indicator) -> None:
    if indicator.kind == Kind.GROUP:
        raise ValidationError(_("指标类别不能删除，请先调整其中的指标。"))
    with unscoped("assessment.delete_indicator"):
        if indicator.scores.exists():
            raise ValidationError(_("该指标已有评分，不能删除。"))
        audit.record(actor=actor, action="delete", obj=indicator, changes={"name": [indicator.name, None]})
        indicator.delete()


@transaction.atomic
def create_round(*, actor, system: IndicatorSystem, name: str, kind: str, start: dt.date, end: dt.date) -> Round:
    if end < start:
        raise ValidationError(_("统计截止日不能早于起始日。"))
    with unscoped("assessment.create_round"):
        round_ = Round(system=system, name=name, kind=kind, start=start, end=end)
        round_.full_clean()
        round_.save()
    audit.record(actor=actor, action="create", obj=round_, changes={"name": [None, name]})
    return round_


@transaction.atomic
def set_published(*, actor, round: Round, published: bool) -> Round:
    with unscoped("assessment.set_published"):
        round.published = published
        round.save(update_fields=["published"])
    audit.record(actor=actor, action="publish" if published else "unpublish", obj=round)
    return round


@transaction.atomic
def record_score(
    *, actor, round: Round, indicator: Indicator, school: School, points, comment: str, evidence: str = ""
) -> Score:
    """An assessor's score for one scored indicator of one school, with a comment (required) and evidence."""
    if indicator.system_id != round.system_id or indicator.kind != Kind.SCORED:
        raise ValidationError(_("该指标不是本轮需要专家评分的指标。"))
    points = Decimal(str(points))
    if points < 0 or points > indicator.max_points:
        raise ValidationError(
            _("“%(name)s”的得分须在0到%(max)s分之间。") % {"name": indicator.name, "max": indicator.max_points}
        )
    if not comment.strip():
        raise ValidationError(_("请写明评语：每一分都要有依据。"))
    with unscoped("assessment.record_score"):
        score = Score.all_objects.filter(round=round, indicator=indicator, school=school).first()
        before = audit.snapshot(score, ["points", "comment", "evidence"]) if score else {}
        score = score or Score(round=round, indicator=indicator, school=school)
        score.points, score.comment, score.evidence = points, comment.strip(), evidence.strip()
        score.assessor, score.scored_at = actor, timezone.now()
        score.full_clean()
        score.save()
    audit.record(
        actor=actor,
        action="score",
        obj=score,
        model="assessment.Score",
        object_repr=f"{round} · {school} · {indicator.code}",
        changes=audit.diff(before, audit.snapshot(score, ["points", "comment", "evidence"])),
    )
    return score


@transaction.atomic
def compute_round(*, actor, round: Round) -> int:
    """Compute every school's result of the round: derived indicators from records, scored ones from the
    assessors' scores. Indicators whose formula is not connected in this build count for nobody (未接入);
    a school a formula has no figure for is 无数据 on that line; neither is ever counted as a loss."""
    system = round.system
    schools = schools_of(system.org)
    with unscoped("assessment.compute_round"):
        leaves = list(Indicator.objects.filter(system=system).exclude(kind=Kind.GROUP).order_by("order", "code"))
        scores = {
            (s.indicator_id, s.school_id): s
            for s in Score.objects.filter(round=round).only(
                "indicator_id", "school_id", "points", "comment", "evidence"
            )
        }
    available = indicators.registered()
    measures = {
        leaf.pk: indicators.compute(leaf.formula, schools=schools, start=round.start, end=round.end)
        for leaf in leaves
        if leaf.kind == Kind.DERIVED and leaf.formula in available
    }
    thresholds = rules.rule_values("assessment", "grades", on=round.end, org_path=system.org.path)["thresholds"]
    now = timezone.now()
    results, lines_by_school = [], {}
    for school in schools:
        lines = [_result_line(leaf, school, measures, scores) for leaf in leaves]
        results.append(_school_result(round, school, lines, thresholds, now))
        lines_by_school[school.pk] = lines
    ranks = scoring.competition_ranks({r.school_id: r.score for r in results})
    for r in results:
        r.rank = ranks[r.school_id]
    _replace_results(round, results, lines_by_school, now)
    audit.record(actor=actor, action="compute", obj=round, changes={"schools": [None, len(results)]})
    return len(results)


def _result_line(leaf: Indicator, school: School, measures: dict, scores: dict) -> ResultLine:
    """One indicator's line for one school: computed from its formula's measure, or the assessors' score."""
    line = ResultLine(indicator=leaf, max_points=leaf.max_points)
    if leaf.kind == Kind.DERIVED:
        if leaf.pk not in measures:
            line.status, line.detail = LineStatus.NOT_CONNECTED, _("计算公式 %(f)s 未接入") % {"f": leaf.formula}
        elif school.pk not in measures[leaf.pk]:
            line.status, line.detail = LineStatus.NO_DATA, _("本期没有可计算的记录")
        else:
            m = measures[leaf.pk][school.pk]
            line.status, line.value, line.detail, line.evidence_url = (
                LineStatus.COMPUTED,
                m.value,
                m.detail,
                m.evidence_url,
            )
            line.points = scoring.derived_points(m.value, max_points=leaf.max_points, target=leaf.target)
        return line
    score = scores.get((leaf.pk, school.pk))
    if score is None:
        line.status, line.detail = LineStatus.UNSCORED, _("尚未评分")
    else:
        line.status, line.points = LineStatus.SCORED, score.points
        line.detail = score.comment + (f"（{_('依据')}：{score.evidence}）" if score.evidence else "")
    return line


def _school_result(round: Round, school: School, lines: list[ResultLine], thresholds, now: dt.datetime) -> Result:
    """The school's totals over the lines that have points (未接入, 无数据 and 未评分 lines count for nothing)."""
    total = sum((line.points for line in lines if line.points is not None), Decimal(0))
    max_total = sum((line.max_points for line in lines if line.points is not None), Decimal(0))
    score_100 = scoring.scaled(total, max_total)
    return Result(
        round=round,
        school=school,
        total=total,
        max_total=max_total,
        score=score_100,
        grade=scoring.grade_for(score_100, thresholds),
        computed_at=now,
    )


def _replace_results(
    round: Round, results: list[Result], lines_by_school: dict[int, list[ResultLine]], now: dt.datetime
) -> None:
    with unscoped("assessment.compute_round"):
        Result.objects.filter(round=round).delete()
        Result.objects.bulk_create(results, batch_size=1000)
        if results and results[0].pk is None:
            saved = dict(Result.objects.filter(round=round).values_list("school_id", "pk"))
            for r in results:
                r.pk = saved[r.school_id]
        all_lines = []
        for r in results:
            for line in lines_by_school[r.school_id]:
                line.result = r
                all_lines.append(line)
        ResultLine.objects.bulk_create(all_lines, batch_size=2000)
        round.computed_at = now
        round.save(update_fields=["computed_at"])


# --- on-site observation (观摩会) -------------------------------------------------------------------------


def sheet_items(*, system: IndicatorSystem | None, on: dt.date, org: Org) -> list[dict]:
    """The score sheet: the scored indicators of `system` (max points, rubric as the hint, and beside each the
    formulas of the derived indicators of its category: the school's own records), or the default rubric."""
    if system is None:
        items = rules.rule_values("assessment", "observation", on=on, org_path=org.path)["items"]
        return [{**item, "formulas": list(item.get("formulas", []))} for item in items]
    with unscoped("assessment.sheet_items"):
        leaves = list(Indicator.objects.filter(system=system).exclude(kind=Kind.GROUP).order_by("order", "code"))
    derived: dict[int | None, list[str]] = {}
    for leaf in leaves:
        if leaf.kind == Kind.DERIVED and leaf.formula:
            derived.setdefault(leaf.parent_id, []).append(leaf.formula)
    items = [
        {
            "key": leaf.code,
            "name": leaf.name,
            "max": float(leaf.max_points),
            "hint": leaf.rubric[:200],
            "formulas": derived.get(leaf.parent_id, []),
        }
        for leaf in leaves
        if leaf.kind == Kind.SCORED
    ]
    if not items:
        raise ValidationError(_("所选指标体系没有需要专家评分的指标，不能用作观摩评分表。"))
    return items


@transaction.atomic
def create_visit(
    *,
    actor,
    org: Org,
    title: str,
    visit_on: dt.date,
    schools: list[School],
    ends_on: dt.date | None = None,
    system: IndicatorSystem | None = None,
) -> ObservationVisit:
    """Plan an event: the schools in route order (as listed), the score sheet from `system` or the default rubric."""
    if not schools:
        raise ValidationError(_("请至少选择一所观摩学校。"))
    outside = [s.name for s in schools if not s.org.path.startswith(org.path)]
    if outside:
        raise ValidationError(_("%(names)s 不在本单位管理范围内。") % {"names": "、".join(outside)})
    if ends_on is not None and ends_on < visit_on:
        raise ValidationError(_("结束日期不能早于观摩日期。"))
    if system is not None and not org.path.startswith(system.org.path):
        raise ValidationError(_("所选指标体系不属于本单位。"))
    items = sheet_items(system=system, on=visit_on, org=org)
    with unscoped("assessment.create_visit"):
        visit = ObservationVisit(
            org=org, title=title.strip(), visit_on=visit_on, ends_on=ends_on, system=system, items=items
        )
        visit.full_clean()
        visit.save()
        visit.schools.set(schools)
        VisitStop.objects.bulk_create(VisitStop(visit=visit, school=s, order=i + 1) for i, s in enumerate(schools))
    audit.record(actor=actor, action="create", obj=visit, changes={"schools": [None, len(schools)]})
    return visit


def _open(visit: ObservationVisit) -> None:
    if visit.is_closed:
        raise ValidationError(_("观摩活动已结束，不能再修改。"))


@transaction.atomic
def set_route(*, actor, visit: ObservationVisit, stops: list[tuple[int, int, dt.datetime | None]]) -> None:
    """The route: [(stop id, order, arrival time)]; schools are visited in `order`."""
    _open(visit)
    with unscoped("assessment.set_route"):
        found = {s.pk: s for s in VisitStop.objects.filter(visit=visit)}
        for pk, order, arrive_at in stops:
            if pk not in found:
                raise ValidationError(_("路线中有不属于本次观摩的学校。"))
            found[pk].order, found[pk].arrive_at = order, arrive_at
        VisitStop.objects.bulk_update(found.values(), ["order", "arrive_at"])
    audit.record(actor=actor, action="update", obj=visit, changes={"route": [None, len(stops)]})


@transaction.atomic
def add_group(*, actor, visit: ObservationVisit, name: str) -> ObserverGroup:
    _open(visit)
    if not name.strip():
        raise ValidationError(_("请填写观摩组名称。"))
    with unscoped("assessment.add_group"):
        group = ObserverGroup(visit=visit, name=name.strip())
        group.full_clean()
        group.save()
    audit.record(actor=actor, action="create", obj=group, changes={"name": [None, group.name]})
    return group


@transaction.atomic
def add_observer(
    *,
    actor,
    visit: ObservationVisit,
    name: str,
    group: ObserverGroup | None = None,
    user=None,
    unit: str = "",
    leader: bool = False,
) -> Observer:
    """An observer, with or without an account; a group's leader replaces any earlier leader of the group."""
    _open(visit)
    name = name.strip() or (user.get_full_name() or user.username if user else "")
    if not name:
        raise ValidationError(_("请填写观摩人员姓名。"))
    if group is not None and group.visit_id != visit.pk:
        raise ValidationError(_("观摩组不属于本次观摩。"))
    if leader and group is None:
        raise ValidationError(_("组长须属于一个观摩组。"))
    with unscoped("assessment.add_observer"):
        if user is not None and Observer.objects.filter(visit=visit, user=user).exists():
            raise ValidationError(_("该账号已在本次观摩人员名单中。"))
        if leader:
            Observer.objects.filter(group=group, is_leader=True).update(is_leader=False)
        observer = Observer(
            visit=visit,
            group=group,
            user=user,
            name=name,
            unit=unit.strip(),
            is_leader=leader,
            nonce=secrets.token_hex(8),
        )
        observer.full_clean()
        observer.save()
    audit.record(actor=actor, action="create", obj=observer, changes={"name": [None, name], "leader": [None, leader]})
    return observer


def observer_for_user(*, visit: ObservationVisit, user) -> Observer:
    """The account's observer row of the visit, added (without a group) when a county observer scores unlisted."""
    with unscoped("assessment.observer_for_user"):
        found = Observer.objects.filter(visit=visit, user=user).first()
        if found is not None:
            return found
        observer = Observer(
            visit=visit, user=user, name=user.get_full_name() or user.username, nonce=secrets.token_hex(8)
        )
        observer.save()
        return observer


def _marks(visit: ObservationVisit, marks: dict[str, tuple]) -> list[tuple[str, Decimal, str]]:
    items = {item["key"]: item for item in visit.items}
    rows = []
    for key, (points, comment) in marks.items():
        if key not in items:
            raise ValidationError(_("没有评分项目“%(k)s”。") % {"k": key})
        try:
            points = Decimal(str(points).strip())
        except ArithmeticError as exc:
            raise ValidationError(_("“%(name)s”的得分不是数字。") % {"name": items[key]["name"]}) from exc
        if not points.is_finite() or points < 0 or points > Decimal(str(items[key]["max"])):
            raise ValidationError(
                _("“%(name)s”的得分须在0到%(max)s分之间。") % {"name": items[key]["name"], "max": items[key]["max"]}
            )
        rows.append((key, points, (comment or "")[:300]))
    return rows


@transaction.atomic
def submit_sheet(
    *,
    observer: Observer,
    school: School,
    marks: dict[str, tuple],
    problems: list[tuple[str, str]] | None = None,
    actor=None,
    today: dt.date | None = None,
) -> ObservationSheet:
    """One observer's sheet for one school: {item key: (points, note)} and the problems found [(item key, text)].
    Sending it again (e.g. once more after a lost connection) replaces the observer's own marks and problems."""
    visit = observer.visit
    _open(visit)
    today = today or timezone.localdate()
    if today > visit.last_day:
        raise ValidationError(_("观摩活动已过结束日期，不能再提交评分。"))
    with unscoped("assessment.submit_sheet"):
        if not VisitStop.objects.filter(visit=visit, school=school).exists():
            raise ValidationError(_("这所学校不在本次观摩名单中。"))
    rows = _marks(visit, marks)
    keys = {item["key"] for item in visit.items}
    found = [(k if k in keys else "", t.strip()[:300]) for k, t in (problems or []) if t and t.strip()]
    with unscoped("assessment.submit_sheet"):
        ObservationScore.objects.filter(visit=visit, school=school, by=observer, item__in=[r[0] for r in rows]).delete()
        ObservationScore.objects.bulk_create(
            ObservationScore(
                visit=visit, school=school, by=observer, observer=observer.user, item=k, points=p, comment=c
            )
            for k, p, c in rows
        )
        Problem.objects.filter(visit=visit, school=school, by=observer).delete()
        Problem.objects.bulk_create(Problem(visit=visit, school=school, by=observer, item=k, text=t) for k, t in found)
        sheet, _created = ObservationSheet.objects.update_or_create(
            visit=visit, school=school, observer=observer, defaults={"submitted_at": timezone.now()}
        )
    audit.record(
        actor=actor or observer.user,
        action="observe",
        obj=visit,
        changes={"school": [None, school.name], "items": [None, len(rows)], "problems": [None, len(found)]},
    )
    return sheet


@transaction.atomic
def record_observation(*, actor, visit: ObservationVisit, school: School, marks: dict[str, tuple]) -> int:
    """A county observer's marks for one school from the visit's page: {item key: (points, comment)}."""
    observer = observer_for_user(visit=visit, user=actor)
    submit_sheet(
        observer=observer, school=school, marks=marks, actor=actor, today=min(timezone.localdate(), visit.last_day)
    )
    return len(marks)


@transaction.atomic
def close_visit(*, actor, visit: ObservationVisit, due_on: dt.date | None = None, today: dt.date | None = None) -> int:
    """Close the event: sheets stop being accepted, links stop working, and every problem raised becomes a
    rectification item on its school, due `due_on` (default: the rule's days after today)."""
    _open(visit)
    today = today or timezone.localdate()
    if due_on is None:
        days = rules.rule_values("assessment", "observation", on=visit.visit_on, org_path=visit.org.path)[
            "rectify_days"
        ]
        due_on = today + dt.timedelta(days=days)
    if due_on < today:
        raise ValidationError(_("整改期限不能早于今天。"))
    with unscoped("assessment.close_visit"):
        problems = list(Problem.objects.filter(visit=visit))
        Rectification.objects.bulk_create(
            Rectification(problem=p, school_id=p.school_id, due_on=due_on) for p in problems
        )
        visit.status, visit.closed_at = VisitStatus.CLOSED, timezone.now()
        visit.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action="close", obj=visit, changes={"rectifications": [None, len(problems)]})
    return len(problems)


@transaction.atomic
def complete_rectification(*, actor, rectification: Rectification, report: str, file=None) -> Rectification:
    """The school reports a rectification done, with what was done (and optionally a file)."""
    if rectification.is_done:
        raise ValidationError(_("该问题已整改完成。"))
    if not report.strip():
        raise ValidationError(_("请写明整改情况。"))
    if file:
        files.validate_upload(file)
    with unscoped("assessment.complete_rectification"):
        rectification.report, rectification.status = report.strip(), RectificationStatus.DONE
        rectification.done_on, rectification.done_by = timezone.localdate(), actor
        if file:
            rectification.file.save(file.name, file, save=False)
        rectification.full_clean()
        rectification.save()
    audit.record(actor=actor, action="rectify", obj=rectification, changes={"status": ["open", "done"]})
    return rectification
