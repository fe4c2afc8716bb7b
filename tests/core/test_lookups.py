import pytest

from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Person

pytestmark = pytest.mark.django_db


def test_any_matches_what_in_matches(world):
    ids = [world.branch_a.pk, world.group_a.pk]
    with unscoped("test: lookups"):
        by_any = set(Person.objects.filter(org_id__any=ids).values_list("pk", flat=True))
        by_in = set(Person.objects.filter(org_id__in=ids).values_list("pk", flat=True))
        assert by_any == by_in and by_any
        assert set(Person.objects.filter(org__any=ids).values_list("pk", flat=True)) == by_in
        assert not Person.objects.filter(org_id__any=[]).exists()
        assert Person.objects.exclude(org_id__any=ids).count() == Person.objects.exclude(org_id__in=ids).count()


def test_any_sends_one_parameter_on_postgresql(world):
    from django.db import connection

    ids = [world.branch_a.pk, world.branch_b.pk, world.group_a.pk]
    with unscoped("test: lookups"):
        sql, params = Person.objects.filter(org_id__any=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and list(params) == [ids]
    else:
        assert " IN (" in sql and list(params) == ids
