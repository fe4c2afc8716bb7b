from dangjian.core.models import AuditEntry
from dangjian.publishing.models import Post, Status
from tests.conftest import SECRET_NAME_A
from tests.publishing.factories import PostFactory, public_post

API = "/api/v1/publishing"


def test_the_workflow_over_the_api(world, publicity, api_client):
    writer = api_client(publicity)
    response = writer.post(
        f"{API}/posts",
        {"school_id": world.school_a.pk, "title": "接口稿件", "body": "<p onclick='x()'>正文</p>"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["body"] == "<p>正文</p>"
    pk = created["id"]
    assert (
        writer.patch(f"{API}/posts/{pk}", {"title": "接口稿件（改）"}, content_type="application/json").json()["title"]
        == "接口稿件（改）"
    )
    assert writer.post(f"{API}/posts/{pk}/submit").json()["status"] == "submitted"
    assert writer.post(f"{API}/posts/{pk}/approve", {}, content_type="application/json").status_code == 403
    secretary = api_client(world.secretary)
    assert secretary.post(f"{API}/posts/{pk}/approve", {}, content_type="application/json").json()["status"] == (
        "approved"
    )
    county = api_client(world.county_admin)
    assert county.post(f"{API}/posts/{pk}/feature", {"featured": True}, content_type="application/json").json()[
        "featured"
    ]
    public = api_client(None).get(f"{API}/public/posts").json()
    assert [item["title"] for item in public["items"]] == ["接口稿件（改）"]
    assert api_client(None).get(f"{API}/public/posts/{pk}").json()["publisher"] == "甲校"
    taken = county.post(f"{API}/posts/{pk}/takedown", {"note": "有误"}, content_type="application/json").json()
    assert taken["status"] == "taken_down"
    assert api_client(None).get(f"{API}/public/posts").json()["count"] == 0
    assert api_client(None).get(f"{API}/public/posts/{pk}").status_code == 404
    actions = AuditEntry.objects.filter(model="publishing.Post", object_id=str(pk)).values_list("action", flat=True)
    assert list(actions.order_by("id")) == ["create", "update", "submit", "approve", "feature", "take_down"]


def test_wrong_state_is_a_400_with_a_chinese_message(world, api_client):
    post = PostFactory(org=world.branch_a, school=world.school_a)
    response = api_client(world.secretary).post(f"{API}/posts/{post.pk}/approve", {}, content_type="application/json")
    assert response.status_code == 400 and "待审核" in response.json()["detail"]


def test_lists_are_scoped_and_public_list_filters(world, api_client):
    PostFactory(org=world.branch_a, school=world.school_a, title=f"{SECRET_NAME_A}草稿")
    public_post(org=world.branch_b, school=world.school_b, title="乙校动态")
    public_post(org=world.branch_a, school=world.school_a, title="甲校动态")
    outsider = api_client(world.outsider).get(f"{API}/posts").json()
    assert SECRET_NAME_A not in str(outsider) and outsider["count"] == 1
    by_school = api_client(None).get(f"{API}/public/posts", {"school_id": world.school_b.pk}).json()
    assert [i["title"] for i in by_school["items"]] == ["乙校动态"]
    found = api_client(None).get(f"{API}/public/posts", {"q": "甲校"}).json()
    assert [i["title"] for i in found["items"]] == ["甲校动态"]
    assert Post.all_objects.filter(status=Status.DRAFT).count() == 1


def test_a_teacher_cannot_create_a_county_post(world, api_client):
    response = api_client(world.teacher).post(
        f"{API}/posts", {"title": "x", "body": "<p>x</p>"}, content_type="application/json"
    )
    assert response.status_code == 403
