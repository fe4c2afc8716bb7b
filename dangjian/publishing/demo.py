"""Work updates of the demo county: about 200 posts across schools in every state of the workflow, some
featured by the county, plus the county's own notices, and a publicity officer login (`publicity1`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from dangjian.orgs.models import Grant
from dangjian.publishing.models import Category, Post, Status
from dangjian.publishing.sanitize import clean_html, plain_text, summary_of

SCHOOL_TITLES = (
    (Category.NEWS, "{s}开展“学习贯彻党的二十届四中全会精神”主题党日活动"),
    (Category.NEWS, "{s}党支部召开年度组织生活会"),
    (Category.NEWS, "{s}举行新党员入党宣誓仪式"),
    (Category.NEWS, "{s}党员教师开展“示范课”教学观摩"),
    (Category.NEWS, "{s}党员志愿服务队走进社区开展义务辅导"),
    (Category.NEWS, "{s}召开师德师风建设推进会"),
    (Category.NEWS, "{s}党支部书记讲专题党课"),
    (Category.NEWS, "{s}开展“红色经典诵读”活动"),
    (Category.EXPERIENCE, "经验交流：{s}“党建+课后服务”的做法"),
    (Category.EXPERIENCE, "经验交流：{s}党员“一帮一”结对帮扶困难学生"),
    (Category.EXPERIENCE, "经验交流：{s}把党小组建在年级组上"),
    (Category.NOTICE, "{s}关于开展党员民主评议的通知"),
)
COUNTY_TITLES = (
    (Category.NOTICE, "关于开展{m}月主题党日活动的通知"),
    (Category.NOTICE, "关于做好{m}月党费收缴工作的通知"),
    (Category.NEWS, "县教育党工委召开全县学校党建工作推进会（{m}月）"),
    (Category.EXPERIENCE, "全县学校党建品牌创建经验汇编（{m}月）"),
)
PARAGRAPHS = (
    "<p>活动由支部书记主持，全体党员参加。大家认真学习了有关文件精神，并结合学校教育教学实际进行了交流发言。</p>",
    "<p>与会党员表示，要把学习成果转化为立德树人的实际行动，在课堂教学、班级管理和服务学生中发挥先锋模范作用。</p>",
    "<p>本次活动坚持务实从简，不搞形式主义，重在解决实际问题。会后，支部梳理了<strong>三项</strong>需要改进的工作，明确了责任人和完成时间。</p>",
    "<h3>下一步工作</h3><ul><li>持续开展党员示范岗活动</li><li>完善党员联系班级制度</li><li>做好困难学生结对帮扶</li></ul>",
    "<p>学校党支部将继续推进党建与业务深度融合，做到同部署、同落实、同考评。</p>",
)
PUBLICITY_LOGIN = "publicity1"


def _publicity_user(built):
    """A publicity officer (宣传员) in the first school's branch, who drafts and submits. Returns the branch id."""
    secretary1 = built.users.get("secretary1")
    if secretary1 is None:
        return None
    branch_id = Grant.objects.filter(user=secretary1, role="secretary").values_list("org_id", flat=True).first()
    User = get_user_model()
    user = User.objects.create(
        username=PUBLICITY_LOGIN, password=secretary1.password, first_name="宣传员"
    )  # the demo password, already hashed
    Grant.objects.create(user=user, org_id=branch_id, role="publicity")
    built.users[PUBLICITY_LOGIN] = user
    return branch_id


def generate(ctx) -> dict:
    built = ctx.built["orgs"]
    rng, today = ctx.rng, ctx.today
    first_branch = _publicity_user(built)
    authors = dict(Grant.objects.filter(role__in=["secretary", "publicity"]).values_list("org_id", "user_id"))
    county_admin = built.users.get("county")
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0)))

    def when(days_ago: int) -> dt.datetime:
        return now - dt.timedelta(days=days_ago, hours=rng.randrange(0, 9), minutes=rng.randrange(0, 60))

    def body() -> str:
        return clean_html("".join(rng.sample(PARAGRAPHS, k=rng.randrange(2, 5))))

    posts = []
    schools = list(built.schools)
    for school in [rng.choice(schools) for _ in range(190 * len(built.counties))]:  # ~190 per county
        category, title = rng.choice(SCHOOL_TITLES)
        roll = rng.random()
        if roll < 0.70:
            status, publish_at = Status.APPROVED, when(rng.randrange(0, 200))
        elif roll < 0.74:
            status, publish_at = Status.APPROVED, now + dt.timedelta(days=rng.randrange(1, 10))  # scheduled
        elif roll < 0.83:
            status, publish_at = Status.SUBMITTED, None
        elif roll < 0.91:
            status, publish_at = Status.DRAFT, None
        elif roll < 0.96:
            status, publish_at = Status.REJECTED, None
        else:
            status, publish_at = Status.TAKEN_DOWN, when(rng.randrange(20, 200))
        text = body()
        posts.append(
            Post(
                org_id=school.org_id,
                school=school,
                category=category,
                title=title.format(s=school.name)[:120],
                body=text,
                body_text=plain_text(text),
                summary=summary_of(plain_text(text)),
                status=status,
                publish_at=publish_at,
                author_id=authors.get(school.org_id),
                review_note="请补充活动成效，删去与主题无关的内容。" if status == Status.REJECTED else "",
                created_at=(publish_at or now) - dt.timedelta(days=1),
                updated_at=publish_at or now,
            )
        )
    for county in built.counties:
        for months_ago in range(3):
            month = (today.month - months_ago - 1) % 12 + 1
            category, title = COUNTY_TITLES[months_ago % len(COUNTY_TITLES)]
            text = body()
            publish_at = when(months_ago * 30 + 3)
            posts.append(
                Post(
                    org=county,
                    category=category,
                    title=title.format(m=month),
                    body=text,
                    body_text=plain_text(text),
                    summary=summary_of(plain_text(text)),
                    status=Status.APPROVED,
                    publish_at=publish_at,
                    author=county_admin,
                    created_at=publish_at,
                    updated_at=publish_at,
                )
            )
    # The first school (secretary1, publicity1) shows every step of the workflow in the demo.
    first_school = next((s for s in schools if s.org_id == first_branch), None)
    writer = built.users.get(PUBLICITY_LOGIN)
    for status, (category, title) in zip(
        (Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT, Status.REJECTED),
        SCHOOL_TITLES[:4],
        strict=False,
    ):
        if first_school is None:
            break
        text = body()
        posts.append(
            Post(
                org_id=first_branch,
                school=first_school,
                category=category,
                title=title.format(s=first_school.name),
                body=text,
                body_text=plain_text(text),
                summary=summary_of(plain_text(text)),
                status=status,
                author=writer,
                review_note="请补充活动成效。" if status == Status.REJECTED else "",
                created_at=now - dt.timedelta(hours=3),
                updated_at=now - dt.timedelta(hours=2),
            )
        )
    public = [p for p in posts if p.status == Status.APPROVED and p.publish_at <= now and p.school_id]
    for post in rng.sample(public, k=min(12, len(public))):
        post.featured = True
    Post.objects.bulk_create(posts, batch_size=1000)
    return {"posts": len(posts)}
