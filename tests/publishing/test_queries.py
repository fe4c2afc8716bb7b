"""Lists do not grow in queries with their rows."""

import pytest
from django.urls import reverse

from tests.publishing.factories import PostFactory, public_post


@pytest.fixture
def many(world):
    for i in range(60):
        school, org = (world.school_a, world.branch_a) if i % 2 else (world.school_b, world.branch_b)
        public_post(org=org, school=school, title=f"动态{i}", featured=i % 5 == 0)
        PostFactory(org=org, school=school, title=f"草稿{i}", author=world.secretary)


@pytest.mark.parametrize(
    "url",
    [
        reverse("publishing:home"),
        "/publishing/search/?q=动态",
        "/publishing/feed/rss.xml",
        "/publishing/feed/atom.xml",
        "/publishing/sitemap.xml",
        "/api/v1/publishing/public/posts?limit=100",
    ],
)
def test_public_lists(many, world, client, django_assert_max_num_queries, url):
    # The home adds the transparency figures (a fixed few aggregate queries per connected indicator formula) and
    # a second list (通知公告 beside 工作动态): a fixed number, whatever the volume.
    bound = 8 + (6 if url == reverse("publishing:home") else 0)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_school_page(many, world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse("publishing:school", args=[world.school_a.pk]) + "?per_page=100").status_code == 200


def test_manage_list(many, world, login, django_assert_max_num_queries):
    client = login(world.county_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publishing:manage") + "?per_page=100").status_code == 200


def test_api_manage_list(many, world, api_client, django_assert_max_num_queries):
    client = api_client(world.county_admin)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/publishing/posts?limit=100")
    assert response.json()["count"] == 120


def test_post_page(many, world, client, django_assert_max_num_queries):
    post = public_post(org=world.branch_a, school=world.school_a, title="详情")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("publishing:post", args=[post.pk])).status_code == 200
