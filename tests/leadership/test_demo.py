"""The demo county: schools of both organization types with a year of both meeting kinds, and the county view
finds exactly the planted violations (issue 21, done means)."""

import random
from io import StringIO

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.management.commands.generate import Context
from dangjian.core.profiles import PROFILES
from dangjian.core.scoping import unscoped
from dangjian.leadership import demo, selectors
from dangjian.meetings.models import Meeting
from dangjian.orgs import demo as orgs_demo
from dangjian.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county():
    """The orgs generator and this app's, as `manage.py generate --profile county --only leadership` runs them."""
    ctx = Context(PROFILES["county"], 1, random.Random(1), timezone.localdate(), StringIO())
    with transaction.atomic(), unscoped("test: generate"):
        ctx.built["orgs"] = orgs_demo.generate(ctx)
        plan = demo.generate(ctx)
    return ctx, plan


def test_schools_of_both_types_with_a_year_of_both_meeting_kinds(demo_county):
    ctx, plan = demo_county
    kinds = {s.org.kind for s in plan.schools}
    assert OrgKind.BRANCH in kinds and kinds & {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}
    for school in plan.schools:
        bodies = selectors.bodies(school)
        assert bodies.one_person is bodies.one_person_expected  # the rule data's arrangement, per type
        with unscoped("test"):
            counts = {
                kind: Meeting.objects.filter(org=school.org, kind=kind).count()
                for kind in ("party_org_meeting", "principal_office_meeting")
            }
        assert min(counts.values()) >= 11, (school.name, counts)
    first = plan.schools[0]
    secretary1 = ctx.built["orgs"].users["secretary1"]
    assert first.name.endswith("实验小学") and selectors.sits_on(secretary1, first)


def test_the_county_view_finds_exactly_the_planted_violations(demo_county, client):
    ctx, plan = demo_county
    assert sorted(code for _pk, code in plan.planted) == sorted(code for _i, code, _b in demo.PLANTED)
    county = ctx.built["orgs"].users["county"]
    year = timezone.localdate().year
    found = set()
    for y in (year - 1, year):
        rows = selectors.county_rows(county, list(selectors.county_schools(county)), y)
        found |= {(f.item_id, f.code) for row in rows for f in row.flags}
    assert found == set(plan.planted)
    client.force_login(county, backend="django.contrib.auth.backends.ModelBackend")
    codes = []
    for y in (year - 1, year):
        page = client.get(reverse("leadership:county"), {"year": y}).content.decode()
        codes += [
            c for _i, c, _b in demo.PLANTED if f'data-code="{c}"' in page for _ in range(page.count(f'data-code="{c}"'))
        ]
    assert sorted(codes) == sorted(code for _pk, code in plan.planted)
