"""The public home and a post page on the demo county (generated here, seed 1): a fixed number of queries whatever
the volume, and the home from the cache once served. How fast they are is measured by `make bench`
(BENCHMARKS.md), not here: a timed test fails on a busy machine."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from dangjian.publishing import selectors


@pytest.fixture
def demo_county(db):
    call_command("generate", profile="county", seed=1, stdout=io.StringIO())


def test_public_home_and_post_page_in_a_fixed_number_of_queries(demo_county, client, django_assert_max_num_queries):
    posts = selectors.public_posts()
    assert posts.count() >= 100, "demo-like volume"
    post = posts.filter(school__isnull=False).first()
    home = reverse("publishing:home")
    page = reverse("publishing:post", args=[post.pk])
    cache.clear()  # as right after a post was published
    # Two lists by date (通知公告, 工作动态), each one query for its featured posts and one for the newest.
    with django_assert_max_num_queries(14):
        first = client.get(home)
    assert first.status_code == 200
    with django_assert_max_num_queries(0):  # served from the cache
        again = client.get(home)
    assert again.content == first.content
    with django_assert_max_num_queries(4):
        response = client.get(page)
    assert response.status_code == 200 and post.title in response.content.decode()
