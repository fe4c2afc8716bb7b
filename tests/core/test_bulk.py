import datetime as dt

from dangjian.core.bulk import insert_rows, reserve_ids
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
