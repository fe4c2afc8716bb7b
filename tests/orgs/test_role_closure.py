"""Every role in the roles data can be staffed: a chain of grants from the county administrator reaches it."""

from django.urls import reverse

from dangjian.core import capabilities
from dangjian.orgs import services
from tests.factories import GrantFactory, PersonFactory, UserFactory


def test_every_role_is_reached_from_the_county_admin():
    roles = capabilities.role_table()
    assert {"care_officer", "ethics_officer", "discipline_officer", "publicity"} <= roles.keys()
    assert capabilities.ungrantable_roles(roles) == set()


def test_a_role_nobody_grants_is_found_and_stops_the_start_up(monkeypatch):
    roles = {
        "county_admin": {"label": "a", "grantable_by": ["county_admin"]},
        "orphan": {"label": "b"},
        "granted_by_orphan": {"label": "c", "grantable_by": ["orphan"]},
        "typo": {"label": "d", "grantable_by": ["county_admn"]},
    }
    assert capabilities.ungrantable_roles(roles) == {"orphan", "granted_by_orphan", "typo"}
    monkeypatch.setattr(capabilities, "role_table", lambda: roles)
    monkeypatch.setattr(capabilities, "capability_table", lambda: {})
    found = "\n".join(capabilities.problems())
    assert "unknown role 'county_admn'" in found and "orphan cannot be reached" in found


def test_the_county_admin_grants_every_role_at_the_root_and_at_a_school(world):
    for org in (world.county, world.branch_a):
        assert set(services.grantable_roles(world.county_admin, org)) == set(capabilities.role_table())


def test_the_access_page_offers_every_role_to_the_county_admin(world, login):
    person = PersonFactory(name="新专干", org=world.branch_a, school=world.school_a)
    page = login(world.county_admin).get(reverse("orgs:person_access", kwargs={"pk": person.pk})).content.decode()
    for role in capabilities.role_table():
        assert f'value="{role}"' in page
    assert f'value="{world.county.pk}"' in page and f'value="{world.branch_a.pk}"' in page


def test_a_school_admin_grants_the_schools_officers_but_not_county_ones(world):
    admin = UserFactory(username="school_admin_a")
    GrantFactory(user=admin, org=world.branch_a, role="school_admin")
    granted = set(services.grantable_roles(admin, world.branch_a))
    assert {"care_officer", "ethics_officer", "publicity", "secretary"} <= granted
    assert not {"county_admin", "discipline_officer", "assessor", "school_admin"} & granted
    assert services.grantable_roles(admin, world.county) == []
