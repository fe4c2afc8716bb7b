"""转办 to a school office: a staff member of the concern's school handles it for that office (issue 17, item 4)."""

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.voice import selectors
from dangjian.voice.models import Concern
from tests.factories import PersonFactory, UserFactory
from tests.voice.conftest import make_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    """A teacher of school A with a login (may handle for an office), and one of school B (may not)."""
    own = UserFactory()
    PersonFactory(name="李主任", org=world.branch_a, school=world.school_a, user=own)
    stranger = UserFactory()
    PersonFactory(name="外校老师", org=world.branch_b, school=world.school_b, user=stranger)
    return own, stranger


def test_the_form_offers_the_offices_and_only_the_schools_staff(world, login, staff):
    own, stranger = staff
    c = make_concern(world)
    assert "教务处" in selectors.offices(c)
    assert own in selectors.school_staff(c) and stranger not in selectors.school_staff(c)
    page = login(world.secretary).get(reverse("voice:detail", args=[c.pk])).content.decode()
    assert "或转给本校科室" in page and "李主任" in page and "外校老师" not in page


def test_a_concern_goes_to_an_office_is_handled_there_and_audited(world, login, staff):
    own, _stranger = staff
    c = make_concern(world, title="食堂饭菜偏咸")
    response = login(world.secretary).post(
        reverse("voice:transfer", args=[c.pk]), {"office": "总务处", "office_person": own.pk}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.assignee_id, c.assignee_office, c.org_id) == (own.pk, "总务处", world.branch_a.pk)
    assert AuditEntry.objects.get(action="transfer").changes == {
        "assignee": [None, own.pk],
        "assignee_office": ["", "总务处"],
    }
    page = login(own).get(reverse("voice:detail", args=[c.pk])).content.decode()
    assert "总务处 李主任" in page and reverse("voice:reply", args=[c.pk]) in page


def test_bad_office_transfers_change_nothing(world, login, api_client, staff):
    own, stranger = staff
    c = make_concern(world)
    client = login(world.secretary)
    for data, error in [
        ({"office": "总务处"}, "请同时选择科室和承办人"),
        ({"office": "不存在的处室", "office_person": own.pk}, "选择一个有效的选项"),
        ({"office": "总务处", "office_person": stranger.pk}, "选择一个有效的选项"),
    ]:
        response = client.post(reverse("voice:transfer", args=[c.pk]), data, follow=True)
        assert error in response.content.decode(), data
    api = api_client(world.secretary)
    url = f"/api/v1/voice/concerns/{c.pk}/transfer"
    assert (
        api.post(url, {"office": "总务处", "assignee_id": stranger.pk}, content_type="application/json").status_code
        == 404
    )
    bad = api.post(url, {"office": "不存在的处室", "assignee_id": own.pk}, content_type="application/json")
    assert bad.status_code == 400 and "请选择本校的一个科室" in bad.json()["detail"]
    ok = api.post(url, {"office": "教务处", "assignee_id": own.pk}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["assignee_office"] == "教务处"
    c.refresh_from_db()
    assert c.assignee_office == "教务处"
    with unscoped("test"):
        assert not Concern.objects.filter(assignee=stranger).exists()
