"""Demo concerns: a few per school over the last four months, in every state, some overdue and escalated."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from dangjian.voice import sla
from dangjian.voice.models import Category, Concern, Level, Rating, Status, SubmitterKind

TITLES = {
    "teaching": ["希望增加课后服务的科目", "作业量偏多", "实验课开得太少"],
    "workload": ["填表和迎检材料太多", "非教学任务占用备课时间", "微信群要求即时回复"],
    "ethics": ["个别老师上课态度粗暴", "有偿补课的情况"],
    "safety": ["校门口上下学交通拥堵", "操场护栏松动", "食堂卫生需要改进"],
    "fees": ["资助款什么时候发放", "校服费用是否自愿"],
    "welfare": ["乡村教师补贴发放时间", "职称评审名额咨询"],
    "other": ["建议开放图书馆到晚上", "希望增加心理辅导老师"],
}
REPLY = "您好，您反映的问题已收悉。学校已组织核实并研究了改进措施，具体安排已在校务公开栏公布。感谢您的关心与支持。"


def generate(ctx):
    built = ctx.built["orgs"]
    rng = ctx.rng
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = dt.datetime.combine(ctx.today, dt.time(17, 0), tzinfo=tz)
    users = [u for name, u in built.users.items() if name in ("member1", "teacher1")]
    rows = []
    categories = list(TITLES)
    for school in built.schools:
        for _ in range(rng.randrange(0, 5)):
            category = rng.choice(categories)
            submitted = now - dt.timedelta(days=rng.randrange(1, 120), hours=rng.randrange(0, 8))
            ack_due, answer_due = sla.due_dates(submitted, category)
            c = Concern(
                school=school,
                org=school.org,
                category=category,
                submitter_kind=rng.choice(SubmitterKind.values),
                title=rng.choice(TITLES[category]),
                body="具体情况如下：" + rng.choice(TITLES[category]) + "，希望学校能尽快研究解决。",
                anonymous=True,
                submitted_at=submitted,
                acknowledge_due=ack_due,
                answer_due=answer_due,
            )
            roll = rng.random()
            if roll < 0.7 and answer_due < now:
                late = rng.random() < 0.15
                answered = (
                    answer_due + dt.timedelta(days=rng.randrange(1, 4))
                    if late
                    else submitted + dt.timedelta(days=rng.randrange(1, 5))
                )
                answered = min(answered, now)
                c.status, c.acknowledged_at, c.first_answered_at, c.answered_at, c.reply = (
                    Status.ANSWERED,
                    submitted + dt.timedelta(hours=3),
                    answered,
                    answered,
                    REPLY,
                )
                if rng.random() < 0.6:
                    c.status, c.rating, c.rated_at = (
                        Status.CLOSED,
                        rng.choice(Rating.values),
                        answered + dt.timedelta(days=1),
                    )
            elif roll < 0.85:
                c.status, c.acknowledged_at = Status.ACKNOWLEDGED, submitted + dt.timedelta(hours=5)
            if c.status in (Status.SUBMITTED, Status.ACKNOWLEDGED) and sla.overdue_reason(c, now):
                c.level, c.escalated_at, c.escalation_reason = Level.COUNTY, now, sla.overdue_reason(c, now)
            rows.append(c)
    # The demo teacher and member each have a concern of their own (the 我的 page).
    first_school = built.schools[0]
    for user in users:
        person = getattr(user, "person", None)
        school = person.school if person and person.school_id else first_school
        submitted = now - dt.timedelta(days=2)
        ack_due, answer_due = sla.due_dates(submitted, "workload")
        rows.append(
            Concern(
                school=school,
                org=school.org,
                category=Category.WORKLOAD,
                submitter_kind=SubmitterKind.TEACHER,
                title="希望减少重复填报的表格",
                body="同一组数据每学期要在不同平台填三次。",
                submitter=user,
                submitted_at=submitted,
                acknowledge_due=ack_due,
                answer_due=answer_due,
            )
        )
    Concern.objects.bulk_create(rows, batch_size=1000)
    return {"concerns": len(rows)}
