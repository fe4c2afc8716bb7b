import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from dangjian.core.bulk import foreign_keys_checked_after, insert_rows, reserve_ids
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Person
from tests.factories import OrgFactory, PersonFactory, new_id_number


def test_reserved_ids_are_used_and_the_sequence_moves_on(db):
    org = OrgFactory()
    PersonFactory(org=org)
    ids = reserve_ids(Person, 3)
    rows = [
        (pk, f"批量{pk}", "pl", "F", dt.date(1990, 1, 1), new_id_number(), "", None, org.pk, "", "", True) for pk in ids
    ]
    fields = [
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
    assert insert_rows(Person, fields, rows) == 3
    later = PersonFactory(org=org)  # the sequence continues after the reserved block
    with unscoped("test"):
        assert list(Person.objects.filter(name__startswith="批量").values_list("id", flat=True).order_by("id")) == list(
            ids
        )
    assert later.pk > ids[-1]


def _person_row(pk, org_id):
    return (pk, f"批量{pk}", "pl", "F", dt.date(1990, 1, 1), new_id_number(), "", None, org_id, "", "", True)


FIELDS = ["id", "name", "initials", "gender", "birth_date", "id_number", "phone", "school_id", "org_id", "job"]
FIELDS += ["title", "is_active"]


def _foreign_keys(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        return sorted(r[0] for r in cursor.fetchall())


def test_foreign_keys_are_back_and_checked_after_a_bulk_load(db):
    org = OrgFactory()
    before = _foreign_keys("orgs_person") if connection.vendor == "postgresql" else []
    with foreign_keys_checked_after(Person):
        insert_rows(Person, FIELDS, [_person_row(pk, org.pk) for pk in reserve_ids(Person, 2)])
    with unscoped("test"):
        assert Person.objects.filter(org=org).count() == 2
    if connection.vendor == "postgresql":
        assert _foreign_keys("orgs_person") == before and len(before) == 3
        # A row pointing nowhere is caught when the keys come back, and nothing of the load stays.
        with pytest.raises(IntegrityError), transaction.atomic():
            with foreign_keys_checked_after(Person):
                insert_rows(Person, FIELDS, [_person_row(reserve_ids(Person, 1)[0], 987654321)])
        assert _foreign_keys("orgs_person") == before
        with unscoped("test"):
            assert not Person.objects.filter(org_id=987654321).exists()
