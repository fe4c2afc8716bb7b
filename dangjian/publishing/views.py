"""Thin views. The public site (no login) reads only approved, due posts through selectors; the management
pages go through the scoping layer and the workflow services."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import display, extensions, rules
from dangjian.core.actions import post_action
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require
from dangjian.publishing import cards, selectors, services
from dangjian.publishing.forms import (
    ApproveForm,
    AttachmentForm,
    LinkForm,
    ManageFilterForm,
    NoteForm,
    PostForm,
    SearchForm,
)
from dangjian.publishing.models import Attachment, Post, Status
from dangjian.publishing.sanitize import wechat_html

# --- the public site --------------------------------------------------------------------------


def _settings() -> dict:
    return rules.rule_values("publishing", "publishing")


def _home_html(request) -> str:
    values = _settings()
    root = selectors.public_root()
    return render_to_string(
        "publishing/home.html",
        {
            "root": root,
            "notices": selectors.home_list("notice", values["home_latest"], values["home_featured"]),
            "news": selectors.home_list("news", values["home_latest"], values["home_featured"]),
            "figures": selectors.transparency_figures(root),
            # Notices sent through the messages app and marked public (every app's `public_notices.py`).
            "public_notices": [n for m in extensions.modules("public_notices") for n in m.items(values["home_latest"])],
            "public_notice_pages": [m.index_url() for m in extensions.modules("public_notices")],
            "form": SearchForm(),
        },
        request=request,
    )


@require_GET
def home(request):
    """The county home. Anonymous visitors get a copy cached for a short time; any publish, approval,
    feature or take-down invalidates it, and it never outlives the next scheduled publish time."""
    if request.user.is_authenticated:
        return HttpResponse(_home_html(request))
    large = "large" if display.is_large(request) else "normal"
    key = f"publishing:home:{services.public_version()}:{request.LANGUAGE_CODE}:{large}"
    html = cache.get(key)
    if html is None:
        html = _home_html(request)
        timeout = int(_settings()["home_cache_seconds"])
        due = selectors.next_scheduled()
        if due is not None:
            timeout = max(1, min(timeout, int((due - timezone.now()).total_seconds()) + 1))
        cache.set(key, html, timeout)
    return HttpResponse(html)


@require_GET
def school(request, pk: int):
    found = selectors.public_school(pk)
    if found is None:
        raise Http404(_("没有找到这所学校。"))
    page = paginate(request, selectors.school_posts(found))
    return render(request, "publishing/school.html", {"school": found, "page": page})


SECTION_TITLES = {"news": gettext_lazy("工作动态"), "notice": gettext_lazy("通知公告")}


@require_GET
def category(request, section: str):
    """工作动态 or 通知公告: every public post of the section, the county's and the schools', newest first."""
    if section not in selectors.SECTIONS:
        raise Http404(_("没有这个栏目。"))
    page = paginate(request, selectors.section_posts(section))
    return render(
        request,
        "publishing/category.html",
        {"category": section, "title": SECTION_TITLES[section], "page": page},
    )


@require_GET
def schools(request):
    return render(
        request, "publishing/schools.html", {"schools": selectors.public_schools(), "root": selectors.public_root()}
    )


@require_GET
def subscribe(request):
    """订阅: what RSS is and the feeds to copy into a reader, the county's and each school's."""
    return render(
        request,
        "publishing/subscribe.html",
        {
            "root": selectors.public_root(),
            "schools": selectors.public_schools(),
            "county_rss": request.build_absolute_uri(reverse("publishing:feed_rss")),
            "county_atom": request.build_absolute_uri(reverse("publishing:feed_atom")),
        },
    )


def _public_post_or_404(pk) -> Post:
    post = selectors.public_post(pk)
    if post is None:
        raise Http404(_("没有找到这篇文章，或它尚未发布。"))
    return post


@require_GET
def post(request, pk: int):
    found = _public_post_or_404(pk)
    return render(
        request,
        "publishing/post.html",
        {
            "post": found,
            "links": list(found.links.all()),
            "attachments": list(found.attachments.all()),
            "public_url": request.build_absolute_uri(reverse("publishing:post", args=[found.pk])),
            "card_url": request.build_absolute_uri(reverse("publishing:post_card", args=[found.pk])),
        },
    )


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def post_qr(request, pk: int):
    found = _public_post_or_404(pk)
    url = request.build_absolute_uri(reverse("publishing:post", args=[found.pk]))
    return _png(cards.qr_png(url))


@require_GET
def post_card(request, pk: int):
    found = _public_post_or_404(pk)
    url = request.build_absolute_uri(reverse("publishing:post", args=[found.pk]))
    key = f"publishing:card:{found.pk}:{found.updated_at.timestamp()}:{url}"
    content = cache.get(key)
    if content is None:
        content = cards.share_png(
            title=found.title,
            publisher=found.publisher_name,
            day=timezone.localtime(found.publish_at).strftime("%Y-%m-%d"),
            category=found.get_category_display(),
            url=url,
        )
        cache.set(key, content, 24 * 3600)
    return _png(content)


@require_GET
def post_cover(request, pk: int):
    """A public post's cover; for a post not yet public, only those who may see it in the management pages."""
    found = selectors.public_post(pk)
    if found is None:
        if not request.user.is_authenticated:
            raise Http404
        found = get_for_user(request.user, Post, pk)
    if not found.cover:
        raise Http404
    return FileResponse(found.cover.open("rb"))


