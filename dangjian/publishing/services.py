"""Writes for work updates: one keyword-only function per step of the workflow, each validated, in a
transaction and written to the audit log.

draft (publicity officer) → submitted → approved (secretary; public once its publish time has come) or
rejected (back to the author) → featured / taken down (county).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, files, rules
from dangjian.core.linkable import linkables
from dangjian.core.scoping import unscoped
from dangjian.publishing.models import Attachment, Category, Post, PostLink, Status
from dangjian.publishing.sanitize import clean_html, paragraphs, plain_text, summary_of

EDITABLE = ("category", "title", "summary", "body", "publish_at")
PUBLIC_VERSION_KEY = "publishing:public-version"


def public_version() -> int:
    return cache.get_or_set(PUBLIC_VERSION_KEY, 1, None)


def public_changed() -> None:
    """Invalidate cached public pages (the county home) once the change is committed."""

    def bump() -> None:
        try:
            cache.incr(PUBLIC_VERSION_KEY)
        except ValueError:
            cache.set(PUBLIC_VERSION_KEY, 2, None)

    transaction.on_commit(bump)


def _own_images(post: Post) -> set[int]:
    """The post's image attachments: the only images its body may show."""
    if post.pk is None:
        return set()
    with unscoped("publishing: the post's own images"):
        return set(Attachment.all_objects.filter(post=post).values_list("pk", flat=True))


def _save(post: Post) -> None:
    post.body = clean_html(paragraphs(post.body), images=_own_images(post))
    post.body_text = plain_text(post.body)
    if not post.body_text:
        raise ValidationError(_("正文不能为空。"))
    post.title = post.title.strip()
    post.summary = (post.summary or "").strip() or summary_of(post.body_text)
    post.updated_at = timezone.now()
    with unscoped("publishing: saving a post"):
        post.full_clean()
        post.save()


def _check_cover(cover) -> None:
    if cover is not None:
        files.validate_upload(cover, ("image",))


@transaction.atomic
def create_post(
    *,
    actor,
    org,
    school=None,
    category: str = Category.NEWS,
    title: str,
    body: str,
    summary: str = "",
    publish_at: dt.datetime | None = None,
    cover=None,
) -> Post:
    if school is not None and school.org_id != org.pk:
        raise ValidationError(_("学校与发布组织不一致。"))
    _check_cover(cover)
    post = Post(
        org=org,
        school=school,
        category=category,
        title=title,
        body=body,
        summary=summary,
        publish_at=publish_at,
        author=actor,
    )
    if cover is not None:
        post.cover = cover
    _save(post)
    audit.record(
        actor=actor, action="create", obj=post, changes={"title": [None, post.title], "status": [None, post.status]}
    )
    return post


@transaction.atomic
def update_post(*, actor, post: Post, cover=None, **fields: Any) -> Post:
    if post.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(_("只有草稿或被退回的稿件可以修改；已提交的稿件请先由审核人退回。"))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(sorted(unknown))
    before = audit.snapshot(post, [*EDITABLE, "cover"])
    for name, value in fields.items():
        setattr(post, name, value)
    _check_cover(cover)
    if cover is not None:
        post.cover = cover
    _save(post)
    changes = audit.diff(before, audit.snapshot(post, [*EDITABLE, "cover"]))
    if "body" in changes:
        changes["body"] = ["…", "…"]  # the text itself is in the post; the log says that it changed
    if changes:
        audit.record(actor=actor, action="update", obj=post, changes=changes)
    return post


def _transition(
    post: Post, *, actor, action: str, to: str, allowed_from: tuple[str, ...], message: str, **extra
) -> Post:
    if post.status not in allowed_from:
        raise ValidationError(message)
    before = post.status
    post.status = to
    for name, value in extra.items():
        setattr(post, name, value)
    post.updated_at = timezone.now()
    with unscoped(f"publishing.{action}"):
        post.save()
    changes = {"status": [before, to]}
    for name in ("publish_at", "review_note", "featured"):
        if name in extra:
            changes[name] = [None, str(extra[name])]
    audit.record(actor=actor, action=action, obj=post, changes=changes)
    public_changed()
    return post


@transaction.atomic
def submit_post(*, actor, post: Post) -> Post:
    with unscoped("publishing.submit_post: a new round of review"):
        post.approvals.clear()
    return _transition(
        post,
        actor=actor,
        action="submit",
        to=Status.SUBMITTED,
        allowed_from=(Status.DRAFT, Status.REJECTED),
        message=_("只有草稿或被退回的稿件可以提交审核。"),
    )


def reviewers_required(post: Post) -> int:
    return int(rules.rule_values("publishing", "publishing", org_path=post.org.path)["reviewers_required"])


