"""The organization tree: nesting as rule data, create, rename, move, dissolve, schools; pages and API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.api.main import api
from dangjian.core import rules
from dangjian.core.models import AuditEntry, LocalRule
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from dangjian.meetings.models import ComplianceCell
from dangjian.meetings.selectors import recordable_orgs
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Org, OrgKind, School
from tests.factories import GrantFactory, OrgFactory, PersonFactory, UserFactory


def reload(org: Org) -> Org:
    with unscoped("test reload"):
        return Org.objects.get(pk=org.pk)


def child(world, kind, name, parent):
    return services.create_org(actor=world.county_admin, kind=kind, name=name, parent=parent)


# --- nesting rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parent_kind", "allowed"),
    [
        ("committee", "committee", True),
        ("general_branch", "committee", True),
        ("branch", "committee", True),
        ("branch", "general_branch", True),
        ("group", "branch", True),
        ("group", "committee", False),
        ("group", "general_branch", False),
        ("branch", "branch", False),
        ("general_branch", "general_branch", False),
        ("committee", "branch", False),
        ("branch", "group", False),
    ],
)
def test_nesting_follows_the_rule_file(world, kind, parent_kind, allowed):
    parent = {"committee": world.county, "branch": world.branch_a, "group": world.group_a}.get(parent_kind)
    if parent is None:
        parent = child(world, parent_kind, "某校党总支", world.county)
    if allowed:
        org = child(world, kind, "新组织", parent)
        assert org.path == f"{parent.path}{org.pk}." and org.depth == parent.depth + 1
    else:
        with pytest.raises(ValidationError) as exc:
            child(world, kind, "新组织", parent)
        assert "只能设在" in exc.value.messages[0]


def test_only_a_committee_stands_at_the_top_and_a_user_cannot_add_a_second_top(world):
    with pytest.raises(ValidationError, match="只有党委"):
        services.create_org(actor=None, kind="branch", name="孤支部", parent=None)
    with pytest.raises(ValidationError, match="请选择上级组织"):
        services.create_org(actor=world.county_admin, kind="committee", name="另一个县", parent=None)


def test_sibling_names_are_unique(world):
    with pytest.raises(ValidationError, match="已有名为"):
        child(world, "branch", "甲校党支部", world.county)


def test_school_admin_sets_up_branches_within_its_subtree_only(world):
    school_committee = child(world, "committee", "丙校党委", world.county)
    admin = UserFactory(username="school_admin")
    GrantFactory(user=admin, org=school_committee, role="school_admin")
    branch = services.create_org(actor=admin, kind="branch", name="丙校第一党支部", parent=school_committee)
    assert branch.parent == school_committee
    with pytest.raises(PermissionDenied):  # a school's 党总支 is the county's decision
        services.create_org(actor=admin, kind="general_branch", name="丙校党总支", parent=school_committee)
    with pytest.raises(PermissionDenied):
        services.create_org(actor=admin, kind="branch", name="越界支部", parent=world.county)
    with pytest.raises(PermissionDenied):  # a secretary keeps the roster, not the tree
        services.create_org(actor=world.secretary, kind="group", name="第二党小组", parent=world.branch_a)


# --- move, rename, dissolve ---------------------------------------------------------------------


def test_move_rewrites_every_descendant_path_and_depth(world, django_assert_max_num_queries):
    committee = child(world, "committee", "甲校党委", world.county)
    general = child(world, "general_branch", "甲校党总支", committee)
    grandchild = OrgFactory(kind=OrgKind.GROUP, name="第二党小组", parent=world.branch_a)
    with django_assert_max_num_queries(12):  # a fixed number, however large the subtree
        services.move_org(actor=world.county_admin, org=world.branch_a, parent=general)
    branch = reload(world.branch_a)
    assert branch.parent_id == general.pk
    assert branch.path == f"{general.path}{branch.pk}." and branch.depth == 3
    for group in (world.group_a, grandchild):
        moved = reload(group)
        assert moved.path == f"{branch.path}{group.pk}." and moved.depth == 4
    # scoping follows the new path: the county still sees the branch, school B's secretary does not
    assert selectors.orgs_in(world.county_admin, general).filter(pk=world.group_a.pk).exists()
    assert AuditEntry.objects.filter(action="move", object_id=str(branch.pk)).exists()


def test_county_rule_overrides_follow_a_moved_org(world):
    override = LocalRule.objects.create(
        org_path=world.group_a.path,
        rule="orgs/branch",
        key="term_reminder_months",
        value=3,
        effective=dt.date(2020, 1, 1),
    )
    general = child(world, "general_branch", "甲校党总支", world.county)
    services.move_org(actor=world.county_admin, org=world.branch_a, parent=general)
    override.refresh_from_db()
    assert override.org_path == reload(world.group_a).path
    assert rules.rule_values("orgs", "branch", org_path=override.org_path)["term_reminder_months"] == 3


def test_move_under_its_own_subtree_is_refused(world):
    with pytest.raises(ValidationError, match="自己或它的下级"):
        services.move_org(actor=world.county_admin, org=world.branch_a, parent=world.group_a)
    with pytest.raises(ValidationError, match="最上级组织"):
        services.move_org(actor=world.county_admin, org=world.county, parent=world.branch_a)
    assert reload(world.branch_a).path == world.branch_a.path


def test_edit_is_one_transaction(world):
    other = child(world, "branch", "另一党支部", world.county)
    general = child(world, "general_branch", "甲校党总支", world.county)
    child(world, "branch", "同名党支部", general)
    with pytest.raises(ValidationError, match="已有名为"):
        services.edit_org(actor=world.county_admin, org=other, name="同名党支部", parent=general)
    assert reload(other).parent_id == world.county.pk  # the move did not stay either


def test_dissolve_keeps_the_records_and_leaves_pickers(world, today):
    branch = child(world, "branch", "将撤销党支部", world.county)
    person = PersonFactory(name="曾在此", org=branch, school=world.school_a)
    with pytest.raises(ValidationError, match="在职人员"):
        services.dissolve_org(actor=world.county_admin, org=branch)
    person.is_active = False
    with unscoped("test"):
        person.save()
    on = dt.date(2026, 6, 30)
    services.dissolve_org(actor=world.county_admin, org=branch, on=on)
    branch = reload(branch)
    assert branch.dissolved_on == on and branch.is_active is False
    assert selectors.orgs_in(world.county_admin, world.county).filter(pk=branch.pk).exists()  # still readable
    assert branch not in selectors.live_orgs(world.county_admin)
    assert branch not in selectors.tree_orgs(world.county_admin)
    assert branch in selectors.tree_orgs(world.county_admin, dissolved=True)
    assert branch not in recordable_orgs(world.county_admin)
    with pytest.raises(ValidationError, match="已撤销"):
        child(world, "group", "新小组", branch)


def test_dissolve_refuses_orgs_with_live_children_or_schools_and_future_dates(world):
    with pytest.raises(ValidationError, match="下级组织"):
        services.dissolve_org(actor=world.county_admin, org=world.branch_a)
    empty = child(world, "branch", "空支部", world.county)
    services.create_school(actor=world.county_admin, org=empty, name="丁校", stage="primary")
    with pytest.raises(ValidationError, match="丁校"):
        services.dissolve_org(actor=world.county_admin, org=empty)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.dissolve_org(actor=world.county_admin, org=world.group_a, on=dt.date.today() + dt.timedelta(days=2))


# --- schools ------------------------------------------------------------------------------------


def test_a_new_school_with_its_branch_in_one_step(world):
    school, branch = services.create_school_with_branch(
        actor=world.county_admin, parent=world.county, name="实验小学", stage="primary", township="城关镇"
    )
    assert branch.kind == OrgKind.BRANCH and branch.name == "实验小学党支部" and branch.parent == world.county
    assert school.org == branch and school.township == "城关镇"


def test_a_failed_school_leaves_no_branch_behind(world):
    with pytest.raises(ValidationError):
        services.create_school_with_branch(actor=world.county_admin, parent=world.county, name="甲校", stage="primary")
    with unscoped("test"):
        assert not Org.objects.filter(name="甲校党支部", parent=world.county).exclude(pk=world.branch_a.pk).exists()


def test_a_school_is_not_hung_on_the_county_committee_or_a_group(world):
    for org in (world.county, world.group_a):
        with pytest.raises(ValidationError, match="学校应由"):
            services.create_school(actor=world.county_admin, org=org, name="戊校", stage="primary")


def test_only_the_county_creates_schools(world):
    with pytest.raises(PermissionDenied):
        services.create_school(actor=world.secretary, org=world.branch_a, name="戊校", stage="primary")


# --- API ----------------------------------------------------------------------------------------


def post(client, path, data):
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_api_creates_an_org_with_201_and_kind_is_an_enum(world, api_client):
    client = api_client(world.county_admin)
    response = post(
        client, "/api/v1/orgs/orgs", {"parent_id": world.county.pk, "name": "实验中学党委", "kind": "committee"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "committee" and body["parent_id"] == world.county.pk and body["dissolved_on"] is None
    assert reload(Org(pk=body["id"])).name == "实验中学党委"
    schema = api.get_openapi_schema()
    assert schema["components"]["schemas"]["OrgKind"]["enum"] == ["committee", "general_branch", "branch", "group"]
    assert schema["components"]["schemas"]["SchoolStage"]["enum"][0] == "primary"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"name": "小组", "kind": "group"}, 422),  # a group under the county committee
        ({"name": "甲校党支部", "kind": "branch"}, 422),  # the name is taken
        ({"name": "x", "kind": "cell"}, 422),  # not a kind
        ({"name": "", "kind": "branch"}, 422),
    ],
)
def test_api_bad_input_is_refused_in_chinese(world, api_client, payload, status):
    response = post(api_client(world.county_admin), "/api/v1/orgs/orgs", {"parent_id": world.county.pk, **payload})
    assert response.status_code == status
    if payload["kind"] != "cell" and payload["name"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(response.json()["detail"]))


def test_api_out_of_scope_answers_404_and_no_right_403(world, api_client):
    outsider = post(
        api_client(world.outsider), "/api/v1/orgs/orgs", {"parent_id": world.branch_a.pk, "name": "g", "kind": "group"}
    )
    assert outsider.status_code == 404
    secretary = post(
        api_client(world.secretary), "/api/v1/orgs/orgs", {"parent_id": world.branch_a.pk, "name": "g", "kind": "group"}
    )
    assert secretary.status_code == 403


def test_api_creates_a_school_and_moves_renames_dissolves(world, api_client):
    client = api_client(world.county_admin)
    general = child(world, "general_branch", "乙校党总支", world.county)
    response = post(
        client,
        "/api/v1/orgs/schools",
        {"name": "新城小学", "stage": "primary", "org_id": world.branch_b.pk, "student_count": 300},
    )
    assert response.status_code == 201 and response.json()["id"]
    assert (
        post(client, "/api/v1/orgs/schools", {"name": "x", "stage": "college", "org_id": world.branch_b.pk}).status_code
        == 422
    )
    moved = client.patch(
        f"/api/v1/orgs/orgs/{world.branch_b.pk}",
        data=json.dumps({"parent_id": general.pk, "name": "乙校第一党支部"}),
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["path"].startswith(general.path) and moved.json()["name"] == "乙校第一党支部"
    looping = client.patch(
        f"/api/v1/orgs/orgs/{general.pk}",
        data=json.dumps({"parent_id": world.branch_b.pk}),
        content_type="application/json",
    )
    assert looping.status_code == 422 and "下级" in "".join(looping.json()["detail"])
    dissolved = post(client, f"/api/v1/orgs/orgs/{world.group_a.pk}/dissolve", {"on": "2026-01-31"})
    assert dissolved.status_code == 200 and dissolved.json()["dissolved_on"] == "2026-01-31"
    again = post(client, f"/api/v1/orgs/orgs/{world.group_a.pk}/dissolve", {})
    assert again.status_code == 422


# --- pages --------------------------------------------------------------------------------------


def test_tree_page_is_reached_from_the_county_and_detail_pages(world, login):
    client = login(world.county_admin)
    tree_url = reverse("orgs:tree")
    assert tree_url in client.get(reverse("orgs:county")).content.decode()
    assert tree_url in client.get(reverse("orgs:detail", args=[world.branch_a.pk])).content.decode()
    page = client.get(tree_url).content.decode()
    assert "甲校党支部" in page and reverse("orgs:org_create", args=[world.branch_a.pk]) in page
    assert "<table" not in page  # phone first: a list of cards, no wide table


def test_pages_create_move_and_dissolve_with_chinese_errors(world, login):
    client = login(world.county_admin)
    bad = client.post(reverse("orgs:org_create", args=[world.branch_a.pk]), {"kind": "branch", "name": "x"})
    assert bad.status_code == 400 and "有效的选项" in bad.content.decode()  # only 党小组 may go under a 党支部
    made = client.post(reverse("orgs:org_create", args=[world.branch_a.pk]), {"kind": "group", "name": "第二党小组"})
    assert made.status_code == 302
    general = child(world, "general_branch", "甲校党总支", world.county)
    moved = client.post(
        reverse("orgs:org_edit", args=[world.branch_a.pk]), {"name": "甲校第一党支部", "parent": general.pk}
    )
    assert moved.status_code == 302 and reload(world.branch_a).parent_id == general.pk
    refused = client.post(reverse("orgs:org_dissolve", args=[world.branch_a.pk]), {"on": "2026-01-01"})
    assert refused.status_code == 400 and "下级组织" in refused.content.decode()


def test_school_page_creates_a_school_and_its_branch(world, login):
    client = login(world.county_admin)
    data = {"mode": "with_branch", "org": world.county.pk, "name": "东风小学", "stage": "primary"}
    response = client.post(reverse("orgs:school_create"), {**data, "student_count": 0, "staff_count": 0})
    assert response.status_code == 302
    with unscoped("test"):
        school = School.objects.get(name="东风小学")
    assert school.org.name == "东风小学党支部" and school.org.parent_id == world.county.pk
    missing = client.post(reverse("orgs:school_create"), {"mode": "with_branch", "org": world.county.pk})
    assert missing.status_code == 400 and "这个字段是必填项" in missing.content.decode()


def test_a_dissolved_branch_keeps_its_compliance_history_and_is_no_longer_expected(world):
    branch = child(world, "branch", "短命党支部", world.county)
    compliance.refresh(years=[2026], today=dt.date(2026, 3, 15))
    dissolved_on = dt.date(2026, 3, 31)
    with unscoped("test"):
        before = set(ComplianceCell.objects.filter(org=branch).values_list("kind", "period_key", "period_end"))
    assert before  # a live branch is expected to meet
    services.dissolve_org(actor=world.county_admin, org=branch, on=dissolved_on)
    compliance.refresh(years=[2026], today=dt.date(2026, 9, 1))  # the whole county is recounted later
    compliance.refresh(org_ids=[branch.pk], years=[2026], today=dt.date(2026, 9, 1))
    with unscoped("test"):
        after = set(ComplianceCell.objects.filter(org=branch).values_list("kind", "period_key", "period_end"))
        live = ComplianceCell.objects.filter(org=world.branch_a, period_start__year=2026).count()
    # The periods it lived through stay counted; none running past its dissolution is expected of it.
    assert after == {cell for cell in before if cell[2] <= dissolved_on} and after
    assert all(period_end <= dissolved_on for _kind, _key, period_end in after)
    assert live > 0


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("orgs:tree", []),
        ("orgs:setup", []),
        ("orgs:setup_import", []),
        ("orgs:school_create", []),
        ("orgs:org_create", ["branch_a"]),
        ("orgs:org_edit", ["branch_a"]),
        ("orgs:org_dissolve", ["group_a"]),
    ],
)
def test_tree_pages_are_phone_first(world, login, name, args):
    """At 375 px: forms stack their labels, lists are cards; any table sits in a scrolling wrapper."""
    page = login(world.county_admin).get(reverse(name, args=[getattr(world, a).pk for a in args])).content.decode()
    assert 'name="viewport"' in page
    assert page.count("<table") == page.count('class="table-wrap"><table')


def test_a_school_administrator_sees_only_what_they_may_change(world, login):
    committee = child(world, "committee", "丙校党委", world.county)
    branch = child(world, "branch", "丙校党支部", committee)
    admin = UserFactory(username="school_admin")
    GrantFactory(user=admin, org=committee, role="school_admin")
    page = login(admin).get(reverse("orgs:tree")).content.decode()
    assert "丙校党支部" in page and "甲校党支部" not in page
    assert reverse("orgs:org_edit", args=[branch.pk]) in page
    assert reverse("orgs:org_edit", args=[committee.pk]) not in page  # the school's 党委 is the county's
    assert reverse("orgs:school_create") not in page