@require_GET
def attachment(request, pk: int):
    found = selectors.public_attachment(pk)
    if found is None:
        if not request.user.is_authenticated:
            raise Http404
        found = get_for_user(request.user, Attachment, pk)
    with found.file.open("rb") as handle:  # uploads are capped (UPLOAD_MAX_BYTES): read whole, close at once
        content = handle.read()
    return attachment_response(content, found.name, mimetypes.guess_type(found.name)[0] or "application/octet-stream")


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, selectors.search(query))
    return render(request, "publishing/search.html", {"form": form, "query": query, "page": page})


@require_GET
def sitemap(request):
    posts = selectors.public_posts().values_list("pk", "publish_at")[:45000]
    schools = selectors.public_schools_with_posts()
    content = render_to_string(
        "publishing/sitemap.xml",
        {"posts": posts, "schools": schools, "base": request.build_absolute_uri("/").rstrip("/")},
    )
    return HttpResponse(content, content_type="application/xml; charset=utf-8")


# --- management (signed in) -------------------------------------------------------------------


@login_required
def manage(request):
    if not has_capability(request.user, "publishing.view"):
        raise PermissionDenied
    form = ManageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    posts = selectors.manage_posts(request.user, status=filters.get("status", ""), q=filters.get("q", ""))
    return render(
        request,
        "publishing/manage.html",
        {
            "form": form,
            "page": paginate(request, posts),
            "can_draft": has_capability(request.user, "publishing.draft"),
        },
    )


def _fields(form: PostForm) -> dict:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("category", "title", "summary", "body", "publish_at")}
    return fields


