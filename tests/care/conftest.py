import datetime as dt

import pytest

from dangjian.care.models import Pairing, Student
from tests.factories import GrantFactory, UserFactory

_n = iter(range(1, 10_000))


def make_student(world, *, school=None, **fields) -> Student:
    n = next(_n)
    defaults = {
        "name": f"王小明{n}",
        "id_number": "110101201205150034",
        "gender": "M",
        "grade": "五年级二班",
        "address": "柳河乡红星村三组12号",
        "guardian_phone": "13812345678",
        "household_income": "3456.78",
        "priority_group": "dibao",
        "disability": "hearing",
        "disability_detail": "双耳听力损失70分贝",
        "support_mode": "regular_class",
        "hardship_tier": "special",
    }
    defaults.update(fields)
    return Student.all_objects.create(school=school or world.school_a, **defaults)


def pair(student, person) -> Pairing:
    return Pairing.all_objects.create(student=student, member=person, started_on=dt.date(2026, 9, 1))


def care_officer(world, username: str, org):
    user = UserFactory(username=username)
    GrantFactory(user=user, org=org, role="care_officer")
    return user


@pytest.fixture
def care(world):
    """School A's and the county's care officers; two students in A, one paired with A's member; one in B."""
    officer_a = care_officer(world, "care_a", world.branch_a)
    officer_county = care_officer(world, "care_county", world.county)
    paired = make_student(world, name="李雨萱")
    unpaired = make_student(world, name="赵子轩", id_number="110101201306200027", gender="F")
    in_b = make_student(world, school=world.school_b, name="钱浩然")
    pairing = pair(paired, world.people["member"])
    return {
        "officer_a": officer_a,
        "officer_county": officer_county,
        "paired": paired,
        "unpaired": unpaired,
        "in_b": in_b,
        "pairing": pairing,
    }
