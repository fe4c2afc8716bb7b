"""A year of organizational life for the generated county: most branches keep to the rules, some lag behind,
so the county view shows real gaps. Deterministic through ctx.rng and ctx.today; bulk inserts throughout."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from dangjian.core import periods
from dangjian.core.bulk import analyze, foreign_keys_checked_after, insert_rows, reserve_ids
from dangjian.meetings import compliance, logic
from dangjian.meetings.models import (
    Attendance,
    Audience,
    ComplianceCell,
    Grade,
    LifeEntry,
    Meeting,
    Motion,
    Presence,
    Rectification,
    ReviewGrade,
    Status,
)
from dangjian.orgs.models import COMMITTEE_POSTS, MEMBER_STAGES, Grant, Membership, Org, OrgKind, Position, Stage

TOPICS = {
    "general_assembly": ["审议支部季度工作报告", "讨论接收预备党员", "研究年度党建工作计划", "听取支委会工作情况报告"],
    "committee_meeting": ["研究本月党建工作安排", "讨论发展党员工作", "研究主题党日活动方案", "分析党员思想动态"],
    "group_meeting": ["学习党的创新理论", "交流师德师风建设体会", "谈心谈话与批评和自我批评", "学习教育法律法规"],
    "party_lecture": ["书记讲党课：办好人民满意的教育", "党课：弘扬教育家精神", "党课：落实立德树人根本任务"],
    "theme_day": ["重温入党誓词", "志愿服务进社区", "参观红色教育基地", "集中学习与民主议事", "送教下乡"],
    "org_life_meeting": ["年度组织生活会"],
    "member_review": ["年度民主评议党员"],
    "heart_talk": ["谈心谈话"],
}
MINUTES = [
    "书记传达上级会议精神，与会党员逐一发言，结合教育教学实际谈体会。",
    "会议学习了有关文件，讨论了本月工作安排，明确了责任人和完成时限。",
    "与会同志围绕主题交流发言，提出改进意见三条。",
]
RESOLUTIONS = ["", "按计划推进本月工作。", "会议形成决议两项，已明确分工。"]
MEETING_FIELDS = [
    "org_id",
    "kind",
    "topic",
    "starts_at",
    "duration_minutes",
    "place",
    "online_url",
    "audience",
    "status",
    "host_id",
    "recorder_id",
    "minutes",
    "resolutions",
    "prep_talks",
    "prep_opinions",
    "quorum_met",
    "expected_count",
    "attended_count",
    "created_by_id",
    "created_at",
    "updated_at",
]
REASONS = ["外出培训", "病假", "带学生参加比赛", "家中有事", "公务出差"]
PLACES = ["党员活动室", "会议室", "图书馆报告厅", "党建阵地"]


def _at(rng, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice([(15, 30), (16, 0), (16, 30), (14, 0)])
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _day_in(rng, start: dt.date, end: dt.date) -> dt.date | None:
    if end < start:
        return None
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def generate(ctx) -> dict:
    built = ctx.built["orgs"]
    rng, today = ctx.rng, ctx.today
    year_start = dt.date(today.year, 1, 1)
    kinds = logic.kind_rules(on=today)
    branches = [b for b in built.branches if b.kind == OrgKind.BRANCH]
    branch_ids = [b.pk for b in branches]

    members: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # branch -> [(person, voting)]
    by_group: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for person_id, org_id, stage, group_id in Membership.objects.filter(
        person__org_id__in=branch_ids, stage__in=MEMBER_STAGES, person__is_active=True
    ).values_list("person_id", "person__org_id", "stage", "group_id"):
        members[org_id].append((person_id, stage == Stage.FULL))
        if group_id:
            by_group[group_id].append((person_id, stage == Stage.FULL))
    committee: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in Position.objects.filter(
        org_id__in=branch_ids, ended_on__isnull=True, post__in=COMMITTEE_POSTS
    ).values_list("org_id", "person_id"):
        committee[org_id].append(person_id)
    groups = defaultdict(list)
    for pk, parent_id in Org.objects.filter(kind=OrgKind.GROUP, parent_id__in=branch_ids).values_list(
        "pk", "parent_id"
    ):
        groups[parent_id].append(pk)
    first_branch = (
        Grant.objects.filter(user=built.users["secretary1"], role="secretary").values_list("org_id", flat=True).first()
        if "secretary1" in built.users
        else None
    )

    now = timezone.now()
    meetings: list[dict] = []  # Meeting rows, MEETING_FIELDS
    rosters: list[list[tuple[int, bool, bool]]] = []  # per meeting: (person, voting, committee)

    def add(org_id: int, kind: str, day: dt.date, roster, *, planned: bool = False, diligence: float = 1.0, **kw):
        rows = []
        for person_id, voting, is_committee in roster:
            if planned:
                status = Presence.PRESENT
            else:
                r = rng.random()
                miss = (1 - diligence) * 0.3
                status = (
                    Presence.ABSENT
                    if r < 0.02 + miss
                    else Presence.LEAVE
                    if r < 0.09 + miss
                    else Presence.ONLINE
                    if r < 0.13 + miss
                    else Presence.PRESENT
                )
            rows.append((person_id, voting, is_committee, status))
        rule = kinds[kind]
        quorum = None if planned else logic.quorum_met(rule, [logic.Row(s, v, c) for _p, v, c, s in rows])
        host = committee.get(org_id, [None])[0] if org_id in committee else (roster[0][0] if roster else None)
        held = not planned
        is_life = kind == "org_life_meeting" and held
        meetings.append(
            {
                "org_id": org_id,
                "kind": kind,
                "topic": kw.pop("topic", rng.choice(TOPICS[kind])),
                "starts_at": _at(rng, day),
                "duration_minutes": 90,
                "place": rng.choice(PLACES),
                "online_url": kw.pop("online_url", ""),
                "audience": kw.pop("audience", ""),
                "status": Status.HELD if held else Status.PLANNED,
                "host_id": host if held else None,
                "recorder_id": ([*committee.get(org_id, [None, None]), None])[1] or host if held else None,
                "minutes": rng.choice(MINUTES) if held else "",
                "resolutions": rng.choice(RESOLUTIONS) if held else "",
                "prep_talks": "会前支委与每名党员开展了谈心谈话。" if is_life else "",
                "prep_opinions": "通过座谈会和意见箱征求教职工、家长意见十余条。" if is_life else "",
                "quorum_met": quorum,
                "expected_count": len(rows),
                "attended_count": sum(1 for *_x, s in rows if s in (Presence.PRESENT, Presence.ONLINE)),
                "created_by_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        rosters.append(rows)

    for branch in branches:
        people = members.get(branch.pk, [])
        if not people:
            continue
        lagging = rng.random() < 0.18 and branch.pk != first_branch
        diligence = rng.uniform(0.4, 0.7) if lagging else rng.uniform(0.93, 1.0)
        com = set(committee.get(branch.pk, []))
        roster_members = [(p, v, p in com) for p, v in people]
        roster_committee = [(p, v, True) for p, v in people if p in com]
        has_committee = len(com) >= 3
        for kind, rule in kinds.items():
            if rule["applies_to"] not in ("branch", "committee") or rule.get("per_member"):
                continue
            if rule["applies_to"] == "committee" and not has_committee:
                continue
            for period in periods.periods_between(rule["period"], year_start, today):
                current = today in period
                if kind == "committee_meeting" and current and branch.pk == first_branch:
                    continue  # secretary1's committee meeting this month is still due: the demo shows it
                if rule["period"] == "year":
                    start = max(period.start, dt.date(today.year, 10, 1))  # usually in Q4
                    chance = diligence * (0.75 if current else 1)
                else:
                    start = period.start
                    chance = diligence * (0.45 if current else 1)
                if rng.random() > chance:
                    continue
                day = _day_in(rng, start, min(period.end, today - dt.timedelta(days=1)))
                if day is None:
                    continue
                roster = roster_committee if kind == "committee_meeting" else roster_members
                add(branch.pk, kind, day, roster, diligence=diligence)
        for group_id in groups.get(branch.pk, []):
            group_roster = [(p, v, p in com) for p, v in by_group.get(group_id, [])]
            if not group_roster:
                continue
            for period in periods.periods_between("month", year_start, today):
                if rng.random() > diligence * (0.5 if today in period else 1):
                    continue
                day = _day_in(rng, period.start, min(period.end, today - dt.timedelta(days=1)))
                if day:
                    add(group_id, "group_meeting", day, group_roster, diligence=diligence)
        # 谈心谈话: the secretary with each member, once a year
        secretary = next(iter(committee.get(branch.pk, [])), people[0][0])
        for person_id, voting in people:
            if person_id == secretary or rng.random() > diligence * 0.9:
                continue
            day = _day_in(rng, year_start, today - dt.timedelta(days=1))
            if day:
                add(
                    branch.pk,
                    "heart_talk",
                    day,
                    [(secretary, True, True), (person_id, voting, person_id in com)],
                    diligence=1.0,
                    topic="谈心谈话",
                )
        # What is coming up: a planned theme day or committee meeting in the next two weeks.
        if rng.random() < 0.5 or branch.pk == first_branch:
            day = today + dt.timedelta(days=rng.randrange(2, 14))
            add(branch.pk, "theme_day", day, roster_members, planned=True)
        if branch.pk == first_branch or rng.random() < 0.04:
            day = today + dt.timedelta(days=rng.randrange(3, 10))
            add(
                branch.pk,
                "party_lecture",
                day,
                roster_members,
                planned=True,
                topic="公开党课：新时代教育家精神",
                audience=Audience.COUNTY,
                online_url="https://live.example.org/party-lecture",
            )

    # Plain rows through core.bulk (COPY on PostgreSQL): the province profile has ~8 million attendance rows.
    with foreign_keys_checked_after(Meeting, Attendance, ReviewGrade, ComplianceCell):
        return _insert(ctx, kinds, meetings, rosters)


def _insert(ctx, kinds, meetings, rosters) -> dict:
    rng, today = ctx.rng, ctx.today
    meeting_ids = reserve_ids(Meeting, len(meetings))
    insert_rows(
        Meeting,
        ["id", *MEETING_FIELDS],
        ((pk, *(m[f] for f in MEETING_FIELDS)) for pk, m in zip(meeting_ids, meetings, strict=True)),
    )
    motions, life, rects, grades = [], [], [], []
    attendance_count = 0

    def attendance_rows():
        # A generator, so the random draws keep their order (attendance, then the meeting's motions, criticism,
        # rectifications and grades, meeting by meeting) without holding 8 million row objects.
        nonlocal attendance_count
        for meeting_id, meeting, rows in zip(meeting_ids, meetings, rosters, strict=True):
            for person_id, voting, is_committee, status in rows:
                attendance_count += 1
                yield (
                    meeting_id,
                    person_id,
                    status,
                    rng.choice(REASONS) if status == Presence.LEAVE else "",
                    voting,
                    is_committee,
                )
            if meeting["status"] != Status.HELD:
                continue
            kind = meeting["kind"]
            if kind == "general_assembly" and rng.random() < 0.4:
                entitled = sum(1 for _p, v, _c, _s in rows if v)
                present = sum(1 for _p, v, _c, s in rows if v and s in (Presence.PRESENT, Presence.ONLINE))
                outcome = logic.motion_outcome(
                    kinds["general_assembly"],
                    [logic.Row(s, v, c) for _p, v, c, s in rows],
                    yes=present,
                    no=0,
                    abstain=0,
                )
                motions.append(
                    Motion(
                        meeting_id=meeting_id,
                        title="关于接收预备党员的决议",
                        yes=present,
                        entitled=entitled,
                        present_voting=present,
                        valid=outcome.valid,
                        passed=outcome.passed,
                    )
                )
            if kind == "org_life_meeting":
                for person_id, *_x, status in rows[:6]:
                    if status in (Presence.PRESENT, Presence.ONLINE):
                        life.append(
                            LifeEntry(
                                meeting_id=meeting_id,
                                person_id=person_id,
                                self_criticism="理论学习不够系统，联系教学实际不够紧密。",
                                criticism_received="希望在青年教师培养中发挥更大作用。",
                            )
                        )
                owner = rows[0][0]
                held_on = meeting["starts_at"].date()
                for item in ("理论学习制度化", "加强青年教师思想引领"):
                    rects.append(
                        Rectification(
                            meeting_id=meeting_id,
                            item=item,
                            owner_id=owner,
                            deadline=held_on + dt.timedelta(days=60),
                            done_on=None if rng.random() < 0.5 else held_on + dt.timedelta(days=30),
                        )
                    )
            if kind == "member_review":
                voting = [p for p, v, _c, _s in rows if v]
                cap = len(rows) // 3
                excellent = set(rng.sample(voting, min(cap, max(0, len(voting) // 4))))
                for person_id, v, _c, _s in rows:
                    grade = "" if not v else Grade.EXCELLENT if person_id in excellent else Grade.QUALIFIED
                    grades.append((meeting_id, person_id, grade, not v))

    insert_rows(
        Attendance,
        ["meeting_id", "person_id", "status", "reason", "is_voting", "is_committee"],
        attendance_rows(),
    )
    Motion.objects.bulk_create(motions, batch_size=2000)
    LifeEntry.objects.bulk_create(life, batch_size=2000)
    Rectification.objects.bulk_create(rects, batch_size=2000)
    insert_rows(ReviewGrade, ["meeting_id", "person_id", "grade", "is_probationary"], grades)
    analyze(Meeting, Attendance)
    cells = compliance.refresh(years=[today.year], today=today)
    ctx.stdout.write(f"    meetings: {len(meetings)}, attendance rows: {attendance_count}, compliance cells: {cells}")
    return {"meetings": len(meetings)}
