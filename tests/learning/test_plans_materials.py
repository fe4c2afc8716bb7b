"""Materials (through the storage API), study plans and what each user sees of them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.learning import ledger, selectors, services
from dangjian.learning.models import Completion, ItemKind, Material
from tests.learning.helpers import (
    PDF,
    make_bank,
    make_call,
    make_contest,
    make_item,
    make_material,
    make_plan,
    make_record,
)


def test_a_document_is_stored_through_the_storage_api(world):
    material = services.create_material(
        actor=world.county_admin,
        org=world.county,
        title="党章全文",
        topic="党章",
        kind="document",
        upload=SimpleUploadedFile("党章.pdf", PDF),
    )
    assert default_storage.exists(material.file.name)
    with default_storage.open(material.file.name) as handle:
        assert handle.read() == PDF
    assert AuditEntry.objects.filter(action="create", model="learning.Material").count() == 1


def test_uploads_are_validated(world):
    with pytest.raises(ValidationError):
        services.create_material(
            actor=world.county_admin,
            org=world.county,
            title="x",
            topic="党章",
            kind="document",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 an executable"),
        )
    with pytest.raises(ValidationError, match="视频链接"):
        services.create_material(actor=world.county_admin, org=world.county, title="x", topic="t", kind="video")
    with pytest.raises(ValidationError, match="不能在该组织发布"):
        services.create_material(
            actor=world.outsider, org=world.branch_a, title="x", topic="t", kind="article", body="正文"
        )
    assert not Material.all_objects.exists()


def test_published_downwards_never_sideways(world, login):
    county = make_material(world.county, with_file=False)
    county.title = "全县资料"
    county.save()
    school_a = make_material(world.branch_a)
    member_ids = set(selectors.materials(world.member).values_list("id", flat=True))
    outsider_ids = set(selectors.materials(world.outsider).values_list("id", flat=True))
    assert member_ids == {county.id, school_a.id}
    assert outsider_ids == {county.id}
    assert login(world.outsider).get(reverse("learning:material_file", args=[school_a.pk])).status_code == 404
    download = login(world.teacher).get(reverse("learning:material_file", args=[school_a.pk]))
    assert download.status_code == 200 and download.content == PDF


def test_marking_self_study_done_counts_the_plan_s_hours(world, login):
    plan = make_plan(world.county)
    item = make_item(plan, hours="2.5")
    response = login(world.member).post(reverse("learning:item_done", args=[item.pk]))
    assert response.status_code == 302
    assert Completion.all_objects.filter(item=item, person=world.people["member"]).exists()
    status = ledger.statuses("party_training", people=[world.people["member"]], today=timezone.localdate())
    assert status[world.people["member"].id].total == Decimal("2.5")
    page = login(world.member).get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "已完成" in page
    with pytest.raises(ValidationError, match="已标记完成"):
        services.complete_item(actor=world.member, item=item)


def test_members_only_plans_are_not_for_other_teachers(world):
    plan = make_plan(world.branch_a)
    with pytest.raises(ValidationError, match="不在该学习计划"):
        services.complete_item(actor=world.teacher, item=make_item(plan))
    session = make_item(plan, ItemKind.SESSION)
    with pytest.raises(ValidationError, match="登记出席"):
        services.complete_item(actor=world.member, item=session)


def test_the_mine_page_shows_hours_and_plans(world, login):
    make_plan(world.county, title="全县党员学习计划")
    page = login(world.member).get(reverse("core:me")).content.decode()
    assert "我的学时" in page and "全县党员学习计划" in page and "还差" in page


@pytest.mark.parametrize("name", ["learning:materials", "learning:plans", "learning:calls"])
def test_list_pages_do_not_grow_in_queries(world, login, django_assert_max_num_queries, name):
    for i in range(30):
        make_material(world.county, with_file=False)
        make_plan(world.county, title=f"计划{i}")
        make_call(world.county, [world.county_admin], title=f"征文{i}")
    client = login(world.member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name) + "?per_page=100")
    assert response.status_code == 200


def test_api_lists_are_paginated_and_scoped(world, api_client):
    for i in range(30):
        make_plan(world.branch_a, title=f"甲校计划{i}")
    body = api_client(world.member).get("/api/v1/learning/plans?limit=10").json()
    assert body["count"] == 30 and len(body["items"]) == 10
    assert api_client(world.outsider).get("/api/v1/learning/plans").json()["count"] == 0


@pytest.mark.parametrize("path", ["contests", "essays", "records", "plans"])
def test_api_lists_do_not_grow_in_queries(world, api_client, django_assert_max_num_queries, path):
    bank = make_bank(world.county)
    for i in range(30):
        make_contest(world.county, bank, title=f"竞赛{i}")
        make_call(world.county, [world.county_admin], title=f"征文{i}")
        make_plan(world.county, title=f"计划{i}")
        make_record(world.people["member"], hours="1")
    client = api_client(world.member)
    with django_assert_max_num_queries(8):
        body = client.get(f"/api/v1/learning/{path}?limit=100").json()
    assert body["count"] == 30
