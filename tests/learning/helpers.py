"""Builders for learning tests. They write through `all_objects`, as test set-up is trusted code."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dangjian.learning.models import (
    Attempt,
    Contest,
    Essay,
    EssayCall,
    ItemKind,
    Material,
    PlanItem,
    Question,
    QuestionBank,
    StudyPlan,
    TrainingRecord,
)
from dangjian.learning.questions_io import COLUMNS
from tests.factories import xlsx_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_bank(org, *, single=6, multiple=4, true_false=4, fill=2, topics=("党章", "支部工作条例")) -> QuestionBank:
    bank = QuestionBank.all_objects.create(org=org, name="测试题库")
    rows = []
    n = 0
    for kind, count in (("single", single), ("multiple", multiple), ("true_false", true_false), ("fill", fill)):
        for i in range(count):
            n += 1
            topic = topics[i % len(topics)]
            if kind == "single":
                rows.append(
                    Question(
                        bank=bank, kind=kind, topic=topic, stem=f"单选{n}", options=["甲", "乙", "丙", "丁"], answer="B"
                    )
                )
            elif kind == "multiple":
                rows.append(
                    Question(
                        bank=bank,
                        kind=kind,
                        topic=topic,
                        stem=f"多选{n}",
                        options=["甲", "乙", "丙", "丁"],
                        answer="AC",
                    )
                )
            elif kind == "true_false":
                rows.append(Question(bank=bank, kind=kind, topic=topic, stem=f"判断{n}", answer="T"))
            else:
                rows.append(Question(bank=bank, kind=kind, topic=topic, stem=f"填空{n}", answer="服务|为人民服务"))
    Question.all_objects.bulk_create(rows)
    return bank


def make_contest(org, bank, **kw) -> Contest:
    now = timezone.now()
    fields = {
        "title": "测试知识竞赛",
        "draw_rules": [
            {"kind": "single", "topic": "党章", "count": 2},
            {"kind": "single", "topic": "", "count": 2},
            {"kind": "multiple", "topic": "", "count": 2},
            {"kind": "true_false", "topic": "", "count": 2},
            {"kind": "fill", "topic": "", "count": 1},
        ],
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=7),
        "attempts_allowed": 3,
    }
    fields.update(kw)
    return Contest.all_objects.create(org=org, bank=bank, **fields)


def make_attempt(contest, person, number=1) -> Attempt:
    questions = list(contest.bank.questions.all()[:3])
    paper = [{"q": q.id, "order": list(range(len(q.options)))} for q in questions]
    return Attempt.all_objects.create(
        contest=contest,
        person=person,
        number=number,
        paper=paper,
        deadline=contest.closes_at,
        max_score=len(paper) * contest.points_per_question,
    )


def make_call(org, judges, **kw) -> EssayCall:
    fields = {
        "title": "测试征文",
        "theme": "立德树人",
        "deadline": timezone.now() + dt.timedelta(days=7),
        "rubric": [{"name": "思想性", "max": 40}, {"name": "文采", "max": 60}],
        "tiers": [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}],
    }
    fields.update(kw)
    call = EssayCall.all_objects.create(org=org, **fields)
    call.judges.set(judges)
    return call


def make_essay(call, person, code, **kw) -> Essay:
    return Essay.all_objects.create(call=call, person=person, blind_code=code, title=f"作品{code}", text="正文", **kw)


def make_plan(org, **kw) -> StudyPlan:
    fields = {"title": "年度学习计划", "year": timezone.localdate().year}
    fields.update(kw)
    return StudyPlan.all_objects.create(org=org, **fields)


def make_item(plan, kind=ItemKind.SELF_STUDY, hours="2", **kw) -> PlanItem:
    return PlanItem.all_objects.create(
        plan=plan, kind=kind, title=kw.pop("title", "学习党章"), hours=Decimal(hours), due_on=timezone.localdate(), **kw
    )


def make_material(org, with_file=True) -> Material:
    material = Material(
        org=org, title="党章学习资料", topic="党章", kind="document" if with_file else "article", body="正文"
    )
    if with_file:
        material.file.save("dangzhang.pdf", ContentFile(PDF), save=False)
    material.save()
    return material


def make_record(person, hours="4", ledger="teacher_ce", day=None, category=None) -> TrainingRecord:
    return TrainingRecord.all_objects.create(
        person=person,
        ledger=ledger,
        category=category or ("县级培训" if ledger == "teacher_ce" else "专题培训"),
        title="培训",
        day=day or timezone.localdate(),
        hours=Decimal(hours),
    )


def question_sheet(rows: list[list]) -> io.BytesIO:
    buffer = io.BytesIO(xlsx_bytes([header for _key, header in COLUMNS], *rows))
    buffer.name = "题库.xlsx"
    return buffer


def good_rows(n: int) -> list[list]:
    """n valid rows of the four kinds."""
    rows = []
    for i in range(n):
        match i % 4:
            case 0:
                rows.append(["单选题", "党章", f"单选题{i}", "甲", "乙", "丙", "丁", "", "", "A", "解析"])
            case 1:
                rows.append(["多选题", "条例", f"多选题{i}", "甲", "乙", "丙", "丁", "戊", "", "A、C、E", ""])
            case 2:
                rows.append(["判断题", "党章", f"判断题{i}", "", "", "", "", "", "", "对", ""])
            case 3:
                rows.append(["填空题", "", f"填空题{i}", "", "", "", "", "", "", "服务|为人民服务", ""])
    return rows


@dataclass
class LearningWorld:
    bank: QuestionBank
    contest: Contest
    attempt: Attempt
    attempt2: Attempt
    plan: StudyPlan
    item: PlanItem
    item2: PlanItem
    session: PlanItem
    material: Material
    call: EssayCall
    call2: EssayCall
    essay: Essay


def build(world) -> LearningWorld:
    """School A's learning objects: the ones an outsider from school B must never reach."""
    a = world.branch_a
    bank = make_bank(a)
    contest = make_contest(a, bank)
    member = world.people["member"]
    plan = make_plan(a)
    call = make_call(a, [world.users["secretary"]])
    return LearningWorld(
        bank=bank,
        contest=contest,
        attempt=make_attempt(contest, member, 1),
        attempt2=make_attempt(contest, member, 2),
        plan=plan,
        item=make_item(plan),
        item2=make_item(plan, title="学习条例"),
        session=make_item(plan, ItemKind.SESSION, title="集中学习"),
        material=make_material(a),
        call=call,
        call2=make_call(a, [world.users["secretary"]], title="第二次征文"),
        essay=make_essay(call, world.members_a[2], "ZWTEST01"),
    )
