"""Demo work assigned by the county to every school, with mixed statuses (some overdue), in bulk. The 组织生活会
assignment names its fulfilling record, so its targets follow the demo meetings instead of drawn statuses."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core import fulfilment
from dangjian.core.scoping import unscoped

from . import services
from .models import Assignment, Report, Status, Supervision, Target

PLANS = (
    # (title, body, expected, days from today to the deadline, shares: done on time, done late, in progress)
    (
        "报送上半年党建工作总结",
        "各学校党组织对照年初计划，总结上半年党建工作，查找问题，提出下半年措施。",
        "上半年党建工作总结一份（文字，不需照片）。",
        -140,
        (0.8, 0.12, 0.04),
    ),
    (
        "开展“师德师风”主题党日并报送情况",
        "结合主题党日，组织党员教师学习《新时代中小学教师职业行为十项准则》，开展交流。",
        "活动情况简要说明（200字以内），附会议记录编号即可。",
        -20,
        (0.55, 0.1, 0.2),
    ),
    (
        "组织召开年度组织生活会",
        "按要求召开年度组织生活会，开展批评与自我批评，做好民主评议党员准备。",
        "会议召开情况和整改清单。",
        14,
        (0.2, 0.0, 0.35),
    ),
)
FULFILLED_BY = {"组织召开年度组织生活会": "meetings.org_life_meeting"}


def generate(ctx):
    rng, today = ctx.rng, ctx.today
    built = ctx.built["orgs"]
    root = built.root
    county_user = built.users.get("county")
    school_orgs = sorted({s.org_id: s.org for s in built.schools}.values(), key=lambda o: o.pk)
    with unscoped("assignments demo"):
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(
                    org=root,
                    title=title,
                    body=body,
                    expected=expected,
                    due_on=today + dt.timedelta(days=days),
                    fulfilled_by=FULFILLED_BY.get(title, ""),
                    created_by=county_user,
                    created_at=timezone.make_aware(
                        dt.datetime.combine(today + dt.timedelta(days=days - 30), dt.time(9))
                    ),
                )
                for title, body, expected, days, _s in PLANS
            ]
        )
        if assignments[0].pk is None:
            assignments = list(Assignment.objects.filter(org=root).order_by("id"))
        targets = []
        for assignment, (*_x, shares) in zip(assignments, PLANS, strict=True):
            on_time, late, progress = shares
            kept = {}
            if assignment.fulfilled_by:  # the targets follow the demo records, as they would live
                kept = fulfilment.evidence(
                    assignment.fulfilled_by,
                    org_ids=[o.pk for o in school_orgs],
                    since=services.records_since(assignment),
                )
            for org in school_orgs:
                draw = rng.random()
                target = Target(assignment=assignment, org=org)
                if assignment.fulfilled_by:
                    services.follow(target, kept.get(org.pk))
                elif draw < on_time:
                    target.status = Status.DONE
                    target.completed_on = assignment.due_on - dt.timedelta(days=rng.randrange(0, 10))
                elif draw < on_time + late:
                    target.status = Status.DONE
                    target.completed_on = min(today, assignment.due_on + dt.timedelta(days=rng.randrange(1, 12)))
                elif draw < on_time + late + progress:
                    target.status = Status.IN_PROGRESS
                if target.completed_on and target.completed_on > today:
                    target.completed_on = today
                if target.status != Status.PENDING and not target.evidence_url:  # a report was made
                    target.last_report_at = timezone.make_aware(
                        dt.datetime.combine(target.completed_on or today - dt.timedelta(days=3), dt.time(16))
                    )
                targets.append(target)
        Target.objects.bulk_create(targets, batch_size=2000)
        if targets and targets[0].pk is None:
            targets = list(Target.objects.filter(assignment__in=assignments).select_related("assignment"))
        reports, notes = [], []
        for t in targets:
            if t.evidence_url:
                continue  # the record is the report
            if t.status == Status.PENDING:
                if t.assignment.due_on < today and rng.random() < 0.5:
                    notes.append(
                        Supervision(target=t, note="请于本周内报送完成情况，有困难及时说明。", created_by=county_user)
                    )
                continue
            reports.append(
                Report(
                    target=t,
                    done=t.status == Status.DONE,
                    text="已按要求完成，材料见会议记录。" if t.status == Status.DONE else "已部署，正在推进。",
                    created_at=t.last_report_at,
                )
            )
        Report.objects.bulk_create(reports, batch_size=2000)
        Supervision.objects.bulk_create(notes, batch_size=2000)
    return {"assignments": assignments, "completed_by_records": sum(1 for t in targets if t.evidence_url)}
