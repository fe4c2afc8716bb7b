"""People come and go: leaving, transfer and return keep the person and their history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import ApiToken, AuditEntry
from dangjian.core.scoping import scoped, unscoped
from dangjian.orgs import services
from dangjian.orgs.models import Grant, Person, Position
from tests.factories import GrantFactory, PersonFactory, PositionFactory
from tests.meetings.helpers import held


def _live_grants(user):
    return Grant.live_for(user)


def test_leaving_ends_login_grants_tokens_and_posts_at_once_with_one_audit_entry(world):
    person = world.people["secretary"]
    ApiToken.issue(world.secretary)
    ApiToken.issue(world.secretary)
    services.mark_left(actor=world.county_admin, person=person, on=timezone.localdate(), reason="retired")
    person.refresh_from_db()
    world.secretary.refresh_from_db()
    assert not person.is_active and person.left_reason == "retired" and person.left_on == timezone.localdate()
    assert not world.secretary.is_active
    assert not _live_grants(world.secretary).exists()
    assert not ApiToken.live().filter(user=world.secretary).exists()
    assert not Position.all_objects.filter(person=person, ended_on__isnull=True).exists()
    entry = AuditEntry.objects.get(action="leave")
    assert entry.changes["tokens_revoked"] == [None, 2] and entry.changes["grants_revoked"][1] == [
        "secretary@甲校党支部"
    ]
    assert AuditEntry.objects.filter(object_id=str(person.pk)).count() == 1
    with unscoped("test"):
        assert Person.objects.filter(pk=person.pk).exists()  # records stay


def test_a_leaver_can_neither_log_in_nor_use_an_old_token(world, client):
    _token, raw = ApiToken.issue(world.member)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/orgs/people", **bearer).status_code == 200
    services.mark_left(actor=world.secretary, person=world.people["member"], on=timezone.localdate(), reason="resigned")
    assert client.get("/api/v1/orgs/people", **bearer).status_code == 401
    login = Client().post(reverse("core:login"), {"username": "member", "password": "dangjian-test-pw"})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session


def test_a_leaver_signed_in_elsewhere_is_signed_out(world, login):
    client = login(world.member)
    services.mark_left(actor=world.secretary, person=world.people["member"], on=timezone.localdate(), reason="resigned")
    assert client.get(reverse("core:me")).status_code == 302


def test_past_meetings_still_list_the_leaver(world, login):
    meeting = held(world, day=timezone.localdate() - dt.timedelta(days=10))
    leaver = world.people["member"]
    services.mark_left(actor=world.secretary, person=leaver, on=timezone.localdate(), reason="transferred")
    page = login(world.secretary).get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert leaver.name in page
    # …while the next meeting no longer expects them.
    later = held(world, day=timezone.localdate())
    assert leaver.pk not in {a.person_id for a in later.attendances.all()}


def test_bad_leave_input_changes_nothing(world):
    person = world.people["member"]
    with pytest.raises(ValidationError, match="离开原因"):
        services.mark_left(actor=world.secretary, person=person, on=timezone.localdate(), reason="vanished")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.mark_left(
            actor=world.secretary, person=person, on=timezone.localdate() + dt.timedelta(days=1), reason="retired"
        )
    person.refresh_from_db()
    assert person.is_active and _live_grants(world.member).exists()


def test_reactivation_restores_the_login_but_not_the_grants(world):
    person = world.people["member"]
    services.mark_left(actor=world.secretary, person=person, on=timezone.localdate(), reason="resigned")
    services.reactivate(actor=world.secretary, person=person)
    person.refresh_from_db()
    world.member.refresh_from_db()
    assert person.is_active and person.left_on is None and world.member.is_active
    assert not _live_grants(world.member).exists()
    assert AuditEntry.objects.filter(action="reactivate", object_id=str(person.pk)).exists()


def test_transfer_keeps_the_person_and_county_grants_and_ends_the_old_schools(world):
    person = world.people["secretary"]
    GrantFactory(user=world.secretary, org=world.county, role="care_officer")
    services.transfer(actor=world.county_admin, person=person, org=world.branch_b, school=world.school_b)
    person.refresh_from_db()
    assert person.org == world.branch_b and person.school == world.school_b
    assert set(_live_grants(world.secretary).values_list("role", flat=True)) == {"care_officer"}
    assert not Position.all_objects.filter(person=person, ended_on__isnull=True).exists()
    assert Position.all_objects.filter(person=person, org=world.branch_a).exists()  # the history stays
    assert AuditEntry.objects.get(action="transfer").changes["org"] == ["甲校党支部", "乙校党支部"]


def test_transfer_needs_the_right_over_both_ends(world):
    with pytest.raises(PermissionDenied):
        services.transfer(actor=world.secretary, person=world.people["member"], org=world.branch_b, school=None)


def test_pages_offer_leave_transfer_and_return_to_those_who_manage(world, login):
    person = world.people["member"]
    url = reverse("orgs:person", kwargs={"pk": person.pk})
    assert "登记离开" not in login(world.member).get(url).content.decode()
    admin = login(world.county_admin)
    page = admin.get(url).content.decode()
    assert "登记离开" in page and "调动" in page
    response = admin.post(
        reverse("orgs:person_leave", kwargs={"pk": person.pk}), {"reason": "retired", "on": "2026-01-05"}
    )
    assert response.status_code == 302
    page = admin.get(url).content.decode()
    assert "已离开" in page and "退休" in page and "原有授权不会自动恢复" in page
    assert admin.post(reverse("orgs:person_reactivate", kwargs={"pk": person.pk})).status_code == 302
    person.refresh_from_db()
    assert person.is_active
    response = admin.post(
        reverse("orgs:person_transfer", kwargs={"pk": person.pk}),
        {"org": world.branch_b.pk, "school": world.school_b.pk, "on": "2026-02-01"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.org == world.branch_b


def test_a_secretary_cannot_move_people_out_of_their_branch(world, login):
    person = world.people["member"]
    response = login(world.secretary).post(
        reverse("orgs:person_transfer", kwargs={"pk": person.pk}),
        {"org": world.branch_b.pk, "on": "2026-02-01"},
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.org == world.branch_a


def test_the_roster_and_scoped_lists_drop_the_leaver_but_the_person_page_stays(world, login):
    person = world.people["member"]
    services.mark_left(actor=world.secretary, person=person, on=timezone.localdate(), reason="retired")
    client = login(world.secretary)
    assert "甲党员" not in client.get(reverse("orgs:detail", kwargs={"pk": world.branch_a.pk})).content.decode()
    assert client.get(reverse("orgs:person", kwargs={"pk": person.pk})).status_code == 200
    assert scoped(world.secretary, Person).filter(pk=person.pk).exists()


def test_positions_end_no_earlier_than_they_started(world):
    person = world.members_a[2]
    position = PositionFactory(org=world.branch_a, person=person, post="publicity", started_on=timezone.localdate())
    services.mark_left(
        actor=world.secretary, person=person, on=timezone.localdate() - dt.timedelta(days=30), reason="resigned"
    )
    position.refresh_from_db()
    assert position.ended_on == position.started_on


def test_a_secretary_cannot_reset_or_remove_an_account_above_their_own(world, login):
    """A county administrator who belongs to a branch is still out of its secretary's reach."""
    admin_person = PersonFactory(name="县管理员", org=world.branch_a, school=world.school_a, user=world.county_admin)
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=world.secretary, person=admin_person)
    with pytest.raises(PermissionDenied):
        services.mark_left(actor=world.secretary, person=admin_person, on=timezone.localdate(), reason="retired")
    url = reverse("orgs:person_reset_password", kwargs={"pk": admin_person.pk})
    assert login(world.secretary).post(url).status_code == 403
    world.county_admin.refresh_from_db()
    assert world.county_admin.is_active and not world.county_admin.must_change_password


def test_moving_a_person_on_the_edit_page_is_a_transfer(world, login):
    person = world.people["member"]
    form = {"name": person.name, "gender": person.gender, "org": world.branch_b.pk, "school": world.school_b.pk}
    response = login(world.county_admin).post(reverse("orgs:person_edit", kwargs={"pk": person.pk}), form)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.org == world.branch_b and not _live_grants(world.member).exists()
    assert AuditEntry.objects.filter(action="transfer", object_id=str(person.pk)).exists()