def may_approve(user, post: Post) -> bool:
    """Not the author, and not somebody who has already agreed (the capability is checked by the caller)."""
    if post.author_id == user.pk:
        return False
    with unscoped("publishing.may_approve: who agreed"):
        return not post.approvals.filter(pk=user.pk).exists()


@transaction.atomic
def approve_post(*, actor, post: Post, publish_at: dt.datetime | None = None, note: str = "") -> Post:
    """A reviewer's approval. With the number of reviewers the rules require (`reviewers_required`), the post
    becomes public at `publish_at` (default: its scheduled time, or now); before that it waits, submitted."""
    if post.status != Status.SUBMITTED:
        raise ValidationError(_("只有待审核的稿件可以通过。"))
    if post.author_id == actor.pk:
        raise ValidationError(_("不能审核通过自己撰写的稿件。"))
    if not may_approve(actor, post):
        raise ValidationError(_("您已同意过这篇稿件，还需其他审核人同意。"))
    with unscoped("publishing.approve_post: who agreed"):
        post.approvals.add(actor)
        agreed = post.approvals.count()
    required = reviewers_required(post)
    if agreed < required:
        audit.record(actor=actor, action="approve", obj=post, changes={"approvals": [agreed - 1, agreed]})
        return post
    when = publish_at or post.publish_at or timezone.now()
    return _transition(
        post,
        actor=actor,
        action="approve",
        to=Status.APPROVED,
        allowed_from=(Status.SUBMITTED,),
        message=_("只有待审核的稿件可以通过。"),
        publish_at=when,
        review_note=note.strip(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def reject_post(*, actor, post: Post, note: str) -> Post:
    if not note.strip():
        raise ValidationError(_("退回时请写明修改意见。"))
    return _transition(
        post,
        actor=actor,
        action="reject",
        to=Status.REJECTED,
        allowed_from=(Status.SUBMITTED,),
        message=_("只有待审核的稿件可以退回。"),
        review_note=note.strip(),
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def feature_post(*, actor, post: Post, featured: bool = True) -> Post:
    if post.status != Status.APPROVED:
        raise ValidationError(_("只有已通过审核的稿件可以推荐。"))
    return _transition(
        post,
        actor=actor,
        action="feature" if featured else "unfeature",
        to=Status.APPROVED,
        allowed_from=(Status.APPROVED,),
        message="",
        featured=featured,
    )


@transaction.atomic
def take_down_post(*, actor, post: Post, reason: str) -> Post:
    if not reason.strip():
        raise ValidationError(_("撤下时请写明原因。"))
    return _transition(
        post,
        actor=actor,
        action="take_down",
        to=Status.TAKEN_DOWN,
        allowed_from=(Status.APPROVED,),
        message=_("只有已通过审核的稿件可以撤下。"),
        review_note=reason.strip(),
        featured=False,
    )


@transaction.atomic
def add_attachment(*, actor, post: Post, upload, kinds: tuple[str, ...] = files.DOCUMENTS) -> Attachment:
    """An attachment of a draft, checked (core.files); `kinds=("image",)` for a picture put in the body."""
    if post.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(_("只有草稿或被退回的稿件可以添加附件。"))
    files.validate_upload(upload, kinds)
    with unscoped("publishing.add_attachment"):
        attachment = Attachment(post=post, file=upload, name=upload.name[:200], size=upload.size)
        attachment.full_clean()
        attachment.save()
    audit.record(actor=actor, action="attach", obj=post, changes={"attachment": [None, attachment.name]})
    return attachment


@transaction.atomic
def link_record(*, actor, post: Post, model_label: str, object_id: Any) -> PostLink:
    """Link a record the post reports on. Only its public fields (core.linkable) are copied, at link time."""
    if post.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(_("只有草稿或被退回的稿件可以关联记录。"))
    linkable = linkables().get(model_label)
    if linkable is None:
        raise ValidationError(_("不能关联这类记录。"))
    try:
        record = linkable.candidates(actor).filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        record = None
    if record is None:
        raise ValidationError(_("没有找到这条记录，或您无权关联它。"))
    fields = {str(k): str(v) for k, v in linkable.public_fields(record).items()}
    with unscoped("publishing.link_record"):
        if PostLink.all_objects.filter(post=post, model_label=model_label, object_id=str(record.pk)).exists():
            raise ValidationError(_("这条记录已经关联过了。"))
        link = PostLink(
            post=post,
            model_label=model_label,
            object_id=str(record.pk),
            label=str(linkable.label),
            public_fields=fields,
        )
        link.full_clean()
        link.save()
    audit.record(actor=actor, action="link", obj=post, changes={"link": [None, f"{model_label}:{record.pk}"]})
    return link
