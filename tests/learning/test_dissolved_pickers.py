"""A dissolved organization is no longer offered when publishing learning materials (issue 13, day one)."""

import datetime as dt

import pytest

from dangjian.orgs.models import Org, OrgKind
from tests.factories import OrgFactory

pytestmark = pytest.mark.django_db


def test_material_form_does_not_offer_a_dissolved_org(world, login):
    gone = OrgFactory(kind=OrgKind.BRANCH, name="已撤销的丙校党支部", parent=world.county)
    client = login(world.users["county_admin"])
    assert gone.name in client.get("/learning/materials/add/").content.decode()
    Org.all_objects.filter(pk=gone.pk).update(dissolved_on=dt.date(2026, 5, 20), is_active=False)
    assert gone.name not in client.get("/learning/materials/add/").content.decode()
