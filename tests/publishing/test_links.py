"""A post linked to a record shows the record's public fields, never its private ones (core.linkable)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.publishing import services
from dangjian.publishing.models import PostLink
from tests.publishing.conftest import PRIVATE_TOWNSHIP


def _publish(world, post):
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)


def test_a_linked_record_shows_its_public_fields_and_never_its_private_ones(world, school_linkable, login, client):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="关联记录的稿件", body="<p>正文</p>"
    )
    # Linked from the management page, as a secretary would.
    response = login(world.secretary).post(
        reverse("publishing:post_link", args=[post.pk]), {"model_label": "orgs.School", "object_id": world.school_a.pk}
    )
    assert response.status_code == 302
    link = PostLink.all_objects.get(post=post)
    assert link.public_fields == {"学校名称": "甲校", "学段": "小学"}
    _publish(world, post)

    pages = {
        "post page": reverse("publishing:post", args=[post.pk]),
        "public api": f"/api/v1/publishing/public/posts/{post.pk}",
        "county rss": reverse("publishing:feed_rss"),
        "school atom": reverse("publishing:school_feed_atom", args=[world.school_a.pk]),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert PRIVATE_TOWNSHIP not in body and PRIVATE_TOWNSHIP.encode("unicode_escape").decode() not in body, name
    page = client.get(pages["post page"]).content.decode()
    assert "学校名称" in page and "小学" in page
    api = client.get(pages["public api"]).json()
    assert api["links"] == [{"label": "学校", "public_fields": {"学校名称": "甲校", "学段": "小学"}}]
    manage = login(world.secretary).get(reverse("publishing:manage_post", args=[post.pk])).content.decode()
    assert PRIVATE_TOWNSHIP not in manage


def test_the_snapshot_is_taken_at_link_time(world, school_linkable):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="稿件", body="<p>正文</p>"
    )
    services.link_record(actor=world.secretary, post=post, model_label="orgs.School", object_id=world.school_a.pk)
    world.school_a.__class__.all_objects.filter(pk=world.school_a.pk).update(name="甲校（更名）")
    assert PostLink.all_objects.get(post=post).public_fields["学校名称"] == "甲校"


def test_only_records_the_user_may_link_can_be_linked(world, school_linkable):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="稿件", body="<p>正文</p>"
    )
    with pytest.raises(ValidationError, match="无权关联"):
        services.link_record(actor=world.secretary, post=post, model_label="orgs.School", object_id=world.school_b.pk)
    with pytest.raises(ValidationError, match="无权关联"):
        services.link_record(actor=world.secretary, post=post, model_label="orgs.School", object_id="不是编号")
    with pytest.raises(ValidationError, match="不能关联"):
        services.link_record(actor=world.secretary, post=post, model_label="orgs.Person", object_id=1)
    services.link_record(actor=world.secretary, post=post, model_label="orgs.School", object_id=world.school_a.pk)
    with pytest.raises(ValidationError, match="已经关联"):
        services.link_record(actor=world.secretary, post=post, model_label="orgs.School", object_id=world.school_a.pk)
    assert PostLink.all_objects.filter(post=post).count() == 1


def test_the_link_form_offers_only_the_users_records(world, school_linkable, login):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="稿件", body="<p>正文</p>"
    )
    page = login(world.secretary).get(reverse("publishing:manage_post", args=[post.pk])).content.decode()
    assert f'<option value="{world.school_a.pk}">甲校</option>' in page
    assert "乙校" not in page
