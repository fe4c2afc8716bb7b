"""The shared world: one county, two schools (A and B), and the personas every test reaches for.

county_admin (county committee), secretary (school A's branch), member (a full member in A), teacher (a
non-member teacher in A), outsider (secretary of school B), assessor (county assessment expert).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings

from dangjian.core import indicators
from dangjian.core.models import ApiToken
from dangjian.orgs.models import Org, OrgKind, Person, School
from tests.factories import (
    GrantFactory,
    MembershipFactory,
    OrgFactory,
    PersonFactory,
    PositionFactory,
    SchoolFactory,
    UserFactory,
)

pytest_plugins = ["tests.browser_support"]

# Speed lives in the benchmark, not in tests: Hypothesis neither fails an example for taking long (its default
# 200 ms deadline) nor a test for generating its input slowly, which a busy 2-core machine can do to any of them.
settings.register_profile("dangjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dangjian")

SECRET_NAME_A = "甲校专属姓名"  # appears only in school A's data: an outsider must never see it


@dataclass
class World:
    county: Org
    branch_a: Org
    branch_b: Org
    group_a: Org
    school_a: School
    school_b: School
    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    members_a: list[Person] = field(default_factory=list)
    members_b: list[Person] = field(default_factory=list)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_world() -> World:
    county = OrgFactory(kind=OrgKind.COMMITTEE, name="测试县教育党工委", parent=None, term_started_on=None)
    branch_a = OrgFactory(kind=OrgKind.BRANCH, name="甲校党支部", parent=county)
    branch_b = OrgFactory(kind=OrgKind.BRANCH, name="乙校党支部", parent=county)
    group_a = OrgFactory(kind=OrgKind.GROUP, name="第一党小组", parent=branch_a)
    school_a = SchoolFactory(name="甲校", org=branch_a)
    school_b = SchoolFactory(name="乙校", org=branch_b)
    world = World(county, branch_a, branch_b, group_a, school_a, school_b)

    def person(name, school, org, user=None, stage=None, **kw):
        p = PersonFactory(name=name, school=school, org=org, user=user, **kw)
        if stage:
            MembershipFactory(person=p, stage=stage, **({} if stage == "full" else {"full_on": None}))
        return p

    u = {
        name: UserFactory(username=name)
        for name in ("county_admin", "secretary", "member", "teacher", "outsider", "assessor")
    }
    world.users = u
    GrantFactory(user=u["county_admin"], org=county, role="county_admin")
    GrantFactory(user=u["assessor"], org=county, role="assessor")
    GrantFactory(user=u["secretary"], org=branch_a, role="secretary")
    GrantFactory(user=u["member"], org=branch_a, role="member")
    GrantFactory(user=u["teacher"], org=branch_a, role="teacher")
    GrantFactory(user=u["outsider"], org=branch_b, role="secretary")

    sec_a = person("甲书记", school_a, branch_a, u["secretary"], "full")
    mem_a = person("甲党员", school_a, branch_a, u["member"], "full")
    teacher_a = person(SECRET_NAME_A, school_a, branch_a, u["teacher"])
    sec_b = person("乙书记", school_b, branch_b, u["outsider"], "full")
    PositionFactory(org=branch_a, person=sec_a, post="secretary")
    PositionFactory(org=branch_b, person=sec_b, post="secretary")
    world.people = {"secretary": sec_a, "member": mem_a, "teacher": teacher_a, "outsider": sec_b}
    world.members_a = [sec_a, mem_a] + [person(f"甲校党员{i}", school_a, branch_a, stage="full") for i in range(3)]
    world.members_b = [sec_b] + [person(f"乙校党员{i}", school_b, branch_b, stage="full") for i in range(3)]
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login():
    """login(user) -> a Client signed in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_client():
    """api_client(user) -> a Client that sends a bearer token for that user (user None: no token)."""

    def make(user=None) -> Client:
        if user is None:
            return Client()
        _token, raw = ApiToken.issue(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached rule overrides or pages must not leak between tests
    (a rolled-back transaction does not roll back the cache)."""

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Chinese: a request in English leaves English active in the thread (Django's locale
    middleware does not switch back), which would leak into the next test's messages."""

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def only_assignment_formulas(monkeypatch):
    """A build in which only the assignments app offers indicator formulas (a county running without some
    modules), for tests of what assessment does with formulas that are not connected."""

    kept = {name: f for name, f in indicators.registered().items() if name.startswith("assignments.")}
    monkeypatch.setattr(indicators, "_registry", kept)
