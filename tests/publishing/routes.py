from dangjian.publishing.models import Post, Status
from tests.conftest import SECRET_NAME_A
from tests.publishing.factories import PostFactory, public_post
from tests.routes import Route


def _posts(world):
    """A draft of school A whose title carries A's secret name (lists must hide it from outsiders), and a
    public post of school A."""
    draft = Post.all_objects.filter(school=world.school_a, status=Status.DRAFT).first() or PostFactory(
        org=world.branch_a, school=world.school_a, title=f"{SECRET_NAME_A}的草稿"
    )
    published = Post.all_objects.filter(school=world.school_a, status=Status.APPROVED).first() or public_post(
        org=world.branch_a, school=world.school_a, title="甲校公开动态"
    )
    return draft, published


def routes(world):
    draft, published = _posts(world)
    d = {"pk": draft.pk}
    p = {"pk": published.pk}
    s = {"pk": world.school_a.pk}
    api = "/api/v1/publishing"
    return [
        # the public site: no login; walked by tests/publishing/test_public.py
        Route("publishing:home", public=True, object_route=False),
        Route("publishing:school", s, public=True),
        Route("publishing:category", {"section": "news"}, public=True, object_route=False),
        Route("publishing:category", {"section": "notice"}, public=True, object_route=False),
        Route("publishing:schools", public=True, object_route=False),
        Route("publishing:subscribe", public=True, object_route=False),
        Route("publishing:post", p, public=True),
        Route("publishing:post_qr", p, public=True),
        Route("publishing:post_card", p, public=True),
        Route("publishing:post_cover", p, public=True),
        Route("publishing:attachment", {"pk": 1}, public=True),
        Route("publishing:search", public=True, object_route=False),
        Route("publishing:feed_rss", public=True, object_route=False),
        Route("publishing:feed_atom", public=True, object_route=False),
        Route("publishing:school_feed_rss", s, public=True),
        Route("publishing:school_feed_atom", s, public=True),
        Route("publishing:sitemap", public=True, object_route=False),
        Route(f"GET {api}/public/posts", api=True, public=True, object_route=False),
        Route(f"GET {api}/public/posts/{{post_id}}", {"post_id": published.pk}, api=True, public=True),
        # management
        Route("publishing:manage", object_route=False),
        Route("publishing:post_new", object_route=False, write=True),
        Route(
            "publishing:post_new",
            method="POST",
            data={"publisher": f"s{world.school_a.pk}", "category": "news", "title": "越权", "body": "<p>x</p>"},
            object_route=False,
            write=True,
        ),
        Route("publishing:manage_post", d),
        Route("publishing:post_edit", d, write=True),
        Route("publishing:post_edit", d, method="POST", data={"title": "改", "body": "<p>x</p>"}, write=True),
        Route("publishing:post_submit", d, method="POST", write=True),
        Route("publishing:post_approve", d, method="POST", write=True),
        Route("publishing:post_reject", d, method="POST", data={"note": "不行"}, write=True),
        Route("publishing:post_feature", p, method="POST", write=True),
        Route("publishing:post_takedown", p, method="POST", data={"note": "撤"}, write=True),
        Route("publishing:post_attach", d, method="POST", write=True),
        Route("publishing:post_link", d, method="POST", data={"model_label": "x", "object_id": "1"}, write=True),
        Route("publishing:post_image", d, method="POST", write=True),
        Route("publishing:post_wechat", d),
        Route(f"GET {api}/posts", api=True, object_route=False),
        Route(f"GET {api}/posts/{{post_id}}", {"post_id": draft.pk}, api=True),
        Route(
            f"POST {api}/posts",
            method="POST",
            data={"school_id": world.school_a.pk, "title": "越权", "body": "<p>x</p>"},
            api=True,
            write=True,
        ),
        Route(
            f"PATCH {api}/posts/{{post_id}}",
            {"post_id": draft.pk},
            method="PATCH",
            data={"title": "改"},
            api=True,
            write=True,
        ),
        Route(f"POST {api}/posts/{{post_id}}/submit", {"post_id": draft.pk}, method="POST", api=True, write=True),
        Route(f"POST {api}/posts/{{post_id}}/approve", {"post_id": draft.pk}, method="POST", api=True, write=True),
        Route(
            f"POST {api}/posts/{{post_id}}/reject",
            {"post_id": draft.pk},
            method="POST",
            data={"note": "不行"},
            api=True,
            write=True,
        ),
        Route(
            f"POST {api}/posts/{{post_id}}/feature",
            {"post_id": published.pk},
            method="POST",
            data={"featured": True},
            api=True,
            write=True,
        ),
        Route(
            f"POST {api}/posts/{{post_id}}/takedown",
            {"post_id": published.pk},
            method="POST",
            data={"note": "撤"},
            api=True,
            write=True,
        ),
    ]
