"""The review workflow end to end, and what each step makes public (or not) on every public surface."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from dangjian.core.models import AuditEntry, LocalRule
from dangjian.publishing import services
from dangjian.publishing.models import Post, Status
from tests.factories import GrantFactory, UserFactory
from tests.publishing.factories import public_post


def public_surfaces(world) -> dict[str, str]:
    """Every public page, feed and API list, fetched without login: name -> URL."""
    s = world.school_a.pk
    return {
        "county home": reverse("publishing:home"),
        "school page": reverse("publishing:school", args=[s]),
        "county rss": reverse("publishing:feed_rss"),
        "county atom": reverse("publishing:feed_atom"),
        "school rss": reverse("publishing:school_feed_rss", args=[s]),
        "school atom": reverse("publishing:school_feed_atom", args=[s]),
        "sitemap": reverse("publishing:sitemap"),
        "api list": "/api/v1/publishing/public/posts",
    }


def fetch(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def test_drafted_approved_featured_post_appears_on_home_school_page_and_both_feeds(
    world, publicity, login, client, django_capture_on_commit_callbacks
):
    title = "甲校开展“不忘初心”主题党日"
    # The county home is visited (and cached) before anything is published.
    assert title not in fetch(client, reverse("publishing:home"))

    with django_capture_on_commit_callbacks(execute=True):
        writer = login(publicity)
        response = writer.post(
            reverse("publishing:post_new"),
            {
                "publisher": f"s{world.school_a.pk}",
                "category": "news",
                "title": title,
                "body": "<p>全体党员重温入党誓词，并到社区开展志愿服务。</p>",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        post = Post.all_objects.get(title=title)
        assert (post.status, post.school, post.org, post.author) == (
            Status.DRAFT,
            world.school_a,
            world.branch_a,
            publicity,
        )
        assert writer.post(reverse("publishing:post_submit", args=[post.pk])).status_code == 302
        # The publicity officer cannot approve their own draft.
        assert writer.post(reverse("publishing:post_approve", args=[post.pk])).status_code == 403
        assert title not in fetch(client, reverse("publishing:home"))

        assert login(world.secretary).post(reverse("publishing:post_approve", args=[post.pk])).status_code == 302
        # The secretary cannot feature: that is the county's call.
        assert login(world.secretary).post(reverse("publishing:post_feature", args=[post.pk])).status_code == 403
        assert login(world.county_admin).post(reverse("publishing:post_feature", args=[post.pk])).status_code == 302

    post.refresh_from_db()
    assert post.status == Status.APPROVED and post.featured and post.is_public
    home = fetch(client, reverse("publishing:home"))
    latest = section(home, "latest")
    assert title in latest, "among the latest work updates on the county home"
    assert "推荐" in latest.split(title, 1)[1].split("</li>", 1)[0], "marked 推荐 there"
    for name, url in public_surfaces(world).items():
        body = fetch(client, url)
        if name == "sitemap":
            assert reverse("publishing:post", args=[post.pk]) in body, name
        else:
            assert title in body or title.encode("unicode_escape").decode() in body, name
    assert title in fetch(client, reverse("publishing:post", args=[post.pk]))
    assert title in fetch(client, reverse("publishing:search") + "?q=主题党日")

    steps = list(AuditEntry.objects.filter(model="publishing.Post", object_id=str(post.pk)).order_by("id"))
    assert [(e.action, e.actor) for e in steps] == [
        ("create", publicity),
        ("submit", publicity),
        ("approve", world.secretary),
        ("feature", world.county_admin),
    ]
    assert all(e.org_path == world.branch_a.path for e in steps)


@pytest.mark.parametrize("fate", ["rejected", "taken_down", "draft", "submitted"])
def test_a_post_that_is_not_approved_appears_nowhere_public(world, client, fate, django_capture_on_commit_callbacks):
    title = f"不应公开的稿件-{fate}"
    control = public_post(org=world.branch_a, school=world.school_a, title="对照：已公开的稿件")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.create_post(
            actor=world.secretary, org=world.branch_a, school=world.school_a, title=title, body="<p>内容</p>"
        )
        if fate != "draft":
            services.submit_post(actor=world.secretary, post=post)
        if fate == "rejected":
            services.reject_post(actor=world.secretary, post=post, note="请补充活动成效")
        if fate == "taken_down":
            services.approve_post(actor=world.county_admin, post=post)
            services.feature_post(actor=world.county_admin, post=post)
            # It was public and featured, and the home page was cached with it …
            assert title in fetch(client, reverse("publishing:home"))
            services.take_down_post(actor=world.county_admin, post=post, reason="内容有误")
    for name, url in public_surfaces(world).items():
        body = fetch(client, url)
        assert title not in body and title.encode("unicode_escape").decode() not in body, name
        assert reverse("publishing:post", args=[post.pk]) not in body, name
        if name != "sitemap":
            assert control.title in body or control.title.encode("unicode_escape").decode() in body, name
    found = fetch(client, reverse("publishing:search") + f"?q={title}")
    assert reverse("publishing:post", args=[post.pk]) not in found and "共找到 0 篇" in found
    for url_name in ("publishing:post", "publishing:post_qr", "publishing:post_card"):
        assert client.get(reverse(url_name, args=[post.pk])).status_code == 404, url_name
    assert client.get(f"/api/v1/publishing/public/posts/{post.pk}").status_code == 404
    post.refresh_from_db()
    assert not post.featured


def test_a_scheduled_post_becomes_public_at_its_time_without_any_job(world, client):
    start = timezone.now()
    when = start + dt.timedelta(hours=2)
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="定时发布的稿件", body="<p>内容</p>"
    )
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post, publish_at=when)
    with freeze_time(start + dt.timedelta(minutes=119, seconds=30)):
        assert "定时发布的稿件" not in fetch(client, reverse("publishing:home"))
        assert client.get(reverse("publishing:post", args=[post.pk])).status_code == 404
    # The home page cached just before the time does not outlive it.
    with freeze_time(when + dt.timedelta(seconds=2)):
        assert "定时发布的稿件" in fetch(client, reverse("publishing:home"))
        assert client.get(reverse("publishing:post", args=[post.pk])).status_code == 200


def test_steps_out_of_order_are_refused_with_a_chinese_message(world):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="稿件", body="<p>内容</p>"
    )
    with pytest.raises(ValidationError, match="待审核"):
        services.approve_post(actor=world.county_admin, post=post)
    with pytest.raises(ValidationError, match="已通过审核"):
        services.feature_post(actor=world.county_admin, post=post)
    services.submit_post(actor=world.secretary, post=post)
    with pytest.raises(ValidationError, match="修改"):
        services.update_post(actor=world.secretary, post=post, title="改标题")
    with pytest.raises(ValidationError, match="修改意见"):
        services.reject_post(actor=world.secretary, post=post, note=" ")
    services.reject_post(actor=world.secretary, post=post, note="请补充")
    services.update_post(actor=world.secretary, post=post, title="改后的标题")
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)
    with pytest.raises(ValidationError, match="原因"):
        services.take_down_post(actor=world.county_admin, post=post, reason="")
    post.refresh_from_db()
    assert (post.status, post.title) == (Status.APPROVED, "改后的标题")


def test_page_step_errors_come_back_as_messages(world, login):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="稿件", body="<p>内容</p>"
    )
    response = login(world.secretary).post(reverse("publishing:post_approve", args=[post.pk]), follow=True)
    assert "只有待审核的稿件可以通过。" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.DRAFT


def test_who_may_do_what(world, publicity, login):
    post = services.create_post(
        actor=publicity, org=world.branch_a, school=world.school_a, title="稿件", body="<p>内容</p>"
    )
    services.submit_post(actor=publicity, post=post)
    # the member reads but cannot write or approve; the outsider (school B's secretary) does not see it at all
    member = login(world.member)
    assert member.get(reverse("publishing:manage_post", args=[post.pk])).status_code == 200
    assert member.get(reverse("publishing:post_new")).status_code == 403
    assert member.post(reverse("publishing:post_approve", args=[post.pk])).status_code == 403
    assert login(world.outsider).post(reverse("publishing:post_approve", args=[post.pk])).status_code == 404
    assert login(world.teacher).get(reverse("publishing:manage")).status_code == 403
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED


def test_the_county_publishes_its_own_posts(world, login, client):
    admin = login(world.county_admin)
    response = admin.post(
        reverse("publishing:post_new"),
        {"publisher": f"o{world.county.pk}", "category": "notice", "title": "县级通知", "body": "<p>通知内容</p>"},
    )
    assert response.status_code == 302
    post = Post.all_objects.get(title="县级通知")
    assert post.school is None and post.org == world.county
    services.submit_post(actor=world.county_admin, post=post)
    colleague = UserFactory(username="county_reviewer")  # the author may not approve their own post
    GrantFactory(user=colleague, org=world.county, role="county_admin")
    services.approve_post(actor=colleague, post=post)
    assert "县级通知" in fetch(client, reverse("publishing:feed_rss"))
    assert "县级通知" not in fetch(client, reverse("publishing:school_feed_rss", args=[world.school_a.pk]))
    # a school secretary is not offered the county as a publisher, and cannot forge it
    response = login(world.secretary).post(
        reverse("publishing:post_new"),
        {"publisher": f"o{world.county.pk}", "category": "notice", "title": "冒名通知", "body": "<p>x</p>"},
    )
    assert response.status_code == 400
    assert not Post.all_objects.filter(title="冒名通知").exists()


def test_anonymous_visitors_at_the_root_land_on_the_public_site(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("publishing:home")


def test_the_author_cannot_approve_their_own_post(world, login):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="自己的稿件", body="<p>内容</p>"
    )
    services.submit_post(actor=world.secretary, post=post)
    with pytest.raises(ValidationError, match="不能审核通过自己撰写的稿件"):
        services.approve_post(actor=world.secretary, post=post)
    page = login(world.secretary).get(reverse("publishing:manage_post", args=[post.pk])).content.decode()
    assert reverse("publishing:post_approve", args=[post.pk]) not in page
    response = login(world.secretary).post(reverse("publishing:post_approve", args=[post.pk]), follow=True)
    assert "不能审核通过自己撰写的稿件" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED
    services.approve_post(actor=world.county_admin, post=post)
    assert post.status == Status.APPROVED


def test_the_number_of_reviewers_is_rule_data(world, publicity):
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="publishing/publishing",
        key="reviewers_required",
        value=2,
        effective=dt.date(2024, 1, 1),
    )
    post = services.create_post(
        actor=publicity, org=world.branch_a, school=world.school_a, title="两审稿件", body="<p>内容</p>"
    )
    services.submit_post(actor=publicity, post=post)
    services.approve_post(actor=world.secretary, post=post)
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED  # one of two
    with pytest.raises(ValidationError, match="已同意过"):
        services.approve_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)
    post.refresh_from_db()
    assert post.status == Status.APPROVED and post.reviewed_by == world.county_admin


def test_a_stale_post_edit_is_refused(world, login):
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="原标题", body="<p>原正文</p>"
    )
    url = reverse("publishing:post_edit", args=[post.pk])
    client = login(world.secretary)
    opened = re.search(r'name="version" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    form = {"category": post.category, "title": "原标题", "summary": "", "body": "<p>原正文</p>", "version": opened}
    assert client.post(url, {**form, "title": "第一次保存的标题"}).status_code == 302
    response = client.post(url, {**form, "body": "<p>另一个标签页的正文</p>"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "第一次保存的标题" and "另一个标签页" not in post.body
