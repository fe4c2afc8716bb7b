"""Demo leadership records: in the first county, a few schools of both organization types (书记、校长 one person in a
党支部 school, two people in a 党委/党总支 school), each with a year of monthly 党组织会议 and 校长办公会议, their
agenda items, decisions and the 校长's execution reports, and the 议事规则 in various states.

Everything follows the rules except three planted violations (`PLANTED`), one of each derived check, which the
county page must find and nothing else (tests/leadership/test_demo.py). Deterministic: no randomness at all.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings

from dangjian.leadership import logic
from dangjian.leadership.models import (
    AgendaItem,
    BodyMember,
    DecisionRules,
    ExecutionReport,
    Outcome,
    RulesStatus,
)
from dangjian.leadership.selectors import template_for
from dangjian.meetings.models import Attendance, Meeting, Presence, Status
from dangjian.orgs.models import Grant, Membership, OrgKind, Position, School, Stage

SEPARATE = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
# (index in the chosen schools, check, months back): one of each derived check.
PLANTED = (
    (0, logic.MAJOR_WITHOUT_PARTY, 4),
    (1, logic.CADRE_WITHOUT_TWO_THIRDS, 6),
    (2, logic.REPORT_OVERDUE, 5),
)
MAJOR = ("major_decision", "major_project", "large_funds", "cadre")
TITLES = {
    "major_decision": "学校三年发展规划（{m}月修订）",
    "major_project": "校园改造项目（{m}月）",
    "large_funds": "教学设备采购（{m}月）",
    "cadre": "中层干部任免（{m}月）",
    "teaching": "教学工作安排（{m}月）",
    "administration": "日常行政事项（{m}月）",
}
REPORT_DAYS = 60


@dataclass
class Plan:
    """What the generator built: the chosen schools and the planted (item id, check) pairs."""

    schools: list[School] = field(default_factory=list)
    planted: list[tuple[int, str]] = field(default_factory=list)


def _chosen(built) -> tuple[list[School], dict[int, list[int]]]:
    """The first school (secretary1's, a 党支部 school), three schools with a 党委/党总支 and two more 党支部
    schools, each with at least seven full members: ({school: full member ids})."""
    county_path = built.counties[0].path
    candidates = [s for s in built.schools if s.org.path.startswith(county_path) and not s.org.is_joint]
    fulls: dict[int, list[int]] = {}
    for person_id, school_id in (
        Membership.all_objects.filter(person__school__in=candidates, stage=Stage.FULL, person__is_active=True)
        .order_by("person_id")
        .values_list("person_id", "person__school_id")
    ):
        fulls.setdefault(school_id, []).append(person_id)
    # The school Party organization's 书记 (secretary1 for the first school) is the body's 书记: first in the list.
    secretaries = dict(
        Position.all_objects.filter(org__in=[s.org for s in candidates], post="secretary", ended_on__isnull=True)
        .order_by("org_id", "pk")
        .values_list("org_id", "person_id")
    )
    for school in candidates:
        people, first_person = fulls.get(school.pk, []), secretaries.get(school.org_id)
        if first_person in people:
            people.remove(first_person)
            people.insert(0, first_person)
    able = [s for s in candidates if len(fulls.get(s.pk, [])) >= 7]
    first = next((s for s in able if s.name.endswith("实验小学")), None)
    rest = [s for s in able if s is not first]
    chosen = [first] if first else []
    chosen += [s for s in rest if s.org.kind in SEPARATE][:3]
    chosen += [s for s in rest if s.org.kind == OrgKind.BRANCH][: 6 - len(chosen)]
    return chosen, fulls


def _seats(school: School, people: list[int], since: dt.date) -> tuple[list[BodyMember], int, int]:
    """Bodies of five (party) and three (admin): (seats, 书记 id, 校长 id). One person in a 党支部 school."""
    secretary, deputy, *others = people[:7]
    principal = secretary if school.org.kind == OrgKind.BRANCH else deputy  # 校长 a Party member: 副书记
    seats = [
        BodyMember(school=school, body="party", person_id=secretary, role="secretary", started_on=since),
        BodyMember(school=school, body="party", person_id=deputy, role="deputy_secretary", started_on=since),
        *(BodyMember(school=school, body="party", person_id=p, role="member", started_on=since) for p in others[:3]),
        BodyMember(school=school, body="admin", person_id=principal, role="principal", started_on=since),
        *(
            BodyMember(school=school, body="admin", person_id=p, role="vice_principal", started_on=since)
            for p in others[3:5]
        ),
    ]
    return seats, secretary, principal


class _Builder:
    """Meetings, attendance, items and reports of one school, collected for bulk inserts."""

    def __init__(self, ctx, school: School, seats: list[BodyMember], secretary: int, principal: int):
        self.ctx, self.school, self.secretary, self.principal = ctx, school, secretary, principal
        self.party = [s.person_id for s in seats if s.body == "party"]
        self.admin = [s.person_id for s in seats if s.body == "admin"]
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def meeting(self, kind: str, day: dt.date, absent: int = 0) -> tuple[Meeting, list[Attendance]]:
        body = self.party if kind == "party_org_meeting" else self.admin
        label = "党组织会议" if kind == "party_org_meeting" else "校长办公会议"
        meeting = Meeting(
            org=self.school.org,
            kind=kind,
            topic=f"{self.school.name}{label}",
            starts_at=dt.datetime.combine(day, dt.time(15, 30), tzinfo=self.tz),
            status=Status.HELD,
            host_id=self.secretary if kind == "party_org_meeting" else self.principal,
            expected_count=len(body),
            attended_count=len(body) - absent,
            quorum_met=logic.meets(len(body) - absent, len(body), {"more_than": [1, 2]}),
        )
        rows = [
            Attendance(
                meeting=meeting,
                person_id=p,
                status=Presence.ABSENT if i >= len(body) - absent else Presence.PRESENT,
                is_voting=True,
                is_committee=True,
            )
            for i, p in enumerate(body)
        ]
        return meeting, rows


def _months(today: dt.date) -> list[tuple[int, dt.date]]:
    """(months back, first day of that month) for the twelve months ending with the current one."""
    found = []
    year, month = today.year, today.month
    for back in range(12):
        found.append((back, dt.date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def _school_year(ctx, b: _Builder, plant: dict[str, int]) -> list:
    """A year of monthly meetings of one school: [(meeting, attendance, [(item, planted code or "")])]."""
    today = ctx.today
    year = []
    last_party_major: AgendaItem | None = None
    for back, first in sorted(_months(today), reverse=True):
        office_day, party_day = first + dt.timedelta(days=6), first + dt.timedelta(days=13)
        m = first.month
        category = MAJOR[m % len(MAJOR)]
        if plant.get(logic.CADRE_WITHOUT_TWO_THIRDS) == back:
            category = "cadre"
        if office_day <= today - dt.timedelta(days=2):
            meeting, rows = b.meeting("principal_office_meeting", office_day)
            items = [(_item(b, meeting, "administration", m, 1), "")]
            if plant.get(logic.MAJOR_WITHOUT_PARTY) == back:
                items.append((_item(b, meeting, "large_funds", m, 2), logic.MAJOR_WITHOUT_PARTY))
            elif last_party_major is not None:
                carried = _item(b, meeting, last_party_major.category, m, 2, party_decision=last_party_major)
                carried.title = f"部署落实：{last_party_major.title}"
                items.append((carried, ""))
            elif m % 3 == 0:
                items.append((_item(b, meeting, "major_project", m, 2, outcome=Outcome.PROPOSED), ""))
            year.append((meeting, rows, items))
        if party_day <= today - dt.timedelta(days=2):
            short = plant.get(logic.CADRE_WITHOUT_TWO_THIRDS) == back
            absent = 2 if short else (1 if category != "cadre" and m % 4 == 1 else 0)
            meeting, rows = b.meeting("party_org_meeting", party_day, absent=absent)
            major = _item(b, meeting, category, m, 1)
            code = logic.CADRE_WITHOUT_TWO_THIRDS if short else ""
            if plant.get(logic.REPORT_OVERDUE) == back:
                code = logic.REPORT_OVERDUE
            year.append((meeting, rows, [(major, code), (_item(b, meeting, "teaching", m, 2), "")]))
            last_party_major = major if category != "cadre" else None
    return year


def _item(
    b: _Builder,
    meeting: Meeting,
    category: str,
    month: int,
    order: int,
    *,
    outcome=Outcome.DECIDED,
    party_decision=None,
) -> AgendaItem:
    party = meeting.kind == "party_org_meeting"
    day = meeting.starts_at.date()
    return AgendaItem(
        school=b.school,
        meeting=meeting,
        order=order,
        title=TITLES[category].format(m=month),
        category=category,
        proposer_id=b.principal if category != "cadre" else b.secretary,
        fixed_by_id=b.secretary if party else b.principal,
        fixed_by_role="secretary" if party else "principal",
        communicated_on=day - dt.timedelta(days=4),
        communication="书记与校长会前充分沟通，无重大分歧。" if category in MAJOR else "",
        outcome=outcome,
        decision="同意。" if outcome == Outcome.DECIDED else "形成方案，提交党组织会议研究决定。",
        discussion="对拟任人选进行了讨论。" if category == "cadre" else "",
        party_decision=party_decision,
        report_due_on=day + dt.timedelta(days=REPORT_DAYS) if party and outcome == Outcome.DECIDED else None,
    )


def _save(year: list) -> list[tuple[AgendaItem, str]]:
    meetings = [m for m, _rows, _items in year]
    Meeting.all_objects.bulk_create(meetings)
    Attendance.all_objects.bulk_create([_with(r, meeting=m) for m, rows, _items in year for r in rows], batch_size=2000)
    items = []
    for m, _rows, found in year:  # in order: a carried-out decision is saved before the item naming it
        for item, code in found:
            item.meeting = m
            if item.party_decision is not None:
                item.party_decision_id = item.party_decision.pk
            item.save()
            items.append((item, code))
    return items


def _with(row: Attendance, *, meeting: Meeting) -> Attendance:
    row.meeting = meeting
    return row


def _reports(ctx, items: list[tuple[AgendaItem, str]], principal: int) -> list[ExecutionReport]:
    """The 校长 reports on every 党组织会议 decision ten days before its due date, once that day has come; the
    planted overdue decision gets none."""
    found = []
    for item, code in items:
        if item.report_due_on is None or code == logic.REPORT_OVERDUE:
            continue
        day = item.report_due_on - dt.timedelta(days=10)
        if day <= ctx.today:
            found.append(
                ExecutionReport(
                    item=item, reported_on=day, reporter_id=principal, text="已按决定落实。", completed=True
                )
            )
    return found


def _rules(ctx, schools: list[School]) -> list[DecisionRules]:
    """议事规则: approved for most, one submitted and waiting, one school with none yet."""
    found = []
    for i, school in enumerate(schools[:-1]):
        template = template_for(school, on=ctx.today)
        submitted = dt.datetime.combine(ctx.today - dt.timedelta(days=200 - i), dt.time(10), tzinfo=dt.UTC)
        status = RulesStatus.SUBMITTED if i == 1 else RulesStatus.APPROVED
        found.append(
            DecisionRules(
                school=school,
                version=1,
                template_effective=template.effective,
                text=template.text,
                status=status,
                submitted_at=submitted,
                decided_at=submitted + dt.timedelta(days=7) if status == RulesStatus.APPROVED else None,
            )
        )
    return found


def generate(ctx) -> Plan:
    built = ctx.built["orgs"]
    schools, fulls = _chosen(built)
    plan = Plan(schools)
    planted_at = {i: {} for i in range(len(schools))}
    for index, code, back in PLANTED:
        if index < len(schools):
            planted_at[index][code] = back
    since = ctx.today - dt.timedelta(days=500)
    reports = []
    for i, school in enumerate(schools):
        seats, secretary, principal = _seats(school, fulls[school.pk], since)
        BodyMember.all_objects.bulk_create(seats)
        year = _school_year(ctx, _Builder(ctx, school, seats, secretary, principal), planted_at[i])
        items = _save(year)
        plan.planted += [(item.pk, code) for item, code in items if code]
        reports += _reports(ctx, items, principal)
    ExecutionReport.all_objects.bulk_create(reports)
    DecisionRules.all_objects.bulk_create(_rules(ctx, schools))
    # The demo's county administrator also plays the county's organization staff (personnel items, approvals).
    county = built.users.get("county")
    if county is not None:
        Grant.all_objects.create(user=county, org=built.root, role="org_staff")
    return plan
