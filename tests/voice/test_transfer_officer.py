"""转办 to the school's ethics officer, who then sees and handles the concern (issue 17, item 4)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.voice import selectors, services
from dangjian.voice.models import Status
from tests.factories import GrantFactory, PersonFactory
from tests.voice.conftest import make_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(world):
    """The county's ethics officer (above the school), school A's own, and school B's (not for A's concerns)."""
    county = GrantFactory(org=world.county, role="ethics_officer").user
    school = GrantFactory(org=world.branch_a, role="ethics_officer").user
    PersonFactory(name="王专员", org=world.branch_a, school=world.school_a, user=school)
    other = GrantFactory(org=world.branch_b, role="ethics_officer").user
    return county, school, other


def test_the_transfer_choice_lists_the_schools_officers_by_name(world, login, officers):
    county, school, _other = officers
    c = make_concern(world)
    assert set(selectors.ethics_officers(c)) == {county, school}
    page = login(world.secretary).get(reverse("voice:detail", args=[c.pk])).content.decode()
    assert "师德工作专员 王专员" in page


def test_the_officer_sees_handles_and_the_transfer_is_audited(world, login, officers):
    _county, school, other = officers
    c = make_concern(world, title="某老师体罚学生")
    client = login(school)
    assert "某老师体罚学生" not in client.get(reverse("voice:list")).content.decode()
    assert client.get(reverse("voice:detail", args=[c.pk])).status_code == 404

    response = login(world.secretary).post(reverse("voice:transfer", args=[c.pk]), {"assignee": school.pk})
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.assignee_id, c.org_id) == (school.pk, world.branch_a.pk)
    entry = AuditEntry.objects.get(action="transfer")
    assert entry.changes == {"assignee": [None, school.pk]}

    assert "某老师体罚学生" in client.get(reverse("voice:list")).content.decode()
    page = client.get(reverse("voice:detail", args=[c.pk])).content.decode()
    assert reverse("voice:reply", args=[c.pk]) in page and "承办人" in page and "师德工作专员 王专员" in page
    assert client.post(reverse("voice:reply", args=[c.pk]), {"text": "已核实并处理。"}).status_code == 302
    c.refresh_from_db()
    assert (c.status, c.replied_by_id) == (Status.ANSWERED, school.pk)
    # Another school's officer never sees it.
    assert login(other).get(reverse("voice:detail", args=[c.pk])).status_code == 404


def test_only_the_schools_officers_and_only_by_a_handler(world, officers):
    _county, school, other = officers
    c = make_concern(world)
    with pytest.raises(ValidationError, match="师德工作专员"):
        services.transfer(actor=world.secretary, concern=c, assignee=other)
    with pytest.raises(PermissionDenied):
        services.transfer(actor=world.outsider, concern=c, assignee=school)
    with pytest.raises(ValidationError, match="一个承办组织、一位师德工作专员或本校的一个科室"):
        services.transfer(actor=world.secretary, concern=c)
    c.refresh_from_db()
    assert c.assignee_id is None
    assert not AuditEntry.objects.filter(action="transfer").exists()


def test_handing_it_to_an_org_takes_it_back_from_the_officer(world, login, officers):
    _county, school, _other = officers
    c = make_concern(world)
    services.transfer(actor=world.secretary, concern=c, assignee=school)
    services.transfer(actor=world.county_admin, concern=c, org=world.branch_b)
    c.refresh_from_db()
    assert (c.assignee_id, c.org_id) == (None, world.branch_b.pk)
    assert login(school).get(reverse("voice:detail", args=[c.pk])).status_code == 404


def test_over_the_api(world, api_client, officers):
    _county, school, other = officers
    c = make_concern(world)
    url = f"/api/v1/voice/concerns/{c.pk}/transfer"
    client = api_client(world.secretary)
    assert client.post(url, {"assignee_id": other.pk}, content_type="application/json").status_code == 404
    response = client.post(url, {"assignee_id": school.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["assignee_id"] == school.pk
    reply = api_client(school).post(
        f"/api/v1/voice/concerns/{c.pk}/reply", {"text": "已处理。"}, content_type="application/json"
    )
    assert reply.status_code == 200
