"""The organization tree, schools, people, members, posts, users and grants of a generated county.

Deterministic: the same seed and the same `today` give the same data. Bulk inserts throughout, so the same
code builds the demo county in seconds and the province profile in minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from dangjian.core.bulk import foreign_keys_checked_after, insert_rows, reserve_ids
from dangjian.core.models import User
from dangjian.core.profiles import Profile, SchoolShape
from dangjian.core.scoping import unscoped
from dangjian.orgs import idnumber
from dangjian.orgs.models import STAGE_DATE_FIELD, Grant, Membership, Org, OrgKind, Person, Position, School, Stage
from dangjian.orgs.services import initials_of

DEMO_PASSWORD = "dangjian-demo"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文博宇浩欣怡梓涵子轩雨萱思远晓东春梅海燕红霞丽萍玉兰晓红雪梅立新国庆俊杰慧敏婷婷佳琪嘉怡晨曦子墨浩然欣然诗涵一鸣"
TOWNSHIPS = (
    "城关镇",
    "东城街道",
    "西城街道",
    "南湖镇",
    "北山乡",
    "青石镇",
    "柳河乡",
    "白沙镇",
    "石桥镇",
    "清水乡",
    "红星乡",
    "新华镇",
)
STAGE_NAMES = {
    "primary": "小学",
    "junior": "初级中学",
    "nine_year": "九年一贯制学校",
    "senior": "高级中学",
    "complete": "中学",
    "special": "特殊教育学校",
}
JOBS = (
    "语文教师",
    "数学教师",
    "英语教师",
    "物理教师",
    "化学教师",
    "道德与法治教师",
    "历史教师",
    "体育教师",
    "音乐教师",
    "美术教师",
    "信息技术教师",
    "班主任",
    "教务干事",
    "后勤人员",
)
TITLES = ("二级教师", "一级教师", "高级教师", "正高级教师", "")
PERSON_FIELDS = [
    "id",
    "name",
    "initials",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "school_id",
    "org_id",
    "job",
    "title",
    "is_active",
]
REGIONS = ("410102", "410203", "410304", "410411", "410522", "410621", "410726", "410825")


@dataclass
class Built:
    """What later generators (meetings, learning…) build on."""

    root: Org
    counties: list[Org] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    branches: list[Org] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    members_by_branch: dict[int, list[Person]] = field(default_factory=dict)
    secretary_of: dict[int, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


class _Names:
    def __init__(self, rng):
        self.rng = rng
        self.given = [GIVEN[i : i + 2] for i in range(0, len(GIVEN) - 1, 2)] + list(GIVEN)

    def __call__(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(self.given)


def _bulk_orgs(orgs: list[Org]) -> list[Org]:
    """Insert one level of the tree and give each org its materialized path (parents are saved already)."""
    Org.objects.bulk_create(orgs, batch_size=2000)
    if orgs and orgs[0].pk is None:  # a backend that does not return ids: fetch them back by name
        by_name = {o.name: o.pk for o in Org.objects.filter(name__in=[o.name for o in orgs])}
        for o in orgs:
            o.pk = o.id = by_name[o.name]
    for o in orgs:
        o.path = f"{o.parent.path}{o.pk}." if o.parent is not None else f"{o.pk}."
        o.depth = o.path.count(".") - 1
    Org.objects.bulk_update(orgs, ["path", "depth"], batch_size=2000)
    return orgs


def is_loaded() -> bool:
    """The generator asks before it starts: it generates into an empty tree only."""
    return Org.all_objects.exists()


def generate(ctx) -> Built:
    rng, today, profile = ctx.rng, ctx.today, ctx.profile
    assert isinstance(profile, Profile)
    names = _Names(rng)
    used_ids: set[str] = set()

    def new_id(birth: dt.date) -> str:
        region = rng.choice(REGIONS)
        while True:
            number = idnumber.make(region, birth, rng.randrange(1, 1000))
            if number not in used_ids:
                used_ids.add(number)
                return number

    def term_start() -> dt.date:
        return today - dt.timedelta(days=rng.randrange(30, 3 * 365 + 60))

    with unscoped("data generator"):
        multi = len(profile.county_names) > 1
        root_name = (
            "省教育工委"
            if profile.name == "province"
            else ("市教育工委" if multi else f"{profile.county_names[0]}教育党工委")
        )
        root = _bulk_orgs([Org(kind=OrgKind.COMMITTEE, name=root_name, founded_on=dt.date(2001, 7, 1))])[0]
        built = Built(root=root)
        counties = (
            [root]
            if not multi
            else _bulk_orgs(
                [
                    Org(kind=OrgKind.COMMITTEE, name=f"{c}教育党工委", parent=root, founded_on=dt.date(2001, 7, 1))
                    for c in profile.county_names
                ]
            )
        )
        built.counties = counties
        county_prefix = {
            c.pk: (profile.county_names[i] if multi else profile.county_names[0]) for i, c in enumerate(counties)
        }

        # Schools and their top organizations.
        plans = []  # (county, shape, [school names], stage)
        number_in_county: dict[int, dict[str, int]] = {}
        for county in counties:
            prefix = county_prefix[county.pk]
            counters = number_in_county.setdefault(county.pk, {})
            first = True
            for shape in profile.shapes:
                for _i in range(shape.count // shape.per_joint):
                    group = []
                    for _j in range(shape.per_joint):
                        stage = shape.stages[rng.randrange(len(shape.stages))]
                        if first and shape.org == "branch":
                            stage, first = "primary", False
                            group.append((f"{prefix}实验小学", stage))
                            continue
                        counters[stage] = counters.get(stage, 0) + 1
                        n = counters[stage]
                        label = STAGE_NAMES[stage]
                        group.append(
                            (
                                f"{prefix}{label}" if stage == "special" and n == 1 else f"{prefix}第{_cn(n)}{label}",
                                stage,
                            )
                        )
                    plans.append((county, shape, group))
        # Put the experimental primary school (secretary1's) first in each county.
        plans.sort(key=lambda p: (p[0].pk, "实验小学" not in p[2][0][0]))

        top_orgs = []
        for county, shape, group in plans:
            kind = {"committee": OrgKind.COMMITTEE, "general_branch": OrgKind.GENERAL_BRANCH}.get(
                shape.org, OrgKind.BRANCH
            )
            if shape.org == "joint":
                name = f"{county_prefix[county.pk]}联合党支部（{'、'.join(g[0][len(county_prefix[county.pk]) :][:6] for g in group)}）"
            else:
                suffix = {"committee": "党委", "general_branch": "党总支", "branch": "党支部"}[shape.org]
                name = f"{group[0][0]}{suffix}"
            top_orgs.append(
                Org(
                    kind=kind,
                    name=name,
                    parent=county,
                    is_joint=shape.org == "joint",
                    founded_on=dt.date(rng.randrange(1985, 2015), rng.randrange(1, 13), 1),
                    term_started_on=term_start() if kind == OrgKind.BRANCH else None,
                )
            )
        _bulk_orgs(top_orgs)

        sub_branches, school_objs = [], []
        staff_target: dict[str, int] = {}
        for (_county, shape, group), top in zip(plans, top_orgs, strict=True):
            for school_name, stage in group:
                staff = rng.randrange(shape.staff[0], shape.staff[1] + 1)
                if "实验小学" in school_name:
                    staff = 60
                staff_target[school_name] = staff
                school_objs.append(
                    School(
                        name=school_name,
                        stage=stage,
                        township=rng.choice(TOWNSHIPS),
                        org=top,
                        code=f"{rng.randrange(10**9, 10**10)}",
                        staff_count=staff,
                        student_count=staff * rng.randrange(11, 16),
                    )
                )
            for b in range(shape.branches):
                label = (
                    ("第一党支部", "第二党支部", "第三党支部", "第四党支部")[b]
                    if shape.org == "committee"
                    else ("教师第一党支部", "教师第二党支部", "退休教师党支部")[b]
                )
                sub_branches.append(
                    Org(kind=OrgKind.BRANCH, name=f"{group[0][0]}{label}", parent=top, term_started_on=term_start())
                )
        School.objects.bulk_create(school_objs, batch_size=2000)
        _bulk_orgs(sub_branches)
        built.schools = school_objs

        branches_by_top: dict[int | None, list[Org]] = {}
        for branch in sub_branches:
            branches_by_top.setdefault(branch.parent_id, []).append(branch)
        for top in top_orgs:
            if top.kind == OrgKind.BRANCH:
                branches_by_top[top.pk] = [top]
        shape_of_top: dict[int | None, SchoolShape] = {
            top.pk: shape for (_c, shape, _g), top in zip(plans, top_orgs, strict=True)
        }

        groups = []
        for top_id, branches in branches_by_top.items():
            shape = shape_of_top[top_id]
            n_groups = shape.groups_per_branch or (2 if any("实验小学" in b.name for b in branches) else 0)
            for branch in branches:
                for g in range(n_groups):
                    groups.append(Org(kind=OrgKind.GROUP, name=f"第{_cn(g + 1)}党小组", parent=branch))
        _bulk_orgs(groups)
        groups_by_branch: dict[int | None, list[Org]] = {}
        for group_org in groups:
            groups_by_branch.setdefault(group_org.parent_id, []).append(group_org)

        # People: every school's staff; members are placed in a branch of their school's organization.
        # Plain tuples and COPY: this is the hot path of the province profile (hundreds of thousands of rows).
        total = sum(staff_target.values())
        ids = iter(reserve_ids(Person, total))
        person_rows, member_rows = [], []
        for school in school_objs:
            branches = branches_by_top[school.org_id]
            shape = shape_of_top[school.org_id]
            staff = staff_target[school.name]
            n_members = 18 if "实验小学" in school.name else round(staff * shape.member_share)
            for k in range(staff):
                birth = dt.date(rng.randrange(1966, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
                number = new_id(birth)
                org = branches[k % len(branches)] if k < n_members else school.org
                name = names()
                pk = next(ids)
                person_rows.append(
                    (
                        pk,
                        name,
                        initials_of(name),
                        idnumber.gender(number),
                        birth,
                        number,
                        f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                        school.pk,
                        org.pk,
                        rng.choice(JOBS),
                        rng.choice(TITLES),
                        True,
                    )
                )
                record = _member_record(rng, today, birth, k, n_members)
                if record is not None:
                    group_choices = groups_by_branch.get(org.pk)
                    group_id = rng.choice(group_choices).pk if group_choices else None
                    member_rows.append((pk, group_id, record))
        with foreign_keys_checked_after(Person, Membership):  # one check per key, not per row (PostgreSQL)
            insert_rows(Person, PERSON_FIELDS, person_rows)
            # Instances as the database would return them (no user yet), for the generators that follow.
            built.people = [Person.from_db("default", [*PERSON_FIELDS, "user_id"], (*row, None)) for row in person_rows]
            by_id = {p.pk: p for p in built.people}
            # Their org and school already loaded, so later generators' `person.org.path` costs no query (at
            # province scale a query per person took many minutes).
            org_by_id = {o.pk: o for o in [*top_orgs, *sub_branches]}
            school_by_id = {s.pk: s for s in school_objs}
            for person in built.people:
                person.org = org_by_id[person.org_id]
                if person.school_id:
                    person.school = school_by_id[person.school_id]
            stage_fields = ["stage", *STAGE_DATE_FIELD.values()]
            insert_rows(
                Membership,
                ["id", "person_id", "group_id", *stage_fields],
                (
                    (mid, pk, group_id, *(record.get(f) for f in stage_fields))
                    for mid, (pk, group_id, record) in zip(
                        reserve_ids(Membership, len(member_rows)), member_rows, strict=True
                    )
                ),
            )
        full_ids = set()
        for pk, _group_id, record in member_rows:
            if record["stage"] in (Stage.FULL, Stage.PROBATIONARY):
                person = by_id[pk]
                built.members_by_branch.setdefault(person.org_id, []).append(person)
            if record["stage"] == Stage.FULL:
                full_ids.add(pk)

        # Posts: a secretary for every branch; a committee where there are 7 or more full members.
        all_branches = [b for bs in branches_by_top.values() for b in bs]
        built.branches = all_branches
        positions = []
        committee_posts = ("secretary", "organization", "publicity", "discipline", "deputy_secretary")
        for branch in all_branches:
            fulls = [p for p in built.members_by_branch.get(branch.pk, []) if p.pk in full_ids]
            if not fulls:
                continue
            n_posts = 5 if len(fulls) >= 12 else (3 if len(fulls) >= 7 and rng.random() > 0.15 else 1)
            for post, person in zip(committee_posts[:n_posts], fulls, strict=False):
                positions.append(
                    Position(org=branch, person=person, post=post, started_on=branch.term_started_on or today)
                )
            built.secretary_of[branch.pk] = fulls[0]
        top_by_id: dict[int | None, Org] = {t.pk: t for t in top_orgs}
        for top_id, branches in branches_by_top.items():
            top = top_by_id[top_id]
            if top.kind != OrgKind.BRANCH and branches and branches[0].pk in built.secretary_of:
                positions.append(
                    Position(
                        org=top,
                        person=built.secretary_of[branches[0].pk],
                        post="secretary",
                        started_on=today - dt.timedelta(days=400),
                    )
                )
        Position.objects.bulk_create(positions, batch_size=5000)

        built.users = _demo_users(built, top_orgs)
    return built


def _member_record(rng, today: dt.date, birth: dt.date, k: int, n_members: int) -> dict | None:
    """Stage and stage dates for the k-th staff member of a school: members first, then a few on the way in."""
    adult = (
        birth.replace(year=birth.year + 22) if birth.month != 2 or birth.day != 29 else dt.date(birth.year + 22, 3, 1)
    )
    if k < n_members:
        probationary = k % 9 == 8  # about one in nine members is in the probationary year
        if probationary:
            prob_on = today - dt.timedelta(days=rng.randrange(30, 330))
            return {
                "stage": Stage.PROBATIONARY,
                "applied_on": prob_on - dt.timedelta(days=900),
                "activist_on": prob_on - dt.timedelta(days=700),
                "candidate_on": prob_on - dt.timedelta(days=200),
                "probationary_on": prob_on,
            }
        joined = adult + dt.timedelta(days=rng.randrange(0, max(1, (today - adult).days - 400)))
        return {"stage": Stage.FULL, "probationary_on": joined, "full_on": joined + dt.timedelta(days=365)}
    if k < n_members + 3 and rng.random() < 0.6:
        applied = today - dt.timedelta(days=rng.randrange(60, 700))
        stage = Stage.ACTIVIST if (today - applied).days > 300 else Stage.APPLICANT
        return {
            "stage": stage,
            "applied_on": applied,
            "activist_on": applied + dt.timedelta(days=200) if stage == Stage.ACTIVIST else None,
        }
    return None


def _demo_users(built: Built, top_orgs: list[Org]) -> dict[str, User]:
    """The demo logins of DESIGN.md, plus `secretaryN` for the secretary of every branch in the first county."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: demo accounts share one password
    first_county = built.counties[0]
    first_branch = next(
        b for b in built.branches if b.name.endswith("实验小学党支部") and b.parent_id == first_county.pk
    )
    first_school = next(s for s in built.schools if s.org_id == first_branch.pk)
    members = built.members_by_branch[first_branch.pk]
    secretary = built.secretary_of[first_branch.pk]
    full_ids = set(
        Membership.all_objects.filter(person__in=members, stage=Stage.FULL).values_list("person_id", flat=True)
    )
    member = next(
        p
        for p in members
        if p.pk in full_ids and p.pk != secretary.pk and not Position.all_objects.filter(person=p).exists()
    )
    teacher = next(
        p
        for p in built.people
        if p.school_id == first_school.pk and not Membership.all_objects.filter(person=p).exists()
    )

    users, grants, people = {}, [], []

    def add(username: str, role: str, org: Org, person: Person | None, first_name: str = ""):
        user = User(username=username, password=password, first_name=first_name or (person.name if person else ""))
        users[username] = (user, person, role, org)

    add("county", "county_admin", built.root, None, "县党工委管理员")
    add("assessor1", "assessor", built.root, None, "考核专家")
    add("secretary1", "secretary", first_branch, secretary)
    add("member1", "member", first_branch, member)
    add("teacher1", "teacher", first_branch, teacher)
    n = 2
    for branch in built.branches:
        if branch.pk == first_branch.pk or branch.pk not in built.secretary_of:
            continue
        if not branch.path.startswith(first_county.path) or branch.path == first_county.path:
            continue
        add(f"secretary{n}", "secretary", branch, built.secretary_of[branch.pk])
        n += 1
    User.objects.bulk_create([u for u, *_ in users.values()], batch_size=1000)
    saved = {u.username: u for u in User.objects.filter(username__in=list(users))}
    for username, (_u, person, role, org) in users.items():
        user = saved[username]
        grants.append(Grant(user=user, org=org, role=role))
        if person is not None:
            person.user = user
            people.append(person)
    Grant.objects.bulk_create(grants)
    Person.objects.bulk_update(people, ["user"])
    return saved


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numerals for school numbers (一 … 九十九)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])
