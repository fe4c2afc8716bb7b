"""Work updates (工作动态) with their review workflow, attachments and links to the records they report on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel


class Category(models.TextChoices):
    NEWS = "news", _("工作动态")
    EXPERIENCE = "experience", _("经验交流")
    NOTICE = "notice", _("通知公告")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")
    TAKEN_DOWN = "taken_down", _("已撤下")


def public_q(now=None) -> Q:
    """A post is public when it is approved and its publish time has come: computed in the query, so a
    scheduled post appears on time with no job to publish it."""
    return Q(status=Status.APPROVED, publish_at__lte=now or timezone.now())


class Post(ScopedModel):
    """A work update published by an org (a school's organization or the county committee)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="publishing_posts"
    )
    school = models.ForeignKey(
        "orgs.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publishing_posts",
    )
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices, default=Category.NEWS)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = models.TextField(_("正文"), help_text=_("已清理的 HTML"))
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    cover = models.FileField(_("封面图片"), upload_to="publishing/covers/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    featured = models.BooleanField(_("县级推荐"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="publishing_posts",
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Who has agreed so far while the post waits for the number of reviewers the rules require.
    approvals = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("已同意的审核人"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    SCOPE_SELF = "author"
    CAPABILITIES = {"view": "publishing.view", "change": "publishing.draft"}

    class Meta:
        ordering = ["-publish_at", "-created_at"]
        verbose_name = _("工作动态")
        verbose_name_plural = _("工作动态")
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            models.Index(fields=["school", "status", "publish_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == Status.APPROVED and self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def publisher_name(self) -> str:
        return self.school.name if self.school_id else self.org.name


class Attachment(ScopedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="publishing/attachments/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    SCOPE_PATH = "post__org__path"
    CAPABILITIES = {"view": "publishing.view", "change": "publishing.draft"}

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class PostLink(ScopedModel):
    """A record the post reports on: its model and id, and a snapshot of its public fields taken at link time
    through core.linkable. Nothing else of the record is ever stored or shown."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    model_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40)
    label = models.CharField(_("记录类型"), max_length=50)
    public_fields = models.JSONField(_("公开信息"), default=dict)
    linked_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "post__org__path"
    CAPABILITIES = {"view": "publishing.view", "change": "publishing.draft"}

    class Meta:
        ordering = ["id"]
        verbose_name = _("关联记录")
        verbose_name_plural = _("关联记录")
        constraints = [
            models.UniqueConstraint(fields=["post", "model_label", "object_id"], name="publishing_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.object_id}"
