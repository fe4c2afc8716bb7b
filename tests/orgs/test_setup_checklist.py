"""The set-up checklist: what a county still lacks, each with the page that fixes it."""

import io
import os
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dangjian.core.scoping import unscoped
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Org
from tests.factories import GrantFactory, PersonFactory, UserFactory


def gaps(world):
    return selectors.setup_gaps(world.county_admin, world.county)


def test_a_fresh_county_lands_on_the_checklist(db):
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"BOOTSTRAP_PASSWORD": "Xin-xian-2026-admin"}):
        call_command("bootstrap", "--name", "新县", "--admin", "chief", stdout=out)
    user = get_user_model().objects.get(username="chief")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home.url == reverse("orgs:setup")
    page = client.get(home.url).content.decode()
    assert "尚未建立任何学校" in page
    assert reverse("orgs:setup_import") in page and reverse("orgs:school_create") in page
    with unscoped("test"):
        root = Org.objects.get()
    found = selectors.setup_gaps(user, root)
    assert found.schools == 0
    assert [role for role, _label in found.unheld_roles] == list(selectors.COUNTY_ROLES)


def test_the_world_lists_what_is_missing_with_links(world, login):
    found = gaps(world)
    # both branches have members and a secretary; the assessor is the only county role held
    assert found.schools == 2 and found.empty_branches.count == 0 and found.branches_without_secretary.count == 0
    assert {role for role, _label in found.unheld_roles} == set(selectors.COUNTY_ROLES) - {"assessor"}
    # the generated members have no login
    assert found.people_without_login.count == len(world.members_a) - 2 + len(world.members_b) - 1
    page = login(world.county_admin).get(reverse("orgs:setup")).content.decode()
    first = found.people_without_login.first[0]
    assert reverse("orgs:person_access", args=[first.pk]) in page
    assert "学生资助与关爱专干" in page


def test_gaps_close_as_the_county_fills_in(world, today):
    committee = services.create_org(actor=world.county_admin, kind="committee", name="丙校党委", parent=world.county)
    services.create_school(actor=world.county_admin, org=committee, name="丙校", stage="junior")
    found = gaps(world)
    assert found.orgs_without_branch.first == [committee]
    branch = services.create_org(actor=world.county_admin, kind="branch", name="丙校党支部", parent=committee)
    found = gaps(world)
    assert found.orgs_without_branch.count == 0
    assert branch in found.empty_branches.first and branch in found.branches_without_secretary.first

    officer = UserFactory(username="care")
    GrantFactory(user=officer, org=world.county, role="care_officer")
    assert "care_officer" not in dict(gaps(world).unheld_roles)


def test_counts_not_giant_lists_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    people = [PersonFactory(org=world.branch_a, school=world.school_a) for _ in range(selectors.SETUP_SHOWN + 5)]
    for i in range(20):
        services.create_school_with_branch(
            actor=world.county_admin, parent=world.county, name=f"校{i}", stage="primary"
        )
    with django_assert_max_num_queries(14):
        found = gaps(world)
    assert found.people_without_login.count >= len(people)
    assert len(found.people_without_login.first) == selectors.SETUP_SHOWN


def test_home_links_to_the_checklist_while_something_is_missing(world, login):
    home = login(world.county_admin).get(reverse("core:home"))
    assert home.status_code == 200 and reverse("orgs:setup") in home.content.decode()


def test_only_the_county_administrator_sees_the_checklist(world, login):
    for user in (world.secretary, world.member, world.assessor, world.outsider):
        assert login(user).get(reverse("orgs:setup")).status_code == 403
    assert reverse("orgs:setup") not in login(world.secretary).get(reverse("core:home")).content.decode()