@login_required
def post_new(request):
    if not has_capability(request.user, "publishing.draft"):
        raise PermissionDenied
    choices = selectors.publishers(request.user)
    form = PostForm(request.POST or None, request.FILES or None, publishers=choices)
    if request.method == "POST" and form.is_valid():
        publisher = form.publishers[form.cleaned_data["publisher"]]
        require(request.user, "publishing.draft", publisher.org)
        try:
            created = services.create_post(
                actor=request.user,
                org=publisher.org,
                school=publisher.school,
                cover=form.cleaned_data["cover"],
                **_fields(form),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("草稿已保存。确认无误后请提交审核。"))
            return redirect("publishing:manage_post", pk=created.pk)
    return render(request, "publishing/post_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def manage_post(request, pk: int):
    found = get_for_user(request.user, Post, pk)
    path = found.scope_path()
    editable = found.status in (Status.DRAFT, Status.REJECTED)
    can_draft = has_capability(request.user, "publishing.draft", path)
    return render(
        request,
        "publishing/manage_post.html",
        {
            "post": found,
            "links": list(found.links.all()),
            "attachments": list(found.attachments.all()),
            "can_edit": editable and can_draft,
            "can_approve": found.status == Status.SUBMITTED
            and has_capability(request.user, "publishing.approve", path)
            and services.may_approve(request.user, found),
            "can_feature": found.status == Status.APPROVED and has_capability(request.user, "publishing.feature", path),
            "link_choices": selectors.link_choices(request.user) if editable and can_draft else [],
            "approve_form": ApproveForm(),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
def post_edit(request, pk: int):
    found = get_for_user(request.user, Post, pk, write=True)
    initial = {name: getattr(found, name) for name in ("category", "title", "summary", "body", "publish_at")}
    form = PostForm(request.POST or None, request.FILES or None, initial=initial, editing=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(actor=request.user, post=found, cover=form.cleaned_data["cover"], **_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("publishing:manage_post", pk=found.pk)
    return render(
        request, "publishing/post_form.html", {"form": form, "post": found}, status=400 if form.errors else 200
    )


def _managed(request, pk: int, capability: str) -> Post:
    """A workflow step's post: fetched and authorized in one call."""
    return get_for_user(request.user, Post, pk, write=True, capability=capability)


def _valid(form, refusal: str) -> dict:
    """The form's data, or the refusal the page shows (a step's form is a button, not a page of its own)."""
    if not form.is_valid():
        raise ValidationError(refusal)
    return form.cleaned_data


def _back_to_post(request, found: Post, action, success: str = ""):
    """`post_action` for a workflow step: every step comes back to the post's management page."""
    return post_action(request, action, success=success, to="publishing:manage_post", pk=found.pk)


@login_required
@require_POST
def post_submit(request, pk: int):
    found = _managed(request, pk, "publishing.draft")
    return _back_to_post(
        request, found, lambda: services.submit_post(actor=request.user, post=found), _("已提交审核。")
    )


@login_required
@require_POST
def post_approve(request, pk: int):
    found = _managed(request, pk, "publishing.approve")
    form = ApproveForm(request.POST)

    def approve():
        data = _valid(form, _("发布时间格式不正确。"))
        done = services.approve_post(actor=request.user, post=found, publish_at=data["publish_at"], note=data["note"])
        # Whether it is out depends on the other approvers, so the message is the service's answer.
        messages.success(
            request, _("已审核通过。") if done.status == Status.APPROVED else _("已同意，还需其他审核人同意。")
        )

    return _back_to_post(request, found, approve)


@login_required
@require_POST
def post_reject(request, pk: int):
    found = _managed(request, pk, "publishing.approve")
    note = NoteForm(request.POST).data.get("note", "")
    return _back_to_post(
        request, found, lambda: services.reject_post(actor=request.user, post=found, note=note), _("已退回。")
    )


@login_required
@require_POST
def post_feature(request, pk: int):
    found = _managed(request, pk, "publishing.feature")
    featured = request.POST.get("featured", "1") == "1"
    return _back_to_post(
        request,
        found,
        lambda: services.feature_post(actor=request.user, post=found, featured=featured),
        _("已更新推荐状态。"),
    )


@login_required
@require_POST
def post_takedown(request, pk: int):
    found = _managed(request, pk, "publishing.feature")
    reason = NoteForm(request.POST).data.get("note", "")
    return _back_to_post(
        request, found, lambda: services.take_down_post(actor=request.user, post=found, reason=reason), _("已撤下。")
    )


@login_required
@require_POST
def post_attach(request, pk: int):
    found = _managed(request, pk, "publishing.draft")
    form = AttachmentForm(request.POST, request.FILES)
    return _back_to_post(
        request,
        found,
        lambda: services.add_attachment(
            actor=request.user, post=found, upload=_valid(form, _("请选择要上传的文件。"))["file"]
        ),
        _("附件已上传。"),
    )


@login_required
@require_POST
def post_image(request, pk: int):
    """The editor's picture upload: a checked image (core.files) kept as the draft's attachment; the answer is
    the URL the body may show (sanitize.IMAGE_SRC), or the refusal in Chinese."""
    found = _managed(request, pk, "publishing.draft")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"detail": [_("请选择要插入的图片。")]}, status=422)
    try:
        image = services.add_attachment(
            actor=request.user, post=found, upload=form.cleaned_data["file"], kinds=("image",)
        )
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages}, status=422)
    return JsonResponse({"url": reverse("publishing:attachment", args=[image.pk]), "name": image.name})


@login_required
@require_GET
def post_wechat(request, pk: int):
    """The post as HTML for the 公众号 editor: open it, select all, copy, paste. Inline styles only; no script,
    class or id; images and links with full addresses."""
    found = get_for_user(request.user, Post, pk)
    base = request.build_absolute_uri("/")
    response = render(
        request,
        "publishing/wechat.html",
        {
            "post": found,
            "body": wechat_html(found.body, base),
            "public_url": request.build_absolute_uri(reverse("publishing:post", args=[found.pk])),
        },
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
@require_POST
def post_link(request, pk: int):
    found = _managed(request, pk, "publishing.draft")
    form = LinkForm(request.POST)
    return _back_to_post(
        request,
        found,
        lambda: services.link_record(actor=request.user, post=found, **_valid(form, _("请选择要关联的记录。"))),
        _("已关联记录。"),
    )
