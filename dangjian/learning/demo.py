"""Learning in the demo county: a 100-question bank, a county knowledge contest taken by 300 members, a study
plan with completions and a 集中学习 session, training records in both ledgers, materials, and two essay calls
(one open, one with final scores and awards).

Deterministic through ctx.rng and ctx.today; bulk inserts; the records are limited to the first county so the
province profile stays quick.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dangjian.learning import papers, scoring
from dangjian.learning.models import (
    Attempt,
    CallStatus,
    Completion,
    Contest,
    Essay,
    EssayCall,
    ItemKind,
    Material,
    PlanItem,
    Question,
    QuestionBank,
    Review,
    StudyPlan,
    TrainingRecord,
)
from dangjian.orgs.models import MEMBER_STAGES, Membership

# Facts from domain-rules.md (confirmed items): (topic, statement with ____, answer, distractors).
FACTS = [
    ("支部工作条例", "正式党员____人以上的，应当成立党支部。", "3", ("2", "5", "7")),
    ("支部工作条例", "党支部党员人数一般不超过____人。", "50", ("30", "80", "100")),
    ("支部工作条例", "正式党员____人以上的党支部，设立支部委员会。", "7", ("3", "5", "9")),
    ("支部工作条例", "学校党支部每届任期一般为____年。", "3", ("2", "4", "5")),
    ("支部工作条例", "支部党员大会一般每____召开1次。", "季度", ("月", "半年", "年")),
    ("支部工作条例", "支部委员会会议一般每____召开1次。", "月", ("周", "季度", "半年")),
    ("支部工作条例", "党小组会一般每____召开1次。", "月", ("周", "季度", "年")),
    ("支部工作条例", "党支部每月相对固定____天开展主题党日。", "1", ("2", "3", "5")),
    ("支部工作条例", "组织生活会一般每年召开____次。", "1", ("2", "3", "4")),
    ("支部工作条例", "民主评议党员一般每年开展____次。", "1", ("2", "3", "4")),
    ("发展党员", "预备党员的预备期为____年。", "1", ("2", "3", "半")),
    ("发展党员", "发展党员须有____名正式党员作入党介绍人。", "2", ("1", "3", "4")),
    ("发展党员", "入党积极分子一般经过____年以上的培养教育和考察。", "1", ("2", "3", "半")),
    (
        "发展党员",
        "年满____岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党。",
        "18",
        ("16", "20", "21"),
    ),
    ("党费", "在职党员月工资收入3000元以下（含）的，每月交纳党费为工资收入的____。", "0.5%", ("1%", "1.5%", "2%")),
    ("党费", "在职党员月工资收入10000元以上的，每月交纳党费为工资收入的____。", "2%", ("0.5%", "1%", "1.5%")),
    ("党费", "补交党费的时间一般不得超过____个月。", "6", ("3", "9", "12")),
    ("党费", "党员连续____个月不交纳党费又无正当理由的，按自行脱党处理。", "6", ("3", "9", "12")),
    ("教师培训", "中小学教师继续教育原则上每____年为一个培训周期。", "5", ("3", "4", "10")),
    ("教师培训", "新任教师在试用期内的培训不少于____学时。", "120", ("60", "240", "360")),
    ("教师培训", "教师岗位培训每五年累计不少于____学时。", "240", ("120", "360", "480")),
    ("师德", "教师受警告处分的期间为____个月。", "6", ("3", "12", "24")),
    ("师德", "教师受记过处分的期间为____个月。", "12", ("6", "18", "24")),
]
MULTIPLES = [
    ("支部工作条例", "支部委员会通常设置的职务有？", ["书记", "组织委员", "宣传委员", "校长"], "ABC"),
    ("支部工作条例", "“三会一课”中的“三会”是指？", ["支部党员大会", "支部委员会", "党小组会", "校长办公会"], "ABC"),
    ("发展党员", "预备党员没有的权利是？", ["表决权", "选举权", "被选举权", "知情权"], "ABC"),
    ("发展党员", "发展党员依次经过的阶段有？", ["入党积极分子", "发展对象", "预备党员", "共青团员"], "ABC"),
    ("减负", "政务应用原则上不得设置的强制使用功能有？", ["打卡签到", "积分排名", "统计在线时长", "投诉建议"], "ABC"),
    ("师德", "教师违反职业道德可给予的处分有？", ["警告", "记过", "降低岗位等级", "通报表扬"], "ABC"),
    (
        "教师培训",
        "《中小学教师继续教育规定》所列的培训有？",
        ["新任教师培训", "教师岗位培训", "骨干教师培训", "网络刷课"],
        "ABC",
    ),
    ("支部工作条例", "民主评议党员时常用的评定等次有？", ["优秀", "合格", "基本合格", "良好"], "ABC"),
]
CONTEST_RULES = [
    {"kind": "single", "topic": "党费", "count": 2},
    {"kind": "single", "topic": "", "count": 8},
    {"kind": "multiple", "topic": "", "count": 4},
    {"kind": "true_false", "topic": "", "count": 5},
    {"kind": "fill", "topic": "", "count": 1},
]
PARTY_CATEGORIES = ("专题培训", "集中学习", "在线学习")
CE_CATEGORIES = ("国家级培训", "省级培训", "市级培训", "县级培训", "校本研修")
CE_TITLES = ("暑期全员培训", "新课标解读", "信息技术应用能力提升", "班主任能力培训", "学科骨干研修", "心理健康教育")
PARTY_TITLES = ("学习贯彻党的二十大精神专题培训", "党章党规专题学习", "党支部书记轮训", "师德师风专题教育")
ESSAY_TITLES = (
    "我的教育故事",
    "三尺讲台",
    "一个都不能少",
    "守望乡村",
    "点亮一盏灯",
    "陪伴",
    "春风化雨",
    "我和我的学生",
)


def _questions(bank: QuestionBank, rng) -> list[Question]:
    rows = []
    letters = papers.LETTERS
    for topic, statement, answer, wrong in FACTS:
        options = [answer, *wrong]
        rng.shuffle(options)
        rows.append(
            Question(
                bank=bank,
                kind="single",
                topic=topic,
                stem=statement.replace("____", "（　）"),
                options=options,
                answer=letters[options.index(answer)],
            )
        )
        rows.append(
            Question(bank=bank, kind="true_false", topic=topic, stem=statement.replace("____", answer), answer="T")
        )
        rows.append(
            Question(
                bank=bank,
                kind="true_false",
                topic=topic,
                stem=statement.replace("____", wrong[0]),
                answer="F",
                explanation=statement.replace("____", answer),
            )
        )
        rows.append(Question(bank=bank, kind="fill", topic=topic, stem=statement, answer=answer.replace("%", "%|％")))
    for topic, stem, options, answer in MULTIPLES:
        rows.append(Question(bank=bank, kind="multiple", topic=topic, stem=stem, options=options, answer=answer))
    return Question.all_objects.bulk_create(rows)


def _answer_for(q: Question, order: list[int], right: bool, rng) -> str:
    """A plausible answer in the question's own letters (stored as a person's answer)."""
    if q.kind == "single":
        return q.answer if right else rng.choice([c for c in "ABCD" if c != q.answer])
    if q.kind == "multiple":
        return q.answer if right else q.answer[:-1]
    if q.kind == "true_false":
        return q.answer if right else ("F" if q.answer == "T" else "T")
    return q.answer.split("|")[0] if right else "不知道"


def generate(ctx):
    built = ctx.built["orgs"]
    rng, today = ctx.rng, ctx.today
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    root = built.root
    users = built.users
    county = built.counties[0] if built.counties else root
    people = [p for p in built.people if p.org.path.startswith(county.path)]
    branch_of = {b.pk: b for b in built.branches}
    member_ids = set(
        Membership.all_objects.filter(person__in=[p.pk for p in people], stage__in=MEMBER_STAGES).values_list(
            "person_id", flat=True
        )
    )
    members = [p for p in people if p.pk in member_ids]

    # --- materials ---
    Material.all_objects.bulk_create(
        [
            Material(
                org=root,
                title="《中国共产党章程》学习要点",
                topic="党章",
                kind="article",
                body="请对照党章原文逐章学习。",
                created_at=now,
            ),
            Material(
                org=root,
                title="《中国共产党支部工作条例（试行）》解读",
                topic="支部工作条例",
                kind="article",
                body="条例共8章37条。",
                created_at=now,
            ),
            Material(
                org=root,
                title="共产党员网专题学习",
                topic="党章",
                kind="video",
                url="https://www.12371.cn/",
                created_at=now,
            ),
            Material(
                org=root,
                title="新时代中小学教师职业行为十项准则",
                topic="师德",
                kind="article",
                body="十项准则全文学习。",
                created_at=now,
            ),
        ]
    )

    # --- question bank and contest ---
    bank = QuestionBank.all_objects.create(org=root, name="党章党规知识题库（100题）", created_at=now)
    questions = _questions(bank, rng)
    by_id = {q.id: q for q in questions}
    qs = [papers.Q(q.id, q.kind, q.topic, q.answer, len(q.options)) for q in questions]
    contest = Contest.all_objects.create(
        org=root,
        bank=bank,
        title=f"{today.year}年党章党规知识竞赛",
        draw_rules=CONTEST_RULES,
        points_per_question=5,
        time_limit_minutes=20,
        attempts_allowed=2,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=20),
    )
    takers = [p for p in members if p.user_id is None]
    takers = rng.sample(takers, min(300, len(takers)))
    attempts = []
    for person in takers:
        skill = rng.uniform(0.5, 0.95)
        for number in range(1, rng.choice((1, 1, 1, 2)) + 1):
            paper_qs = papers.draw(CONTEST_RULES, qs, rng)
            paper, answers, score = [], {}, Decimal(0)
            for q in paper_qs:
                order = papers.shuffled_order(q.option_count, rng) if q.kind in ("single", "multiple") else []
                paper.append({"q": q.id, "order": order})
                given = _answer_for(by_id[q.id], order, rng.random() < skill, rng)
                answers[str(q.id)] = given
                score += papers.grade(q, given, contest.points_per_question)
            started = now - dt.timedelta(days=rng.randrange(1, 9), minutes=rng.randrange(600))
            attempts.append(
                Attempt(
                    contest=contest,
                    person=person,
                    number=number,
                    paper=paper,
                    answers=answers,
                    started_at=started,
                    deadline=started + dt.timedelta(minutes=20),
                    submitted_at=started + dt.timedelta(minutes=rng.randrange(6, 19)),
                    score=score,
                    max_score=contest.max_score,
                )
            )
    Attempt.all_objects.bulk_create(attempts, batch_size=1000)

    # --- study plans ---
    plan = StudyPlan.all_objects.create(
        org=root,
        title=f"{today.year}年度全县党员学习计划",
        year=today.year,
        description="自学为主，完成即计学时，不打卡、不计在线时长。",
    )
    items = PlanItem.all_objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                kind=ItemKind.SELF_STUDY,
                title="学习《中国共产党章程》",
                topic="党章",
                hours=Decimal(4),
                due_on=dt.date(today.year, 3, 31),
            ),
            PlanItem(
                plan=plan,
                kind=ItemKind.SELF_STUDY,
                title="学习《中国共产党支部工作条例（试行）》",
                topic="支部工作条例",
                hours=Decimal(4),
                due_on=dt.date(today.year, 6, 30),
            ),
            PlanItem(
                plan=plan,
                kind=ItemKind.SELF_STUDY,
                title="学习新时代中小学教师职业行为十项准则",
                topic="师德",
                hours=Decimal(2),
                due_on=dt.date(today.year, 9, 30),
            ),
            PlanItem(
                plan=plan,
                kind=ItemKind.SELF_STUDY,
                title="学习党的基层组织建设有关规定",
                topic="支部工作条例",
                hours=Decimal(2),
                due_on=dt.date(today.year, 12, 20),
            ),
        ]
    )
    completions = []
    for person in members:
        for item in items:
            if item.due_on <= today and rng.random() < 0.7:
                completions.append(
                    Completion(item=item, person=person, done_on=item.due_on - dt.timedelta(days=rng.randrange(30)))
                )
    first_branch = next((branch_of[p.org_id] for p in members if p.user_id and p.org_id in branch_of), None)
    if first_branch is not None:
        school_plan = StudyPlan.all_objects.create(
            org=first_branch, title=f"{first_branch.name}{today.year}年集中学习安排", year=today.year
        )
        session = PlanItem.all_objects.create(
            plan=school_plan,
            kind=ItemKind.SESSION,
            title="集中学习：支部工作条例",
            topic="支部工作条例",
            hours=Decimal(3),
            due_on=today - dt.timedelta(days=20),
            held_on=today - dt.timedelta(days=21),
        )
        PlanItem.all_objects.create(
            plan=school_plan,
            kind=ItemKind.SESSION,
            title="集中学习：师德专题",
            topic="师德",
            hours=Decimal(3),
            due_on=today + dt.timedelta(days=20),
        )
        for person in built.members_by_branch.get(first_branch.pk, []):
            if rng.random() < 0.85:
                completions.append(Completion(item=session, person=person, done_on=session.held_on, by_attendance=True))
    Completion.all_objects.bulk_create(completions, batch_size=2000)

    # --- training records ---
    records = []
    cycle_start = dt.date(2024, 1, 1)
    span = max((today - cycle_start).days, 1)
    for person in people:
        for _n in range(rng.randrange(1, 5)):
            records.append(
                TrainingRecord(
                    person=person,
                    ledger="teacher_ce",
                    category=rng.choice(CE_CATEGORIES),
                    title=rng.choice(CE_TITLES),
                    day=cycle_start + dt.timedelta(days=rng.randrange(span)),
                    hours=Decimal(rng.choice((6, 12, 24, 30, 40))),
                    organizer="县教师发展中心",
                )
            )
        if person.pk in member_ids and rng.random() < 0.8:
            records.append(
                TrainingRecord(
                    person=person,
                    ledger="party_training",
                    category=rng.choice(PARTY_CATEGORIES),
                    title=rng.choice(PARTY_TITLES),
                    day=dt.date(today.year, 1, 1)
                    + dt.timedelta(days=rng.randrange(max((today - dt.date(today.year, 1, 1)).days, 1))),
                    hours=Decimal(rng.choice((4, 8, 12, 16))),
                    organizer="县委教育工委",
                )
            )
    TrainingRecord.all_objects.bulk_create(records, batch_size=5000)

    # --- essays ---
    judges = [
        u
        for name, u in sorted(users.items())
        if name in ("county", "assessor1") or name in ("secretary2", "secretary3", "secretary4")
    ]
    open_call = EssayCall.all_objects.create(
        org=root,
        title=f"{today.year}年“我的教育故事”征文",
        theme="讲述立德树人的身边故事，弘扬教育家精神。",
        deadline=now + dt.timedelta(days=30),
        rubric=[{"name": "思想性", "max": 40}, {"name": "真实性", "max": 30}, {"name": "文字表达", "max": 30}],
        tiers=[{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}, {"name": "三等奖", "count": 3}],
    )
    open_call.judges.set(judges)
    final_call = EssayCall.all_objects.create(
        org=root,
        title=f"{today.year - 1}年“师德师风”主题征文",
        theme="师德师风建设中的感悟与实践。",
        deadline=now - dt.timedelta(days=300),
        rubric=open_call.rubric,
        tiers=open_call.tiers,
        status=CallStatus.FINAL,
        finalized_at=now - dt.timedelta(days=270),
    )
    final_call.judges.set(judges)
    authors = rng.sample(people, min(12, len(people)))
    essays = Essay.all_objects.bulk_create(
        [
            Essay(
                call=final_call,
                person=p,
                blind_code=f"ZW{today.year - 1}{i + 1:03d}",
                title=rng.choice(ESSAY_TITLES),
                text="（示例作品正文）",
                consent_public=rng.random() < 0.7,
                submitted_at=now - dt.timedelta(days=310),
            )
            for i, p in enumerate(authors)
        ]
    )
    reviews, finals = [], {}
    for essay in essays:
        totals = []
        for judge in judges:
            marks = {
                "思想性": rng.randrange(24, 41),
                "真实性": rng.randrange(18, 31),
                "文字表达": rng.randrange(15, 31),
            }
            total = Decimal(sum(marks.values()))
            totals.append(total)
            reviews.append(Review(essay=essay, judge=judge, scores={k: str(v) for k, v in marks.items()}, total=total))
        finals[essay.id] = scoring.aggregate(totals, drop_extremes_min_judges=5)
    Review.all_objects.bulk_create(reviews)
    awards = scoring.award(finals, final_call.tiers, {e.id: e.blind_code for e in essays})
    for essay in essays:
        essay.final_score, essay.award = finals[essay.id], awards.get(essay.id, "")
    Essay.all_objects.bulk_update(essays, ["final_score", "award"])

    ctx.stdout.write(
        f"    learning: {len(questions)} questions, {len(attempts)} attempts by {len(takers)} members, "
        f"{len(records)} training records, {len(completions)} plan completions"
    )
    return {"bank": bank, "contest": contest, "plan": plan, "open_call": open_call, "final_call": final_call}
