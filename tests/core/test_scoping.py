import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from dangjian.core import scoping
from dangjian.core.scoping import ScopeError, get_for_user, has_capability, require, scoped, unscoped
from dangjian.orgs.models import Membership, Org, Person, School
from tests.factories import GrantFactory, OrgFactory, PersonFactory


@pytest.mark.parametrize("model", [Org, School, Person, Membership])
def test_unscoped_query_on_a_scoped_model_raises(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_unscoped_block_lifts_the_net_only_inside(world):
    with unscoped("test"):
        assert Person.objects.count() > 0
    with pytest.raises(ScopeError):
        Person.objects.count()


def test_secretary_sees_exactly_their_branch(world):
    seen = set(scoped(world.secretary, Person).values_list("org_id", flat=True))
    assert seen == {world.branch_a.id}
    names = set(scoped(world.secretary, Person).values_list("name", flat=True))
    assert "乙书记" not in names and "甲党员" in names


def test_county_admin_sees_every_school(world):
    assert set(scoped(world.county_admin, School).values_list("name", flat=True)) == {"甲校", "乙校"}


def test_teacher_sees_only_themselves(world):
    people = list(scoped(world.teacher, Person))
    assert people == [world.people["teacher"]]


def test_grant_reaches_the_subtree_not_siblings(world):
    sub = OrgFactory(kind="group", name="甲校第二党小组", parent=world.branch_a)
    other = OrgFactory(kind="group", name="乙校党小组", parent=world.branch_b)
    visible = set(scoped(world.secretary, Org).values_list("id", flat=True))
    assert sub.id in visible and world.group_a.id in visible
    assert other.id not in visible and world.county.id not in visible


def test_path_prefix_does_not_match_a_sibling_whose_id_starts_alike(world):
    # Ids 5 and 50 under one parent: the trailing dot in the path keeps "…5." from reaching "…50.".
    parent = world.county
    five = OrgFactory(name="五", parent=parent)
    fifty = OrgFactory(name="五十", parent=parent)
    Org.all_objects.filter(pk=fifty.pk).update(path=five.path[:-1] + "0.")
    user = GrantFactory(org=five, role="secretary").user
    assert set(scoped(user, Org).values_list("name", flat=True)) == {"五"}


def test_get_for_user_foreign_is_404_and_readonly_is_403(world):
    b_person = world.people["outsider"]
    with pytest.raises(Http404):
        get_for_user(world.secretary, Person, b_person.pk)
    with pytest.raises(Http404):
        get_for_user(world.secretary, Person, 999999)
    a_person = world.people["teacher"]
    assert get_for_user(world.member, Person, a_person.pk) == a_person
    with pytest.raises(PermissionDenied):
        get_for_user(world.member, Person, a_person.pk, write=True)
    assert get_for_user(world.secretary, Person, a_person.pk, write=True) == a_person


def test_revoked_and_expired_grants_give_nothing(world):
    user = GrantFactory(org=world.branch_a, role="secretary", revoked_at=timezone.now()).user
    assert not scoped(user, Person).exists()
    expired = GrantFactory(org=world.branch_a, role="secretary", expires_on=dt.date(2020, 1, 1)).user
    assert not scoped(expired, Person).exists()


def test_require_and_has_capability(world):
    assert has_capability(world.secretary, "orgs.manage", world.branch_a.path)
    assert not has_capability(world.secretary, "orgs.manage", world.branch_b.path)
    assert has_capability(world.county_admin, "orgs.manage", world.branch_b.path)
    with pytest.raises(PermissionDenied):
        require(world.assessor, "orgs.manage", world.branch_a)


def test_unknown_capability_is_a_programming_error(world):
    with pytest.raises(KeyError):
        scoped(world.secretary, Person, "orgs.fly")


def test_grants_are_loaded_once_per_user_object(world, django_assert_num_queries):
    user = world.secretary
    scoping.forget_grants(user)
    with django_assert_num_queries(1):
        scoping.prefixes(user, "orgs.view")
        scoping.prefixes(user, "orgs.manage")
        has_capability(user, "orgs.export")


def test_prefixes_follow_a_new_grant_once_the_grants_are_forgotten(world):
    user = world.secretary
    assert scoping.prefixes(user, "orgs.view") == [world.branch_a.path]  # worked out, and kept for this user object
    GrantFactory(user=user, org=world.branch_b, role="secretary")
    assert scoping.prefixes(user, "orgs.view") == [world.branch_a.path]
    scoping.forget_grants(user)
    assert scoping.prefixes(user, "orgs.view") == sorted([world.branch_a.path, world.branch_b.path])
    user.__dict__.pop("_dangjian_grants")  # grants read again by any route start a new memo
    assert has_capability(user, "orgs.view", world.branch_b.path)


def test_person_in_another_county_branch_is_invisible_to_secretary(world):
    stranger = PersonFactory(name="外县人员", org=world.branch_b)
    assert not scoped(world.secretary, Person).filter(pk=stranger.pk).exists()
