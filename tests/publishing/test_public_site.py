"""The public site's sections: county notices and posts on the home page by date (推荐 only changes the order),
the 工作动态 and 通知公告 lists, the list of school pages, and 订阅 as a page that explains RSS."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.publishing.factories import public_post
from tests.publishing.test_workflow import fetch, section


def test_county_notices_and_posts_show_on_the_home_page_by_date_and_featured_only_moves_up(world, client):
    now = timezone.now()
    older = public_post(org=world.county, school=None, title="县委旧通知", category="notice")
    older.publish_at = now - dt.timedelta(days=3)
    older.save()
    public_post(org=world.county, school=None, title="县委新通知", category="notice")
    public_post(org=world.branch_a, school=world.school_a, title="甲校动态", category="news")
    featured = public_post(org=world.branch_b, school=world.school_b, title="乙校推荐动态", category="news")
    featured.publish_at = now - dt.timedelta(days=5)
    featured.featured = True
    featured.save()
    home = fetch(client, reverse("publishing:home"))
    notices = section(home, "notices")
    assert notices.index("县委新通知") < notices.index("县委旧通知"), "notices by date, not only if featured"
    latest = section(home, "latest")
    assert latest.index("乙校推荐动态") < latest.index("甲校动态"), "推荐 moves the older post up"
    assert "县委新通知" not in latest


def test_sections_schools_and_subscribe_pages(world, client):
    public_post(org=world.county, school=None, title="县委通知一", category="notice")
    public_post(org=world.branch_a, school=world.school_a, title="甲校新闻一", category="news")
    notices = fetch(client, reverse("publishing:category", args=["notice"]))
    assert "县委通知一" in notices and "甲校新闻一" not in notices
    news = fetch(client, reverse("publishing:category", args=["news"]))
    assert "甲校新闻一" in news and "县委通知一" not in news
    assert client.get(reverse("publishing:category", args=["nothing"])).status_code == 404
    schools = fetch(client, reverse("publishing:schools"))
    assert reverse("publishing:school", args=[world.school_a.pk]) in schools
    page = fetch(client, reverse("publishing:subscribe"))
    assert "什么是订阅" in page
    assert (
        reverse("publishing:feed_rss") in page
        and reverse("publishing:school_feed_atom", args=[world.school_b.pk]) in page
    )


def test_every_public_page_links_the_concern_form_live_sessions_and_subscribe(world, client):
    for url in (reverse("publishing:home"), reverse("voice:public_submit"), reverse("meetings:public")):
        page = fetch(client, url)
        for target in ("voice:public_submit", "meetings:public", "publishing:subscribe", "publishing:schools"):
            assert f'href="{reverse(target)}"' in page, (url, target)
    stats = fetch(client, reverse("voice:public_stats"))
    assert f'href="{reverse("voice:follow")}"' in stats
