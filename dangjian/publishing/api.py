"""Posts over JSON: public posts without a token; management scoped exactly as the pages are."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.scoping import get_for_user, require, scoped
from dangjian.orgs.models import School
from dangjian.publishing import selectors, services
from dangjian.publishing.models import Category, Post

router = Router(tags=["publishing"])


class LinkOut(Schema):
    label: str
    public_fields: dict[str, str]


class PublicPostOut(Schema):
    id: int
    category: str
    title: str
    summary: str
    publisher: str
    school_id: int | None
    publish_at: dt.datetime

    @staticmethod
    def resolve_publisher(obj):
        return obj.publisher_name


class PublicPostDetailOut(PublicPostOut):
    body: str
    links: list[LinkOut]

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())


class PostOut(Schema):
    id: int
    org_id: int
    school_id: int | None
    category: str
    title: str
    summary: str
    status: str
    featured: bool
    publish_at: dt.datetime | None
    review_note: str
    updated_at: dt.datetime


class PostDetailOut(PostOut):
    body: str
    links: list[LinkOut]

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())


class PostIn(Schema):
    school_id: int | None = None
    category: Category = Category.NEWS
    title: str
    body: str
    summary: str = ""
    publish_at: dt.datetime | None = None


class PostPatch(Schema):
    category: Category | None = None
    title: str | None = None
    body: str | None = None
    summary: str | None = None
    publish_at: dt.datetime | None = None


class ApproveIn(Schema):
    publish_at: dt.datetime | None = None
    note: str = ""


class NoteIn(Schema):
    note: str


class FeatureIn(Schema):
    featured: bool = True


# --- public (no token) ------------------------------------------------------------------------


@router.get("/public/posts", response=list[PublicPostOut], auth=None)
@paginate(ApiPagination)
def list_public_posts(request, q: str = "", school_id: int | None = None):
    q = q.strip()[:50]
    qs = selectors.search(q) if q else selectors.public_posts()
    return qs.filter(school_id=school_id) if school_id is not None else qs


@router.get("/public/posts/{post_id}", response=PublicPostDetailOut, auth=None)
def get_public_post(request, post_id: int):
    found = selectors.public_post(post_id)
    if found is None:
        raise Http404
    return found


# --- management (scoped) ----------------------------------------------------------------------


@router.get("/posts", response=list[PostOut])
@paginate(ApiPagination)
def list_posts(request, status: str = "", q: str = ""):
    return selectors.manage_posts(request.user, status=status, q=q)


@router.get("/posts/{post_id}", response=PostDetailOut)
def get_post(request, post_id: int):
    return get_for_user(request.user, Post, post_id)


@router.post("/posts", response={201: PostDetailOut})
def create_post(request, payload: PostIn):
    if payload.school_id is not None:
        schools = scoped(request.user, School, "publishing.view")
        school = get_for_user(request.user, School, payload.school_id, queryset=schools)
        org = school.org
    else:
        county = next((p for p in selectors.publishers(request.user) if p.school is None), None)
        if county is None:
            raise PermissionDenied(_("请指明学校（school_id）。"))
        school, org = None, county.org
    require(request.user, "publishing.draft", org)
    fields = payload.dict(exclude={"school_id"})
    return Status(201, services.create_post(actor=request.user, org=org, school=school, **fields))


@router.patch("/posts/{post_id}", response=PostDetailOut)
def patch_post(request, post_id: int, payload: PostPatch):
    found = get_for_user(request.user, Post, post_id, write=True)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    if not fields:
        raise ValidationError(_("没有要修改的字段。"))
    return services.update_post(actor=request.user, post=found, **fields)


@router.post("/posts/{post_id}/submit", response=PostOut)
def submit_post(request, post_id: int):
    found = get_for_user(request.user, Post, post_id, write=True)
    return services.submit_post(actor=request.user, post=found)


@router.post("/posts/{post_id}/approve", response=PostOut)
def approve_post(request, post_id: int, payload: ApproveIn):
    found = get_for_user(request.user, Post, post_id, write=True, capability="publishing.approve")
    return services.approve_post(actor=request.user, post=found, publish_at=payload.publish_at, note=payload.note)


@router.post("/posts/{post_id}/reject", response=PostOut)
def reject_post(request, post_id: int, payload: NoteIn):
    found = get_for_user(request.user, Post, post_id, write=True, capability="publishing.approve")
    return services.reject_post(actor=request.user, post=found, note=payload.note)


@router.post("/posts/{post_id}/feature", response=PostOut)
def feature_post(request, post_id: int, payload: FeatureIn):
    found = get_for_user(request.user, Post, post_id, write=True, capability="publishing.feature")
    return services.feature_post(actor=request.user, post=found, featured=payload.featured)


@router.post("/posts/{post_id}/takedown", response=PostOut)
def take_down_post(request, post_id: int, payload: NoteIn):
    found = get_for_user(request.user, Post, post_id, write=True, capability="publishing.feature")
    return services.take_down_post(actor=request.user, post=found, reason=payload.note)
