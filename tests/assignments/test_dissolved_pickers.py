"""A dissolved organization no longer issues tasks (issue 13, day one)."""

import datetime as dt

import pytest

from dangjian.assignments import selectors
from dangjian.orgs.models import Org, OrgKind
from tests.factories import GrantFactory, OrgFactory

pytestmark = pytest.mark.django_db


def test_assigning_orgs_leave_out_a_dissolved_org(world):
    gone = OrgFactory(kind=OrgKind.BRANCH, name="已撤销的丙校党支部", parent=world.county)
    secretary = GrantFactory(org=gone, role="secretary").user
    assert list(selectors.assigning_orgs(secretary)) == [gone]
    Org.all_objects.filter(pk=gone.pk).update(dissolved_on=dt.date(2026, 5, 20), is_active=False)
    assert not selectors.assigning_orgs(secretary).exists()
