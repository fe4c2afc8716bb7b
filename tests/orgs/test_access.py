import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import has_capability, scoped
from dangjian.orgs import services
from dangjian.orgs.models import Grant, Person
from tests.factories import MembershipFactory, PersonFactory


def test_secretary_opens_an_account_and_grants_a_member_role(world, login):
    person = PersonFactory(name="新党员", org=world.branch_a, school=world.school_a)
    MembershipFactory(person=person)
    client = login(world.secretary)
    url = reverse("orgs:person_access", kwargs={"pk": person.pk})
    page = client.post(url, {"username": "xindangyuan"}).content.decode()
    assert "初始密码" in page
    password = page.split("<code>")[1].split("</code>")[0]
    person.refresh_from_db()
    assert person.user.username == "xindangyuan"
    assert Client().post(reverse("core:login"), {"username": "xindangyuan", "password": password}).status_code == 302
    response = client.post(url, {"role": "member", "org": world.branch_a.pk})
    assert response.status_code == 302
    assert has_capability(person.user, "orgs.view", world.branch_a.path)
    assert AuditEntry.objects.filter(action="grant").exists()


def test_roles_above_ones_own_cannot_be_granted(world):
    person = world.people["member"]
    assert "county_admin" not in services.grantable_roles(world.secretary, world.branch_a)
    assert "secretary" not in services.grantable_roles(world.secretary, world.branch_a)
    with pytest.raises(PermissionDenied):  # the API answers 403
        services.grant_role(actor=world.secretary, user=person.user, org=world.branch_a, role="secretary")
    assert "secretary" in services.grantable_roles(world.county_admin, world.branch_a)


def test_no_grants_outside_ones_subtree(world):
    assert services.grantable_roles(world.secretary, world.branch_b) == []


def test_revoke_is_checked_and_takes_effect(world):
    grant = Grant.all_objects.get(user=world.member)
    with pytest.raises(PermissionDenied):
        services.revoke_grant(actor=world.outsider, grant=grant)
    services.revoke_grant(actor=world.secretary, grant=grant)
    assert not scoped(world.member, Person, own=False).exists()


def test_appoint_replaces_the_secretary(world, login):
    new = world.members_a[2]
    client = login(world.secretary)
    response = client.post(
        reverse("orgs:appoint", kwargs={"pk": world.branch_a.pk}),
        {"person": new.pk, "post": "secretary", "started_on": "2026-11-01"},
    )
    assert response.status_code == 302
    current = list(world.branch_a.positions.filter(post="secretary", ended_on__isnull=True))
    assert [p.person for p in current] == [new]


def test_grant_list_is_scoped(world, login):
    page = login(world.secretary).get(reverse("orgs:grants")).content.decode()
    assert "甲党员" in page and "乙书记" not in page


def test_bootstrap_creates_the_root_and_its_admin(db):
    out = io.StringIO()
    call_command("bootstrap", "--name", "某某县", "--admin", "root", stdout=out)
    printed = out.getvalue()
    password = next(line for line in printed.splitlines() if line.startswith("One-time password")).rsplit(": ", 1)[1]
    # the next steps name the login page and the set-up checklist
    assert reverse("core:login") in printed and reverse("orgs:setup") in printed
    admin = Client()
    assert admin.post(reverse("core:login"), {"username": "root", "password": password}).status_code == 302
    new = {"old_password": password, "new_password1": "Mou-xian-2026", "new_password2": "Mou-xian-2026"}
    assert admin.post(reverse("core:password"), new).status_code == 302  # a one-time password: changed first
    page = admin.get(reverse("orgs:mine"), follow=True)
    assert page.redirect_chain[-1][0].startswith("/orgs/") and "某某县教育党工委" in page.content.decode()


def test_granting_a_role_on_the_page_opens_a_login_with_a_one_time_password(world, login):
    person = PersonFactory(name="李关爱", org=world.branch_a, school=world.school_a)
    url = reverse("orgs:person_access", kwargs={"pk": person.pk})
    response = login(world.county_admin).post(url, {"role": "care_officer", "org": world.county.pk})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = response.content.decode().split("<code>")[1].split("</code>")[0]
    person.refresh_from_db()
    assert person.user.username == "liguanai" and person.user.must_change_password
    assert has_capability(person.user, "care.view", world.branch_a.path)
    client = Client()
    client.post(reverse("core:login"), {"username": "liguanai", "password": password})
    assert client.get(reverse("core:home")).url == reverse("core:password")
